#!/usr/bin/env bash
# Benchmarks two release builds side by side: for each seed model, training and evaluation, ROUNDS
# interleaved rounds (old, new, old, new, ...) of `bench --json` (each a median over its own
# repetitions), then the median of each build's round medians and their ratio new / old.
# More STEPS per repetition (default 20) steadies the rates on a shared machine.
# Usage: scripts/compare_speed.sh OLD_BIN_DIR NEW_BIN_DIR [ROUNDS] [STEPS]
set -euo pipefail
old=${1:?usage: compare_speed.sh OLD_BIN_DIR NEW_BIN_DIR [ROUNDS] [STEPS]}
new=${2:?usage: compare_speed.sh OLD_BIN_DIR NEW_BIN_DIR [ROUNDS] [STEPS]}
rounds=${3:-5}
steps=${4:-20}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
rate() { "$1/bench" --model "$2" --threads 2 --warmup 5 --steps "$steps" --repetitions 3 --json $3 |
    sed -n 's/.*"medianExamplesPerSecond" *: *\([0-9.e+]*\).*/\1/p'; }
printf '%-15s %-10s %10s %10s %7s\n' model mode old new ratio
for model in SingleLayerCAE LasagneCAE StandardCNN ModifiedCNN; do
    for mode in training --eval; do
        o=() n=()
        for _ in $(seq "$rounds"); do
            o+=("$(rate "$old" "$model" "${mode/training/}")")
            n+=("$(rate "$new" "$model" "${mode/training/}")")
        done
        mo=$(printf '%s\n' "${o[@]}" | median) mn=$(printf '%s\n' "${n[@]}" | median)
        printf '%-15s %-10s %10.0f %10.0f %7.3f\n' "$model" "${mode#--}" "$mo" "$mn" "$(echo "$mn / $mo" | bc -l)"
    done
done
