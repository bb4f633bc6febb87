#!/usr/bin/env bash
# Downloads CIFAR-10's binary version into data/ (or $1) and checks every batch's size.
set -euo pipefail
dir=${1:-data}
url=${CIFAR10_URL:-https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz}
mkdir -p "$dir"
if [[ ! -d "$dir/cifar-10-batches-bin" ]]; then
    curl -fsSL --retry 3 -o "$dir/cifar-10-binary.tar.gz.part" "$url"
    tar -xzf "$dir/cifar-10-binary.tar.gz.part" -C "$dir"
    rm -f "$dir/cifar-10-binary.tar.gz.part"
fi
for f in data_batch_{1..5}.bin test_batch.bin; do
    size=$(stat -c %s "$dir/cifar-10-batches-bin/$f")
    [[ "$size" == 30730000 ]] || { echo "fetch_cifar10: $f has $size bytes, expected 30730000" >&2; exit 1; }
done
echo "CIFAR-10 is in $dir/cifar-10-batches-bin"
