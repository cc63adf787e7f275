#!/usr/bin/env python3
"""Writes the small ONNX models the importer lit tests read.

    python3 make_models.py OUT_DIR [NAME ...]

Needs only the Python standard library (any python3 will do): the ModelProto
is encoded by hand below, field numbers from onnx.proto. Weights are
deterministic. Without NAME, writes every model.
"""

import os
import random
import struct
import sys

# ---- protobuf wire format ----------------------------------------------------------


def _varint(n):
    n &= (1 << 64) - 1  # negative int64 -> 10-byte two's complement
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _key(field, wire):
    return _varint(field << 3 | wire)


def f_int(field, v):
    return _key(field, 0) + _varint(v)


def f_bytes(field, b):
    if isinstance(b, str):
        b = b.encode()
    return _key(field, 2) + _varint(len(b)) + b


def f_float(field, v):
    return _key(field, 5) + struct.pack("<f", v)


# ---- ONNX messages -----------------------------------------------------------------

FLOAT, UINT8, INT8, INT32, INT64, BOOL = 1, 2, 3, 6, 7, 9
_FMT = {FLOAT: "f", INT64: "q", INT32: "i", INT8: "b", UINT8: "B", BOOL: "?"}


def tensor(name, dims, values, dtype=FLOAT):
    """TensorProto with raw_data."""
    raw = struct.pack("<%d%s" % (len(values), _FMT[dtype]), *values)
    return (b"".join(f_int(1, d) for d in dims) + f_int(2, dtype) + f_bytes(8, name)
            + f_bytes(9, raw))


def attr(name, value):
    """AttributeProto from a Python value (int, float, str, list, tensor bytes)."""
    a = f_bytes(1, name)
    if isinstance(value, bool) or isinstance(value, int):
        return a + f_int(3, int(value)) + f_int(20, 2)
    if isinstance(value, float):
        return a + f_float(2, value) + f_int(20, 1)
    if isinstance(value, str):
        return a + f_bytes(4, value) + f_int(20, 3)
    if isinstance(value, Tensor):
        return a + f_bytes(5, value.data) + f_int(20, 4)
    if all(isinstance(v, int) for v in value):
        return a + b"".join(f_int(8, v) for v in value) + f_int(20, 7)
    return a + b"".join(f_float(7, v) for v in value) + f_int(20, 6)


class Tensor:
    def __init__(self, data):
        self.data = data


def node(op, inputs, outputs, name=None, domain=None, **attrs):
    n = b"".join(f_bytes(1, i) for i in inputs) + b"".join(f_bytes(2, o) for o in outputs)
    if name is not None:
        n += f_bytes(3, name)
    n += f_bytes(4, op)
    n += b"".join(f_bytes(5, attr(k, v)) for k, v in attrs.items())
    if domain is not None:
        n += f_bytes(7, domain)
    return n


def value_info(name, dims, dtype=FLOAT):
    """ValueInfoProto; dims entries are ints or symbolic names (str)."""
    shape = b""
    for d in dims:
        dim = f_int(1, d) if isinstance(d, int) else f_bytes(2, d)
        shape += f_bytes(1, dim)
    tensor_type = f_int(1, dtype) + f_bytes(2, shape)
    return f_bytes(1, name) + f_bytes(2, f_bytes(1, tensor_type))


def model(nodes, inputs, outputs, initializers=(), opset=17):
    g = b"".join(f_bytes(1, n) for n in nodes) + f_bytes(2, "g")
    g += b"".join(f_bytes(5, t) for t in initializers)
    g += b"".join(f_bytes(11, v) for v in inputs)
    g += b"".join(f_bytes(12, v) for v in outputs)
    return (f_int(1, 8) + f_bytes(2, "make_models.py") + f_bytes(7, g)
            + f_bytes(8, f_bytes(1, "") + f_int(2, opset)))


def weights(name, dims, seed, scale=0.5):
    rng = random.Random(seed)
    n = 1
    for d in dims:
        n *= d
    return tensor(name, dims, [round(rng.uniform(-scale, scale), 3) for _ in range(n)])


def ints(name, values, dims=None):
    return tensor(name, [len(values)] if dims is None else dims, values, INT64)


