"""Writes arrays with NumPy itself (np.save, np.savez, np.savez_compressed), in every dtype and
byte order the bench reads, C and Fortran order, and a manifest.json of what each holds as
NumPy reads it back, for the bench's own reader to be checked against. Usage: write_numpy_arrays.py DIR"""
import json
import os
import sys

import numpy as np

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
manifest = {"arrays": [], "archives": [], "datasets": [], "writer": []}


def entry(name, a):
    return {"name": name, "dtype": a.dtype.name, "shape": list(a.shape), "values": a.ravel(order="C").tolist()}


# Every integer and float dtype, little- and big-endian, with values that tell the bytes apart.
for code in ["u1", "i1", "u2", "i2", "u4", "i4", "u8", "i8", "f4", "f8"]:
    for order in "<>":
        dtype = np.dtype(order + code)
        base = np.arange(12).reshape(3, 4)
        if code.startswith("i"):
            a = (base * 37 - 100).astype(dtype)
        elif code.startswith("u"):
            # Up to the type's top (below 2**63, which the bench's int64 labels hold), so every byte is used.
            top = min(int(np.iinfo(dtype).max), 2**62 + 12345)
            a = np.array([top - top // 16 * (11 - k) for k in range(12)], dtype=dtype).reshape(3, 4)
        else:
            a = (base / 11.0 + 1 / 3).astype(dtype)
        name = f"{'little' if order == '<' else 'big'}_{code}.npy"
        np.save(os.path.join(out, name), a)
        manifest["arrays"].append(entry(name, a))

# Fortran order, 2-D to 4-D: np.save keeps the column-major layout and says so in the header.
for shape in [(3, 5), (2, 3, 4), (2, 3, 4, 3)]:
    a = np.arange(int(np.prod(shape)), dtype=np.float32).reshape(shape) / 100
    f = np.asfortranarray(a)
    name = f"fortran_{len(shape)}d.npy"
    np.save(os.path.join(out, name), f)
    manifest["arrays"].append(entry(name, f))
big_fortran = np.asfortranarray((np.arange(24).reshape(2, 3, 4) * 1000 - 5000).astype(">i4"))
np.save(os.path.join(out, "fortran_big_i4.npy"), big_fortran)
manifest["arrays"].append(entry("fortran_big_i4.npy", big_fortran))

# .npz, stored and deflated.
rng = np.random.default_rng(7)
images = rng.integers(0, 256, size=(24, 5, 4), dtype=np.uint8)
labels = (np.arange(24) % 10).astype(np.int64)
for name, save in [("stored.npz", np.savez), ("deflated.npz", np.savez_compressed)]:
    save(os.path.join(out, name), train_images=images, train_labels=labels, test_images=images[:6],
         test_labels=labels[:6])
    manifest["archives"].append({"name": name, "arrays": [entry("train_images", images), entry("train_labels", labels),
                                                          entry("test_images", images[:6]),
                                                          entry("test_labels", labels[:6])]})

# Datasets: NHWC colour bytes in a folder, and NCHW float intensities with validation in a .npz.
nhwc = rng.integers(0, 256, size=(30, 4, 5, 3), dtype=np.uint8)
folder = os.path.join(out, "nhwc_dataset")
os.makedirs(folder, exist_ok=True)
np.save(os.path.join(folder, "train_images.npy"), nhwc[:24])
np.save(os.path.join(folder, "train_labels.npy"), (np.arange(24) % 3).astype(">i2"))
np.save(os.path.join(folder, "test_images.npy"), nhwc[24:])
np.save(os.path.join(folder, "test_labels.npy"), (np.arange(6) % 3).astype(np.uint8).reshape(6, 1))
nchw = nhwc.transpose(0, 3, 1, 2)
manifest["datasets"].append({"name": "nhwc_dataset", "train": entry("train", nchw[:22]),
                             "validation": entry("validation", nchw[22:24]), "test": entry("test", nchw[24:])})
floats = rng.random(size=(20, 3, 4, 5), dtype=np.float32)
np.savez_compressed(os.path.join(out, "float_dataset.npz"), train_images=floats[:12],
                    train_labels=np.arange(12) % 4, validation_images=floats[12:16],
                    validation_labels=np.arange(4) % 4, test_images=floats[16:], test_labels=np.arange(4) % 4)
manifest["datasets"].append({"name": "float_dataset.npz", "train": entry("train", floats[:12]),
                             "validation": entry("validation", floats[12:16]), "test": entry("test", floats[16:])})

# What np.save writes, for the bench's writer to match byte for byte.
for name, a in [("uint8_3d", np.arange(60, dtype=np.uint8).reshape(5, 3, 4)),
                ("int64_1d", np.arange(7, dtype=np.int64) - 3),
                ("float32_4d", (np.arange(24, dtype=np.float32) / 8).reshape(2, 3, 2, 2))]:
    np.save(os.path.join(out, f"written_{name}.npy"), a)
    manifest["writer"].append(entry(f"written_{name}.npy", a))

with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump(manifest, f)
print(f"wrote {len(manifest['arrays'])} arrays, {len(manifest['archives'])} archives, "
      f"{len(manifest['datasets'])} datasets, {len(manifest['writer'])} writer references with NumPy {np.__version__}")
