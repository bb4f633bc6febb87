#!/usr/bin/env bash
# Installs what the bench builds against and trains on: OpenBLAS, zlib, libspng and
# libjpeg-turbo's TurboJPEG (PNG and JPEG images), libzip (NumPy's .npz archives), and the real
# Fashion-MNIST files (Debian's dataset-fashion-mnist, in /usr/share/datasets/fashion-mnist).
set -euo pipefail
packages=(libopenblas-dev zlib1g-dev libspng-dev libturbojpeg0-dev libzip-dev dataset-fashion-mnist)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
