"""Checks the bench's ONNX files with ONNX's own checker and runs them with onnxruntime on the
images `predict` read, comparing with what `predict` wrote: a classifier's probabilities, an
autoencoder's reconstruction error and (from `extract_features` of its last layer, a .npy in the
test split's order) its whole reconstruction. Every difference must stay within 1e-4. For a model
with tied weights, one initializer must feed both a Conv and a ConvTranspose node.
Usage: check_onnx_exports.py CASES_JSON, a list of {model, onnx, predictions, reconstructions?,
tied?}. Prints one line a model; exits non-zero on any failure."""
import csv
import json
import os
import sys

import numpy as np
import onnx
import onnxruntime
from PIL import Image

TOLERANCE = 1e-4
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


def inputs(model, files):
    """The images as the metadata says the model wants them: N x C x H x W in its pixel range."""
    meta = {p.key: p.value for p in model.metadata_props}
    channels = model.graph.input[0].type.tensor_type.shape.dim[1].dim_value
    mode = {1: "L", 3: "RGB"}[channels]
    pixels = np.stack([np.asarray(Image.open(f).convert(mode), dtype=np.float32) for f in files])
    pixels = pixels.reshape(len(files), *pixels.shape[1:3], channels).transpose(0, 3, 1, 2)
    if meta["pixel_range"] == "[0,1]":
        return pixels / 255, meta
    return pixels * 2 / 255 - 1, meta


def tied_initializers(graph):
    """Initializers read by both a Conv and a ConvTranspose node."""
    readers = {}
    for node in graph.node:
        for name in node.input:
            readers.setdefault(name, set()).add(node.op_type)
    names = {i.name for i in graph.initializer}
    return sorted(n for n, ops in readers.items() if n in names and {"Conv", "ConvTranspose"} <= ops)


for case in json.load(open(sys.argv[1])):
    name = case["model"]
    model = onnx.load(case["onnx"])
    try:
        onnx.checker.check_model(model, full_check=True)
    except Exception as error:  # the checker's own exception types vary between versions
        failures.append(f"{name}: onnx.checker: {error}")
        continue
    check(model.opset_import[0].version >= 13, f"{name}: opset {model.opset_import[0].version}")
    with open(case["predictions"]) as f:
        rows = list(csv.DictReader(f))
    files = [row["file"] for row in rows]
    x, meta = inputs(model, files)
    session = onnxruntime.InferenceSession(case["onnx"], providers=["CPUExecutionProvider"])
    check([i.name for i in session.get_inputs()] == ["input"], f"{name}: inputs {session.get_inputs()}")
    (y,) = session.run(["output"], {"input": x})
    # A second batch size runs too: the batch dimension is dynamic.
    (one,) = session.run(["output"], {"input": x[:1]})
    check(np.abs(one - y[:1]).max() <= TOLERANCE, f"{name}: a batch of one differs from the full batch")
    if meta["kind"] == "classifier":
        expected = np.array([[float(v) for k, v in row.items() if k.startswith("prob_")] for row in rows])
        difference = np.abs(y - expected).max()
        check(difference <= TOLERANCE, f"{name}: probabilities differ by {difference}")
        check(len(json.loads(meta["classes"])) == y.shape[1], f"{name}: classes {meta['classes']}")
    else:
        errors = ((y - x) ** 2).reshape(len(rows), -1).mean(axis=1) / 2
        expected = np.array([float(row["reconstruction_error"]) for row in rows])
        difference = np.abs(errors - expected).max()
        check(difference <= TOLERANCE, f"{name}: reconstruction errors differ by {difference}")
        # The exported PNGs are named by their index in the split, the row of extract_features.
        order = [int(os.path.splitext(os.path.basename(f))[0]) for f in files]
        reference = np.load(case["reconstructions"])[order]
        whole = np.abs(y - reference.reshape(y.shape)).max()
        check(whole <= TOLERANCE, f"{name}: reconstructions differ by {whole}")
        difference = max(difference, whole)
    if case.get("tied"):
        tied = tied_initializers(model.graph)
        check(len(tied) > 0, f"{name}: no initializer feeds both a Conv and a ConvTranspose")
        print(f"{name}: tied initializers {', '.join(tied)}")
    print(f"{name}: checker passed, {len(rows)} images, largest difference {difference:.3g}")

for failure in failures:
    print("FAILED:", failure)
sys.exit(1 if failures else 0)
