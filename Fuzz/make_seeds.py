"""Writes the fuzzers' seed inputs (small valid files of each format) into Fuzz/corpus/."""
import gzip
import io
import json
import os
import struct
import zipfile

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def write(target, name, data):
    os.makedirs(os.path.join(root, target), exist_ok=True)
    with open(os.path.join(root, target, name), "wb") as f:
        f.write(data)


images = bytes([0, 0, 8, 3]) + struct.pack(">III", 2, 3, 3) + bytes(range(18))
labels = bytes([0, 0, 8, 1]) + struct.pack(">I", 2) + bytes([3, 7])
write("idx", "images.idx", images)
write("idx", "labels.idx", labels)
write("idx", "images.idx.gz", gzip.compress(images, mtime=0))

write("cifar", "two_records.bin", bytes([3]) + bytes(range(256)) * 12 + bytes([9]) + bytes(3072))

shapes = {"encode/W": [32, 1, 3, 3], "encode/b": [32], "decode/W": [1, 32, 3, 3], "decode/b": [1]}
tensors = dict(shapes)
for name, shape in shapes.items():
    for slot in ("m", "v"):
        n = 1
        for d in shape:
            n *= d
        tensors[f"optimizer/{name}/{slot}"] = [n]
header, data, offset = {}, b"", 0
for name in sorted(tensors):
    n = 1
    for d in tensors[name]:
        n *= d
    header[name] = {"dtype": "F32", "shape": tensors[name], "data_offsets": [offset, offset + 4 * n]}
    data += struct.pack(f"<{n}f", *[0.01 * (i % 7) for i in range(n)])
    offset += 4 * n
header["__metadata__"] = {"format": "swift-training-bench/1", "model": "SingleLayerCAE", "step": "3",
                          "optimizer_step": "3", "best_metric": "0.5", "best_epoch": "1", "epoch_loss_sum": "0.1",
                          "epoch_loss_count": "8", "results_written": "false"}
text = json.dumps(header, sort_keys=True).encode()
text += b" " * (-len(text) % 8)
write("checkpoint", "single_layer_cae.safetensors", struct.pack("<Q", len(text)) + text + data)

for i, args in enumerate(['{"learning_rate": 0.001}', '{"learning_rate": 0.01, "momentum": 0.9, "use_nesterov": true}',
                          '{"learning_rate": 1e-3, "beta1": 0.5, "beta2": 0.99, "epsilon": 1e-7}',
                          '{"learning_rate": 0.1, "rho": 0.9, "epsilon": 1e-6}',
                          '{"learning_rate": 0.1, "initial_accumulator_value": 0.2}',
                          '{"learning_rate": 0.01, "decay": 0.9, "momentum": 0.1, "epsilon": 1e-10}']):
    write("optimizer_args", f"args{i}.json", args.encode())


def npy(descr, shape, data, fortran=False, version=(1, 0)):
    """An .npy file as np.save writes one: the header dictionary padded to a multiple of 64 bytes."""
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': %r, }" % (descr, fortran, tuple(shape))
    length = "<H" if version[0] == 1 else "<I"
    prefix = 8 + struct.calcsize(length)
    header += " " * (63 - (prefix + len(header)) % 64) + "\n"
    return b"\x93NUMPY" + bytes(version) + struct.pack(length, len(header)) + header.encode() + data


write("npy", "images_u1.npy", npy("|u1", (2, 3, 3), bytes(range(18))))
write("npy", "labels_be_i4.npy", npy(">i4", (2,), struct.pack(">2i", 3, 7)))
write("npy", "images_f4_fortran_nhwc.npy",
      npy("<f4", (2, 2, 2, 3), struct.pack("<24f", *[i / 23 for i in range(24)]), fortran=True))
write("npy", "labels_u2_v2.npy", npy("<u2", (3, 1), struct.pack("<3H", 0, 1, 2), version=(2, 0)))
write("npy", "images_f8_v3.npy", npy("<f8", (1, 1, 2, 2), struct.pack("<4d", 0, 0.25, 0.5, 1), version=(3, 0)))

for name, method in [("stored.npz", zipfile.ZIP_STORED), ("deflated.npz", zipfile.ZIP_DEFLATED)]:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        for member, data in [("train_images.npy", npy("|u1", (2, 2, 2), bytes(range(8)))),
                             ("train_labels.npy", npy("<i8", (2,), struct.pack("<2q", 1, 0)))]:
            z.writestr(zipfile.ZipInfo(member, date_time=(1980, 1, 1, 0, 0, 0)), data, compress_type=method)
    write("npz", name, archive.getvalue())
