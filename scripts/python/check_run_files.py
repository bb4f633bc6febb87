"""Reads a bench run folder with the Python tools DTB users have: TensorBoard's own event reader
for train/ and validation/, and the safetensors package for the checkpoint. Compares them with
the run's CSVs and with the tensors the bench says it saved (a JSON file). Exits non-zero on any
difference."""
import csv
import json
import struct
import sys

import numpy as np
from safetensors.numpy import load_file
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

run, expected_path = sys.argv[1], sys.argv[2]
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def scalars(directory, tag):
    acc = EventAccumulator(directory, size_guidance={"scalars": 0, "images": 0})
    acc.Reload()
    return acc, {e.step: e.value for e in acc.Scalars(tag)}


# Per-step loss: every row of train/steps.csv is in TensorBoard with the same value (float32).
train, losses = scalars(run + "/train", "loss")
with open(run + "/train/steps.csv") as f:
    rows = list(csv.DictReader(f))
check(len(rows) > 0, "steps.csv has no rows")
for row in rows:
    step = int(row["step"])
    check(step in losses, f"step {step} loss missing from TensorBoard")
    if step in losses:
        check(abs(losses[step] - float(row["loss"])) <= 1e-6 * max(1, abs(float(row["loss"]))),
              f"step {step}: TensorBoard {losses[step]} vs CSV {row['loss']}")

# Per-epoch validation metric.
with open(run + "/validation/epochs.csv") as f:
    epochs = list(csv.reader(f))
metric = epochs[0][2][len("validation_"):]
validation, values = scalars(run + "/validation", metric)
check(len(values) == len(epochs) - 1, f"{len(values)} validation scalars for {len(epochs) - 1} epochs")
for (step, value), row in zip(sorted(values.items()), epochs[1:]):
    check(abs(value - float(row[2])) <= 1e-6 * max(1, abs(float(row[2]))), f"epoch {row[0]}: {value} vs {row[2]}")

# Pictures as image summaries: real PNGs of the size the summary states.
for tag in ["filters", "activations"] + (["input_output"] if metric == "reconstruction_error" else []):
    images = train.Images(tag)
    check(len(images) == len(epochs) - 1, f"{len(images)} {tag} images for {len(epochs) - 1} epochs")
    for image in images:
        png = image.encoded_image_string
        check(png[:8] == b"\x89PNG\r\n\x1a\n", f"{tag} is not a PNG")
        width, height = struct.unpack(">II", png[16:24])
        check((width, height) == (image.width, image.height), f"{tag}: PNG {width}x{height}, summary {image.width}x{image.height}")

# The checkpoint, through safetensors.
with open(expected_path) as f:
    expected = json.load(f)
tensors = load_file(run + "/checkpoint.safetensors")
for name, want in expected.items():
    check(name in tensors, f"checkpoint lacks {name}")
    if name in tensors:
        got = tensors[name]
        check(got.dtype == np.float32, f"{name} is {got.dtype}")
        check(list(got.shape) == want["shape"], f"{name}: shape {list(got.shape)}, bench said {want['shape']}")
        check(np.array_equal(got.reshape(-1), np.array(want["values"], dtype=np.float32)), f"{name}: values differ")

print(f"checked {len(rows)} step scalars, {len(values)} validation scalars, {len(expected)} tensors in {run}")
for failure in failures:
    print("MISMATCH:", failure)
sys.exit(1 if failures else 0)
