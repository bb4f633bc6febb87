#!/usr/bin/env bash
# Shows that a warm training step (and an evaluation step) allocates nothing on the heap:
# valgrind counts every malloc of the release bench running 2 and then 6 timed steps; equal
# totals mean the 4 extra steps allocated nothing. Usage: scripts/check_step_allocations.sh [MODEL...]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "check_step_allocations: needs valgrind (apt-get install valgrind)" >&2; exit 69; }
# Valgrind cannot execute AVX-512, so the check runs the same sources built for baseline x86-64
# (BENCH_BASELINE_X86), in a build folder of its own; allocations do not depend on the target.
export BENCH_BASELINE_X86=1
swift build -c release --product bench --scratch-path .build/valgrind >/dev/null
bench=$(swift build -c release --scratch-path .build/valgrind --show-bin-path)/bench
models=("$@")
[[ ${#models[@]} -eq 0 ]] && models=(SingleLayerCAE LasagneCAE StandardCNN ModifiedCNN)
status=0
for model in "${models[@]}"; do
    for mode in training --eval; do
        counts=()
        for steps in 2 6; do
            counts+=("$(valgrind --tool=memcheck --leak-check=no "$bench" --model "$model" --batch_size 8 --warmup 1 \
                --steps "$steps" --repetitions 1 ${mode/training/} 2>&1 | sed -n 's/.*total heap usage: \([0-9,]*\) allocs.*/\1/p' | tr -d ,)")
        done
        per_step=$(( (counts[1] - counts[0]) / 4 ))
        echo "$model ${mode#--}: ${counts[0]} allocations with 2 steps, ${counts[1]} with 6: $per_step per step"
        (( per_step == 0 )) || status=1
    done
done
exit $status
