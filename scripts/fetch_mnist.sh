#!/usr/bin/env bash
# Downloads MNIST's four idx files into data/mnist (or $1) and checks their sizes and headers.
# Needs the internet; Fashion-MNIST needs no download here (Debian's dataset-fashion-mnist).
set -euo pipefail
dir=${1:-data/mnist}
base=${MNIST_URL:-https://storage.googleapis.com/cvdf-datasets/mnist}
mkdir -p "$dir"
declare -A sizes=([train-images-idx3-ubyte]=47040016 [train-labels-idx1-ubyte]=60008
                  [t10k-images-idx3-ubyte]=7840016 [t10k-labels-idx1-ubyte]=10008)
for f in "${!sizes[@]}"; do
    if [[ ! -s "$dir/$f.gz" ]]; then
        curl -fsSL --retry 3 -o "$dir/$f.gz.part" "$base/$f.gz" \
            || { echo "fetch_mnist: could not download $f.gz from $base" >&2; exit 1; }
        mv -f "$dir/$f.gz.part" "$dir/$f.gz"
    fi
    got=$(gzip -dc "$dir/$f.gz" | wc -c)
    [[ "$got" == "${sizes[$f]}" ]] || { echo "fetch_mnist: $dir/$f.gz inflates to $got bytes, expected ${sizes[$f]}" >&2; exit 1; }
done
echo "MNIST is in $dir"
