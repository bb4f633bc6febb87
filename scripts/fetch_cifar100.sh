#!/usr/bin/env bash
# Downloads CIFAR-100's binary version into data/ (or $1) and checks both files' sizes.
set -euo pipefail
dir=${1:-data}
url=${CIFAR100_URL:-https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz}
mkdir -p "$dir"
if [[ ! -d "$dir/cifar-100-binary" ]]; then
    curl -fsSL --retry 3 -o "$dir/cifar-100-binary.tar.gz.part" "$url"
    tar -xzf "$dir/cifar-100-binary.tar.gz.part" -C "$dir"
    rm -f "$dir/cifar-100-binary.tar.gz.part"
fi
for f in train.bin:153700000 test.bin:30740000; do
    size=$(stat -c %s "$dir/cifar-100-binary/${f%%:*}")
    [[ "$size" == "${f##*:}" ]] || { echo "fetch_cifar100: ${f%%:*} has $size bytes, expected ${f##*:}" >&2; exit 1; }
done
echo "CIFAR-100 is in $dir/cifar-100-binary"
