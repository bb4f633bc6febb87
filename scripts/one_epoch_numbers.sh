#!/usr/bin/env bash
# Trains each of the six models for one seeded epoch on the real Fashion-MNIST with the commands
# in BIN_DIR (a release build's bin folder) and prints each run's epochs.csv row, so that two
# builds can be compared digit for digit. Usage: scripts/one_epoch_numbers.sh BIN_DIR LOG_DIR
set -euo pipefail
# Runs compared byte for byte with runs started apart plan with the fixed algorithm rules: two
# autotuned plans timed at the same moment may choose differently and round differently.
export BENCH_AUTOTUNE=off
bin=${1:?usage: one_epoch_numbers.sh BIN_DIR LOG_DIR}
log=${2:?usage: one_epoch_numbers.sh BIN_DIR LOG_DIR}
adam=(--optimizer AdamOptimizer --optimizer_args '{"learning_rate": 1e-3}')
nesterov=(--optimizer MomentumOptimizer --optimizer_args '{"learning_rate": 0.01, "momentum": 0.9, "use_nesterov": true}')
narrow=(--optimizer MomentumOptimizer --optimizer_args '{"learning_rate": 0.01, "momentum": 0.975, "use_nesterov": true}')
common=(--dataset FashionMNIST --epochs 1 --seed 42 --threads 2 --log_dir "$log")
run() { "$bin/$1" --model "$2" "${@:3}" "${common[@]}" >/dev/null 2>&1 || { echo "$2: exit $?" >&2; exit 1; }; }
run train_autoencoder SingleLayerCAE "${adam[@]}"
run train_autoencoder LasagneCAE "${adam[@]}"
run train_autoencoder NarrowCAE "${narrow[@]}"
run train_classifier StandardCNN "${nesterov[@]}" --batch_size 500
run train_classifier ModifiedCNN "${nesterov[@]}" --batch_size 500
run train_classifier CifarCNN "${nesterov[@]}" --batch_size 500
for csv in "$log"/*/*/validation/epochs.csv; do
    echo "$(basename "$(dirname "$(dirname "$(dirname "$csv")")")") $(tail -1 "$csv")"
done
