#!/usr/bin/env bash
# Trains GUIDE.md's reference recipes on the real Fashion-MNIST (55,000 / 5,000 / 10,000) and
# prints each run's best validation and test values with its wall time, for comparison with
# the PyTorch ranges (DTB's LeNet models: its default Momentum 0.01 / 0.9, batch 128, 10 epochs,
# GUIDE.md's TensorFlow references). `--precision bf16` trains the same recipes in mixed precision.
# Usage: scripts/reproduce_quality.sh [--precision bf16] [LOG_DIR] [SEED] [MODEL...]
set -euo pipefail
cd "$(dirname "$0")/.."
precision=()
if [[ ${1:-} == --precision ]]; then precision=(--precision "$2"); shift 2; fi
log=${1:-log/quality}
seed=${2:-42}
shift $(( $# > 2 ? 2 : $# )) || true
models=("$@")
[[ ${#models[@]} -eq 0 ]] && models=(SingleLayerCAE LasagneCAE StandardCNN ModifiedCNN NarrowCAE)
swift build -c release --product train_autoencoder >/dev/null
swift build -c release --product train_classifier >/dev/null
bin=$(swift build -c release --show-bin-path)
nesterov='{"learning_rate": 0.01, "momentum": 0.9, "use_nesterov": true}'
adam=(--optimizer AdamOptimizer --optimizer_args '{"learning_rate": 1e-3}' --batch_size 128)
for model in "${models[@]}"; do
    case $model in
        SingleLayerCAE) cmd=(train_autoencoder "${adam[@]}" --epochs 10) ;;
        LasagneCAE) cmd=(train_autoencoder "${adam[@]}" --epochs 20) ;;
        StandardCNN|ModifiedCNN) cmd=(train_classifier --optimizer MomentumOptimizer --optimizer_args "$nesterov"
                                      --batch_size 500 --epochs 30) ;;
        NarrowCAE) cmd=(train_autoencoder --optimizer MomentumOptimizer
                        --optimizer_args '{"learning_rate": 0.01, "momentum": 0.975, "use_nesterov": true}'
                        --batch_size 128 --epochs 20) ;;
        LeNet|LeNetDropout|LeNetDirectDropout|LeNetBN) cmd=(train_classifier --optimizer MomentumOptimizer
                        --optimizer_args '{"learning_rate": 0.01, "momentum": 0.9}' --batch_size 128 --epochs 10) ;;
        *) echo "reproduce_quality: no reference recipe for $model" >&2; exit 64 ;;
    esac
    start=$(date +%s)
    "$bin/${cmd[0]}" --model "$model" --dataset FashionMNIST "${cmd[@]:1}" --seed "$seed" --log_dir "$log" \
        "${precision[@]}" --comment "seed$seed" --quiet
    echo "$model seed $seed: $(( $(date +%s) - start )) s wall"
done
echo "validation (best):"; grep -h "_seed$seed " "$log/validation_results.txt"
echo "test (best checkpoint):"; grep -h "_seed$seed " "$log/test_results.txt"
