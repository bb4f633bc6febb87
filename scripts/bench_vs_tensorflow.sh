#!/usr/bin/env bash
# The bench beside TensorFlow (and PyTorch with --with-torch) on the same architectures, batch,
# thread count and optimizer, interleaved model by model and round by round so that a noisy
# machine hurts all of them alike; prints one table of medians and ratios.
#   scripts/bench_vs_tensorflow.sh [--with-torch] [--eval] [--rounds 3] [--threads 2] [--batch_size 128]
#       [--models SingleLayerCAE,LasagneCAE,StandardCNN,ModifiedCNN,LeNet,VGGBN]
# --eval times evaluation (forward passes, dropout off) instead of training steps.
# TensorFlow (tensorflow-cpu) and PyTorch come from PyPI into .build/bench-venv; PyPI's torch is
# a CUDA build of several GB, hence only on request.
set -euo pipefail
cd "$(dirname "$0")/.."
torch=0; rounds=3; threads=2; batch=128; mode=(); list=SingleLayerCAE,LasagneCAE,StandardCNN,ModifiedCNN,LeNet,VGGBN
while [[ $# -gt 0 ]]; do
    case $1 in
        --with-torch) torch=1; shift ;;
        --eval) mode=(--eval); shift ;;
        --rounds) rounds=$2; shift 2 ;;
        --threads) threads=$2; shift 2 ;;
        --batch_size) batch=$2; shift 2 ;;
        --models) list=$2; shift 2 ;;
        *) echo "bench_vs_tensorflow: unknown option $1" >&2; exit 64 ;;
    esac
done
venv=.build/bench-venv
[[ -x $venv/bin/python ]] || python3 -m venv "$venv"
"$venv/bin/python" -c "import tensorflow" 2>/dev/null || "$venv/bin/pip" install -q --disable-pip-version-check tensorflow-cpu
if (( torch )); then "$venv/bin/python" -c "import torch" 2>/dev/null || "$venv/bin/pip" install -q --disable-pip-version-check torch; fi
swift build -c release --product bench >/dev/null
bench=$(swift build -c release --show-bin-path)/bench
out=$(mktemp)
IFS=, read -r -a models <<< "$list"
for ((round = 1; round <= rounds; round++)); do
    for model in "${models[@]}"; do
        # DTB's VGG is built for CIFAR's 32x32 colour images.
        input=(--side 28 --channels 1)
        [[ $model == VGG* ]] && input=(--side 32 --channels 3)
        "$bench" --model "$model" "${input[@]}" --threads "$threads" --batch_size "$batch" --repetitions 3 --json \
            "${mode[@]}" \
            | sed 's/^/{"framework": "bench", "row": /; s/$/}/' >> "$out"
        "$venv/bin/python" scripts/python/reference_models.py --framework tensorflow --models "$model" \
            --threads "$threads" --batch_size "$batch" --repetitions 3 "${mode[@]}" >> "$out"
        if (( torch )); then
            "$venv/bin/python" scripts/python/reference_models.py --framework pytorch --models "$model" \
                --threads "$threads" --batch_size "$batch" --repetitions 3 "${mode[@]}" >> "$out"
        fi
    done
done
echo "$(date -u +%Y-%m-%d), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $threads threads, batch $batch, $rounds rounds, ${mode[*]:-training}"
python3 - "$out" <<'PY'
import json, statistics, sys
rates = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["framework"] == "bench":
        r = {"framework": "bench", "model": r["row"]["model"], "examples_per_sec": r["row"]["examplesPerSecond"]}
    rates.setdefault((r["model"], r["framework"]), []).extend(r["examples_per_sec"])
models = list(dict.fromkeys(m for m, _ in rates))
torch = any(f == "pytorch" for _, f in rates)
print(f"{'model':15} {'bench':>8} {'TensorFlow':>11} {'ratio':>6}" + (f" {'PyTorch':>8} {'ratio':>6}" if torch else ""))
for m in models:
    b = statistics.median(rates[(m, "bench")]); t = statistics.median(rates[(m, "tensorflow")])
    line = f"{m:15} {b:8.0f} {t:11.0f} {b / t:6.2f}"
    if torch:
        p = statistics.median(rates[(m, "pytorch")]); line += f" {p:8.0f} {b / p:6.2f}"
    print(line)
PY
rm -f "$out"