# ---- the models --------------------------------------------------------------------

MODELS = {}


def register(fn):
    MODELS[fn.__name__] = fn
    return fn


@register
def conv_bn_relu():
    return model(
        [node("Conv", ["x", "w", "b"], ["c"], name="conv", kernel_shape=[3, 3],
              pads=[1, 1, 1, 1], strides=[2, 2]),
         node("BatchNormalization", ["c", "s", "bb", "m", "v"], ["n"], name="bn",
              epsilon=1e-3),
         node("Relu", ["n"], ["y"], name="relu")],
        [value_info("x", [1, 3, 8, 8])], [value_info("y", [1, 4, 4, 4])],
        [weights("w", [4, 3, 3, 3], 1), weights("b", [4], 2), weights("s", [4], 3),
         weights("bb", [4], 4), weights("m", [4], 5),
         tensor("v", [4], [0.5, 1.0, 1.5, 2.0])])


@register
def gemm_transb():
    return model(
        [node("Gemm", ["x", "w", "b"], ["y"], name="fc", transB=1)],
        [value_info("x", [2, 3])], [value_info("y", [2, 4])],
        [tensor("w", [4, 3], [float(i) for i in range(12)]),
         tensor("b", [4], [0.5, -0.5, 1.5, -1.5])])


@register
def gemm_alpha_beta():
    return model(
        [node("Gemm", ["x", "w", "c"], ["y"], name="fc", alpha=2.0, beta=0.5)],
        [value_info("x", [2, 3])], [value_info("y", [2, 4])],
        [tensor("w", [3, 4], [float(i) for i in range(12)]),
         tensor("c", [2, 4], [float(i) for i in range(8)])])


@register
def shape_reshape():
    # x.view(x.size(0), x.size(1), -1) as torch exports it, symbolic batch.
    return model(
        [node("Shape", ["x"], ["shp"], name="shape"),
         node("Gather", ["shp", "i0"], ["d0"], name="g0", axis=0),
         node("Gather", ["shp", "i1"], ["d1"], name="g1", axis=0),
         node("Unsqueeze", ["d0", "ax"], ["u0"], name="u0"),
         node("Unsqueeze", ["d1", "ax"], ["u1"], name="u1"),
         node("Concat", ["u0", "u1", "m1"], ["newshape"], name="cat", axis=0),
         node("Reshape", ["x", "newshape"], ["y"], name="reshape")],
        [value_info("x", ["batch", 3, 4, 5])], [value_info("y", ["batch", 3, 20])],
        [tensor("i0", [], [0], INT64), tensor("i1", [], [-3], INT64), ints("ax", [0]),
         ints("m1", [-1])])


@register
def split():
    return model(
        [node("Split", ["x", "sizes"], ["a", "b"], name="split_sizes", axis=1),
         node("Split", ["x"], ["p", "q", "r"], name="split_equal", axis=-1)],
        [value_info("x", [2, 6, 9])],
        [value_info("a", [2, 2, 9]), value_info("b", [2, 4, 9]), value_info("p", [2, 6, 3]),
         value_info("q", [2, 6, 3]), value_info("r", [2, 6, 3])],
        [ints("sizes", [2, 4])])


@register
def split_opset18():
    return model(
        [node("Split", ["x"], ["a", "b", "c"], name="split_uneven", axis=1, num_outputs=3)],
        [value_info("x", [2, 7])],
        [value_info("a", [2, 3]), value_info("b", [2, 3]), value_info("c", [2, 1])],
        opset=18)


@register
def slice_negative_steps():
    int64_min = -(1 << 63)
    return model(
        [node("Slice", ["x", "s", "e", "a", "st"], ["y"], name="reverse"),
         node("Slice", ["x", "s2", "e2", "a2"], ["z"], name="clamped")],
        [value_info("x", [3, 10])], [value_info("y", [3, 4]), value_info("z", [2, 8])],
        [ints("s", [-1, 8]), ints("e", [int64_min, 0]), ints("a", [0, 1]),
         ints("st", [-1, -2]), ints("s2", [-100, 2]), ints("e2", [2, 1000]),
         ints("a2", [0, -1])])


