#!/usr/bin/env bash
# The bench beside TensorFlow (and PyTorch with --with-torch) on the same architectures, batch,
# thread count and optimizer, interleaved model by model and round by round so that a noisy
# machine hurts all of them alike; prints one table of medians and ratios. --with-bf16 also times
# both in mixed precision (the bench's --precision bf16, Keras's mixed_bfloat16 policy).
#   scripts/bench_vs_tensorflow.sh [--with-torch] [--with-bf16] [--eval] [--rounds 3] [--threads 2]
#       [--batch_size 128] [--models SingleLayerCAE,LasagneCAE,...,StandardCNN@64]
# Models take their natural input (28x28x1; CifarCNN and the VGGs 32x32x3); MODEL@SIDE is the
# model on SIDExSIDE grey images. The VGGs time 5 steps per repetition after 2 of warm-up, the
# others 20 after 5. --eval times evaluation (forward passes, dropout off) instead of training.
# TensorFlow (tensorflow-cpu) and PyTorch come from PyPI into .build/bench-venv; PyPI's torch is
# a CUDA build of several GB, hence only on request.
set -euo pipefail
cd "$(dirname "$0")/.."
torch=0; rounds=3; threads=2; batch=128; mode=(); precisions=(float32)
list=SingleLayerCAE,LasagneCAE,StandardCNN,ModifiedCNN,NarrowCAE,LeNet,LeNetBN,StackedCAE,CifarCNN,VGG,VGGBN
list+=,StandardCNN@64
while [[ $# -gt 0 ]]; do
    case $1 in
        --with-torch) torch=1; shift ;;
        --with-bf16) precisions=(float32 bf16); shift ;;
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
pip=("$venv/bin/pip" install -q --disable-pip-version-check)
"$venv/bin/python" -c "import tensorflow" 2>/dev/null || "${pip[@]}" tensorflow-cpu
if (( torch )); then "$venv/bin/python" -c "import torch" 2>/dev/null || "${pip[@]}" torch; fi
swift build -c release --product bench >/dev/null
bench=$(swift build -c release --show-bin-path)/bench
out=$(mktemp)
IFS=, read -r -a models <<< "$list"
# Each line of $out: {"label": MODEL[@SIDE], "precision": P, "framework": F, "row": what F printed}.
record() { sed "s/^/{\"label\": \"$1\", \"precision\": \"$2\", \"framework\": \"$3\", \"row\": /; s/\$/}/" >> "$out"; }
for ((round = 1; round <= rounds; round++)); do
    for label in "${models[@]}"; do
        model=${label%@*}
        input=(--side 28 --channels 1)
        [[ $model == VGG* || $model == CifarCNN ]] && input=(--side 32 --channels 3)
        [[ $label == *@* ]] && input=(--side "${label#*@}" --channels 1)
        steps=(--warmup 5 --steps 20)
        [[ $model == VGG* ]] && steps=(--warmup 2 --steps 5)
        for precision in "${precisions[@]}"; do
            "$bench" --model "$model" "${input[@]}" --threads "$threads" --batch_size "$batch" --repetitions 3 \
                "${steps[@]}" --precision "$precision" --json "${mode[@]}" | record "$label" "$precision" bench
            "$venv/bin/python" scripts/python/reference_models.py --framework tensorflow --models "$label" \
                --threads "$threads" --batch_size "$batch" --repetitions 3 "${steps[@]}" --precision "$precision" \
                "${mode[@]}" | record "$label" "$precision" tensorflow
        done
        if (( torch )); then
            "$venv/bin/python" scripts/python/reference_models.py --framework pytorch --models "$label" \
                --threads "$threads" --batch_size "$batch" --repetitions 3 "${steps[@]}" "${mode[@]}" \
                | record "$label" float32 pytorch
        fi
    done
done
echo "$(date -u +%Y-%m-%d), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $threads threads," \
    "batch $batch, $rounds rounds, ${mode[*]:-training}"
python3 - "$out" <<'PY'
import json, statistics, sys
rates = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    row = r["row"]
    values = row["examplesPerSecond"] if r["framework"] == "bench" else row["examples_per_sec"]
    rates.setdefault((r["label"], r["framework"], r["precision"]), []).extend(values)
median = {key: statistics.median(values) for key, values in rates.items()}
labels = list(dict.fromkeys(key[0] for key in rates))
torch = any(f == "pytorch" for _, f, _ in rates)
bf16 = any(p == "bf16" for _, _, p in rates)
header = f"{'model':15} {'bench':>8} {'TensorFlow':>11} {'ratio':>6}"
if bf16:
    header += f" {'bench bf16':>10} {'/float32':>8} {'TF bf16':>8} {'ratio':>6}"
if torch:
    header += f" {'PyTorch':>8} {'ratio':>6}"
print(header)
for m in labels:
    b, t = median[(m, "bench", "float32")], median[(m, "tensorflow", "float32")]
    line = f"{m:15} {b:8.0f} {t:11.0f} {b / t:6.2f}"
    if bf16:
        bb, tb = median[(m, "bench", "bf16")], median[(m, "tensorflow", "bf16")]
        line += f" {bb:10.0f} {bb / b:8.2f} {tb:8.0f} {bb / tb:6.2f}"
    if torch:
        p = median[(m, "pytorch", "float32")]
        line += f" {p:8.0f} {b / p:6.2f}"
    print(line)
PY
rm -f "$out"
