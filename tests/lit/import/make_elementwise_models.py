#!/usr/bin/env python3
"""Models for the elementwise import lit tests (elementwise.mlir).

    python3 make_elementwise_models.py OUT_DIR

Uses the hand-written protobuf encoder of make_models.py (standard library only).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_models import (BOOL, FLOAT, INT32, INT64, UINT8, model, node, tensor,  # noqa: E402
                         value_info)

FLOAT16, DOUBLE, STRING = 10, 11, 8


def elementwise_ops():
    return model(
        [node("Abs", ["x"], ["abs"], name="abs"),
         node("Elu", ["abs"], ["elu"], name="elu", alpha=0.5),
         node("Selu", ["elu"], ["selu"], name="selu"),
         node("LeakyRelu", ["selu"], ["lrelu"], name="lrelu"),
         node("PRelu", ["lrelu", "slope"], ["prelu"], name="prelu"),
         node("Shrink", ["prelu"], ["shrink"], name="shrink", lambd=0.25),
         node("IsInf", ["x"], ["inf"], name="isinf", detect_negative=0),
         node("Less", ["x", "shrink"], ["lt"], name="less"),
         node("Or", ["lt", "inf"], ["or"], name="or"),
         node("Where", ["or", "x", "shrink"], ["w"], name="where"),
         node("Max", ["w", "x", "slope"], ["y"], name="max"),
         node("Cast", ["y"], ["u"], name="cast", to=UINT8),
         node("BitShift", ["u", "u"], ["s"], name="shift", direction="RIGHT"),
         node("Mod", ["s", "u"], ["m"], name="mod")],
        [value_info("x", [2, 3])],
        [value_info("y", [2, 3]), value_info("m", [2, 3], UINT8)],
        [tensor("slope", [3], [0.1, 0.2, 0.3])])


def shape_fold():
    """Equal/Where/Mod/Max/Cast on int64 constants fold to a static Reshape."""
    return model(
        [node("Equal", ["dims", "minus_one"], ["eq"], name="eq"),
         node("Where", ["eq", "six", "dims"], ["w"], name="where"),
         node("Mod", ["w", "five"], ["m"], name="mod"),
         node("Max", ["m", "two"], ["mx"], name="max"),
         node("Cast", ["mx"], ["f"], name="tofloat", to=FLOAT),
         node("Cast", ["f"], ["shape"], name="toint", to=INT64),
         node("Reshape", ["x", "shape"], ["y"], name="reshape")],
        [value_info("x", [8])], [value_info("y", [4, 2])],
        [tensor("dims", [2], [4, -1], INT64), tensor("minus_one", [], [-1], INT64),
         tensor("six", [], [6], INT64), tensor("five", [], [5], INT64),
         tensor("two", [], [2], INT64)])


def types_io():
    """bool/int32 inputs, f16 output; Cast to double inside."""
    return model(
        [node("Not", ["b"], ["nb"], name="not"),
         node("Cast", ["i"], ["d"], name="todouble", to=DOUBLE),
         node("Cast", ["nb"], ["bd"], name="booltodouble", to=DOUBLE),
         node("Add", ["d", "bd"], ["s"], name="add"),
         node("Cast", ["s"], ["h"], name="tohalf", to=FLOAT16)],
        [value_info("b", [4], BOOL), value_info("i", [4], INT32)],
        [value_info("h", [4], FLOAT16)])


def bad_mod():
    return model([node("Mod", ["x", "x"], ["y"], name="fmod0")],
                 [value_info("x", [4])], [value_info("y", [4])])


def bad_shift():
    return model([node("BitShift", ["x", "x"], ["y"], name="shift", direction="UP")],
                 [value_info("x", [4], UINT8)], [value_info("y", [4], UINT8)])


def bad_cast():
    return model([node("Cast", ["x"], ["y"], name="tostring", to=STRING)],
                 [value_info("x", [4])], [value_info("y", [4], STRING)])


def bad_sin_int():
    return model([node("Sin", ["x"], ["y"], name="sin_int")],
                 [value_info("x", [4], INT32)], [value_info("y", [4], INT32)])


def double_io():
    return model([node("Abs", ["x"], ["y"], name="abs")],
                 [value_info("x", [4], DOUBLE)], [value_info("y", [4], DOUBLE)])


MODELS = [elementwise_ops, shape_fold, types_io, bad_mod, bad_shift, bad_cast,
          bad_sin_int, double_io]

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    os.makedirs(sys.argv[1], exist_ok=True)
    for fn in MODELS:
        with open(os.path.join(sys.argv[1], fn.__name__ + ".onnx"), "wb") as f:
            f.write(fn())
