#!/usr/bin/env bash
# Issue 15's checks of the image-file datasets on the real Fashion-MNIST, in release:
#  1. exported as NumPy arrays, StandardCNN trains to exactly the idx files' numbers (EPOCHS_EXACT epochs);
#  2. exported as PNG files (an ImageFolder), StandardCNN's recipe lands in GUIDE.md's range;
#  3. exported as 32x32 RGB JPEGs and read back with --image_size 28 --channels 1, within a point of
#     the idx run.
# It also times loading the 70,000 PNGs (warm page cache; cold too where the caches can be dropped).
# Usage: scripts/image_datasets_quality.sh [WORK_DIR=/tmp/bench-image-datasets] [EPOCHS=30] [EPOCHS_EXACT=2]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-/tmp/bench-image-datasets}
epochs=${2:-30}
exact_epochs=${3:-2}
swift build -c release >/dev/null
bin=$(swift build -c release --show-bin-path)
rm -rf "$work" && mkdir -p "$work"
recipe=(--model StandardCNN --optimizer MomentumOptimizer
    --optimizer_args '{"learning_rate": 0.01, "momentum": 0.9, "use_nesterov": true}' --batch_size 500 --seed 42
    --threads 2)
for format in npy png; do
    /usr/bin/time -f "export $format: %e s, peak RSS %M kB" "$bin/export_dataset" --dataset FashionMNIST \
        --format "$format" --output "$work/fashion-$format"
done
/usr/bin/time -f "export jpg 32x32 RGB: %e s, peak RSS %M kB" "$bin/export_dataset" --dataset FashionMNIST \
    --format jpg --image_size 32 --channels 3 --output "$work/fashion-jpg32"
du -sh "$work"/fashion-*

# Loading: the trainer's first line gives the time it took to read every split.
load() { "$bin/train_classifier" "${recipe[@]}" --dataset ImageFolder --data_dir "$work/fashion-png" \
    --epochs 1 --log_dir "$work/load-log" --restart 2>&1 | sed -n 's/.*(loaded in \(.*\) s).*/\1/p' | head -1; }
if sync && echo 3 >/proc/sys/vm/drop_caches 2>/dev/null; then echo "70,000 PNGs, cold cache: $(load) s"; fi
for i in 1 2 3; do echo "70,000 PNGs, warm cache, run $i: $(load) s"; done

echo "1. NumPy arrays against the idx files, $exact_epochs epochs:"
"$bin/train_classifier" "${recipe[@]}" --quiet --dataset FashionMNIST --epochs "$exact_epochs" --log_dir "$work/log-idx"
"$bin/train_classifier" "${recipe[@]}" --quiet --dataset NumPy --data_dir "$work/fashion-npy" --epochs "$exact_epochs" \
    --log_dir "$work/log-npy"
idx_csv=$(echo "$work"/log-idx/StandardCNN/*/validation/epochs.csv)
npy_csv=$(echo "$work"/log-npy/StandardCNN/*/validation/epochs.csv)
if diff <(cut -d, -f1-3 "$idx_csv") <(cut -d, -f1-3 "$npy_csv"); then
    echo "identical epochs (train loss, validation accuracy):"; cut -d, -f1-3 "$npy_csv"
else
    echo "image_datasets_quality: the NumPy run differs from the idx run" >&2; exit 1
fi
cmp <(awk '{print $NF}' "$work/log-idx/test_results.txt") <(awk '{print $NF}' "$work/log-npy/test_results.txt")
echo "test accuracy, both: $(awk '{print $NF}' "$work/log-npy/test_results.txt")"

echo "2. and 3. StandardCNN's recipe, $epochs epochs, idx files / PNG folder / 32x32 RGB JPEGs at 28x28 grey:"
"$bin/train_classifier" "${recipe[@]}" --quiet --dataset FashionMNIST --epochs "$epochs" --log_dir "$work/log-idx-full"
"$bin/train_classifier" "${recipe[@]}" --quiet --dataset ImageFolder --data_dir "$work/fashion-png" --epochs "$epochs" \
    --log_dir "$work/log-png"
"$bin/train_classifier" "${recipe[@]}" --quiet --dataset ImageFolder --data_dir "$work/fashion-jpg32" --image_size 28 \
    --channels 1 --epochs "$epochs" --log_dir "$work/log-jpg"
for run in idx-full png jpg; do
    printf '%-9s validation %s  test %s\n' "$run" "$(awk '{print $NF}' "$work/log-$run/validation_results.txt")" \
        "$(awk '{print $NF}' "$work/log-$run/test_results.txt")"
done
