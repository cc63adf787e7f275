#!/usr/bin/env python3
"""Models for the narrow element type lit test (narrow_types.mlir): bfloat16,
float8, int4/uint4 and int2/uint2 inputs, outputs and initializers (packed in
raw_data and int32_data), and the clean errors.

    python3 make_type_models.py OUT_DIR

Standard library only (the protobuf encoder of make_models.py).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_models import (FLOAT, f_bytes, f_int, model, node,  # noqa: E402
                         value_info)

INT8, FLOAT16, BFLOAT16 = 3, 10, 16
FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ = 17, 18, 19, 20
UINT4, INT4, FLOAT4E2M1, UINT2, INT2 = 21, 22, 23, 25, 26


def raw_tensor(name, dims, dtype, raw):
    """TensorProto with the given raw_data bytes (packed for sub-byte types)."""
    return (b"".join(f_int(1, d) for d in dims) + f_int(2, dtype) + f_bytes(8, name)
            + f_bytes(9, bytes(raw)))


def int32_tensor(name, dims, dtype, values):
    """TensorProto with int32_data (packed bytes for int4, bits for float8)."""
    return (b"".join(f_int(1, d) for d in dims) + f_int(2, dtype) + f_bytes(8, name)
            + b"".join(f_int(5, v) for v in values))


def narrow_io():
    return model([node("Cast", ["x"], ["xf"], name="f8_in", to=FLOAT),
                  node("Cast", ["b"], ["bf"], name="bf16_in", to=FLOAT),
                  node("Cast", ["i"], ["if"], name="i4_in", to=FLOAT),
                  node("Cast", ["xf"], ["y"], name="f8_out", to=FLOAT8E5M2, saturate=0),
                  node("Cast", ["xf"], ["u"], name="u2_out", to=UINT2)],
                 [value_info("x", [4], FLOAT8E4M3FN), value_info("b", [4], BFLOAT16),
                  value_info("i", [5], INT4)],
                 [value_info("xf", [4]), value_info("bf", [4]), value_info("if", [5]),
                  value_info("y", [4], FLOAT8E5M2), value_info("u", [4], UINT2)],
                 opset=25)


def packed_constants():
    # int4 [1, -1, 7, -8, 3]: nibbles 1, F, 7, 8, 3, low nibble first.
    i4 = raw_tensor("i4", [5], INT4, [0xF1, 0x87, 0x03])
    # uint4 [1, 2, 3] in int32_data: one packed byte per value.
    u4 = int32_tensor("u4", [3], UINT4, [0x21, 0x03])
    # int2 [1, -1, -2, 0, 1]: 01 11 10 00 | 01, lowest bits first.
    i2 = raw_tensor("i2", [5], INT2, [0x2D, 0x01])
    # float8e5m2 [1.0, -2.0] as bits in int32_data.
    f8 = int32_tensor("f8", [2], FLOAT8E5M2, [0x3C, 0xC0])
    return model([node("Cast", ["i4"], ["a"], to=INT8),
                  node("Cast", ["u4"], ["b"], to=INT8),
                  node("Cast", ["i2"], ["c"], to=INT8),
                  node("Cast", ["f8"], ["d"], to=FLOAT)],
                 [], [value_info("a", [5], INT8), value_info("b", [3], INT8),
                      value_info("c", [5], INT8), value_info("d", [2])],
                 [i4, u4, i2, f8], opset=25)


def bad_packed_size():
    return model([node("Cast", ["w"], ["y"], to=INT8)], [],
                 [value_info("y", [5], INT8)],
                 [raw_tensor("w", [5], INT4, [0x11, 0x11])], opset=21)


def bad_cast_float4():
    return model([node("Cast", ["x"], ["y"], name="to_f4", to=FLOAT4E2M1)],
                 [value_info("x", [4])], [value_info("y", [4], FLOAT4E2M1)], opset=23)


MODELS = [narrow_io, packed_constants, bad_packed_size, bad_cast_float4]

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    os.makedirs(sys.argv[1], exist_ok=True)
    for fn in MODELS:
        with open(os.path.join(sys.argv[1], fn.__name__ + ".onnx"), "wb") as f:
            f.write(fn())
