#!/usr/bin/env bash
# The README's main job: build in release and train DTB's SingleLayerCAE on the real
# Fashion-MNIST for two epochs (a few minutes on two cores), then evaluate its best checkpoint.
# Extra arguments go to train_autoencoder (e.g. --epochs 10).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product train_autoencoder
swift build -c release --product evaluate
bin=$(swift build -c release --show-bin-path)
"$bin/train_autoencoder" --model SingleLayerCAE --dataset FashionMNIST --optimizer AdamOptimizer \
    --optimizer_args '{"learning_rate": 1e-3}' --epochs 2 --comment main_job "$@"
"$bin/evaluate" --model SingleLayerCAE --dataset FashionMNIST --test \
    --checkpoint_dir "log/SingleLayerCAE/FashionMNIST_Adam_lr=0.001_main_job/best"
