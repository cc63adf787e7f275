#!/usr/bin/env python3
"""Writes the ONNX models of spatial.mlir (standard library only, like make_models.py,
whose protobuf helpers it reuses).

    python3 make_spatial_models.py OUT_DIR
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_models import ints, model, node, tensor, value_info, weights  # noqa: E402


def pad_conv_fold():
    # A zero Pad on H/W folds into the Conv's pads; the one before MaxPool stays
    # (MaxPool pads with -inf), and so does a reflect Pad.
    return model(
        [node("Pad", ["x", "p"], ["xp"], name="pad"),
         node("Conv", ["xp", "w"], ["c"], name="conv", kernel_shape=[3, 3], pads=[1, 0, 0, 1]),
         node("Pad", ["c", "p"], ["cp"], name="pad2"),
         node("MaxPool", ["cp"], ["m"], name="pool", kernel_shape=[2, 2]),
         node("Pad", ["m", "p"], ["y"], name="pad3", mode="reflect")],
        [value_info("x", [1, 3, 8, 8])], [value_info("y", [1, 4, 12, 12])],
        [ints("p", [0, 0, 1, 2, 0, 0, 1, 0]), weights("w", [4, 3, 3, 3], 1)])


def resize_linear():
    return model(
        [node("Resize", ["x", "", "s"], ["y"], name="resize", mode="linear",
              coordinate_transformation_mode="align_corners")],
        [value_info("x", [1, 1, 2, 3])], [value_info("y", [1, 1, 4, 3])],
        [tensor("s", [4], [1.0, 1.0, 2.0, 1.0])])


def conv_transpose():
    return model(
        [node("ConvTranspose", ["x", "w"], ["y"], name="deconv", strides=[2, 2],
              pads=[1, 1, 1, 1])],
        [value_info("x", [1, 2, 3, 3])], [value_info("y", [1, 4, 5, 5])],
        [weights("w", [2, 4, 3, 3], 2)])


def conv1d_tile():
    return model(
        [node("Conv", ["x", "w"], ["c"], name="conv1d", pads=[1, 1]),
         node("Tile", ["c", "r"], ["y"], name="tile")],
        [value_info("x", [1, 2, 5])], [value_info("y", [1, 6, 10])],
        [weights("w", [3, 2, 3], 3), ints("r", [1, 2, 2])])


def range_runtime():
    return model(
        [node("Range", ["s", "n", "d"], ["y"], name="my_range")],
        [value_info("n", [])], [value_info("y", [4])],
        [tensor("s", [], [0.0]), tensor("d", [], [1.0])])


if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for fn in [pad_conv_fold, resize_linear, conv_transpose, conv1d_tile, range_runtime]:
        with open(os.path.join(out, fn.__name__ + ".onnx"), "wb") as f:
            f.write(fn())
