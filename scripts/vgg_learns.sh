#!/usr/bin/env bash
# DTB's VGGBN (and any other CIFAR model given) on Fashion-MNIST written in CIFAR-10's format
# (python/fashion_as_cifar.py: padded to 32x32, grey in three planes), as there is no CIFAR-10
# here: the loss must fall and the test accuracy rise far above chance. Prints each run's
# per-epoch rows and wall time.
# Usage: scripts/vgg_learns.sh [LOG_DIR] [TRAIN_IMAGES] [EPOCHS] [MODEL...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
log=${1:-log/vgg}
train=${2:-10000}
epochs=${3:-3}
shift $(( $# > 3 ? 3 : $# )) || true
models=("$@")
[[ ${#models[@]} -eq 0 ]] && models=(VGGBN)
source "$here/python_venv.sh"
data=$log/fashion-as-cifar
"$venv/bin/python" "$here/python/fashion_as_cifar.py" /usr/share/datasets/fashion-mnist "$data" "$train" 2000
swift build -c release --product train_classifier >/dev/null
bin=$(swift build -c release --show-bin-path)
for model in "${models[@]}"; do
    start=$(date +%s)
    "$bin/train_classifier" --model "$model" --dataset Cifar10 --data_dir "$data" --log_dir "$log" \
        --optimizer MomentumOptimizer --optimizer_args '{"learning_rate": 0.01, "momentum": 0.9}' \
        --batch_size 128 --epochs "$epochs" --validate_on_train --quiet --restart
    echo "$model: $(( $(date +%s) - start )) s wall"
    cat "$log/$model/Cifar10_Momentum_lr=0.01/validation/epochs.csv"
done
echo "test (best checkpoint):"; tail -n "${#models[@]}" "$log/test_results.txt"
