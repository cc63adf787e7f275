#!/usr/bin/env python3
"""Models for the quantization import lit tests (quantization.mlir).

    python3 make_quant_models.py OUT_DIR

Uses the hand-written protobuf encoder of make_models.py (standard library only).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_models import (FLOAT, INT8, INT32, UINT8, model, node, tensor,  # noqa: E402
                         value_info)

INT16, FLOAT16 = 5, 10


def quantize_axis():
    """Per-axis QuantizeLinear with constant parameters, then DequantizeLinear."""
    return model(
        [node("QuantizeLinear", ["x", "scale", "zp"], ["q"], name="quant", axis=1),
         node("DequantizeLinear", ["q", "scale", "zp"], ["y"], name="dequant", axis=1)],
        [value_info("x", [2, 3])],
        [value_info("q", [2, 3], UINT8), value_info("y", [2, 3])],
        [tensor("scale", [3], [0.5, 0.25, 2.0]), tensor("zp", [3], [0, 128, 7], UINT8)],
        opset=13)


def quantize_blocked():
    """Blocked QuantizeLinear (block 2 along dim 1 of 5: a partial last block)
    with run-time scales and output_dtype int16 without a zero point."""
    return model(
        [node("QuantizeLinear", ["x", "scale"], ["q"], name="quant_blocked", axis=1,
              block_size=2, output_dtype=INT16)],
        [value_info("x", [2, 5]), value_info("scale", [2, 3])],
        [value_info("q", [2, 5], INT16)], opset=21)


def dequantize_int32():
    """32-bit data: x - zp in i64, the product in f64, f16 output."""
    return model(
        [node("DequantizeLinear", ["x", "scale", "zp"], ["y"], name="deq32")],
        [value_info("x", [4], INT32), value_info("scale", [], FLOAT16),
         value_info("zp", [], INT32)],
        [value_info("y", [4], FLOAT16)], opset=21)


def dynamic_quantize():
    return model(
        [node("DynamicQuantizeLinear", ["x"], ["y", "s", "z"], name="dyn")],
        [value_info("x", [2, 3])],
        [value_info("y", [2, 3], UINT8), value_info("s", []), value_info("z", [], UINT8)],
        opset=11)


def matmul_integer():
    """Per-row a_zero_point ([M] -> [M, 1]), per-column b_zero_point."""
    return model(
        [node("MatMulInteger", ["a", "b", "azp", "bzp"], ["y"], name="mmi")],
        [value_info("a", [2, 4], UINT8), value_info("b", [4, 3], INT8),
         value_info("azp", [2], UINT8), value_info("bzp", [3], INT8)],
        [value_info("y", [2, 3], INT32)], opset=10)


def qlinear_conv():
    """Per-channel w_scale/w_zero_point, int32 bias, padding."""
    return model(
        [node("QLinearConv", ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz", "b"], ["y"],
              name="qconv", pads=[1, 1, 1, 1])],
        [value_info("x", [1, 2, 4, 4], UINT8), value_info("xs", []),
         value_info("xz", [], UINT8), value_info("ys", []), value_info("yz", [], UINT8)],
        [value_info("y", [1, 2, 4, 4], UINT8)],
        [tensor("w", [2, 2, 3, 3], [(i * 37) % 256 for i in range(36)], UINT8),
         tensor("ws", [2], [0.01, 0.02]), tensor("wz", [2], [128, 120], UINT8),
         tensor("b", [2], [100, -100], INT32)],
        opset=10)


# ---- clean errors ------------------------------------------------------------------


def bad_axis_scale():
    return model(
        [node("QuantizeLinear", ["x", "scale"], ["q"], name="bad_scale", axis=1)],
        [value_info("x", [2, 3]), value_info("scale", [4])],
        [value_info("q", [2, 3], UINT8)], opset=13)


def bad_output_dtype():
    return model(
        [node("QuantizeLinear", ["x", "scale", "zp"], ["q"], name="bad_dtype",
              output_dtype=INT8)],
        [value_info("x", [2, 3]), value_info("scale", []), value_info("zp", [], UINT8)],
        [value_info("q", [2, 3], UINT8)], opset=21)


def bad_block():
    return model(
        [node("DequantizeLinear", ["x", "scale"], ["y"], name="bad_block", axis=1,
              block_size=2)],
        [value_info("x", [2, 5], INT8), value_info("scale", [2, 2])],
        [value_info("y", [2, 5])], opset=21)


def bad_matmul_float():
    return model(
        [node("MatMulInteger", ["a", "b"], ["y"], name="mmi_float")],
        [value_info("a", [2, 4]), value_info("b", [4, 3], UINT8)],
        [value_info("y", [2, 3], INT32)], opset=10)


def bad_conv_zero_point():
    return model(
        [node("ConvInteger", ["x", "w", "xz", "wz"], ["y"], name="convi_zp")],
        [value_info("x", [1, 1, 3, 3], UINT8), value_info("w", [2, 1, 2, 2], UINT8),
         value_info("xz", [], UINT8), value_info("wz", [3], UINT8)],
        [value_info("y", [1, 2, 2, 2], INT32)], opset=10)


def bad_zero_point_type():
    return model(
        [node("DequantizeLinear", ["x", "scale", "zp"], ["y"], name="deq_zp_type")],
        [value_info("x", [4], UINT8), value_info("scale", []), value_info("zp", [], INT8)],
        [value_info("y", [4])], opset=13)


MODELS = [quantize_axis, quantize_blocked, dequantize_int32, dynamic_quantize,
          matmul_integer, qlinear_conv, bad_axis_scale, bad_output_dtype, bad_block,
          bad_matmul_float, bad_conv_zero_point, bad_zero_point_type]

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    os.makedirs(sys.argv[1], exist_ok=True)
    for fn in MODELS:
        with open(os.path.join(sys.argv[1], fn.__name__ + ".onnx"), "wb") as f:
            f.write(fn())