@register
def pool_ceil():
    return model(
        [node("MaxPool", ["x"], ["m"], name="maxpool_ceil", kernel_shape=[3, 3],
              strides=[2, 2], ceil_mode=1),
         node("AveragePool", ["x"], ["a"], name="avgpool", kernel_shape=[3, 3],
              strides=[2, 2], pads=[1, 1, 1, 1], ceil_mode=1, count_include_pad=1),
         node("GlobalAveragePool", ["x"], ["g"], name="gap")],
        [value_info("x", [1, 2, 10, 10])],
        [value_info("m", [1, 2, 5, 5]), value_info("a", [1, 2, 6, 6]),
         value_info("g", [1, 2, 1, 1])])


@register
def softmax():
    return model(
        [node("Softmax", ["x"], ["y"], name="sm_last", axis=-1),
         node("Softmax", ["x"], ["z"], name="sm_axis1", axis=1)],
        [value_info("x", [2, 3, 4])], [value_info("y", [2, 3, 4]), value_info("z", [2, 3, 4])])


@register
def softmax_opset11():
    return model(
        [node("Softmax", ["x"], ["y"], name="sm_coerced", axis=1)],
        [value_info("x", [2, 3, 4])], [value_info("y", [2, 3, 4])], opset=11)


@register
def rms_norm():
    return model(
        [node("RMSNormalization", ["x", "s"], ["y"], name="rms", axis=-1, epsilon=0.5)],
        [value_info("x", [2, 3, 4])], [value_info("y", [2, 3, 4])],
        [weights("s", [4], seed=7)], opset=23)


@register
def attention_gqa_causal():
    return model(
        [node("Attention", ["q", "k", "v"], ["y"], name="attn", is_causal=1)],
        [value_info("q", [1, 4, 3, 8]), value_info("k", [1, 2, 3, 8]),
         value_info("v", [1, 2, 3, 8])],
        [value_info("y", [1, 4, 3, 8])], opset=23)


@register
def attention_nonpad():
    return model(
        [node("Attention", ["q", "k", "v", "", "", "", "lens"], ["y"], name="attn_nonpad")],
        [value_info("q", [1, 2, 3, 8]), value_info("k", [1, 2, 3, 8]),
         value_info("v", [1, 2, 3, 8]), value_info("lens", [1], INT64)],
        [value_info("y", [1, 2, 3, 8])], opset=23)


@register
def dft_onesided_complex():
    return model(
        [node("DFT", ["x"], ["y"], name="dft_bad", onesided=1, axis=1)],
        [value_info("x", [1, 8, 2])], [value_info("y", [1, 5, 2])], opset=19)


@register
def linear_attention_bad_rule():
    return model(
        [node("LinearAttention", ["q", "k", "v"], ["y"], name="la_bad",
              q_num_heads=2, kv_num_heads=2, update_rule="gated")],
        [value_info("q", [1, 3, 8]), value_info("k", [1, 3, 8]), value_info("v", [1, 3, 8])],
        [value_info("y", [1, 3, 8])], opset=27)


@register
def lppool_ceil():
    return model(
        [node("LpPool", ["x"], ["y"], name="lp_ceil", kernel_shape=[2, 2], ceil_mode=1)],
        [value_info("x", [1, 1, 5, 5])], [value_info("y", [1, 1, 4, 4])], opset=18)


@register
def unsupported_op():
    return model(
        [node("Relu", ["x"], ["r"], name="relu_before"),
         node("NonMaxSuppression", ["boxes", "r"], ["sel"], name="my_unsupported_node")],
        [value_info("boxes", [1, 6, 4]), value_info("x", [1, 1, 6])],
        [value_info("sel", ["n", 3], INT64)])


@register
def custom_domain():
    return model(
        [node("MyCustomOp", ["x"], ["y"], name="my_custom_node", domain="com.example")],
        [value_info("x", [2, 3])], [value_info("y", [2, 3])])


@register
def symbolic_dim():
    return model(
        [node("Relu", ["image"], ["out"], name="relu")],
        [value_info("image", ["batch", 3, 8, 8])], [value_info("out", ["batch", 3, 8, 8])])


