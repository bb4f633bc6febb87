#!/usr/bin/env bash
# predict on image files gives exactly evaluate's accuracy: trains StandardCNN on Fashion-MNIST
# (Nesterov 0.01 / 0.9, batch 500), exports the test images as PNG files, predicts them from the
# files, counts the rows whose label is the class folder's, and compares that accuracy with
# `evaluate --test` on the same best/ checkpoint. Exits 1 unless the two are the same number.
#   scripts/predict_matches_evaluate.sh [EPOCHS] [WORK_DIR]   (EPOCHS 30 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${1:-30}
work=${2:-$(mktemp -d)}
swift build -c release >/dev/null
bin=$(swift build -c release --show-bin-path)
run="$work/log/StandardCNN/FashionMNIST_Momentum_lr=0.01"
"$bin/train_classifier" --model StandardCNN --dataset FashionMNIST --optimizer MomentumOptimizer \
    --optimizer_args '{"learning_rate": 0.01, "momentum": 0.9, "use_nesterov": true}' --batch_size 500 \
    --epochs "$epochs" --log_dir "$work/log" --quiet
rm -rf "$work/png"
"$bin/export_dataset" --dataset FashionMNIST --format png --output "$work/png"
"$bin/predict" --model StandardCNN --checkpoint_dir "$run/best" --output "$work/predictions.csv" "$work/png/test"
evaluated=$("$bin/evaluate" --model StandardCNN --dataset FashionMNIST --checkpoint_dir "$run/best" --test \
    | sed -n 's/.* accuracy = //p')
python3 - "$work/predictions.csv" "$evaluated" <<'PY'
import csv, os, sys
rows = list(csv.DictReader(open(sys.argv[1])))
# Each file is <png>/test/<label>_<name>/<index>.png.
correct = sum(os.path.basename(os.path.dirname(r["file"])).split("_")[0] == r["label"] for r in rows)
predicted, evaluated = correct / len(rows), float(sys.argv[2])
print(f"predict on {len(rows)} PNG files: {correct}/{len(rows)} = {predicted!r}; evaluate --test: {evaluated!r}")
sys.exit(0 if predicted == evaluated else 1)
PY
