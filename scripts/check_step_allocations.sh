#!/usr/bin/env bash
# Shows that a warm step allocates nothing on the heap, on every path: each model at its natural
# input, training and evaluation, float32 and (where the processor has AVX512_BF16) bf16, fused and
# unfused, autotuned and fixed. `bench --allocations` counts malloc calls on every thread in-process
# through ordo-one's malloc interposer (valgrind cannot run the AVX-512 build).
#   scripts/check_step_allocations.sh [BIN_DIR] [MODEL...]
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -gt 0 && -d $1 ]]; then bin=$1; shift; else
    swift build -c release --product bench >/dev/null
    bin=$(swift build -c release --show-bin-path)
fi
models=("$@")
[[ ${#models[@]} -eq 0 ]] && models=(SingleLayerCAE LasagneCAE NarrowCAE StandardCNN ModifiedCNN CifarCNN LeNet
    LeNetDropout LeNetDirectDropout LeNetBN VGG VGGDropout VGGDirectDropout VGGBN StackedCAE StackedDenoisingCAE)
precisions=(float32)
grep -qw avx512_bf16 /proc/cpuinfo && precisions+=(bf16)
status=0 runs=0
for model in "${models[@]}"; do
    input=(--side 28 --channels 1)
    [[ $model == VGG* || $model == CifarCNN ]] && input=(--side 32 --channels 3)
    for mode in training evaluation; do
        for precision in "${precisions[@]}"; do
            for variant in fused unfused fixed; do
                args=(--model "$model" "${input[@]}" --batch_size 8 --warmup 2 --steps 3 --repetitions 1
                    --precision "$precision" --allocations --json)
                [[ $mode == evaluation ]] && args+=(--eval)
                [[ $variant == unfused ]] && args+=(--no_fusion)
                [[ $variant == fixed ]] && args+=(--autotune off)
                per_step=$("$bin/bench" "${args[@]}" \
                    | python3 -c 'import json, sys; print(json.load(sys.stdin)["allocationsPerStep"] or 0)')
                runs=$((runs + 1))
                if [[ $per_step != 0 ]]; then
                    echo "$model $mode $precision $variant: $per_step heap allocations per step" >&2
                    status=1
                fi
            done
        done
    done
done
(( status == 0 )) && echo "check_step_allocations: 0 heap allocations per warm step in all $runs runs"
exit $status
