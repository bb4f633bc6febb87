#!/usr/bin/env bash
# How much faster `mpirun -np 2` (one thread per process) trains than one process with one
# thread: StandardCNN, one seeded epoch of the real Fashion-MNIST (batch 500), ROUNDS rounds
# alternating the two; prints each epoch's seconds (from epochs.csv, training alone) and the
# ratio of the medians. A benchmark, not a test: run it on a quiet machine.
#   scripts/bench_data_parallel.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
swift build -c release --product train_classifier >/dev/null
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags=(--model StandardCNN --dataset FashionMNIST --optimizer MomentumOptimizer
    --optimizer_args '{"learning_rate": 0.01, "momentum": 0.9, "use_nesterov": true}' --batch_size 500
    --epochs 1 --seed 42 --threads 1 --quiet)
seconds() { tail -1 "$1"/StandardCNN/*/validation/epochs.csv | cut -d, -f4; }
one=() two=()
for round in $(seq "$rounds"); do
    "$bin/train_classifier" "${flags[@]}" --log_dir "$work/one$round" >/dev/null
    mpirun --allow-run-as-root -np 2 "$bin/train_classifier" "${flags[@]}" --log_dir "$work/two$round" >/dev/null
    one+=("$(seconds "$work/one$round")") two+=("$(seconds "$work/two$round")")
    echo "round $round: one process ${one[-1]} s, mpirun -np 2 ${two[-1]} s"
done
python3 - "${one[*]}" "${two[*]}" <<'PY'
import statistics, sys
one, two = ([float(v) for v in arg.split()] for arg in sys.argv[1:3])
a, b = statistics.median(one), statistics.median(two)
print(f"median epoch: one process {a:.1f} s, mpirun -np 2 {b:.1f} s: {a / b:.2f} times faster")
PY
