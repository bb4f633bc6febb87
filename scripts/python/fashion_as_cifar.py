"""Writes Fashion-MNIST in CIFAR-10's binary format, for the CIFAR models where no CIFAR data is:
each 28x28 grey image zero-padded to 32x32 and repeated in the three colour planes, a label byte
before each record, `train` images spread over data_batch_1..5.bin and `test` in test_batch.bin,
with batches.meta.txt naming Fashion-MNIST's classes.
Usage: fashion_as_cifar.py FASHION_DIR OUT_DIR TRAIN TEST"""
import gzip
import os
import sys

import numpy as np

source, out, train, test = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
NAMES = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "boot"]


def idx(name, offset):
    with gzip.open(os.path.join(source, name)) as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def records(prefix, count):
    images = idx(f"{prefix}-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28)[:count]
    labels = idx(f"{prefix}-labels-idx1-ubyte.gz", 8)[:count]
    padded = np.zeros((len(images), 3, 32, 32), dtype=np.uint8)
    padded[:, :, 2:30, 2:30] = images[:, None]
    return np.concatenate([labels[:, None], padded.reshape(len(images), -1)], axis=1)


os.makedirs(out, exist_ok=True)
for k, part in enumerate(np.array_split(records("train", train), 5)):
    part.tofile(os.path.join(out, f"data_batch_{k + 1}.bin"))
records("t10k", test).tofile(os.path.join(out, "test_batch.bin"))
with open(os.path.join(out, "batches.meta.txt"), "w") as f:
    f.write("\n".join(NAMES) + "\n\n")
print(f"{out}: {train} training and {test} test records")
