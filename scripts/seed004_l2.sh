#!/usr/bin/env bash
# Seed 004's experiment: DTB's SingleLayerCAE with Adam (lr 1e-5, batch 1024) on a dataset,
# once without and once with an L2 penalty of 1e-9, then the two runs' results side by side.
# Usage: scripts/seed004_l2.sh [DATASET] [EPOCHS] [extra train_autoencoder flags...]
#   DATASET defaults to FashionMNIST (MNIST and Cifar10 need scripts/fetch_*.sh and --data_dir).
set -euo pipefail
cd "$(dirname "$0")/.."
dataset=${1:-FashionMNIST}
epochs=${2:-150}
shift $(( $# > 2 ? 2 : $# )) || true
swift build -c release --product train_autoencoder >/dev/null
bin=$(swift build -c release --show-bin-path)
common=(--model SingleLayerCAE --dataset "$dataset" --optimizer AdamOptimizer
        --optimizer_args '{"learning_rate": 1e-5}' --batch_size 1024 --epochs "$epochs" "$@")
"$bin/train_autoencoder" "${common[@]}"
"$bin/train_autoencoder" "${common[@]}" --l2_penalty 1e-9
log=log
for ((i = 1; i <= $#; i++)); do [[ ${!i} == --log_dir ]] && { j=$((i + 1)); log=${!j}; }; done
echo "run                                        validation  test"
for name in "${dataset}_Adam_lr=1e-05" "${dataset}_Adam_lr=1e-05_l2=1e-09"; do
    v=$(grep -h "SingleLayerCAE: $name " "$log/validation_results.txt" | tail -1 | awk '{print $NF}')
    t=$(grep -h "SingleLayerCAE: $name " "$log/test_results.txt" | tail -1 | awk '{print $NF}')
    printf "%-42s %-11s %s\n" "$name" "$v" "$t"
done
