"""What tools/bench needs from an ONNX graph: its real inputs with static shapes,
seeded inputs, and the FLOP count of its Conv/Gemm/MatMul nodes."""

import numpy as np
import onnx
from onnx import shape_inference

# FLOPs are counted as 2 * multiply-accumulates of these ops only.
COUNTED_OPS = ("Conv", "ConvTranspose", "Gemm", "MatMul")

_ONNX_TO_NUMPY = {
    onnx.TensorProto.FLOAT: np.float32,
    onnx.TensorProto.FLOAT16: np.float16,
    onnx.TensorProto.DOUBLE: np.float64,
    onnx.TensorProto.INT8: np.int8,
    onnx.TensorProto.UINT8: np.uint8,
    onnx.TensorProto.INT32: np.int32,
    onnx.TensorProto.INT64: np.int64,
    onnx.TensorProto.BOOL: np.bool_,
}


class ModelError(Exception):
    pass


def parse_shape(text):
    """'1x3x224x224' -> [1, 3, 224, 224]."""
    try:
        dims = [int(d) for d in text.lower().split("x")]
    except ValueError:
        raise ModelError(f"bad shape '{text}': expected e.g. 1x3x224x224") from None
    if any(d <= 0 for d in dims):
        raise ModelError(f"bad shape '{text}': dims must be positive")
    return dims


def graph_inputs(model, shape_overrides):
    """[(name, numpy dtype, shape)] of the inputs that are not initializers.

    shape_overrides: {name: [dims]} (from --input-shape); every other input must
    have a fully static shape in the graph."""
    inits = {i.name for i in model.graph.initializer}
    result = []
    for vi in model.graph.input:
        if vi.name in inits:
            continue
        tt = vi.type.tensor_type
        dtype = _ONNX_TO_NUMPY.get(tt.elem_type)
        if dtype is None:
            raise ModelError(f"input '{vi.name}': element type {tt.elem_type} not supported")
        if vi.name in shape_overrides:
            shape = list(shape_overrides[vi.name])
        else:
            shape = []
            for d in tt.shape.dim:
                if not d.HasField("dim_value") or d.dim_value <= 0:
                    raise ModelError(
                        f"input '{vi.name}' has a dynamic dim ('{d.dim_param or '?'}'): "
                        f"pass --input-shape {vi.name}=...")
                shape.append(d.dim_value)
        result.append((vi.name, dtype, shape))
    unknown = set(shape_overrides) - {n for n, _, _ in result}
    if unknown:
        raise ModelError(f"--input-shape names no input of the model: {', '.join(sorted(unknown))}")
    return result


def make_inputs(inputs, seed):
    """Seeded random normal float inputs (integers: uniform 0..9, bool: random)."""
    rng = np.random.default_rng(seed)
    feeds = {}
    for name, dtype, shape in inputs:
        if np.issubdtype(dtype, np.floating):
            feeds[name] = rng.standard_normal(shape).astype(dtype)
        elif dtype == np.bool_:
            feeds[name] = rng.integers(0, 2, shape).astype(np.bool_)
        else:
            feeds[name] = rng.integers(0, 10, shape).astype(dtype)
    return feeds


def _static_shape(vi):
    tt = vi.type.tensor_type
    if not tt.HasField("shape"):
        return None
    dims = []
    for d in tt.shape.dim:
        if not d.HasField("dim_value"):
            return None
        dims.append(d.dim_value)
    return dims


def count_flops(model, inputs):
    """Counts 2*MACs of Conv/ConvTranspose/Gemm/MatMul with shapes from
    onnx.shape_inference (inputs fixed to the shapes given).

    Returns {'total': int, 'by_op': {op: {'nodes': n, 'flops': f}},
             'unknown': [node names whose shapes were not inferred]}."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    shapes = {n: s for n, _, s in inputs}
    for vi in m.graph.input:
        if vi.name in shapes:
            dims = vi.type.tensor_type.shape.dim
            del dims[:]
            for d in shapes[vi.name]:
                dims.add().dim_value = d
    m = shape_inference.infer_shapes(m, data_prop=True)
    known = {}
    for vi in list(m.graph.input) + list(m.graph.value_info) + list(m.graph.output):
        s = _static_shape(vi)
        if s is not None:
            known[vi.name] = s
    for init in m.graph.initializer:
        known[init.name] = list(init.dims)

    by_op = {}
    unknown = []
    total = 0
    for node in m.graph.node:
        if node.op_type not in COUNTED_OPS:
            continue
        macs = _node_macs(node, known)
        if macs is None:
            unknown.append(node.name or f"{node.op_type}->{node.output[0]}")
            continue
        entry = by_op.setdefault(node.op_type, {"nodes": 0, "flops": 0})
        entry["nodes"] += 1
        entry["flops"] += 2 * macs
        total += 2 * macs
    return {"total": total, "by_op": by_op, "unknown": unknown}


def _prod(xs):
    p = 1
    for x in xs:
        p *= x
    return p


def _attr(node, name, default):
    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    return default


def _node_macs(node, known):
    ins = [known.get(n) if n else None for n in node.input]
    out = known.get(node.output[0])
    op = node.op_type
    if op == "Conv":
        # out [N, Cout, *spatial], W [Cout, Cin/group, *kernel]
        if out is None or len(ins) < 2 or ins[1] is None:
            return None
        return _prod(out) * _prod(ins[1][1:])
    if op == "ConvTranspose":
        # X [N, Cin, *spatial], W [Cin, Cout/group, *kernel]
        if ins[0] is None or len(ins) < 2 or ins[1] is None:
            return None
        return _prod(ins[0]) * _prod(ins[1][1:])
    if op == "Gemm":
        a = ins[0]
        if out is None or a is None or len(a) != 2:
            return None
        k = a[0] if _attr(node, "transA", 0) else a[1]
        return _prod(out) * k
    if op == "MatMul":
        a = ins[0]
        if out is None or a is None or not a:
            return None
        return _prod(out) * a[-1]
    return None
