"""Writes the fuzzers' seed inputs (small valid files of each format) into Fuzz/corpus/.

The JPEG seeds are Pillow's: run this with the virtual environment's Python
(.build/python-venv/bin/python, which scripts/python_venv.sh sets up).
"""
import gzip
import io
import json
import os
import struct
import sys
import zlib
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
write("cifar100", "two_records.bin", bytes([3, 17]) + bytes(range(256)) * 12 + bytes([19, 99]) + bytes(3072))

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


def png(width, height, depth, colour_type, pixels, extra=b"", interlaced=False, filtered=True):
    """A PNG of `pixels` (rows of byte strings, packed as the depth packs them); interlaced images
    take whole-byte pixels. Filtered rows cycle through the five filter types, each row's bytes
    taken as filtered data (any bytes are), so each filter's decoding gets a seed; unfiltered
    rows decode to `pixels` themselves."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    if interlaced:
        size = (depth * {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour_type]) // 8
        passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
        rows = [b"".join(pixels[y][x * size:(x + 1) * size] for x in range(x0, width, dx))
                for x0, y0, dx, dy in passes for y in range(y0, height, dy) if x0 < width]
    else:
        rows = pixels
    scanlines = b"".join(bytes([i % 5 if filtered else 0]) + row for i, row in enumerate(rows))
    header = struct.pack(">IIBBBBB", width, height, depth, colour_type, 0, 0, 1 if interlaced else 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + extra + chunk(b"IDAT", zlib.compress(scanlines))
            + chunk(b"IEND", b""))


def plte(colours):
    data = bytes(c for colour in colours for c in colour)
    return struct.pack(">I", len(data)) + b"PLTE" + data + struct.pack(">I", zlib.crc32(b"PLTE" + data))


def trns(alphas):
    return struct.pack(">I", len(alphas)) + b"tRNS" + alphas + struct.pack(">I", zlib.crc32(b"tRNS" + alphas))


write("png", "grey1.png", png(16, 4, 1, 0, [bytes([0x5A, 0xC3])] * 4))
write("png", "grey16.png", png(4, 4, 16, 0, [bytes(range(i, i + 8)) for i in range(4)]))
write("png", "palette4_trns.png",
      png(6, 3, 4, 3, [bytes([0x01, 0x23, 0x45])] * 3, plte([(i * 40, 255 - i * 40, i * 7) for i in range(6)])
          + trns(bytes([0, 128, 255]))))
write("png", "grey_alpha16.png", png(3, 2, 16, 4, [bytes(range(12)), bytes(range(12, 24))]))
write("png", "rgba8.png", png(4, 3, 8, 6, [bytes(range(i * 16, i * 16 + 16)) for i in range(3)]))
write("png", "rgb8_interlaced.png",
      png(9, 9, 8, 2, [bytes((x * 29 + y * 7 + c) % 256 for x in range(9) for c in range(3)) for y in range(9)],
          interlaced=True, filtered=False))

try:
    from PIL import Image
except ImportError:
    sys.exit("the JPEG seeds need Pillow: run with .build/python-venv/bin/python")


def jpeg(image, **options):
    out = io.BytesIO()
    image.save(out, "JPEG", **options)
    return out.getvalue()


gradient = Image.frombytes("RGB", (24, 16), bytes((x * 10 + c * 60 + y * 5) % 256
                                                  for y in range(16) for x in range(24) for c in range(3)))
write("jpeg", "grey.jpg", jpeg(gradient.convert("L"), quality=90))
write("jpeg", "rgb420.jpg", jpeg(gradient, quality=90))
write("jpeg", "rgb444_progressive.jpg", jpeg(gradient, quality=75, subsampling=0, progressive=True))
write("jpeg", "cmyk.jpg", jpeg(gradient.convert("CMYK"), quality=90))
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
