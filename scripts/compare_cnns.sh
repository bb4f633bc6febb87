#!/usr/bin/env bash
# Seed 000's comparison: StandardCNN against ModifiedCNN (Nesterov momentum 0.01 / 0.9, batch
# 500), then its table (type, epoch, accuracy, epoch time) read back from the run folders.
# Usage: scripts/compare_cnns.sh [DATASET] [EPOCHS] [extra train_classifier flags...]
# With COMPARE_ONLY=1 it only prints the table of runs already in the log folder.
set -euo pipefail
cd "$(dirname "$0")/.."
dataset=${1:-FashionMNIST}
epochs=${2:-30}
shift $(( $# > 2 ? 2 : $# )) || true
log=log
for ((i = 1; i <= $#; i++)); do [[ ${!i} == --log_dir ]] && { j=$((i + 1)); log=${!j}; }; done
comment=""
for ((i = 1; i <= $#; i++)); do [[ ${!i} == --comment ]] && { j=$((i + 1)); comment="_${!j}"; }; done
if [[ ${COMPARE_ONLY:-0} != 1 ]]; then
    swift build -c release --product train_classifier >/dev/null
    bin=$(swift build -c release --show-bin-path)
    for model in StandardCNN ModifiedCNN; do
        "$bin/train_classifier" --model "$model" --dataset "$dataset" --optimizer MomentumOptimizer \
            --optimizer_args '{"learning_rate": 0.01, "momentum": 0.9, "use_nesterov": true}' \
            --batch_size 500 --epochs "$epochs" "$@"
    done
fi
printf "%-13s %5s %9s %9s\n" Type Epoch Accuracy Time
for model in StandardCNN ModifiedCNN; do
    csv="$log/$model/${dataset}_Momentum_lr=0.01${comment}/validation/epochs.csv"
    [[ -f $csv ]] || { echo "compare_cnns: no run at $csv" >&2; exit 66; }
    label="${model%CNN} CNN"
    # The first and the last epoch, as seed 000's table shows them.
    awk -F, -v label="$label" 'NR == 2 { first = $0 } NR > 1 { last = $0 }
        END { n = split(first, a, ","); printf "%-13s %5d %8.2f %% %8.3fs\n", label, a[1], a[3] * 100, a[4];
              split(last, b, ","); printf "%-13s %5d %8.2f %% %8.3fs\n", label, b[1], b[3] * 100, b[4] }' "$csv"
done
