#!/usr/bin/env bash
# Data-parallel training over MPI against one process: StandardCNN, one seeded epoch of the real
# Fashion-MNIST with GUIDE.md's recipe (Nesterov momentum, batch 500), one thread per process;
# `mpirun -np 2` must end with the train loss within 1e-3 relative and the validation accuracy
# within 0.003 of one process's. Prints both rows and the epochs' seconds.
#   scripts/mpi_matches_one_process.sh BIN_DIR WORK_DIR
set -euo pipefail
# Runs compared byte for byte with runs started apart plan with the fixed algorithm rules: two
# autotuned plans timed at the same moment may choose differently and round differently.
export BENCH_AUTOTUNE=off
bin=${1:?usage: mpi_matches_one_process.sh BIN_DIR WORK_DIR}
work=${2:?usage: mpi_matches_one_process.sh BIN_DIR WORK_DIR}
flags=(--model StandardCNN --dataset FashionMNIST --optimizer MomentumOptimizer
    --optimizer_args '{"learning_rate": 0.01, "momentum": 0.9, "use_nesterov": true}' --batch_size 500
    --epochs 1 --seed 42 --threads 1 --quiet)
rm -rf "$work" && mkdir -p "$work"
# glibc's loader lists the libraries each process opens (LD_DEBUG=files) in $work/*-libraries.PID:
# libmpi must be among the ranks' and not among the plain run's.
LD_DEBUG=files LD_DEBUG_OUTPUT=$work/one-libraries "$bin/train_classifier" "${flags[@]}" --log_dir "$work/one" \
    >/dev/null
mpirun --allow-run-as-root -np 2 -x LD_DEBUG=files -x LD_DEBUG_OUTPUT="$work/two-libraries" \
    "$bin/train_classifier" "${flags[@]}" --log_dir "$work/two" >"$work/mpirun.out" 2>&1 ||
    { cat "$work/mpirun.out" >&2; exit 1; }
if grep -q "file=libmpi" "$work"/one-libraries.*; then echo "FAIL: a plain run opened libmpi" >&2; exit 1; fi
[[ $(grep -l "file=libmpi" "$work"/two-libraries.* | wc -l) == 2 ]] ||
    { echo "FAIL: not both ranks opened libmpi" >&2; exit 1; }
echo "libmpi: opened by both ranks under mpirun, not by the plain run"
one=$(tail -1 "$work"/one/StandardCNN/*/validation/epochs.csv)
two=$(tail -1 "$work"/two/StandardCNN/*/validation/epochs.csv)
echo "one process:         $one"
echo "mpirun -np 2:        $two"
# Rank 0 alone writes: one run folder, one results line, one events file.
[[ $(ls -d "$work"/two/StandardCNN/*/ | wc -l) == 1 ]] || { echo "FAIL: more than one run folder" >&2; exit 1; }
[[ $(wc -l <"$work/two/test_results.txt") == 1 ]] || { echo "FAIL: not one results line" >&2; exit 1; }
python3 - "$one" "$two" <<'PY'
import sys
one, two = ([float(v) for v in row.split(",")] for row in sys.argv[1:3])
loss = abs(two[1] - one[1]) / one[1]
accuracy = abs(two[2] - one[2])
print(f"train loss relative difference {loss:.2e} (limit 1e-3), validation accuracy difference "
      f"{accuracy:.4f} (limit 0.003), epoch seconds {one[3]:.1f} alone, {two[3]:.1f} on two processes")
# Accuracies are counts of 5000 images: 0.003 is 15 of them, whatever the subtraction rounds to.
sys.exit(0 if loss <= 1e-3 and round(accuracy * 5000) <= 15 else 1)
PY
