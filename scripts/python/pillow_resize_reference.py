"""Resizes raw 8-bit images with Pillow as the bench's PillowResize claims to: Image.BOX along
an axis that shrinks, Image.BILINEAR along one that grows.

Usage: pillow_resize_reference.py MANIFEST_JSON. The manifest lists cases, each
{"input", "mode" ("L" or "RGB"), "width", "height", "out_width", "out_height", "output"}, with
file names relative to the manifest's folder; images are rows of interleaved pixels, as
Image.tobytes() writes them.
"""
import json
import os
import sys

from PIL import Image, __version__


def axis_filter(size, new_size):
    if new_size == size:
        return None
    return Image.Resampling.BOX if new_size < size else Image.Resampling.BILINEAR


def resize(image, width, height):
    across = axis_filter(image.width, width)
    down = axis_filter(image.height, height)
    if across is None or down is None or across == down:
        return image.resize((width, height), across or down or Image.Resampling.BOX)
    # A filter for each axis: Pillow resizes the width first, then the height; resizing one
    # dimension at a time runs exactly those two passes.
    return image.resize((width, image.height), across).resize((width, height), down)


def main(manifest):
    folder = os.path.dirname(os.path.abspath(manifest))
    with open(manifest) as f:
        cases = json.load(f)
    for case in cases:
        with open(os.path.join(folder, case["input"]), "rb") as f:
            image = Image.frombytes(case["mode"], (case["width"], case["height"]), f.read())
        out = resize(image, case["out_width"], case["out_height"])
        with open(os.path.join(folder, case["output"]), "wb") as f:
            f.write(out.tobytes())
    print(f"pillow {__version__}: resized {len(cases)} images")


if __name__ == "__main__":
    main(sys.argv[1])