@register
def matmul_mismatch():
    return model(
        [node("MatMul", ["a", "w"], ["y"], name="mm")],
        [value_info("a", [2, 3])], [value_info("y", [2, 5])], [weights("w", [4, 5], 7)])


@register
def undefined_input():
    return model(
        [node("Relu", ["nowhere"], ["y"], name="relu")],
        [value_info("x", [2, 3])], [value_info("y", [2, 3])])


@register
def bad_initializer():
    # Raw data of 3 floats for dims [2, 3].
    return model(
        [node("Add", ["x", "w"], ["y"], name="add")],
        [value_info("x", [2, 3])], [value_info("y", [2, 3])],
        [tensor("w", [2, 3], [1.0, 2.0, 3.0])])


@register
def misc_ops():
    # Old exporters list initializers among the graph inputs ("w"); the
    # unnamed Relu gets the location "Relu_<index>".
    return model(
        [node("Add", ["x", "w"], ["a"], name="add_init_input"),
         node("Gather", ["a", "idx"], ["g"], name="gather_neg", axis=1),
         node("Clip", ["g", "", "hi"], ["c"], name="clip_max_only"),
         node("Shape", ["x"], ["mid"], name="shape_mid", start=-2),
         node("ReduceProd", ["mid"], ["prod"], name="prod", keepdims=1),
         node("Shape", ["x"], ["first"], name="shape_first", end=1),
         node("Concat", ["first", "prod"], ["newshape"], name="cat", axis=0),
         node("Reshape", ["x", "newshape"], ["flat"], name="reshape"),
         node("ConstantOfShape", ["newshape"], ["ones"], name="ones",
              value=Tensor(tensor("one", [1], [1.0]))),
         node("Add", ["flat", "ones"], ["f1"], name="add_ones"),
         node("Unsqueeze", ["f1", "ax"], ["u"], name="unsqueeze"),
         node("Squeeze", ["u", "ax"], ["s"], name="squeeze"),
         node("Cast", ["s"], ["i"], name="cast", to=INT64),
         node("Dropout", ["c"], ["d"], name="dropout"),
         node("Relu", ["d"], ["y"])],
        [value_info("x", [2, 3, 4]), value_info("w", [4])],
        [value_info("y", [2, 2, 4]), value_info("i", [2, 12], INT64)],
        [tensor("w", [4], [1.0, 2.0, 3.0, 4.0]), ints("idx", [-1, 0]),
         tensor("hi", [], [0.5]), ints("ax", [0, -1])])


@register
def external_data():
    w = (f_int(1, 4) + f_int(2, FLOAT) + f_bytes(8, "w")
         + f_bytes(13, f_bytes(1, "location") + f_bytes(2, "weights.bin")) + f_int(14, 1))
    return model(
        [node("Add", ["x", "w"], ["y"], name="add")],
        [value_info("x", [4])], [value_info("y", [4])], [w])


@register
def big_weights():
    # Large enough for the zero-copy blob path (> 256 bytes).
    return model(
        [node("MatMul", ["x", "w"], ["y"], name="mm")],
        [value_info("x", [1, 32])], [value_info("y", [1, 16])], [weights("w", [32, 16], 9)])


def write_all(out_dir, names):
    os.makedirs(out_dir, exist_ok=True)
    for name in [n for n in names if n in MODELS] if names else MODELS:
        with open(os.path.join(out_dir, name + ".onnx"), "wb") as f:
            f.write(MODELS[name]())
    # Broken files.
    if not names or "garbage" in names:
        rng = random.Random(1234)
        with open(os.path.join(out_dir, "garbage.onnx"), "wb") as f:
            f.write(bytes(rng.randrange(256) for _ in range(4096)))
    if not names or "truncated" in names:
        data = MODELS["big_weights"]()
        with open(os.path.join(out_dir, "truncated.onnx"), "wb") as f:
            f.write(data[: len(data) // 2])
    if not names or "empty" in names:
        open(os.path.join(out_dir, "empty.onnx"), "wb").close()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    extra = {"garbage", "truncated", "empty"}
    unknown = [n for n in sys.argv[2:] if n not in MODELS and n not in extra]
    if unknown:
        sys.exit("unknown model(s): " + ", ".join(unknown))
    write_all(sys.argv[1], sys.argv[2:])
