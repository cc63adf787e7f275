#!/usr/bin/env python3
"""Generate the per-operator ONNX test models, their inputs and reference outputs.

Run with the pip Python (needs onnx==1.22.* and onnxruntime, numpy):

    python3 tests/models/gen_op_models.py OUT_DIR

Writes, under OUT_DIR:

    <case>/model.onnx           one small model per operator case
    <case>/input_<name>.npy     seeded random inputs (mostly float32; other dtypes where
                                the case tests them)
    <case>/ref_<name>.npy       ONNX Runtime reference outputs (onnx.reference for
                                ops newer than the installed ONNX Runtime)
    bad/...                     malformed / unsupported models for the error tests
    manifest.json               index of all of the above (paths relative to OUT_DIR)

manifest.json format (version 1):

    {
      "version": 1,
      "tolerance": {"rel": 1e-4, "rule": "..."},
      "cases": [
        {
          "name": "conv3x3_pad1",                 # C identifier, unique
          "model": "conv3x3_pad1/model.onnx",
          "opset": 17,
          "ops": ["Conv"],                        # op types in the graph
          "inputs":  {"x": "conv3x3_pad1/input_x.npy"},    # ONNX input name -> npy
          "outputs": {"y": "conv3x3_pad1/ref_y.npy"},      # ONNX output name -> npy
          "all_float32": true,                    # every graph input and output is f32
          "input_shapes": {"x": [1, 3, 8, 8]},    # only for symbolic dims; pass as
                                                  #   --input-shape x=1x3x8x8
          "compile_args": ["--winograd=f2"],     # optional extra mnn-compile arguments
          "tolerance": {"rel": 1e-3, "reason": "..."}   # optional per-case override
        }, ...
      ],
      "bad": [
        {
          "name": "unsupported_op",
          "model": "bad/unsupported_op.onnx",
          "extra_args": [],                       # extra mnn-compile arguments
          "expect": "error mentions 'NonMaxSuppression' and 'my_unsupported_node'",
          "expect_words": ["NonMaxSuppression", "my_unsupported_node"]  # case-insensitive
        }, ...
      ]
    }

Everything is deterministic: each case has its own RNG seeded from its name, so adding
or removing a case does not change the data of the others. The whole generation takes
a few seconds.
"""

import argparse
import json
import os
import re
import shutil
import sys
import zlib

import ml_dtypes
import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

DEFAULT_OPSET = 17
REL_TOL = 1e-4
INT64_MAX = np.iinfo(np.int64).max
INT64_MIN = np.iinfo(np.int64).min

NP_TO_ONNX = {
    np.dtype(np.float32): TensorProto.FLOAT,
    np.dtype(np.float16): TensorProto.FLOAT16,
    np.dtype(np.float64): TensorProto.DOUBLE,
    np.dtype(np.int8): TensorProto.INT8,
    np.dtype(np.uint8): TensorProto.UINT8,
    np.dtype(np.int16): TensorProto.INT16,
    np.dtype(np.uint16): TensorProto.UINT16,
    np.dtype(np.int32): TensorProto.INT32,
    np.dtype(np.uint32): TensorProto.UINT32,
    np.dtype(np.int64): TensorProto.INT64,
    np.dtype(np.uint64): TensorProto.UINT64,
    np.dtype(np.bool_): TensorProto.BOOL,
    # ml_dtypes types (onnx's own numpy representation of these types)
    np.dtype(ml_dtypes.bfloat16): TensorProto.BFLOAT16,
    np.dtype(ml_dtypes.float8_e4m3fn): TensorProto.FLOAT8E4M3FN,
    np.dtype(ml_dtypes.float8_e4m3fnuz): TensorProto.FLOAT8E4M3FNUZ,
    np.dtype(ml_dtypes.float8_e5m2): TensorProto.FLOAT8E5M2,
    np.dtype(ml_dtypes.float8_e5m2fnuz): TensorProto.FLOAT8E5M2FNUZ,
    np.dtype(ml_dtypes.int4): TensorProto.INT4,
    np.dtype(ml_dtypes.uint4): TensorProto.UINT4,
    np.dtype(ml_dtypes.int2): TensorProto.INT2,
    np.dtype(ml_dtypes.uint2): TensorProto.UINT2,
}


def file_safe(name):
    """ONNX names may contain '/', ':' or '.'; keep file names tame."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)


# --------------------------------------------------------------------------------------
# Case builder
# --------------------------------------------------------------------------------------


class Case:
    """Collects the graph of one test case.

    Weights are initializers (as in real exported models); runtime inputs get seeded
    random data when the case is written.
    """

    def __init__(self, name, opset=DEFAULT_OPSET, note=None):
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"case name must be a C identifier: {name}")
        self.name = name
        self.opset = opset
        self.note = note
        self.rng = np.random.default_rng(zlib.crc32(name.encode()))
        self.nodes = []
        self.inputs = []  # (name, np dtype, shape with ints or str dims)
        self.outputs = []  # (name, np dtype)
        self.inits = []  # TensorProto
        self.gens = {}  # input name -> callable(rng, shape) -> array
        self.input_shapes = {}  # input name -> concrete shape for symbolic dims
        self.tolerance = None
        # Ops newer than the installed ONNX Runtime: onnx's reference evaluator
        # (the code that produced the official node-test outputs) instead.
        self.onnx_reference = False
        # Optional callable(feeds) -> {output: array} replacing ONNX Runtime, for
        # features it lacks (RNN layout 1, checked through an equivalent model).
        self.reference = None
        # Versions of other operator domains the graph uses (e.g. ai.onnx.preview).
        self.domains = {}
        # Reference outputs may hold NaN/inf (casts that test them on purpose).
        self.allow_nonfinite = False
        # IR version for types newer than IR 10 (int2/uint2 need 11).
        self.ir_version = None
        # Extra mnn-compile arguments (e.g. ["--winograd=f2"] to force a path).
        self.compile_args = []
        self._n = 0

    # -- graph pieces ------------------------------------------------------------------
    def input(self, name, shape, dtype=np.float32, gen=None, concrete=None):
        """Declare a graph input. `gen(rng, shape)` overrides the random normal data.
        `concrete` gives the shape to use when `shape` has symbolic (str) dims."""
        self.inputs.append((name, np.dtype(dtype), list(shape)))
        if gen is not None:
            self.gens[name] = gen
        if any(isinstance(d, str) for d in shape):
            if concrete is None:
                raise ValueError(f"{self.name}: symbolic input {name} needs concrete=")
            self.input_shapes[name] = list(concrete)
        return name

    def output(self, name, dtype=np.float32):
        self.outputs.append((name, np.dtype(dtype)))
        return name

    def init(self, name, array):
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def weight(self, name, shape, scale=1.0):
        """Random normal float32 initializer."""
        return self.init(name, (self.rng.standard_normal(shape) * scale).astype(np.float32))

    def positive(self, name, shape, low=0.5, high=1.5):
        return self.init(name, self.rng.uniform(low, high, shape).astype(np.float32))

    def i64(self, name, values):
        return self.init(name, np.asarray(values, dtype=np.int64))

    def f32(self, name, values):
        return self.init(name, np.asarray(values, dtype=np.float32))

    def node(self, op, inputs, outputs, name=None, domain=None, **attrs):
        if name is None:
            self._n += 1
            name = f"{op.lower()}_{self._n}"
        kw = {"domain": domain} if domain else {}
        self.nodes.append(helper.make_node(op, inputs, outputs, name=name, **kw, **attrs))
        return outputs[0] if len(outputs) == 1 else outputs

    def tol(self, rel, reason):
        self.tolerance = {"rel": rel, "reason": reason}

    # -- model ---------------------------------------------------------------------------
    def make_model(self, output_shapes=None):
        vi_in = [
            helper.make_tensor_value_info(n, NP_TO_ONNX[dt], s) for n, dt, s in self.inputs
        ]
        vi_out = []
        for n, dt in self.outputs:
            shape = output_shapes.get(n) if output_shapes else None
            vi_out.append(helper.make_tensor_value_info(n, NP_TO_ONNX[dt], shape))
        graph = helper.make_graph(self.nodes, self.name, vi_in, vi_out, self.inits)
        model = helper.make_model(
            graph,
            opset_imports=[helper.make_opsetid("", self.opset)]
            + [helper.make_opsetid(d, v) for d, v in self.domains.items()],
            producer_name="mnn-compiler-tests",
        )
        # Keep the IR version loadable by older readers (onnx 1.22 default is 11+).
        model.ir_version = self.ir_version or min(model.ir_version,
                                                  8 if self.opset <= 17 else 10)
        return model


ML_DTYPES = {np.dtype(t) for t in (ml_dtypes.bfloat16, ml_dtypes.float8_e4m3fn,
                                   ml_dtypes.float8_e4m3fnuz, ml_dtypes.float8_e5m2,
                                   ml_dtypes.float8_e5m2fnuz, ml_dtypes.int4,
                                   ml_dtypes.uint4, ml_dtypes.int2, ml_dtypes.uint2)}


def as_raw_bytes(arr):
    """ml_dtypes arrays as raw bytes ('|V1'/'|V2'), which numpy loads without
    ml_dtypes and mnn-run reads and writes for these types; outputs then compare
    bit for bit."""
    arr = np.asarray(arr)
    if arr.dtype in ML_DTYPES:
        return arr.view(f"V{arr.dtype.itemsize}")
    return arr


def run_ort(model, feeds):
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    so.intra_op_num_threads = 1
    so.log_severity_level = 3
    sess = ort.InferenceSession(
        model.SerializeToString(), so, providers=["CPUExecutionProvider"]
    )
    names = [o.name for o in sess.get_outputs()]
    return dict(zip(names, sess.run(names, feeds)))


def run_onnx_reference(model, feeds):
    from onnx.reference import ReferenceEvaluator

    sess = ReferenceEvaluator(model)
    names = [o.name for o in model.graph.output]
    return dict(zip(names, sess.run(names, feeds)))


def normal(rng, shape):
    return rng.standard_normal(shape).astype(np.float32)


def positive(rng, shape):
    """Strictly positive values (for Sqrt, fractional Pow, divisors)."""
    return (np.abs(rng.standard_normal(shape)) + 0.5).astype(np.float32)


def away_from_zero(rng, shape):
    """Normal-ish values with |v| >= 0.5 (for divisors)."""
    v = rng.standard_normal(shape)
    return (np.sign(v + 1e-12) * (np.abs(v) + 0.5)).astype(np.float32)


class Suite:
    def __init__(self, out_dir):
        self.out_dir = os.path.abspath(out_dir)
        self.cases = []
        self.bad = []
        self.names = set()

    def rel(self, path):
        return os.path.relpath(path, self.out_dir)

    def add(self, c):
        if c.name in self.names:
            raise ValueError(f"duplicate case {c.name}")
        self.names.add(c.name)
        case_dir = os.path.join(self.out_dir, c.name)
        os.makedirs(case_dir, exist_ok=True)

        # Seeded inputs.
        feeds = {}
        for name, dt, shape in c.inputs:
            concrete = c.input_shapes.get(name, shape)
            gen = c.gens.get(name, normal)
            arr = np.asarray(gen(c.rng, tuple(concrete)))
            if arr.dtype != dt or list(arr.shape) != list(concrete):
                raise ValueError(f"{c.name}: generator for {name} gave {arr.dtype}{arr.shape}")
            feeds[name] = arr

        # Reference outputs from ONNX Runtime; then record concrete output shapes in the
        # graph (unless inputs are symbolic, where shape inference fills what it can).
        model = c.make_model()
        if c.reference:
            refs = c.reference(feeds)
        elif c.onnx_reference:
            refs = run_onnx_reference(model, feeds)
        else:
            refs = run_ort(model, feeds)
        if c.input_shapes:
            model = onnx.shape_inference.infer_shapes(model)
        else:
            model = c.make_model({n: list(refs[n].shape) for n, _ in c.outputs})
        if not getattr(c, "skip_check", False):  # checker bugs / deprecated ops
            onnx.checker.check_model(model, full_check=True)
        for n, dt in c.outputs:
            if refs[n].dtype != dt:
                raise ValueError(f"{c.name}: output {n} is {refs[n].dtype}, declared {dt}")
            if refs[n].dtype.kind == "f" and not c.allow_nonfinite and \
                    not np.all(np.isfinite(refs[n])):
                raise ValueError(f"{c.name}: non-finite reference output {n}")

        model_path = os.path.join(case_dir, "model.onnx")
        onnx.save(model, model_path)
        inputs, outputs = {}, {}
        for name, arr in feeds.items():
            p = os.path.join(case_dir, f"input_{file_safe(name)}.npy")
            np.save(p, as_raw_bytes(arr))
            inputs[name] = self.rel(p)
        for name, _ in c.outputs:
            p = os.path.join(case_dir, f"ref_{file_safe(name)}.npy")
            np.save(p, as_raw_bytes(refs[name]))
            outputs[name] = self.rel(p)

        entry = {
            "name": c.name,
            "model": self.rel(model_path),
            "opset": c.opset,
            "ops": sorted({n.op_type for n in c.nodes}),
            "inputs": inputs,
            "outputs": outputs,
            "all_float32": all(dt == np.float32 for _, dt, _ in c.inputs)
            and all(dt == np.float32 for _, dt in c.outputs),
        }
        if c.input_shapes:
            entry["input_shapes"] = c.input_shapes
        if c.compile_args:
            entry["compile_args"] = c.compile_args
        if c.tolerance:
            entry["tolerance"] = c.tolerance
        if c.note:
            entry["note"] = c.note
        self.cases.append(entry)

    def add_bad(self, name, path, expect, expect_words, extra_args=()):
        self.bad.append(
            {
                "name": name,
                "model": self.rel(path),
                "extra_args": list(extra_args),
                "expect": expect,
                "expect_words": list(expect_words),
            }
        )

    def write_manifest(self):
        manifest = {
            "version": 1,
            "generator": "tests/models/gen_op_models.py",
            "tolerance": {
                "rel": REL_TOL,
                "rule": "float outputs: max|out - ref| <= rel * max|ref| "
                "(per output); integer/bool outputs: exact; shapes and dtypes exact",
            },
            "cases": self.cases,
            "bad": self.bad,
        }
        tmp = os.path.join(self.out_dir, "manifest.json.tmp")
        with open(tmp, "w") as f:
            json.dump(manifest, f, indent=1)
            f.write("\n")
        os.replace(tmp, os.path.join(self.out_dir, "manifest.json"))


# --------------------------------------------------------------------------------------
# Small helpers for the common shapes of cases
# --------------------------------------------------------------------------------------


def unary(s, name, op, shape, gen=None, opset=DEFAULT_OPSET, **attrs):
    c = Case(name, opset)
    c.input("x", shape, gen=gen)
    c.node(op, ["x"], ["y"], **attrs)
    c.output("y")
    s.add(c)


def binary(s, name, op, a_shape, b_shape, b_const=False, b_gen=None, a_gen=None):
    """y = op(a, b); b is an initializer when b_const."""
    c = Case(name)
    c.input("a", a_shape, gen=a_gen)
    if b_const:
        c.init("b", (b_gen or normal)(c.rng, tuple(b_shape)))
    else:
        c.input("b", b_shape, gen=b_gen)
    c.node(op, ["a", "b"], ["y"])
    c.output("y")
    s.add(c)


# --------------------------------------------------------------------------------------
# The cases
# --------------------------------------------------------------------------------------


def gen_matmul_gemm(s):
    c = Case("matmul_2d")  # activation x constant weight
    c.input("a", [4, 8])
    c.weight("w", [8, 5])
    c.node("MatMul", ["a", "w"], ["y"])
    c.output("y")
    s.add(c)

    binary(s, "matmul_2d_two_inputs", "MatMul", [4, 8], [8, 5])
    binary(s, "matmul_batched_3d", "MatMul", [2, 4, 8], [2, 8, 5])

    c = Case("matmul_3d_x_2d")  # linear layer on [batch, seq, features]
    c.input("a", [2, 6, 16])
    c.weight("w", [16, 12])
    c.node("MatMul", ["a", "w"], ["y"])
    c.output("y")
    s.add(c)

    binary(s, "matmul_4d_attention", "MatMul", [1, 4, 6, 8], [1, 4, 8, 6])
    binary(s, "matmul_4d_broadcast", "MatMul", [2, 1, 4, 8], [1, 3, 8, 5])
    binary(s, "matmul_1d_x_2d", "MatMul", [8], [8, 5])
    binary(s, "matmul_2d_x_1d", "MatMul", [4, 8], [8])

    def gemm(name, a_shape, b_shape, c_shape=None, c_input=False, b_input=False, **attrs):
        c = Case(name)
        c.input("a", a_shape)
        if b_input:
            c.input("b", b_shape)
        else:
            c.weight("b", b_shape)
        ins = ["a", "b"]
        if c_shape is not None:
            if c_input:
                c.input("c", c_shape)
            else:
                c.weight("c", c_shape)
            ins.append("c")
        c.node("Gemm", ins, ["y"], **attrs)
        c.output("y")
        s.add(c)

    gemm("gemm_basic", [4, 8], [8, 5], [5])
    gemm("gemm_transb_linear", [1, 16], [10, 16], [10], transB=1)  # nn.Linear export
    gemm("gemm_transa", [8, 4], [8, 5], [5], transA=1)
    gemm("gemm_transa_transb", [8, 4], [5, 8], [4, 5], transA=1, transB=1)
    gemm("gemm_alpha_beta", [4, 8], [8, 5], [4, 5], alpha=0.5, beta=2.0)
    gemm("gemm_alpha_no_c", [4, 8], [8, 5], alpha=1.5)
    gemm("gemm_no_c", [3, 7], [7, 6])
    gemm("gemm_c_column", [4, 8], [8, 5], [4, 1], beta=0.75)
    gemm("gemm_c_scalar", [4, 8], [8, 5], [1])
    gemm("gemm_all_inputs", [4, 8], [5, 8], [4, 5], c_input=True, b_input=True, transB=1)

    # Matrix-vector products with a constant rhs of at least one column panel
    # (mnn-pack-weights' rhs_panel: 64 columns on x86-64 AVX2 and AArch64,
    # 128 with AVX-512): full panels and a last partial one, with the
    # epilogue fused into both.
    c = Case("gemm_matrix_vector_panels")  # classifier head: 2 panels + 22
    c.input("a", [1, 200])
    c.weight("b", [150, 200])
    c.weight("c", [150])
    c.node("Gemm", ["a", "b", "c"], ["g"], transB=1)
    c.node("Relu", ["g"], ["y"])
    c.output("y")
    s.add(c)
    c = Case("matmul_vector_panels")  # rank-1 lhs; 2 panels + 2 columns
    c.input("a", [96])
    c.weight("w", [96, 130])
    c.node("MatMul", ["a", "w"], ["y"])
    c.output("y")
    s.add(c)
    c = Case("matmul_one_row_panels_residual")  # batch dims of 1, no tail
    c.input("a", [1, 1, 48])
    c.input("r", [1, 1, 128])
    c.weight("w", [48, 128])
    c.node("MatMul", ["a", "w"], ["m"])
    c.node("Add", ["m", "r"], ["y"])
    c.output("y")
    s.add(c)


def gen_elementwise(s):
    binary(s, "add_same_shape", "Add", [2, 3, 4, 5], [2, 3, 4, 5])
    binary(s, "add_bcast_channel_bias", "Add", [1, 3, 4, 5], [3, 1, 1], b_const=True)
    binary(s, "add_bcast_scalar_const", "Add", [2, 3, 4], [], b_const=True)
    binary(s, "add_bcast_last_dim", "Add", [2, 6, 16], [16], b_const=True)
    binary(s, "add_bcast_both", "Add", [2, 1, 4], [3, 1])
    binary(s, "sub_same_shape", "Sub", [3, 4, 5], [3, 4, 5])
    binary(s, "sub_bcast_row", "Sub", [2, 3, 4, 5], [5])
    c = Case("sub_const_minus_x")  # e.g. 1 - x
    c.input("x", [2, 8])
    c.f32("one", 1.0)
    c.node("Sub", ["one", "x"], ["y"])
    c.output("y")
    s.add(c)
    binary(s, "mul_same_shape", "Mul", [2, 3, 4, 5], [2, 3, 4, 5])
    binary(s, "mul_bcast_both", "Mul", [2, 1, 4, 1], [1, 3, 1, 5])
    binary(s, "mul_bcast_scalar_const", "Mul", [4, 6], [1], b_const=True)
    binary(s, "div_same_shape", "Div", [3, 4, 5], [3, 4, 5], b_gen=away_from_zero)
    binary(s, "div_bcast_channel", "Div", [2, 3, 4, 4], [1, 3, 1, 1], b_gen=away_from_zero)
    binary(s, "div_by_const_scalar", "Div", [1, 4, 6, 6], [], b_const=True,
           b_gen=lambda r, sh: np.full(sh, 2.8284271, np.float32))  # 1/sqrt(d) scaling
    binary(s, "div_const_by_x", "Div", [], [2, 5], b_gen=away_from_zero)  # rank-0 input

    # Pow: square (as in layer-norm decompositions), cube, sqrt-like, tensor exponent.
    binary(s, "pow_square_const", "Pow", [2, 3, 8], [], b_const=True,
           b_gen=lambda r, sh: np.full(sh, 2.0, np.float32))
    binary(s, "pow_cube_const", "Pow", [2, 3, 8], [], b_const=True,
           b_gen=lambda r, sh: np.full(sh, 3.0, np.float32))
    binary(s, "pow_half_const", "Pow", [4, 8], [1], b_const=True, a_gen=positive,
           b_gen=lambda r, sh: np.full(sh, 0.5, np.float32))
    binary(s, "pow_tensor_exponent", "Pow", [3, 5], [5], a_gen=positive,
           b_gen=lambda r, sh: r.uniform(-2, 2, sh).astype(np.float32))

    unary(s, "relu", "Relu", [2, 3, 4, 5])
    unary(s, "sigmoid", "Sigmoid", [2, 3, 8])
    unary(s, "tanh", "Tanh", [2, 3, 8])
    unary(s, "exp", "Exp", [2, 3, 8])
    unary(s, "sqrt", "Sqrt", [2, 3, 8], gen=positive)
    unary(s, "erf", "Erf", [2, 3, 8])
    unary(s, "erf_wide_range", "Erf", [64],
          gen=lambda r, sh: np.linspace(-6, 6, sh[0]).astype(np.float32))
    unary(s, "hardsigmoid_default", "HardSigmoid", [2, 3, 8])
    unary(s, "hardsigmoid_torch", "HardSigmoid", [2, 3, 8],
          gen=lambda r, sh: (r.standard_normal(sh) * 4).astype(np.float32),
          alpha=1.0 / 6.0, beta=0.5)  # torch.nn.Hardsigmoid export
    unary(s, "hardswish", "HardSwish", [2, 3, 8],
          gen=lambda r, sh: (r.standard_normal(sh) * 4).astype(np.float32))
    unary(s, "identity", "Identity", [2, 3, 4])

    # Gelu (opset 20 op) in both approximations, and the opset-17 Erf decomposition
    # that torch exports: y = x * 0.5 * (1 + erf(x / sqrt(2))).
    unary(s, "gelu_opset20", "Gelu", [2, 4, 16], opset=20)
    unary(s, "gelu_tanh_opset20", "Gelu", [2, 4, 16], opset=20, approximate="tanh")
    c = Case("gelu_erf_decomposition")
    c.input("x", [2, 4, 16])
    c.f32("sqrt2", 1.4142135381698608)
    c.f32("one", 1.0)
    c.f32("half", 0.5)
    c.node("Div", ["x", "sqrt2"], ["t0"])
    c.node("Erf", ["t0"], ["t1"])
    c.node("Add", ["t1", "one"], ["t2"])
    c.node("Mul", ["x", "t2"], ["t3"])
    c.node("Mul", ["t3", "half"], ["y"])
    c.output("y")
    s.add(c)

    # Clip: min/max are inputs since opset 11 (attributes before).
    c = Case("clip_min_max")
    c.input("x", [2, 3, 8])
    c.f32("lo", -0.5)
    c.f32("hi", 0.75)
    c.node("Clip", ["x", "lo", "hi"], ["y"])
    c.output("y")
    s.add(c)
    c = Case("clip_relu6")
    c.input("x", [1, 4, 5, 5], gen=lambda r, sh: (r.standard_normal(sh) * 5).astype(np.float32))
    c.f32("lo", 0.0)
    c.f32("hi", 6.0)
    c.node("Clip", ["x", "lo", "hi"], ["y"])
    c.output("y")
    s.add(c)
    c = Case("clip_min_only")
    c.input("x", [2, 8])
    c.f32("lo", 0.1)
    c.node("Clip", ["x", "lo", ""], ["y"])  # empty name = absent max
    c.output("y")
    s.add(c)
    c = Case("clip_max_only")
    c.input("x", [2, 8])
    c.f32("hi", 0.1)
    c.node("Clip", ["x", "", "hi"], ["y"])
    c.output("y")
    s.add(c)
    unary(s, "clip_no_bounds", "Clip", [2, 8])
    unary(s, "clip_opset6_attributes", "Clip", [2, 3, 8], opset=6, min=-0.25, max=0.5)

    # Constant nodes in their different attribute forms.
    c = Case("constant_tensor_add")
    c.input("x", [2, 3])
    c.node("Constant", [], ["k"],
           value=numpy_helper.from_array(c.rng.standard_normal((2, 3)).astype(np.float32)))
    c.node("Add", ["x", "k"], ["y"])
    c.output("y")
    s.add(c)
    c = Case("constant_value_float")
    c.input("x", [2, 3])
    c.node("Constant", [], ["k"], value_float=0.125)
    c.node("Mul", ["x", "k"], ["y"])
    c.output("y")
    s.add(c)
    c = Case("constant_value_ints_reshape")
    c.input("x", [2, 3, 4])
    c.node("Constant", [], ["shape"], value_ints=[6, 4])
    c.node("Reshape", ["x", "shape"], ["y"])
    c.output("y")
    s.add(c)

    # Dropout in inference: identity.
    unary(s, "dropout_opset17", "Dropout", [2, 3, 8])
    c = Case("dropout_ratio_mask_unused")
    c.input("x", [2, 3, 8])
    c.f32("ratio", 0.3)
    c.init("training", np.array(False))
    c.node("Dropout", ["x", "ratio", "training"], ["y", "mask"])  # mask is not a graph output
    c.output("y")
    s.add(c)
    unary(s, "dropout_opset11_ratio_attr", "Dropout", [2, 3, 8], opset=11, ratio=0.2)


def gen_softmax_norm(s):
    unary(s, "softmax_last_axis", "Softmax", [2, 3, 10], axis=-1)
    unary(s, "softmax_axis1", "Softmax", [2, 5, 4], axis=1)
    unary(s, "softmax_axis0", "Softmax", [3, 4], axis=0)
    unary(s, "softmax_attention_4d", "Softmax", [1, 4, 6, 6],
          gen=lambda r, sh: (r.standard_normal(sh) * 3).astype(np.float32), axis=-1)
    unary(s, "softmax_large_logits", "Softmax", [2, 16],
          gen=lambda r, sh: (r.standard_normal(sh) * 30 + 50).astype(np.float32), axis=1)
    # Rows of 8 or more take the vector lowering: 37 = 4 whole vectors + a
    # masked 5 (with some -inf logits: exp gives 0), and 1000 classes.
    unary(s, "softmax_rows_masked_tail", "Softmax", [3, 2, 37],
          gen=lambda r, sh: np.where(r.random(sh) < 0.1, -np.inf,
                                     r.standard_normal(sh) * 4).astype(np.float32), axis=-1)
    unary(s, "softmax_rows_1000", "Softmax", [2, 1000],
          gen=lambda r, sh: (r.standard_normal(sh) * 5).astype(np.float32), axis=-1)
    # Before opset 13, Softmax flattens to 2-D at `axis` (softmax over all trailing dims).
    unary(s, "softmax_opset11_axis1_coerced", "Softmax", [2, 3, 4], opset=11, axis=1)
    unary(s, "softmax_opset11_default_axis", "Softmax", [2, 3, 4], opset=11)
    unary(s, "softmax_opset13_axis1", "Softmax", [2, 3, 4], opset=13, axis=1)

    def layernorm(name, shape, axis, bias=True, eps=1e-5, x_scale=1.0, x_offset=0.3):
        c = Case(name)
        c.input("x", shape, gen=lambda r, sh: (r.standard_normal(sh) * x_scale + x_offset)
                .astype(np.float32))
        norm_shape = shape[axis:]
        c.weight("gamma", norm_shape)
        ins = ["x", "gamma"]
        if bias:
            c.weight("beta", norm_shape)
            ins.append("beta")
        c.node("LayerNormalization", ins, ["y"], axis=axis, epsilon=eps)
        c.output("y")
        s.add(c)

    layernorm("layernorm_last_axis", [2, 5, 16], -1)
    layernorm("layernorm_no_bias", [2, 5, 16], -1, bias=False)
    layernorm("layernorm_last_two_axes", [2, 4, 6, 8], -2)
    layernorm("layernorm_axis1_eps", [3, 4, 5], 1, eps=1e-3, x_scale=0.05)
    # Rows of 8 or more take the vector lowering: 37 = 4 vectors + a masked
    # 5, rows far from zero (the deviations are summed in a second pass).
    layernorm("layernorm_rows_tail_offset", [4, 37], -1, bias=False, x_offset=50.0)

    # The decomposition older torch exports produce for nn.LayerNorm:
    # m = ReduceMean(x); d = x - m; v = ReduceMean(d^2); y = d / sqrt(v + eps) * g + b
    def layernorm_decomp(name, opset, axes_as_input, const_nodes):
        c = Case(name, opset)
        c.input("x", [2, 6, 16])
        c.weight("gamma", [16])
        c.weight("beta", [16])

        def const(nm, val):
            if const_nodes:
                c.node("Constant", [], [nm], value=numpy_helper.from_array(
                    np.asarray(val, np.float32), nm))
            else:
                c.f32(nm, val)

        const("two", 2.0)
        const("eps", 1e-5)
        if axes_as_input:
            c.i64("axes", [-1])
            c.node("ReduceMean", ["x", "axes"], ["mean"], keepdims=1)
        else:
            c.node("ReduceMean", ["x"], ["mean"], axes=[-1], keepdims=1)
        c.node("Sub", ["x", "mean"], ["d"])
        c.node("Pow", ["d", "two"], ["d2"])
        if axes_as_input:
            c.node("ReduceMean", ["d2", "axes"], ["var"], keepdims=1)
        else:
            c.node("ReduceMean", ["d2"], ["var"], axes=[-1], keepdims=1)
        c.node("Add", ["var", "eps"], ["ve"])
        c.node("Sqrt", ["ve"], ["sd"])
        c.node("Div", ["d", "sd"], ["n"])
        c.node("Mul", ["n", "gamma"], ["ng"])
        c.node("Add", ["ng", "beta"], ["y"])
        c.output("y")
        s.add(c)

    layernorm_decomp("layernorm_decomposed", 17, False, False)
    layernorm_decomp("layernorm_decomposed_const_nodes", 13, False, True)
    layernorm_decomp("layernorm_decomposed_opset18", 18, True, False)

    c = Case("batchnorm_alone")
    c.input("x", [2, 4, 5, 5])
    c.weight("scale", [4])
    c.weight("bias", [4])
    c.weight("mean", [4], scale=0.5)
    c.positive("var", [4], 0.2, 2.0)
    c.node("BatchNormalization", ["x", "scale", "bias", "mean", "var"], ["y"], epsilon=1e-5)
    c.output("y")
    s.add(c)
    c = Case("batchnorm_2d_input")  # BatchNorm1d on [N, C]
    c.input("x", [3, 6])
    c.weight("scale", [6])
    c.weight("bias", [6])
    c.weight("mean", [6], scale=0.5)
    c.positive("var", [6], 0.2, 2.0)
    c.node("BatchNormalization", ["x", "scale", "bias", "mean", "var"], ["y"], epsilon=1e-3)
    c.output("y")
    s.add(c)

    def reduce_mean(name, shape, axes, keepdims, opset=DEFAULT_OPSET):
        c = Case(name, opset)
        c.input("x", shape)
        attrs = {"keepdims": keepdims}
        ins = ["x"]
        if axes is not None:
            if opset >= 18:
                c.i64("axes", axes)
                ins.append("axes")
            else:
                attrs["axes"] = axes
        c.node("ReduceMean", ins, ["y"], **attrs)
        c.output("y")
        s.add(c)

    reduce_mean("reducemean_keepdims1", [2, 3, 4, 5], [-1], 1)
    reduce_mean("reducemean_keepdims0", [2, 3, 4, 5], [-1], 0)
    reduce_mean("reducemean_spatial_keepdims1", [1, 8, 5, 7], [2, 3], 1)  # like GAP
    reduce_mean("reducemean_spatial_keepdims0", [1, 8, 5, 7], [2, 3], 0)
    reduce_mean("reducemean_axis0_keepdims0", [4, 3], [0], 0)
    reduce_mean("reducemean_all_axes", [2, 3, 4], None, 1)
    reduce_mean("reducemean_opset18_axes_input", [2, 3, 4, 5], [1, -1], 0, opset=18)


def gen_shape_ops(s):
    def transpose(name, shape, perm, opset=DEFAULT_OPSET):
        attrs = {"perm": perm} if perm is not None else {}
        unary(s, name, "Transpose", shape, opset=opset, **attrs)

    transpose("transpose_2d", [3, 5], [1, 0])
    transpose("transpose_nchw_to_nhwc", [1, 3, 4, 5], [0, 2, 3, 1])
    transpose("transpose_attention_heads", [1, 6, 4, 8], [0, 2, 1, 3])
    transpose("transpose_default_reverse", [2, 3, 4], None)
    transpose("transpose_opset21", [2, 3, 4], [2, 0, 1], opset=21)

    def reshape(name, shape, target, opset=DEFAULT_OPSET):
        c = Case(name, opset)
        c.input("x", shape)
        c.i64("shape", target)
        c.node("Reshape", ["x", "shape"], ["y"])
        c.output("y")
        s.add(c)

    reshape("reshape_basic", [2, 3, 4], [6, 4])
    reshape("reshape_minus_one", [2, 3, 4], [-1, 4])
    reshape("reshape_minus_one_last", [2, 3, 4], [2, -1])
    reshape("reshape_zero_copies_dim", [2, 3, 4], [0, -1])
    reshape("reshape_zero_zero_minus_one", [2, 3, 4, 5], [0, 0, -1])
    reshape("reshape_split_heads", [1, 6, 32], [1, 6, 4, 8])
    reshape("reshape_to_flat", [2, 3, 4], [-1])
    reshape("reshape_opset21", [2, 3, 4], [4, 0, -1], opset=21)

    def flatten(name, shape, axis, opset=DEFAULT_OPSET):
        unary(s, name, "Flatten", shape, opset=opset, **({} if axis is None else {"axis": axis}))

    flatten("flatten_default", [2, 3, 4, 5], None)
    flatten("flatten_axis0", [2, 3, 4], 0)
    flatten("flatten_axis2", [2, 3, 4, 5], 2)
    flatten("flatten_axis_neg1", [2, 3, 4], -1)
    flatten("flatten_opset21", [2, 3, 4], 1, opset=21)

    c = Case("concat_axis1_three")
    c.input("a", [1, 2, 4, 4])
    c.input("b", [1, 3, 4, 4])
    c.input("c", [1, 1, 4, 4])
    c.node("Concat", ["a", "b", "c"], ["y"], axis=1)
    c.output("y")
    s.add(c)
    c = Case("concat_last_axis")
    c.input("a", [2, 3, 2])
    c.input("b", [2, 3, 5])
    c.node("Concat", ["a", "b"], ["y"], axis=-1)
    c.output("y")
    s.add(c)
    # Concat operands produced by ops are written in place into the concat's
    # output (its channel slices): two convs, a nested concat, a graph input
    # (copied) and the same value twice (copied). Followed by a Sigmoid, the
    # concat's output is an arena buffer; returned through a view (Flatten),
    # it is the caller's output buffer and its operands are copied.
    def concat_of_convs(name, last_op, **attrs):
        c = Case(name)
        c.input("x", [1, 4, 6, 6])
        c.weight("w1", [3, 4, 1, 1])
        c.weight("w2", [5, 4, 3, 3])
        c.weight("w3", [2, 4, 1, 1])
        c.node("Conv", ["x", "w1"], ["a"], kernel_shape=[1, 1])
        c.node("Relu", ["a"], ["ar"])
        c.node("Conv", ["x", "w2"], ["b"], kernel_shape=[3, 3], pads=[1, 1, 1, 1])
        c.node("Conv", ["x", "w3"], ["d"], kernel_shape=[1, 1])
        c.node("Concat", ["ar", "b"], ["inner"], axis=1)
        c.node("Concat", ["inner", "x", "d", "d"], ["cat"], axis=1)
        c.node(last_op, ["cat"], ["y"], **attrs)
        c.output("y")
        s.add(c)

    concat_of_convs("concat_in_place", "Sigmoid")
    concat_of_convs("concat_returned_through_view", "Flatten", axis=1)
    c = Case("concat_axis0_with_const")
    c.input("a", [2, 4])
    c.weight("k", [3, 4])
    c.node("Concat", ["k", "a"], ["y"], axis=0)
    c.output("y")
    s.add(c)

    # Split: sizes are an attribute up to opset 11, an input from 13, num_outputs from 18.
    c = Case("split_equal")
    c.input("x", [6, 4])
    c.node("Split", ["x"], ["y0", "y1", "y2"], axis=0)
    for o in ["y0", "y1", "y2"]:
        c.output(o)
    s.add(c)
    c = Case("split_sizes_input")
    c.input("x", [2, 7, 3])
    c.i64("split", [2, 5])
    c.node("Split", ["x", "split"], ["y0", "y1"], axis=1)
    c.output("y0")
    c.output("y1")
    s.add(c)
    c = Case("split_last_axis_equal")
    c.input("x", [2, 3, 12])
    c.node("Split", ["x"], ["q", "k", "v"], axis=-1)
    for o in ["q", "k", "v"]:
        c.output(o)
    s.add(c)
    c = Case("split_opset11_sizes_attr", 11)
    c.input("x", [6, 4])
    c.node("Split", ["x"], ["y0", "y1", "y2"], axis=0, split=[1, 2, 3])
    for o in ["y0", "y1", "y2"]:
        c.output(o)
    s.add(c)
    c = Case("split_opset18_num_outputs_uneven", 18)
    c.input("x", [2, 7])
    c.node("Split", ["x"], ["y0", "y1", "y2"], axis=1, num_outputs=3)  # 3, 3, 1
    for o in ["y0", "y1", "y2"]:
        c.output(o)
    s.add(c)

    # Slice: starts/ends/axes/steps are inputs since opset 10 (attributes in opset 1-9).
    def slice_case(name, shape, starts, ends, axes=None, steps=None):
        c = Case(name)
        c.input("x", shape)
        ins = ["x", c.i64("starts", starts), c.i64("ends", ends)]
        if axes is not None:
            ins.append(c.i64("axes", axes))
        if steps is not None:
            if axes is None:
                ins.append("")
            ins.append(c.i64("steps", steps))
        c.node("Slice", ins, ["y"])
        c.output("y")
        s.add(c)

    slice_case("slice_basic", [4, 10], [1, 2], [3, 8])
    slice_case("slice_axes_subset", [2, 3, 10], [2], [7], axes=[2])
    slice_case("slice_steps", [4, 10], [0, 1], [4, 10], axes=[0, 1], steps=[2, 3])
    slice_case("slice_negative_indices", [4, 10], [-3], [-1], axes=[-1])
    slice_case("slice_negative_step_reverse", [3, 6], [-1], [INT64_MIN], axes=[1], steps=[-1])
    slice_case("slice_negative_step_2", [10], [8], [1], axes=[0], steps=[-2])
    slice_case("slice_end_int64_max", [2, 8], [3], [INT64_MAX], axes=[1])
    slice_case("slice_clamped_out_of_range", [2, 8], [-100, 2], [100, 1000], axes=[0, 1])
    slice_case("slice_4d_channels", [1, 8, 4, 4], [2], [6], axes=[1])
    c = Case("slice_opset9_attributes", 9)
    c.input("x", [4, 10])
    c.node("Slice", ["x"], ["y"], starts=[1, -4], ends=[3, 1000], axes=[0, 1])
    c.output("y")
    s.add(c)

    # Gather with constant indices on runtime data.
    def gather(name, data_shape, indices, axis, opset=DEFAULT_OPSET):
        c = Case(name, opset)
        c.input("x", data_shape)
        c.i64("idx", indices)
        c.node("Gather", ["x", "idx"], ["y"], axis=axis)
        c.output("y")
        s.add(c)

    gather("gather_axis0", [5, 4], [3, 0, 3], 0)
    gather("gather_axis1_2d_indices", [3, 5, 2], [[0, 2], [4, 1]], 1)
    gather("gather_scalar_index", [2, 5, 3], 1, 1)  # x[:, 1] (rank drops)
    gather("gather_negative_index", [4, 6], [-1, -6], 1)
    gather("gather_last_axis", [2, 3, 4], [3, 1], -1)
    # Embedding lookup: constant table, runtime int64 indices.
    c = Case("gather_embedding_int64_input")
    c.weight("table", [10, 8])
    c.input("ids", [1, 5], dtype=np.int64,
            gen=lambda r, sh: r.integers(0, 10, sh).astype(np.int64))
    c.node("Gather", ["table", "ids"], ["y"], axis=0)
    c.output("y")
    s.add(c)

    # Shape -> Gather -> Unsqueeze -> Concat -> Reshape, as torch exports x.view(n, c, -1).
    def shape_subgraph(name, opset, symbolic):
        c = Case(name, opset)
        if symbolic:
            c.input("x", ["batch", 3, 4, 5], concrete=[2, 3, 4, 5])
        else:
            c.input("x", [2, 3, 4, 5])
        c.node("Shape", ["x"], ["shp"])
        c.i64("i0", 0)
        c.i64("i1", 1)
        c.node("Gather", ["shp", "i0"], ["d0"], axis=0)
        c.node("Gather", ["shp", "i1"], ["d1"], axis=0)
        if opset >= 13:
            c.i64("ax0", [0])
            c.node("Unsqueeze", ["d0", "ax0"], ["u0"])
            c.node("Unsqueeze", ["d1", "ax0"], ["u1"])
        else:
            c.node("Unsqueeze", ["d0"], ["u0"], axes=[0])
            c.node("Unsqueeze", ["d1"], ["u1"], axes=[0])
        c.i64("minus1", [-1])
        c.node("Concat", ["u0", "u1", "minus1"], ["newshape"], axis=0)
        c.node("Reshape", ["x", "newshape"], ["r"])
        c.node("Relu", ["r"], ["y"])
        c.output("y")
        s.add(c)

    shape_subgraph("shape_gather_concat_reshape", 17, False)
    shape_subgraph("shape_gather_concat_reshape_opset11", 11, False)
    shape_subgraph("shape_gather_concat_reshape_symbolic", 17, True)

    # Shape as a graph output (int64) and with start/end (opset 15+).
    c = Case("shape_output_int64")
    c.input("x", [2, 3, 4])
    c.node("Shape", ["x"], ["y"])
    c.output("y", np.int64)
    s.add(c)
    c = Case("shape_start_end")  # reshape [2,3,4,5] -> [d0, d1*d2, d3] via Shape slices
    c.input("x", [2, 3, 4, 5])
    c.node("Shape", ["x"], ["first"], end=1)  # [2]
    c.node("Shape", ["x"], ["mid"], start=1, end=-1)  # [3, 4]
    c.node("ReduceProd", ["mid"], ["prod"], keepdims=1)  # [12]
    c.node("Shape", ["x"], ["last"], start=-1)  # [5]
    c.node("Concat", ["first", "prod", "last"], ["newshape"], axis=0)
    c.node("Reshape", ["x", "newshape"], ["y"])
    c.output("y")
    s.add(c)

    # Unsqueeze / Squeeze: axes attribute up to opset 11, input from opset 13.
    def unsqueeze(name, shape, axes, opset=DEFAULT_OPSET):
        c = Case(name, opset)
        c.input("x", shape)
        if opset >= 13:
            c.i64("axes", axes)
            c.node("Unsqueeze", ["x", "axes"], ["y"])
        else:
            c.node("Unsqueeze", ["x"], ["y"], axes=axes)
        c.output("y")
        s.add(c)

    unsqueeze("unsqueeze_axis0", [3, 4], [0])
    unsqueeze("unsqueeze_multi_negative", [3, 4], [1, -1])
    unsqueeze("unsqueeze_opset11_attr", [3, 4], [0, 3], opset=11)
    unsqueeze("unsqueeze_opset21", [3, 4], [2], opset=21)

    def squeeze(name, shape, axes, opset=DEFAULT_OPSET):
        c = Case(name, opset)
        c.input("x", shape)
        if axes is None:
            c.node("Squeeze", ["x"], ["y"])
        elif opset >= 13:
            c.i64("axes", axes)
            c.node("Squeeze", ["x", "axes"], ["y"])
        else:
            c.node("Squeeze", ["x"], ["y"], axes=axes)
        c.output("y")
        s.add(c)

    squeeze("squeeze_axis", [1, 3, 1, 4], [0])
    squeeze("squeeze_negative_axis", [3, 4, 1], [-1])
    squeeze("squeeze_all_ones", [1, 3, 1, 4], None)
    squeeze("squeeze_opset11_attr", [1, 3, 1, 4], [0, 2], opset=11)
    squeeze("squeeze_opset21", [1, 3, 1, 4], [2], opset=21)


def gen_pool_conv(s):
    def pool(name, op, shape, opset=DEFAULT_OPSET, **attrs):
        unary(s, name, op, shape, opset=opset, **attrs)

    pool("maxpool_k2_s2", "MaxPool", [1, 3, 8, 8], kernel_shape=[2, 2], strides=[2, 2])
    pool("maxpool_k3_s2_pad1", "MaxPool", [1, 4, 9, 9], kernel_shape=[3, 3], strides=[2, 2],
         pads=[1, 1, 1, 1])  # resnet stem
    pool("maxpool_k3_s2_ceil", "MaxPool", [1, 4, 10, 10], kernel_shape=[3, 3], strides=[2, 2],
         ceil_mode=1)  # squeezenet
    pool("maxpool_k3_s1_same", "MaxPool", [1, 2, 6, 6], kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    pool("maxpool_asym_pads", "MaxPool", [1, 2, 7, 6], kernel_shape=[2, 3], strides=[2, 1],
         pads=[0, 1, 1, 0])
    pool("maxpool_nonsquare_input", "MaxPool", [2, 3, 6, 10], kernel_shape=[2, 2],
         strides=[2, 2])
    # Stride 2 with at least 8 output columns: the vector path (8-column
    # chunks, the last overlapping; tap 2 read from element 1).
    pool("maxpool_k3_s2_vector", "MaxPool", [1, 3, 13, 39], kernel_shape=[3, 3],
         strides=[2, 2])
    pool("maxpool_k3_s2_vector_pad_ceil", "MaxPool", [1, 2, 12, 40], kernel_shape=[3, 3],
         strides=[2, 2], pads=[1, 1, 1, 1], ceil_mode=1)
    pool("maxpool_k1_s2_vector", "MaxPool", [1, 2, 9, 17], kernel_shape=[1, 1],
         strides=[2, 2])
    pool("maxpool_k4_s2_vector", "MaxPool", [1, 2, 10, 36], kernel_shape=[4, 4],
         strides=[2, 2])
    pool("maxpool_negative_input", "MaxPool", [1, 2, 5, 5], kernel_shape=[3, 3],
         strides=[2, 2], pads=[1, 1, 1, 1],
         gen=lambda r, sh: (-np.abs(r.standard_normal(sh)) - 1).astype(np.float32))
    pool("avgpool_k2_s2", "AveragePool", [1, 3, 8, 8], kernel_shape=[2, 2], strides=[2, 2])
    pool("avgpool_pad_exclude", "AveragePool", [1, 3, 7, 7], kernel_shape=[3, 3],
         pads=[1, 1, 1, 1], count_include_pad=0)
    pool("avgpool_pad_include", "AveragePool", [1, 3, 7, 7], kernel_shape=[3, 3],
         pads=[1, 1, 1, 1], count_include_pad=1)
    pool("avgpool_k3_s2_pad_include", "AveragePool", [1, 2, 8, 8], kernel_shape=[3, 3],
         strides=[2, 2], pads=[1, 1, 1, 1], count_include_pad=1)
    pool("avgpool_k3_s2_pad_exclude", "AveragePool", [1, 2, 8, 8], kernel_shape=[3, 3],
         strides=[2, 2], pads=[1, 1, 1, 1], count_include_pad=0)
    unary(s, "global_avgpool", "GlobalAveragePool", [1, 8, 5, 7])
    unary(s, "global_avgpool_batch2", "GlobalAveragePool", [2, 4, 3, 3])

    def conv(name, x_shape, out_c, k, bias=True, group=1, post=None, compile_args=(),
             **attrs):
        """Conv with constant weights; `post` adds Relu/BN/residual after it."""
        c = Case(name)
        c.compile_args = list(compile_args)
        c.input("x", x_shape)
        cin = x_shape[1]
        kh, kw = (k, k) if isinstance(k, int) else k
        if post == "add_input_relu":  # output shape of a 'same' conv
            c.input("r", [x_shape[0], out_c] + x_shape[2:])
        fan_in = cin // group * kh * kw
        c.weight("w", [out_c, cin // group, kh, kw], scale=(2.0 / fan_in) ** 0.5)
        ins = ["x", "w"]
        if bias:
            ins.append(c.weight("b", [out_c], scale=0.1))
        attrs.setdefault("kernel_shape", [kh, kw])
        if group != 1:
            attrs["group"] = group
        out = "y" if post is None else "conv_out"
        c.node("Conv", ins, [out], **attrs)
        if post == "relu":
            c.node("Relu", [out], ["y"])
        elif post == "relu6":
            c.f32("lo", 0.0)
            c.f32("hi", 6.0)
            c.node("Clip", [out, "lo", "hi"], ["y"])
        elif post in ("bn", "bn_relu"):
            c.weight("bn_scale", [out_c])
            c.weight("bn_bias", [out_c], scale=0.5)
            c.weight("bn_mean", [out_c], scale=0.5)
            c.positive("bn_var", [out_c], 0.2, 2.0)
            bn_out = "y" if post == "bn" else "bn_out"
            c.node("BatchNormalization",
                   [out, "bn_scale", "bn_bias", "bn_mean", "bn_var"], [bn_out], epsilon=1e-5)
            if post == "bn_relu":
                c.node("Relu", [bn_out], ["y"])
        elif post == "residual":  # x + conv(x)
            c.node("Add", ["x", out], ["y"])
        elif post == "residual_relu":  # relu(conv(x) + x), resnet block tail
            c.node("Add", [out, "x"], ["sum"])
            c.node("Relu", ["sum"], ["y"])
        elif post == "add_input_relu":  # relu(conv(x) + r), r a second input
            c.node("Add", [out, "r"], ["sum"])
            c.node("Relu", ["sum"], ["y"])
        c.output("y")
        s.add(c)

    conv("conv3x3_pad1", [1, 3, 8, 8], 8, 3, pads=[1, 1, 1, 1])
    conv("conv3x3_stride2_pad1", [1, 4, 9, 9], 8, 3, strides=[2, 2], pads=[1, 1, 1, 1])
    conv("conv3x3_no_pad", [1, 3, 7, 7], 4, 3)
    conv("conv1x1", [1, 8, 6, 6], 16, 1)
    conv("conv1x1_stride2_no_bias", [1, 8, 7, 7], 12, 1, bias=False, strides=[2, 2])
    conv("conv_grouped", [1, 8, 6, 6], 12, 3, group=2, pads=[1, 1, 1, 1])
    conv("conv_grouped_4", [1, 8, 5, 5], 8, 1, group=4)
    conv("conv_depthwise_3x3_s1", [1, 8, 7, 7], 8, 3, group=8, pads=[1, 1, 1, 1])
    conv("conv_depthwise_3x3_s2", [1, 8, 9, 9], 8, 3, group=8, strides=[2, 2],
         pads=[1, 1, 1, 1])
    conv("conv_depthwise_s2_even_input", [1, 6, 8, 8], 6, 3, group=6, strides=[2, 2],
         pads=[1, 1, 1, 1], bias=False)
    conv("conv_depthwise_multiplier2", [1, 4, 6, 6], 8, 3, group=4, pads=[1, 1, 1, 1])
    conv("conv_depthwise_5x5", [1, 4, 8, 8], 4, 5, group=4, pads=[2, 2, 2, 2])
    conv("conv3x3_no_bias", [1, 3, 8, 8], 8, 3, bias=False, pads=[1, 1, 1, 1])
    conv("conv_dilation2", [1, 3, 10, 10], 4, 3, dilations=[2, 2], pads=[2, 2, 2, 2])
    conv("conv_asym_pads", [1, 3, 8, 8], 4, 3, pads=[0, 1, 1, 2])
    conv("conv7x7_s2_p3", [1, 3, 16, 16], 8, 7, strides=[2, 2], pads=[3, 3, 3, 3])
    conv("conv_nonsquare_input", [1, 3, 7, 11], 4, 3, pads=[1, 1, 1, 1])
    conv("conv_nonsquare_kernel", [1, 3, 8, 9], 4, (3, 1), pads=[1, 0, 1, 0])
    conv("conv_rect_stride", [1, 3, 9, 12], 4, 3, strides=[1, 2], pads=[1, 1, 1, 1])
    conv("conv_auto_pad_same_upper", [1, 3, 8, 8], 4, 3, strides=[2, 2], auto_pad="SAME_UPPER")
    conv("conv_batch2", [2, 3, 6, 6], 4, 3, pads=[1, 1, 1, 1])
    conv("conv_odd_channels", [1, 5, 6, 6], 7, 3, pads=[1, 1, 1, 1])
    conv("conv_relu", [1, 3, 8, 8], 8, 3, post="relu", pads=[1, 1, 1, 1])
    conv("conv_relu6", [1, 3, 8, 8], 8, 3, post="relu6", pads=[1, 1, 1, 1])
    conv("conv_bn", [1, 3, 8, 8], 8, 3, post="bn", pads=[1, 1, 1, 1])
    conv("conv_no_bias_bn_relu", [1, 4, 8, 8], 8, 3, bias=False, post="bn_relu",
         strides=[2, 2], pads=[1, 1, 1, 1])
    conv("conv_depthwise_bn_relu", [1, 8, 6, 6], 8, 3, group=8, bias=False,
         post="bn_relu", pads=[1, 1, 1, 1])
    conv("conv_add_residual", [1, 4, 6, 6], 4, 3, post="residual", pads=[1, 1, 1, 1])
    conv("conv_add_residual_relu", [1, 4, 6, 6], 4, 1, post="residual_relu")

    # Depthwise convs over channel blocks (channels a multiple of the lanes, outputs
    # narrower than 16): rows under 8 pixels (masked reads), stride 2 with a 5x5
    # kernel, dilation, asymmetric pads, batch 2, a residual and relu6 epilogue.
    conv("conv_dw_blocked_7x7_relu6", [1, 16, 7, 7], 16, 3, group=16, post="relu6",
         pads=[1, 1, 1, 1])
    conv("conv_dw_blocked_5x5_s2", [1, 16, 14, 14], 16, 5, group=16, strides=[2, 2],
         pads=[2, 2, 2, 2])
    conv("conv_dw_blocked_dilated", [1, 8, 12, 12], 8, 3, group=8, dilations=[2, 2],
         pads=[2, 2, 2, 2])
    conv("conv_dw_blocked_asym_pads_batch2", [2, 8, 12, 12], 8, 3, group=8,
         pads=[0, 1, 1, 0], bias=False)
    conv("conv_dw_blocked_residual", [1, 8, 10, 10], 8, 3, group=8, post="residual",
         pads=[1, 1, 1, 1])
    # With 512-bit vectors (--cpu=native on an AVX-512 host) channels that 16 does
    # not divide take 8-channel blocks (the 8-channel cases above too); the 1x1
    # conv before such a depthwise conv writes its output plainly (mobilenet_v3_small's
    # 40 -> 120 expansion and 5x5 depthwise conv on 14x14, here 24 channels).
    c = Case("conv_dw_blocked_half_after_1x1_5x5")
    c.input("x", [1, 40, 14, 14])
    c.weight("w", [24, 40, 1, 1], scale=(2.0 / 40) ** 0.5)
    c.weight("b", [24], scale=0.1)
    c.weight("wd", [24, 1, 5, 5], scale=(2.0 / 25) ** 0.5)
    c.weight("bd", [24], scale=0.1)
    c.node("Conv", ["x", "w", "b"], ["e"], kernel_shape=[1, 1])
    c.node("HardSwish", ["e"], ["h"])
    c.node("Conv", ["h", "wd", "bd"], ["y"], kernel_shape=[5, 5], group=24, pads=[2, 2, 2, 2])
    c.output("y")
    s.add(c)

    # NaN in a conv's input stays NaN through its fused ReLU / relu6 / hard-swish (the
    # epilogue's max and min drop only the sign of zero, nsz: one vmaxps with the bound
    # first on x86).
    def with_nans(rng, shape):
        x = rng.standard_normal(shape).astype(np.float32)
        x[0, 3, 5, 7] = np.nan
        x[0, 0, 10, :] = np.nan
        return x

    for post, node in (("relu", "Relu"), ("relu6", "Clip"), ("hard_swish", "HardSwish")):
        c = Case(f"conv_{post}_nan_propagation")
        c.allow_nonfinite = True
        c.input("x", [1, 8, 20, 20], gen=with_nans)
        c.weight("w", [16, 8, 3, 3], scale=0.2)
        c.node("Conv", ["x", "w"], ["conv_out"], kernel_shape=[3, 3], pads=[1, 1, 1, 1])
        ins = ["conv_out"]
        if node == "Clip":
            ins += [c.f32("lo", 0.0), c.f32("hi", 6.0)]
        c.node(node, ins, ["y"])
        c.output("y")
        s.add(c)

    # A 1x1 conv whose output (over 2 MB) only a depthwise conv reads is
    # banded into it (mnn::bandedReader): the depthwise conv computes bands
    # of output rows, each from the rows the 1x1 conv computes into a band
    # buffer just before. Stride 2 with relu6 (mobilenet_v2's expansion);
    # 5x5 stride 1 with asymmetric pads and batch norm (bands whose last
    # rows are bottom padding); an inverted residual block whose 1x1 conv
    # reads an intermediate tensor and whose input is added at the end.
    def pointwise_depthwise(name, x_shape, mid_c, k, strides, pads, post, residual_block=False):
        c = Case(name)
        c.input("x", x_shape)
        cin = x_shape[1]
        src = "x"
        if residual_block:
            c.weight("w0", [cin, cin, 1, 1], scale=(2.0 / cin) ** 0.5)
            c.node("Conv", ["x", "w0"], ["x0"], kernel_shape=[1, 1])
            src = "x0"
        c.weight("w1", [mid_c, cin, 1, 1], scale=(2.0 / cin) ** 0.5)
        c.weight("b1", [mid_c], scale=0.1)
        c.node("Conv", [src, "w1", "b1"], ["e"], kernel_shape=[1, 1])
        c.f32("lo", 0.0)
        c.f32("hi", 6.0)
        c.node("Clip", ["e", "lo", "hi"], ["e6"])
        c.weight("w2", [mid_c, 1, k, k], scale=(2.0 / (k * k)) ** 0.5)
        c.weight("b2", [mid_c], scale=0.1)
        c.node("Conv", ["e6", "w2", "b2"], ["d"], kernel_shape=[k, k], group=mid_c,
               strides=strides, pads=pads)
        if post == "relu6":
            c.node("Clip", ["d", "lo", "hi"], ["y" if not residual_block else "d6"])
        else:
            c.weight("bn_scale", [mid_c])
            c.weight("bn_bias", [mid_c], scale=0.5)
            c.weight("bn_mean", [mid_c], scale=0.5)
            c.positive("bn_var", [mid_c], 0.2, 2.0)
            c.node("BatchNormalization", ["d", "bn_scale", "bn_bias", "bn_mean", "bn_var"],
                   ["y" if not residual_block else "d6"], epsilon=1e-5)
        if residual_block:
            c.weight("w3", [cin, mid_c, 1, 1], scale=(2.0 / mid_c) ** 0.5)
            c.node("Conv", ["d6", "w3"], ["p"], kernel_shape=[1, 1])
            c.node("Add", ["p", "x"], ["y"])
        c.output("y")
        s.add(c)

    pointwise_depthwise("conv_banded_pw_dw_s2_relu6", [1, 16, 128, 136], 32, 3, [2, 2],
                        [1, 1, 1, 1], "relu6")
    pointwise_depthwise("conv_banded_pw_dw_5x5_asym_bn", [1, 8, 100, 136], 40, 5, [1, 1],
                        [2, 1, 2, 3], "bn")
    pointwise_depthwise("conv_banded_inverted_residual", [1, 24, 72, 72], 144, 3, [1, 1],
                        [1, 1, 1, 1], "relu6", residual_block=True)
    # Under 2 MB the 1x1 conv's output is stored padded for the depthwise
    # conv, and the 1x1 conv zeroes each row's right pad and the next row's
    # left pad as it writes the rows (mnn::kPadRunAttr): 3x3 pads 1,
    # asymmetric 5x5 pads (left 1, right 3: runs of 4) and stride 2. The
    # e2e checks run them in an arena of NaNs, where a pad left unwritten
    # shows.
    pointwise_depthwise("conv_pad_runs_pw_dw_relu6", [1, 16, 56, 56], 64, 3, [1, 1],
                        [1, 1, 1, 1], "relu6")
    pointwise_depthwise("conv_pad_runs_pw_dw_5x5_asym_bn", [1, 8, 40, 44], 32, 5, [1, 1],
                        [2, 1, 2, 3], "bn")
    pointwise_depthwise("conv_pad_runs_pw_dw_s2_relu6", [1, 16, 48, 56], 48, 3, [2, 2],
                        [1, 1, 1, 1], "relu6")
    # A stem-like conv in pieces (its input is not padded: interior, top
    # row, left columns) storing its output padded for a depthwise conv,
    # which fills all of the border itself (pieces write no runs).
    c = Case("conv_pieces_stored_padded_dw")
    c.input("x", [1, 3, 96, 96])
    c.weight("w1", [16, 3, 3, 3], scale=(2.0 / 27) ** 0.5)
    c.weight("b1", [16], scale=0.1)
    c.node("Conv", ["x", "w1", "b1"], ["e"], kernel_shape=[3, 3], strides=[2, 2],
           pads=[1, 1, 1, 1])
    c.node("Relu", ["e"], ["r"])
    c.weight("w2", [16, 1, 3, 3], scale=(2.0 / 9) ** 0.5)
    c.node("Conv", ["r", "w2"], ["y"], kernel_shape=[3, 3], group=16, pads=[1, 1, 1, 1])
    c.output("y")
    s.add(c)
    # A one-row map whose 1x1 conv splits the row among its parallel tiles:
    # the runs follow all of them.
    c = Case("conv_pad_runs_long_row")
    c.input("x", [1, 16, 1, 4096])
    c.weight("w1", [32, 16, 1, 1], scale=(2.0 / 16) ** 0.5)
    c.node("Conv", ["x", "w1"], ["e"], kernel_shape=[1, 1])
    c.weight("w2", [32, 1, 1, 3], scale=(2.0 / 3) ** 0.5)
    c.node("Conv", ["e", "w2"], ["y"], kernel_shape=[1, 3], group=32, pads=[0, 1, 0, 1])
    c.output("y")
    s.add(c)

    # A conv whose output (over 2 MB) only a stride-2 max pool reads is banded
    # into the pool (mnn::bandedReader): per band of pool rows, the conv
    # computes the rows the band reads into a band buffer, then the pool
    # reads them. SqueezeNet's stem (3x3 stride 2 + ReLU, 64 channels on
    # 111x111, a 3x3 stride-2 ceil-mode pool: two bands of 28 and 27 rows); a 3x3
    # stride-1 conv with bias into a 2x2 pool whose bands are uneven (the
    # last shorter) and whose conv output has a row no pool window reads;
    # the SqueezeNet stem again with the pool writing its rows into its slice
    # of a concat (in place) that a ReLU reads; ResNet's stem (7x7 stride 2,
    # pads 3, a 3x3 stride-2 pool with pads 1: -inf borders, a padded copy
    # of the input); a padded 3x3 conv into a ceil-mode pool whose windows
    # run past the conv's last row and column (end padding).
    def banded_pool(name, x_shape, cout, k, stride, pool_k, relu, ceil, concat=False,
                    conv_pad=0, pool_pad=0):
        c = Case(name)
        c.input("x", x_shape)
        cin = x_shape[1]
        c.weight("w", [cout, cin, k, k], scale=(2.0 / (cin * k * k)) ** 0.5)
        c.weight("b", [cout], scale=0.1)
        c.node("Conv", ["x", "w", "b"], ["c"], kernel_shape=[k, k], strides=[stride, stride],
               pads=[conv_pad] * 4)
        src = "c"
        if relu:
            c.node("Relu", ["c"], ["r"])
            src = "r"
        c.node("MaxPool", [src], ["p" if concat else "y"], kernel_shape=[pool_k, pool_k],
               strides=[2, 2], ceil_mode=1 if ceil else 0, pads=[pool_pad] * 4)
        if concat:
            c.input("z", [1, 8, 55, 55])
            c.node("Concat", ["z", "p"], ["q"], axis=1)
            c.node("Relu", ["q"], ["y"])
        c.output("y")
        s.add(c)

    banded_pool("conv_banded_maxpool_stem", [1, 3, 224, 224], 64, 3, 2, 3, True, True)
    banded_pool("conv_banded_maxpool_k2_uneven", [1, 8, 133, 118], 48, 3, 1, 2, False, False)
    banded_pool("conv_banded_maxpool_into_concat", [1, 3, 224, 224], 64, 3, 2, 3, True, True,
                concat=True)
    banded_pool("conv_banded_maxpool_resnet_stem", [1, 3, 224, 224], 64, 7, 2, 3, True, False,
                conv_pad=3, pool_pad=1)
    banded_pool("conv_banded_maxpool_padded_ceil", [1, 4, 150, 170], 32, 3, 1, 3, False, True,
                conv_pad=1)

    # The banded conv's input stored padded by the conv before it (12 channels:
    # not Winograd), read in place; the pool padded.
    c = Case("conv_banded_maxpool_padded_input_stored")
    c.input("x", [1, 8, 120, 120])
    c.weight("wa", [12, 8, 3, 3], scale=(2.0 / 72) ** 0.5)
    c.node("Conv", ["x", "wa"], ["a"], kernel_shape=[3, 3])
    c.node("Relu", ["a"], ["ar"])
    c.weight("wb", [48, 12, 3, 3], scale=(2.0 / 108) ** 0.5)
    c.node("Conv", ["ar", "wb"], ["b"], kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    c.node("MaxPool", ["b"], ["y"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    c.output("y")
    s.add(c)

    # Stride-2 depthwise convs on pixel lanes (at least 16 output columns; with AVX2
    # their tiles keep the lane order of vshufps and restore it at the store): full
    # tiles and a narrower last one, a fused residual + ReLU (the residual is permuted
    # as it is read), a 5x5 kernel with relu6.
    def depthwise3x3_plus_residual(name, channels, hw, stride):
        """A biased 3x3 depthwise conv (pads 1) plus another input: "sum"."""
        c = Case(name)
        c.input("x", [1, channels, hw, hw])
        c.input("r", [1, channels, hw // stride, hw // stride])
        c.weight("w", [channels, 1, 3, 3], scale=(2.0 / 9) ** 0.5)
        c.weight("b", [channels], scale=0.1)
        c.node("Conv", ["x", "w", "b"], ["conv_out"], kernel_shape=[3, 3], group=channels,
               strides=[stride, stride], pads=[1, 1, 1, 1])
        c.node("Add", ["conv_out", "r"], ["sum"])
        return c

    c = depthwise3x3_plus_residual("conv_dw_s2_pixel_lanes_residual_relu", 16, 66, 2)
    c.node("Relu", ["sum"], ["y"])
    c.output("y")
    s.add(c)
    conv("conv_dw_s2_pixel_lanes_5x5_relu6", [1, 8, 40, 40], 8, 5, group=8, post="relu6",
         strides=[2, 2], pads=[2, 2, 2, 2])

    # Pixel-lane depthwise convs whose register tiles are output rows of one
    # channel (4 rows where 4 divides the map's rows, else 2): a fused residual
    # + ReLU6 over 28 rows, 2-row tiles (30 rows) with a narrower last column
    # tile, and stride 2 over 4-row tiles (AVX-512) with a 5x5 kernel.
    c = depthwise3x3_plus_residual("conv_dw_row_tiles_residual_relu6", 24, 28, 1)
    c.f32("lo", 0.0)
    c.f32("hi", 6.0)
    c.node("Clip", ["sum", "lo", "hi"], ["y"])
    c.output("y")
    s.add(c)
    conv("conv_dw_row_tiles_2_rows", [1, 12, 30, 37], 12, 3, group=12, post="relu",
         pads=[1, 1, 1, 1])
    conv("conv_dw_row_tiles_s2_5x5", [1, 8, 48, 64], 8, 5, group=8, strides=[2, 2],
         pads=[2, 2, 2, 2])

    # Direct convs over long reductions (not Winograd: 5x5, dilated, Cin not a
    # multiple of 8) take two vectors of output channels per tile: 7 pixels
    # with 512-bit vectors (14 and 7 columns whole, 28 as 4 x 7), 6 with AVX2
    # (14 = 12 + a 2-column conv of its own, 28 = 24 + 4; 7 columns keep one
    # vector by 7 pixels).
    conv("conv_wide_long_5x5_14x14_relu", [1, 36, 14, 14], 32, 5, post="relu",
         pads=[2, 2, 2, 2])
    conv("conv_wide_long_3x3_7x7_add_input_relu", [1, 36, 7, 7], 64, 3,
         post="add_input_relu", pads=[1, 1, 1, 1])
    conv("conv_wide_long_dilated_28x28", [1, 32, 28, 28], 32, 3, dilations=[2, 2],
         pads=[2, 2, 2, 2])

    # 1x1 convs over long reductions on maps over 512 pixels with at most 64
    # output channels read their NCHW rows directly (no panels), their
    # parallel tiles splitting the pixels: SqueezeNet's fire7 squeeze conv.
    conv("conv_1x1_long_27x27_cout32_direct", [1, 256, 27, 27], 32, 1, post="relu")

    # Padded direct convs on maps 32+ wide whose input is not stored padded
    # (a model input) compute the interior from the input in place and the
    # top/bottom rows and left/right column tiles from small padded windows
    # (directConvPieces): a stem (top row and left tile), one with all four
    # border pieces (asymmetric pads, dilation, residual, batch 2) and a
    # depthwise one.
    conv("conv_pieces_stem_3x3_s2", [1, 3, 100, 130], 16, 3, post="relu6",
         strides=[2, 2], pads=[1, 1, 1, 1])
    # 16 output channels over a short reduction on maps whose pieces are
    # multiples of 16 wide: 16-pixel channel-lane tiles with 512-bit vectors
    # (mobilenet_v3_small's stem), padded (pieces) and not.
    conv("conv_stem_3x3_s2_16px_tiles_pieces", [1, 3, 128, 192], 16, 3, post="relu6",
         strides=[2, 2], pads=[1, 1, 1, 1])
    conv("conv_stem_3x3_s2_16px_tiles", [2, 3, 65, 97], 16, 3, post="relu",
         strides=[2, 2])
    conv("conv_pieces_dilated_asym_residual_batch2", [2, 4, 20, 70], 4, 3,
         post="residual", dilations=[2, 2], pads=[1, 2, 3, 2])
    conv("conv_pieces_depthwise_34x50", [1, 16, 34, 50], 16, 3, group=16,
         pads=[1, 1, 1, 1])
    conv("conv_pieces_grouped_5x5_bn_relu", [1, 8, 24, 72], 12, 5, group=2,
         post="bn_relu", pads=[2, 2, 2, 2])

    # A channel-blocked depthwise conv feeding a packed-input 1x1 conv whose
    # panels are whole output rows (512-bit vectors: R = 14 on 14x14, 7 on
    # 7x7) stores its output as [N, H, C, W] and the 1x1 conv reads it there:
    # mobilenet_v2's projections, with the block's residual; a stride-2
    # depthwise conv and batch 2.
    for name, shape, cout, stride, residual in (
            ("dw_packed_1x1_panels_14x14_residual", [1, 64, 14, 14], 64, 1, True),
            ("dw_s2_packed_1x1_panels_7x7_batch2", [2, 96, 14, 14], 160, 2, False)):
        c = Case(name)
        c.input("x", shape)
        cin = shape[1]
        c.weight("wd", [cin, 1, 3, 3], scale=(2.0 / 9) ** 0.5)
        c.weight("bd", [cin], scale=0.1)
        c.weight("w", [cout, cin, 1, 1], scale=(2.0 / cin) ** 0.5)
        c.weight("b", [cout], scale=0.1)
        c.node("Conv", ["x", "wd", "bd"], ["d"], kernel_shape=[3, 3], group=cin,
               strides=[stride, stride], pads=[1, 1, 1, 1])
        c.node("Relu", ["d"], ["dr"])
        c.node("Conv", ["dr", "w", "b"], ["p" if residual else "y"], kernel_shape=[1, 1])
        if residual:
            c.node("Add", ["p", "x"], ["y"])
        c.output("y")
        s.add(c)

    # A chain of packed-input 1x1 convs with whole-row panels keeps the panels
    # between them, as input and as residual: mobilenet_v2's 14x14 block
    # (expansion, depthwise, projection plus the block's input) between two
    # 1x1 convs.
    c = Case("mv2_block_14x14_panels")
    c.input("x", [1, 64, 14, 14])
    c.f32("lo", 0.0)
    c.f32("hi", 6.0)
    for name, shape in (("w0", [64, 64, 1, 1]), ("we", [384, 64, 1, 1]), ("wd", [384, 1, 3, 3]),
                        ("wp", [64, 384, 1, 1]), ("wy", [96, 64, 1, 1])):
        fan_in = shape[1] * shape[2] * shape[3]
        c.weight(name, shape, scale=(2.0 / fan_in) ** 0.5)
        c.weight("b" + name[1:], [shape[0]], scale=0.1)
    c.node("Conv", ["x", "w0", "b0"], ["a"], kernel_shape=[1, 1])
    c.node("Conv", ["a", "we", "be"], ["e0"], kernel_shape=[1, 1])
    c.node("Clip", ["e0", "lo", "hi"], ["e"])
    c.node("Conv", ["e", "wd", "bd"], ["d0"], kernel_shape=[3, 3], group=384, pads=[1, 1, 1, 1])
    c.node("Clip", ["d0", "lo", "hi"], ["d"])
    c.node("Conv", ["d", "wp", "bp"], ["p0"], kernel_shape=[1, 1])
    c.node("Add", ["p0", "a"], ["p"])
    c.node("Conv", ["p", "wy", "by"], ["y"], kernel_shape=[1, 1])
    c.output("y")
    s.add(c)

    # A packed-input 1x1 conv with whole-row tiles whose only reader is a
    # channel-blocked depthwise conv stores its output into the depthwise
    # conv's padded channel blocks (512-bit vectors): blocks of 16 (240
    # channels, hard-swish) and of 32 (a 5x5 stride-2 depthwise conv).
    for name, shape, cout, k, stride, act in (
            ("packed_1x1_dw_blocks16_14x14_hardswish", [1, 96, 14, 14], 240, 3, 1, "HardSwish"),
            ("packed_1x1_dw_blocks32_5x5_s2", [1, 64, 14, 14], 128, 5, 2, "Relu")):
        c = Case(name)
        c.input("x", shape)
        cin = shape[1]
        c.weight("w", [cout, cin, 1, 1], scale=(2.0 / cin) ** 0.5)
        c.weight("b", [cout], scale=0.1)
        c.weight("wd", [cout, 1, k, k], scale=(2.0 / (k * k)) ** 0.5)
        c.weight("bd", [cout], scale=0.1)
        c.node("Conv", ["x", "w", "b"], ["e0"], kernel_shape=[1, 1])
        c.node(act, ["e0"], ["e"])
        c.node("Conv", ["e", "wd", "bd"], ["y"], kernel_shape=[k, k], group=cout,
               strides=[stride, stride], pads=[k // 2] * 4)
        c.output("y")
        s.add(c)

    # Strided convs over long reductions gather their windows into pixel panels
    # (packed input): 16 channels x 6 pixels with an overlapping last panel, 8 x 12
    # (24 output channels), asymmetric pads, dilation, batch 2, non-square maps.
    conv("conv_packed_3x3_s2", [1, 32, 14, 14], 32, 3, post="relu", strides=[2, 2],
         pads=[1, 1, 1, 1])
    conv("conv_packed_1x1_s2_cout24", [1, 64, 10, 10], 24, 1, strides=[2, 2])
    # A strided 1x1 conv over 64 channels packs its pixels on a larger map
    # too (ResNet-18's layer2 downsample; here 40x40 -> 20x20, with BN).
    conv("conv_packed_1x1_s2_64ch_40x40_bn", [1, 64, 40, 40], 128, 1, strides=[2, 2],
         post="bn")
    conv("conv_packed_s2_asym_dilated_batch2", [2, 32, 15, 13], 16, 3, bias=False,
         strides=[2, 2], pads=[0, 1, 1, 0], dilations=[2, 1])

    # 1x1 convs over long reductions on the panels that 512-bit vectors take
    # (--cpu=native on an AVX-512 host): 7 to 14 pixels x 32, 16 or 8 channels,
    # the panel count that overshoots the map least (7 on 7x7, 10 on 10x10, 13
    # on 13x13); with AVX2 6 x 16 or 12 x 8.
    conv("conv_packed_1x1_7x7_residual_relu", [1, 256, 7, 7], 256, 1,
         post="residual_relu")
    conv("conv_packed_1x1_10x10_cout48", [1, 256, 10, 10], 48, 1)
    # A Cout of at most 64 that 16 does not divide takes pixel lanes over the
    # flattened map instead (no panels, no split) where the output is stored
    # as whole planes: 13x13 = 169 pixels (a partial last vector), 7x7.
    conv("conv_direct_1x1_13x13_cout40_relu", [1, 256, 13, 13], 40, 1, post="relu")
    conv("conv_direct_1x1_7x7_cout24_bn", [1, 480, 7, 7], 24, 1, post="bn")
    # A pixel-lane 1x1 conv over at least 128 channels of an input larger
    # than half the L2 prefetches its lanes 64 elements ahead (SqueezeNet's
    # fire4 squeeze, 1.55 MB); 3025 pixels end in a partial vector, and the
    # prefetches of the last tiles run past the plane.
    conv("conv_direct_1x1_55x55_cin128_input_prefetch", [1, 128, 55, 55], 16, 1, post="relu")

    def conv1x1_plus_residual(name, cin, cout, hw):
        """A biased 1x1 conv plus another input of its output's shape."""
        c = Case(name)
        c.input("x", [1, cin, hw, hw])
        c.input("r", [1, cout, hw, hw])
        c.weight("w", [cout, cin, 1, 1], scale=(2.0 / cin) ** 0.5)
        c.weight("b", [cout], scale=0.1)
        c.node("Conv", ["x", "w", "b"], ["conv_out"], kernel_shape=[1, 1])
        c.node("Add", ["conv_out", "r"], ["y"])
        c.output("y")
        s.add(c)

    # The same over 144 channels into 24 (mobilenet_v2's 56x56 projection, with
    # its residual; 1.8 MB): 12 output channels per tile with 512-bit vectors.
    conv1x1_plus_residual("conv_direct_1x1_56x56_cin144_12_rows", 144, 24, 56)
    # With 512-bit vectors a Cout that 16 does not divide is split into a conv
    # over the whole vectors and one over the last 8 channels, concatenated in
    # place (SqueezeNet's 1000-class head, here 200 classes; the 8-channel part
    # on pixel lanes over its slice): above, the conv is the result (the concat
    # copies into it); here a pool reads it.
    c = Case("conv_packed_1x1_13x13_cout200_relu_avgpool")
    c.input("x", [1, 256, 13, 13])
    c.weight("w", [200, 256, 1, 1], scale=(2.0 / 256) ** 0.5)
    c.weight("b", [200], scale=0.1)
    c.node("Conv", ["x", "w", "b"], ["conv_out"], kernel_shape=[1, 1])
    c.node("Relu", ["conv_out"], ["act"])
    c.node("GlobalAveragePool", ["act"], ["y"])
    c.output("y")
    s.add(c)
    # mobilenet_v3_small's 240 -> 40 projections plus their block's input:
    # pixel lanes over the flattened 14x14 map with the residual fused.
    conv1x1_plus_residual("conv_direct_1x1_14x14_cout40_residual", 240, 40, 14)
    # Read by a padded conv, the 240 -> 40 conv's output would be stored padded
    # (its 14-pixel rows too short for pixel lanes): it keeps the panels, split
    # into 32 + 8 channels; with a residual (and no activation after it) the
    # split adds it after the concat.
    c = Case("conv_packed_1x1_14x14_cout40_residual_padded_reader")
    c.input("x", [1, 240, 14, 14])
    c.input("r", [1, 40, 14, 14])
    c.weight("w", [40, 240, 1, 1], scale=(2.0 / 240) ** 0.5)
    c.weight("b", [40], scale=0.1)
    c.weight("w3", [16, 40, 3, 3], scale=(2.0 / 360) ** 0.5)
    c.node("Conv", ["x", "w", "b"], ["conv_out"], kernel_shape=[1, 1])
    c.node("Add", ["conv_out", "r"], ["sum"])
    c.node("Conv", ["sum", "w3"], ["y"], kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    c.output("y")
    s.add(c)

    # Winograd (3x3, stride 1, group 1, channels multiples of 8). auto (>= 16 channels
    # each way): F(4,3) with >= 32 tiles of 4x4 outputs, else F(2,3) with >= 16 tiles of
    # 2x2, else direct. Output sizes divisible and not divisible by the tile, every
    # epilogue, Cin != Cout, batch 2, Cout 256 (several GEMM panels); --winograd=f2/f4
    # forces a tile size on other shapes. Tolerance: the default 1e-4 x max|ref|.
    conv("conv_wino_f4_24x24", [1, 16, 24, 24], 32, 3, pads=[1, 1, 1, 1])
    conv("conv_wino_f4_29x23_relu", [1, 16, 29, 23], 24, 3, post="relu", pads=[1, 1, 1, 1])
    conv("conv_wino_f4_26x22_residual_relu", [1, 32, 26, 22], 32, 3, post="residual_relu",
         pads=[1, 1, 1, 1])
    conv("conv_wino_f4_add_input_relu", [1, 16, 33, 20], 24, 3, post="add_input_relu",
         pads=[1, 1, 1, 1])
    conv("conv_wino_f4_no_pad_batch2", [2, 16, 18, 22], 16, 3, bias=False)
    conv("conv_wino_f4_asym_pads_bn", [1, 24, 27, 25], 16, 3, post="bn", pads=[0, 1, 1, 2])
    conv("conv_wino_f4_relu6", [1, 16, 16, 32], 16, 3, post="relu6", pads=[1, 1, 1, 1])
    conv("conv_wino_f2_7x7_bn_relu", [1, 32, 7, 7], 48, 3, post="bn_relu", pads=[1, 1, 1, 1])
    conv("conv_wino_f2_9x8_residual", [1, 16, 9, 8], 16, 3, post="residual",
         pads=[1, 1, 1, 1])
    conv("conv_wino_f2_cout256", [1, 16, 8, 8], 256, 3, post="relu", pads=[1, 1, 1, 1])
    # 16 tiles (7x7, 8x8, 8x7 maps): tiles as lanes ("winograd2t"), with 3
    # channel vectors in the input transform's parallel loop.
    conv("conv_wino_f2_tiles_as_lanes_8x7_residual_relu", [1, 24, 8, 7], 24, 3,
         post="residual_relu", pads=[1, 1, 1, 1])
    conv("conv_wino_auto_direct_6x6", [1, 16, 6, 6], 16, 3, pads=[1, 1, 1, 1])
    conv("conv_wino_force_f2_13x11_add_input_relu", [1, 16, 13, 11], 24, 3,
         post="add_input_relu", pads=[1, 1, 1, 1], compile_args=["--winograd=f2"])
    conv("conv_wino_force_f4_7x7_residual_relu", [1, 32, 7, 7], 32, 3, post="residual_relu",
         pads=[1, 1, 1, 1], compile_args=["--winograd=f4"])
    conv("conv_wino_force_f4_8ch_batch2", [2, 8, 6, 6], 8, 3, pads=[1, 1, 1, 1],
         compile_args=["--winograd=f4"])
    conv("conv_wino_off_24x24", [1, 16, 24, 24], 32, 3, pads=[1, 1, 1, 1],
         compile_args=["--winograd=off"])

def gen_composites(s):
    # A small MLP: Gemm -> Relu -> Gemm -> Softmax.
    c = Case("mlp_gemm_relu_softmax")
    c.input("x", [2, 16])
    c.weight("w1", [32, 16], scale=0.25)
    c.weight("b1", [32], scale=0.1)
    c.weight("w2", [10, 32], scale=0.2)
    c.weight("b2", [10], scale=0.1)
    c.node("Gemm", ["x", "w1", "b1"], ["h"], transB=1)
    c.node("Relu", ["h"], ["hr"])
    c.node("Gemm", ["hr", "w2", "b2"], ["logits"], transB=1)
    c.node("Softmax", ["logits"], ["y"], axis=-1)
    c.output("y")
    s.add(c)

    # Single-head-split self-attention on [1, 6, 16] with 2 heads of 8.
    c = Case("attention_block")
    c.input("x", [1, 6, 16])
    for w in ("wq", "wk", "wv", "wo"):
        c.weight(w, [16, 16], scale=0.25)
    c.i64("heads_shape", [1, 6, 2, 8])
    c.i64("merge_shape", [1, 6, 16])
    c.f32("scale", 8 ** 0.5)
    for p in ("q", "k", "v"):
        c.node("MatMul", ["x", "w" + p], [p + "_lin"])
        c.node("Reshape", [p + "_lin", "heads_shape"], [p + "_h"])
        perm = [0, 2, 3, 1] if p == "k" else [0, 2, 1, 3]
        c.node("Transpose", [p + "_h"], [p + "_t"], perm=perm)
    c.node("MatMul", ["q_t", "k_t"], ["scores"])  # [1,2,6,8] x [1,2,8,6]
    c.node("Div", ["scores", "scale"], ["scaled"])
    c.node("Softmax", ["scaled"], ["probs"], axis=-1)
    c.node("MatMul", ["probs", "v_t"], ["ctx"])  # [1,2,6,8]
    c.node("Transpose", ["ctx"], ["ctx_t"], perm=[0, 2, 1, 3])
    c.node("Reshape", ["ctx_t", "merge_shape"], ["merged"])
    c.node("MatMul", ["merged", "wo"], ["attn"])
    c.node("Add", ["x", "attn"], ["y"])
    c.output("y")
    s.add(c)

    # Squeeze-and-excitation gates read by a 1x1 conv (mnn-fold-channel-scale
    # moves the gate into the conv's weights where they are the smaller).
    def se_conv(name, x_shape, cout, residual=False, gate_input=False, k=1):
        c = Case(name)
        n, ch, h, w = x_shape
        c.input("x", x_shape)
        if gate_input:
            # One gate for the whole batch, given as an input.
            c.input("gate", [1, ch, 1, 1], gen=positive)
        else:
            c.weight("w1", [ch // 4, ch, 1, 1], scale=0.3)
            c.weight("b1", [ch // 4], scale=0.1)
            c.weight("w2", [ch, ch // 4, 1, 1], scale=0.3)
            c.weight("b2", [ch], scale=0.1)
            c.node("GlobalAveragePool", ["x"], ["pooled"])
            c.node("Conv", ["pooled", "w1", "b1"], ["fc1"], kernel_shape=[1, 1])
            c.node("Relu", ["fc1"], ["fc1r"])
            c.node("Conv", ["fc1r", "w2", "b2"], ["fc2"], kernel_shape=[1, 1])
            c.node("HardSigmoid", ["fc2"], ["gate"], alpha=1.0 / 6, beta=0.5)
        c.node("Mul", ["x", "gate"], ["scaled"])
        c.weight("w", [cout, ch, k, k], scale=(ch * k * k) ** -0.5)
        c.weight("b", [cout], scale=0.1)
        c.node("Conv", ["scaled", "w", "b"], ["proj" if residual else "y"], kernel_shape=[k, k],
               pads=[k // 2] * 4)
        if residual:
            c.input("res", [n, cout, h, w])
            c.node("Add", ["proj", "res"], ["y"])
        c.output("y")
        s.add(c)

    se_conv("se_gate_conv_pixel_lanes", [1, 96, 14, 14], 40)
    se_conv("se_gate_conv_packed_residual", [1, 144, 14, 14], 48, residual=True)
    se_conv("se_gate_conv_blocked_56", [1, 16, 56, 56], 16)
    # 96 x 576 weights, 576 x 7 x 7 activations: the product stays.
    se_conv("se_gate_conv_not_folded", [1, 576, 7, 7], 96, residual=True)
    # A per-sample gate over a batch of two stays; one shared gate folds.
    se_conv("se_gate_conv_batch2", [2, 32, 8, 8], 8)
    se_conv("se_gate_input_batch2_shared", [2, 32, 8, 8], 8, gate_input=True)
    # A Winograd 3x3 conv: the gate scales its transformed weights.
    se_conv("se_gate_conv_winograd_3x3", [1, 16, 56, 56], 16, k=3)

    # An input normalization, (x - mean) * (1 / std) with constants [3, 1, 1],
    # before a padded stride-2 stem: the scale folds into the stem's weights
    # at compile time (the mean stays: the padding is of x - mean).
    c = Case("input_normalization_stem")
    c.input("x", [1, 3, 40, 40])
    c.f32("mean", np.array([0.485, 0.456, 0.406], np.float32).reshape(3, 1, 1))
    c.f32("inv_std", (1 / np.array([0.229, 0.224, 0.225], np.float32)).reshape(3, 1, 1))
    c.weight("w", [16, 3, 3, 3], scale=0.3)
    c.weight("b", [16], scale=0.1)
    c.node("Sub", ["x", "mean"], ["centered"])
    c.node("Mul", ["centered", "inv_std"], ["normed"])
    c.node("Conv", ["normed", "w", "b"], ["conv"], kernel_shape=[3, 3], strides=[2, 2],
           pads=[1, 1, 1, 1])
    c.node("Relu", ["conv"], ["y"])
    c.output("y")
    s.add(c)

    # Two outputs, one of them an intermediate also consumed inside the graph.
    c = Case("multi_output_intermediate")
    c.input("x", [2, 8])
    c.node("Sigmoid", ["x"], ["s"])
    c.node("Mul", ["x", "s"], ["silu"])
    c.output("s")
    c.output("silu")
    s.add(c)

    # The model tests/e2e/check_bad_inputs.py compiles to feed mnn-run wrong inputs:
    # two inputs with distinctive names, so the error messages can be checked for them.
    c = Case("run_input_checks")
    c.input("pixels", [1, 3, 8, 8])
    c.input("bias_map", [1, 4, 8, 8])
    c.weight("w", [4, 3, 3, 3], scale=0.3)
    c.node("Conv", ["pixels", "w"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    c.node("Relu", ["c"], ["r"])
    c.node("Add", ["r", "bias_map"], ["scores"])
    c.output("scores")
    s.add(c)

    # Symbolic batch dim on a conv (needs --input-shape).
    c = Case("conv_relu_symbolic_batch")
    c.input("x", ["N", 3, 8, 8], concrete=[1, 3, 8, 8])
    c.weight("w", [4, 3, 3, 3], scale=0.3)
    c.weight("b", [4], scale=0.1)
    c.node("Conv", ["x", "w", "b"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    c.node("Relu", ["c"], ["y"])
    c.output("y")
    s.add(c)


# --------------------------------------------------------------------------------------
# Small ops built from other mnn ops at import (OnnxCompositeOps.cpp and friends)
# --------------------------------------------------------------------------------------


def gen_composite_ops(s):
    c = Case("lrn_size3")
    c.input("x", [1, 6, 5, 5])
    c.node("LRN", ["x"], ["y"], size=3, alpha=0.5, beta=0.75, bias=2.0)
    c.output("y")
    s.add(c)

    for p, pads in ((2, [0, 0, 0, 0]), (3, [1, 1, 1, 1])):
        c = Case(f"lppool_p{p}")
        c.input("x", [1, 3, 7, 7])
        c.node("LpPool", ["x"], ["y"], p=p, kernel_shape=[3, 3], strides=[2, 2], pads=pads)
        c.output("y")
        s.add(c)

    c = Case("globallppool_p1")
    c.input("x", [1, 3, 5, 4])
    c.node("GlobalLpPool", ["x"], ["y"], p=1)
    c.output("y")
    s.add(c)

    # Statistics that are graph inputs: no folding into a conv, computed at run time.
    c = Case("batchnorm_runtime_stats")
    c.input("x", [2, 3, 4, 4])
    c.input("scale", [3])
    c.input("bias", [3])
    c.input("mean", [3])
    c.input("var", [3], gen=positive)
    c.node("BatchNormalization", ["x", "scale", "bias", "mean", "var"], ["y"], epsilon=1e-3)
    c.output("y")
    s.add(c)

    c = Case("swish_alpha", opset=24)
    c.input("x", [2, 9])
    c.node("Swish", ["x"], ["y"], alpha=1.5)
    c.output("y")
    s.add(c)


    # Signal processing: DFT/STFT become matmuls with constant cos/sin matrices.
    c = Case("dft_rfft_axis1", opset=20)
    c.input("x", [2, 12, 3, 1])
    c.i64("axis", 1)
    c.node("DFT", ["x", "", "axis"], ["y"], onesided=1)
    c.output("y")
    s.add(c)

    c = Case("dft_inverse_complex_len10", opset=20)
    c.input("x", [1, 8, 2])
    c.i64("len", 10)
    c.i64("axis", -2)
    c.node("DFT", ["x", "len", "axis"], ["y"], inverse=1)
    c.output("y")
    s.add(c)

    c = Case("stft_hann_window", opset=17)
    c.input("signal", [1, 64, 1])
    c.i64("step", 8)
    c.i64("size", 16)
    c.node("HannWindow", ["size"], ["window"])
    c.node("STFT", ["signal", "step", "window"], ["y"], onesided=1)
    c.output("y")
    s.add(c)

    for align in (0, 1):
        c = Case(f"affine_grid_2d_align{align}", opset=20)
        c.input("theta", [2, 2, 3])
        c.i64("size", [2, 3, 4, 5])
        c.node("AffineGrid", ["theta", "size"], ["y"], align_corners=align)
        c.output("y")
        s.add(c)

    # GridSample: every mode and padding mode, coordinates reaching outside [-1, 1].
    for mode, pad, align in (("linear", "zeros", 0), ("nearest", "border", 1),
                             ("cubic", "reflection", 0), ("linear", "reflection", 1)):
        c = Case(f"grid_sample_{mode}_{pad}_align{align}", opset=20)
        c.input("x", [1, 2, 5, 6])
        c.input("grid", [1, 4, 3, 2],
                gen=lambda rng, shape: rng.uniform(-1.6, 1.6, shape).astype(np.float32))
        c.node("GridSample", ["x", "grid"], ["y"], mode=mode, padding_mode=pad,
               align_corners=align)
        c.output("y")
        s.add(c)

    c = Case("eyelike_k1")
    c.input("x", [3, 5])
    c.node("EyeLike", ["x"], ["e"], k=1)
    c.node("Add", ["x", "e"], ["y"])
    c.output("y")
    s.add(c)


# --------------------------------------------------------------------------------------
# Transformer blocks (opset 23): Attention, RMSNormalization, RotaryEmbedding
# --------------------------------------------------------------------------------------


def gen_transformer(s):
    # Grouped-query causal attention on 4-D inputs (4 query heads share 2 kv heads)
    # with a boolean padding mask.
    c = Case("attention_gqa_causal_bool_mask", opset=23)
    c.input("q", [1, 4, 5, 8])
    c.input("k", [1, 2, 7, 8])
    c.input("v", [1, 2, 7, 8])
    c.init("mask", np.array([[True] * 5 + [False] * 2] * 5))  # keys 5, 6 masked
    c.node("Attention", ["q", "k", "v", "mask"], ["y"], is_causal=1)
    c.output("y")
    s.add(c)

    # 3-D inputs with a KV cache: present_key/value and the scores are outputs too.
    c = Case("attention_3d_past_present", opset=23)
    c.input("q", [2, 3, 16])
    c.input("k", [2, 3, 16])
    c.input("v", [2, 3, 24])
    c.input("past_k", [2, 2, 4, 8])
    c.input("past_v", [2, 2, 4, 12])
    c.input("bias", [2, 2, 3, 7])
    c.node("Attention", ["q", "k", "v", "bias", "past_k", "past_v"],
           ["y", "present_k", "present_v", "qk"],
           q_num_heads=2, kv_num_heads=2, scale=0.3, softcap=2.0, qk_matmul_output_mode=0)
    for o in ("y", "present_k", "present_v", "qk"):
        c.output(o)
    s.add(c)

    c = Case("rms_normalization_axis1", opset=23)
    c.input("x", [2, 3, 4, 5])
    c.weight("scale", [3, 4, 5])
    c.node("RMSNormalization", ["x", "scale"], ["y"], axis=1, epsilon=1e-3)
    c.output("y")
    s.add(c)

    # Interleaved rotation of half of each head, positions looked up per token.
    c = Case("rotary_embedding_interleaved_partial", opset=23)
    c.input("x", [2, 3, 32])  # 4 heads of 8
    c.weight("cos", [16, 2])
    c.weight("sin", [16, 2])
    c.input("pos", [2, 3], dtype=np.int64, gen=lambda rng, shape: rng.integers(0, 16, shape))
    c.node("RotaryEmbedding", ["x", "cos", "sin", "pos"], ["y"],
           interleaved=1, rotary_embedding_dim=4, num_heads=4)
    c.output("y")
    s.add(c)

    # Opset-27 recurrent blocks; ONNX Runtime does not have them yet.
    c = Case("linear_attention_gated_delta_gqa", opset=27)
    c.onnx_reference = True
    c.input("q", [2, 5, 16])  # 4 query heads of 4
    c.input("k", [2, 5, 8])  # 2 kv heads of 4
    c.input("v", [2, 5, 6])  # 2 kv heads of 3
    c.input("state", [2, 2, 4, 3])
    c.input("decay", [2, 5, 2], gen=lambda rng, shape: -rng.uniform(0.01, 0.5, shape).astype(np.float32))
    c.input("beta", [2, 5, 2], gen=lambda rng, shape: rng.uniform(0.1, 0.9, shape).astype(np.float32))
    c.node("LinearAttention", ["q", "k", "v", "state", "decay", "beta"], ["y", "new_state"],
           q_num_heads=4, kv_num_heads=2, update_rule="gated_delta")
    c.output("y")
    c.output("new_state")
    s.add(c)

    # FlexAttention (ai.onnx.preview 1, not in ONNX Runtime): grouped-query heads,
    # a causal score_mod built from Shape/Range (folds at compile time) and a
    # prob_mod.
    c = Case("flex_attention_gqa_causal_mods", opset=26)
    c.onnx_reference = True
    c.domains = {"ai.onnx.preview": 1}
    c.input("q", [2, 4, 5, 8])
    c.input("k", [2, 2, 5, 8])
    c.input("v", [2, 2, 5, 6])
    scores = helper.make_tensor_value_info("scores", TensorProto.FLOAT, None)
    scores_out = helper.make_tensor_value_info("scores_out", TensorProto.FLOAT, None)
    score_mod = helper.make_graph(
        [
            helper.make_node("Shape", ["scores"], ["shp"]),
            helper.make_node("Gather", ["shp", "i2"], ["L"], axis=0),
            helper.make_node("Gather", ["shp", "i3"], ["S"], axis=0),
            helper.make_node("Range", ["zero", "L", "one"], ["qr"]),
            helper.make_node("Reshape", ["qr", "qshape"], ["qi"]),
            helper.make_node("Range", ["zero", "S", "one"], ["kr"]),
            helper.make_node("Reshape", ["kr", "kshape"], ["ki"]),
            helper.make_node("GreaterOrEqual", ["qi", "ki"], ["keep"]),
            helper.make_node("Where", ["keep", "scores", "neg_inf"], ["scores_out"]),
        ],
        "score_mod", [scores], [scores_out],
        [numpy_helper.from_array(np.array(v, np.int64), n)
         for n, v in [("zero", 0), ("one", 1), ("i2", 2), ("i3", 3),
                      ("qshape", [-1, 1]), ("kshape", [1, -1])]]
        + [numpy_helper.from_array(np.array(-np.inf, np.float32), "neg_inf")],
    )
    probs = helper.make_tensor_value_info("probs", TensorProto.FLOAT, None)
    probs_out = helper.make_tensor_value_info("probs_out", TensorProto.FLOAT, None)
    prob_mod = helper.make_graph(
        [helper.make_node("Sqrt", ["probs"], ["probs_out"])], "prob_mod", [probs],
        [probs_out])
    c.node("FlexAttention", ["q", "k", "v"], ["y"], domain="ai.onnx.preview",
           score_mod=score_mod, prob_mod=prob_mod, scale=0.2)
    c.output("y")
    s.add(c)

    c = Case("causal_conv_with_state_silu", opset=27)
    c.onnx_reference = True
    c.input("x", [2, 4, 6])
    c.weight("w", [4, 1, 3])
    c.weight("b", [4])
    c.input("past", [2, 4, 2])
    c.node("CausalConvWithState", ["x", "w", "b", "past"], ["y", "present"], activation="silu")
    c.output("y")
    c.output("present")
    s.add(c)


# --------------------------------------------------------------------------------------
# Recurrent layers and compile-time control flow
# --------------------------------------------------------------------------------------


def gen_recurrents(s):
    def rnn_case(name, op, T, B, I, H, direction="forward", layout=0, init_state=False,
                 bias=True, peephole=False, seq_lens=False, outputs=("Y", "Y_h", "Y_c"),
                 **attrs):
        gates = {"LSTM": 4, "GRU": 3, "RNN": 1}[op]
        D = 2 if direction == "bidirectional" else 1
        c = Case(name)
        c.input("X", [T, B, I] if layout == 0 else [B, T, I])
        c.weight("W", [D, gates * H, I], scale=0.5)
        c.weight("R", [D, gates * H, H], scale=0.5)
        ins = ["X", "W", "R"]
        ins.append(c.weight("B", [D, 2 * gates * H], scale=0.3) if bias else "")
        ins.append(c.init("seq_lens", np.full([B], T, np.int32)) if seq_lens else "")
        state = [D, B, H] if layout == 0 else [B, D, H]
        if init_state:
            ins.append(c.input("initial_h", state))
            if op == "LSTM":
                ins.append(c.input("initial_c", state))
        if peephole:
            while len(ins) < 7:
                ins.append("")
            ins.append(c.weight("P", [D, 3 * H], scale=0.5))
        while ins and ins[-1] == "":
            ins.pop()
        outs = [o if o in outputs else "" for o in (("Y", "Y_h", "Y_c") if op == "LSTM"
                                                     else ("Y", "Y_h"))]
        while outs[-1] == "":
            outs.pop()
        kw = dict(hidden_size=H, direction=direction, **attrs)
        if layout:
            kw["layout"] = layout
            # ONNX Runtime rejects layout 1 (and onnx.reference gets it wrong): the
            # reference is the layout-0 model on transposed inputs, outputs transposed.
            def reference(feeds, c=c, ins=list(ins), outs=list(outs), kw=dict(kw)):
                kw.pop("layout")
                ref = Case(c.name + "_layout0")
                perm = {"X": (1, 0, 2), "initial_h": (1, 0, 2), "initial_c": (1, 0, 2)}
                ref.inputs = [(n, dt, [sh[i] for i in perm[n]]) for n, dt, sh in c.inputs]
                ref.inits = c.inits
                ref.nodes = [helper.make_node(op, ins, outs, **kw)]
                ref.outputs = [(o, np.dtype(np.float32)) for o in outs if o]
                f0 = {k: np.ascontiguousarray(v.transpose(perm[k])) for k, v in feeds.items()}
                r = run_ort(ref.make_model(), f0)
                back = {"Y": (2, 0, 1, 3), "Y_h": (1, 0, 2), "Y_c": (1, 0, 2)}
                return {k: np.ascontiguousarray(v.transpose(back[k])) for k, v in r.items()}

            c.reference = reference
        c.node(op, ins, outs, **kw)
        for o in outs:
            if o:
                c.output(o)
        s.add(c)

    rnn_case("lstm_forward", "LSTM", 5, 2, 4, 3, init_state=True)
    rnn_case("lstm_bidirectional_peephole", "LSTM", 4, 3, 5, 4, direction="bidirectional",
             peephole=True, seq_lens=True)
    rnn_case("lstm_reverse_clip", "LSTM", 6, 1, 3, 5, direction="reverse", clip=0.7,
             init_state=True)
    rnn_case("lstm_layout1_no_bias", "LSTM", 3, 2, 4, 3, layout=1, bias=False,
             init_state=True)
    # Silero-VAD-like: one step, batch 1, only the states used.
    rnn_case("lstm_single_step_states", "LSTM", 1, 1, 16, 8, init_state=True,
             outputs=("Y_h", "Y_c"))
    rnn_case("gru_forward", "GRU", 5, 2, 4, 3, init_state=True)
    rnn_case("gru_bidirectional_lbr", "GRU", 4, 2, 3, 5, direction="bidirectional",
             linear_before_reset=1, init_state=True)
    rnn_case("gru_reverse_hardsigmoid", "GRU", 3, 2, 4, 3, direction="reverse",
             activations=["HardSigmoid", "Tanh"], activation_alpha=[0.3],
             activation_beta=[0.4], outputs=("Y",))
    rnn_case("gru_layout1", "GRU", 4, 3, 2, 4, layout=1, linear_before_reset=1,
             init_state=True)
    rnn_case("rnn_forward", "RNN", 5, 2, 4, 3, init_state=True)
    rnn_case("rnn_bidirectional_relu", "RNN", 4, 2, 3, 4, direction="bidirectional",
             activations=["Relu", "Tanh"])

    # If with a constant condition: only the taken branch is compiled; both branches
    # read values of the enclosing graph (x, w).
    def if_case(name, cond):
        c = Case(name)
        c.input("x", [2, 5])
        c.weight("w", [2, 5])
        c.init("cond", np.array(cond))
        out = helper.make_tensor_value_info("b_out", TensorProto.FLOAT, [2, 5])
        then_g = helper.make_graph([helper.make_node("Add", ["x", "w"], ["b_out"])],
                                   "then_g", [], [out])
        else_g = helper.make_graph(
            [helper.make_node("Mul", ["x", "w"], ["m"]),
             helper.make_node("Sigmoid", ["m"], ["b_out"])], "else_g", [], [out])
        c.node("If", ["cond"], ["t"], then_branch=then_g, else_branch=else_g)
        c.node("Relu", ["t"], ["y"])
        c.output("y")
        s.add(c)

    if_case("if_const_then", True)
    if_case("if_const_else", False)

    # Condition computed from the input's shape (folds at compile time): dim 1 is
    # 4 - 4 = 0 -> false -> else branch.
    c = Case("if_shape_condition")
    c.input("x", [3, 4])
    c.i64("idx", 1)
    c.i64("four", 4)
    c.node("Shape", ["x"], ["shp"])
    c.node("Gather", ["shp", "idx"], ["dim"], axis=0)
    c.node("Sub", ["dim", "four"], ["diff"])
    c.node("Cast", ["diff"], ["cond"], to=TensorProto.BOOL)
    out = helper.make_tensor_value_info("b_out", TensorProto.FLOAT, [3, 4])
    then_g = helper.make_graph([helper.make_node("Tanh", ["x"], ["b_out"])], "then_g", [],
                               [out])
    else_g = helper.make_graph([helper.make_node("Neg", ["x"], ["b_out"])], "else_g", [],
                               [out])
    c.node("If", ["cond"], ["y"], then_branch=then_g, else_branch=else_g)
    c.output("y")
    s.add(c)

    # Loop with a constant trip count: a carried accumulator and a scan output that
    # uses the iteration number.
    c = Case("loop_const_trip_count")
    c.input("x", [2, 3])
    c.i64("trip", 4)
    c.init("cond", np.array(True))
    c.f32("zero", np.zeros((2, 3), np.float32))
    body = helper.make_graph(
        [
            helper.make_node("Cast", ["i"], ["i_f"], to=TensorProto.FLOAT),
            helper.make_node("Mul", ["x", "i_f"], ["xi"]),
            helper.make_node("Add", ["acc_in", "xi"], ["acc_out"]),
            helper.make_node("Tanh", ["acc_out"], ["scan"]),
            helper.make_node("Identity", ["c_in"], ["c_out"]),
        ],
        "body",
        [helper.make_tensor_value_info("i", TensorProto.INT64, []),
         helper.make_tensor_value_info("c_in", TensorProto.BOOL, []),
         helper.make_tensor_value_info("acc_in", TensorProto.FLOAT, [2, 3])],
        [helper.make_tensor_value_info("c_out", TensorProto.BOOL, []),
         helper.make_tensor_value_info("acc_out", TensorProto.FLOAT, [2, 3]),
         helper.make_tensor_value_info("scan", TensorProto.FLOAT, [2, 3])],
    )
    c.node("Loop", ["trip", "cond", "zero"], ["acc", "scans"], body=body)
    c.output("acc")
    c.output("scans")
    s.add(c)

    # Scan (opset 11): a state and two scan inputs, one read along axis 1 in
    # reverse; the scan outputs are stacked along axis -1 (reversed) and axis 0.
    c = Case("scan_axes_directions", opset=11)
    c.input("s0", [3])
    c.input("x", [3, 4])
    c.input("z", [4, 3])
    body = helper.make_graph(
        [
            helper.make_node("Mul", ["x_t", "z_t"], ["p"]),
            helper.make_node("Add", ["s_in", "p"], ["s_out"]),
            helper.make_node("Tanh", ["s_out"], ["y_t"]),
            helper.make_node("Sub", ["s_out", "x_t"], ["w_t"]),
        ],
        "scan_body",
        [helper.make_tensor_value_info("s_in", TensorProto.FLOAT, [3]),
         helper.make_tensor_value_info("x_t", TensorProto.FLOAT, [3]),
         helper.make_tensor_value_info("z_t", TensorProto.FLOAT, [3])],
        [helper.make_tensor_value_info("s_out", TensorProto.FLOAT, [3]),
         helper.make_tensor_value_info("y_t", TensorProto.FLOAT, [3]),
         helper.make_tensor_value_info("w_t", TensorProto.FLOAT, [3])],
    )
    c.node("Scan", ["s0", "x", "z"], ["s", "y", "w"], body=body, num_scan_inputs=2,
           scan_input_axes=[1, 0], scan_input_directions=[1, 0],
           scan_output_axes=[-1, 0], scan_output_directions=[1, 0])
    for o in ("s", "y", "w"):
        c.output(o)
    s.add(c)

    # Scan-8: batch dim on every input; the second scan input runs in reverse.
    c = Case("scan8_batch", opset=8)
    c.input("s0", [2, 3])
    c.input("x", [2, 4, 3])
    c.input("z", [2, 4, 3])
    body = helper.make_graph(
        [
            helper.make_node("Add", ["s_in", "x_t"], ["s_out"]),
            helper.make_node("Mul", ["s_out", "z_t"], ["y_t"]),
        ],
        "scan_body",
        [helper.make_tensor_value_info("s_in", TensorProto.FLOAT, [3]),
         helper.make_tensor_value_info("x_t", TensorProto.FLOAT, [3]),
         helper.make_tensor_value_info("z_t", TensorProto.FLOAT, [3])],
        [helper.make_tensor_value_info("s_out", TensorProto.FLOAT, [3]),
         helper.make_tensor_value_info("y_t", TensorProto.FLOAT, [3])],
    )
    c.node("Scan", ["", "s0", "x", "z"], ["s", "y"], body=body, num_scan_inputs=2,
           directions=[0, 1])
    c.output("s")
    c.output("y")
    s.add(c)

    # Errors: data-dependent control flow and variable sequence lengths.
    bad_dir = os.path.join(s.out_dir, "bad")
    os.makedirs(bad_dir, exist_ok=True)
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 5])
    cond = helper.make_tensor_value_info("flag", TensorProto.BOOL, [])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 5])
    br = helper.make_tensor_value_info("b_out", TensorProto.FLOAT, [2, 5])
    g = helper.make_graph(
        [helper.make_node("If", ["flag"], ["y"], name="runtime_if",
                          then_branch=helper.make_graph(
                              [helper.make_node("Relu", ["x"], ["b_out"])], "t", [], [br]),
                          else_branch=helper.make_graph(
                              [helper.make_node("Neg", ["x"], ["b_out"])], "e", [], [br]))],
        "runtime_if", [x, cond], [y])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    p = os.path.join(bad_dir, "runtime_if.onnx")
    onnx.save(m, p)
    s.add_bad("if_runtime_condition", p,
              "error names node 'runtime_if' (If) and says the condition must be constant",
              ["runtime_if", "If", "condition", "constant"])

    xs = helper.make_tensor_value_info("X", TensorProto.FLOAT, [3, 2, 4])
    lens = helper.make_tensor_value_info("lens", TensorProto.INT32, [2])
    yh = helper.make_tensor_value_info("Y_h", TensorProto.FLOAT, [1, 2, 3])
    rng = np.random.default_rng(7)
    g = helper.make_graph(
        [helper.make_node("LSTM", ["X", "W", "R", "", "lens"], ["", "Y_h"],
                          name="varlen_lstm", hidden_size=3)],
        "varlen", [xs, lens], [yh],
        [numpy_helper.from_array(rng.standard_normal((1, 12, 4)).astype(np.float32), "W"),
         numpy_helper.from_array(rng.standard_normal((1, 12, 3)).astype(np.float32), "R")])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    p = os.path.join(bad_dir, "lstm_runtime_seq_lens.onnx")
    onnx.save(m, p)
    s.add_bad("lstm_runtime_sequence_lens", p,
              "error names node 'varlen_lstm' (LSTM) and input 'sequence_lens'",
              ["varlen_lstm", "LSTM", "sequence_lens"])

    # Scan whose sequence is longer than the unrolling limit.
    body = helper.make_graph(
        [helper.make_node("Add", ["s_in", "x_t"], ["s_out"])], "scan_body",
        [helper.make_tensor_value_info("s_in", TensorProto.FLOAT, [2]),
         helper.make_tensor_value_info("x_t", TensorProto.FLOAT, [2])],
        [helper.make_tensor_value_info("s_out", TensorProto.FLOAT, [2])])
    g = helper.make_graph(
        [helper.make_node("Scan", ["s0", "x"], ["s"], name="long_scan", body=body,
                          num_scan_inputs=1)],
        "long_scan",
        [helper.make_tensor_value_info("s0", TensorProto.FLOAT, [2]),
         helper.make_tensor_value_info("x", TensorProto.FLOAT, [300, 2])],
        [helper.make_tensor_value_info("s", TensorProto.FLOAT, [2])])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
    m.ir_version = 8
    onnx.checker.check_model(m)
    p = os.path.join(bad_dir, "scan_too_long.onnx")
    onnx.save(m, p)
    s.add_bad("scan_sequence_too_long", p,
              "error names node 'long_scan' (Scan) and says the sequence length exceeds "
              "the unrolling limit",
              ["long_scan", "Scan", "sequence length 300", "unrolled"])


# --------------------------------------------------------------------------------------
# Bad inputs
# --------------------------------------------------------------------------------------

def gen_spatial(s):
    """Pad, Resize/Upsample, ConvTranspose, 1-D Conv/pool, Expand, Tile, Range,
    DepthToSpace/SpaceToDepth and the instance/group/Lp/MVN normalizations."""

    # ---- Pad -------------------------------------------------------------------------
    def pad(name, shape, pads, mode="constant", value=None, axes=None, opset=DEFAULT_OPSET,
            dtype=np.float32, gen=None):
        c = Case(name, opset)
        c.input("x", shape, dtype=dtype, gen=gen)
        ins = ["x", c.i64("pads", pads)]
        if value is not None:
            ins.append(c.init("value", np.asarray(value, dtype=dtype)))
        elif axes is not None:
            ins.append("")
        if axes is not None:
            ins.append(c.i64("axes", axes))
        c.node("Pad", ins, ["y"], mode=mode)
        c.output("y", dtype)
        s.add(c)

    pad("pad_constant_4d", [1, 2, 5, 6], [0, 0, 1, 2, 0, 0, 3, 1], value=1.5)
    pad("pad_constant_default", [2, 3, 4], [1, 0, 2, 0, 2, 1])
    pad("pad_constant_negative", [1, 3, 6, 6], [0, 0, -1, 2, 0, 0, 1, -2], value=-0.5)
    pad("pad_reflect", [1, 2, 5, 6], [0, 0, 2, 3, 0, 0, 4, 5], mode="reflect")
    pad("pad_edge", [2, 3, 4], [1, 2, 0, 0, 3, 2], mode="edge")
    pad("pad_wrap", [1, 2, 4, 5], [0, 0, 2, 3, 0, 0, 1, 4], mode="wrap", opset=19)
    pad("pad_axes", [1, 2, 5, 6], [1, 2, 3, 0], mode="reflect", axes=[-1, 2], opset=18)
    pad("pad_edge_int64", [3, 4], [1, 2, 2, 1], mode="edge", dtype=np.int64,
        gen=lambda r, sh: r.integers(-50, 50, sh).astype(np.int64))
    pad("pad_constant_int64", [3, 4], [1, 0, 0, 2], value=7, dtype=np.int64,
        gen=lambda r, sh: r.integers(-50, 50, sh).astype(np.int64))
    pad("pad_1d_reflect", [7], [3, 2], mode="reflect")
    c = Case("pad_opset10", 10)
    c.input("x", [1, 2, 4, 4])
    c.node("Pad", ["x"], ["y"], mode="constant", pads=[0, 0, 1, 1, 0, 0, 2, 0], value=2.0)
    c.output("y")
    s.add(c)

    # Zero Pad feeding a Conv / AveragePool(count_include_pad): folded into their pads.
    c = Case("pad_conv_fold")
    c.input("x", [1, 3, 8, 8])
    c.weight("w", [4, 3, 3, 3], scale=0.3)
    c.node("Pad", ["x", c.i64("pads", [0, 0, 1, 2, 0, 0, 1, 0])], ["p"])
    c.node("Conv", ["p", "w"], ["y"], kernel_shape=[3, 3], pads=[1, 0, 0, 1])
    c.output("y")
    s.add(c)
    c = Case("pad_avgpool_fold")
    c.input("x", [1, 3, 8, 8])
    c.node("Pad", ["x", c.i64("pads", [0, 0, 1, 1, 0, 0, 1, 1])], ["p"])
    c.node("AveragePool", ["p"], ["y"], kernel_shape=[3, 3], strides=[2, 2],
           count_include_pad=1)
    c.node("Pad", ["x", c.i64("pads2", [0, 0, 1, 1, 0, 0, 1, 1])], ["p2"])
    c.node("MaxPool", ["p2"], ["y2"], kernel_shape=[3, 3], strides=[2, 2])
    c.output("y")
    c.output("y2")
    s.add(c)

    # ---- Resize / Upsample -----------------------------------------------------------
    def resize(name, shape, scales=None, sizes=None, roi=None, opset=DEFAULT_OPSET,
               dtype=np.float32, gen=None, **attrs):
        c = Case(name, opset)
        c.input("x", shape, dtype=dtype, gen=gen)
        if opset < 11:
            ins = ["x"]
        elif roi is not None or opset < 13:
            ins = ["x", c.f32("roi", roi if roi is not None else [])]
        else:
            ins = ["x", ""]
        if scales is not None:
            ins.append(c.f32("scales", scales))
        else:
            ins.append(c.f32("scales", []) if opset < 13 else "")
        if sizes is not None:
            ins.append(c.i64("sizes", sizes))
        while ins and ins[-1] == "":
            ins.pop()
        c.node("Resize", ins, ["y"], **attrs)
        c.output("y", dtype)
        s.add(c)

    x4 = [1, 2, 5, 6]
    for nm in ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"]:
        resize(f"resize_nearest_{nm}", x4, scales=[1, 1, 1.7, 2.5], mode="nearest",
               nearest_mode=nm, coordinate_transformation_mode="half_pixel")
    resize("resize_nearest_asym_x2", x4, scales=[1, 1, 2, 2], mode="nearest",
           coordinate_transformation_mode="asymmetric", nearest_mode="floor")
    resize("resize_nearest_down", [1, 3, 9, 10], scales=[1, 1, 0.5, 0.6], mode="nearest")
    for ct in ["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric"]:
        resize(f"resize_linear_{ct}", x4, scales=[1, 1, 1.6, 2.0], mode="linear",
               coordinate_transformation_mode=ct)
        resize(f"resize_cubic_{ct}", x4, sizes=[1, 2, 7, 4], mode="cubic",
               coordinate_transformation_mode=ct)
    resize("resize_linear_sym", x4, scales=[1, 1, 1.6, 0.7], mode="linear",
           coordinate_transformation_mode="half_pixel_symmetric", opset=19)
    resize("resize_linear_down", [1, 2, 10, 9], sizes=[1, 2, 4, 5], mode="linear")
    resize("resize_linear_3d_all", [2, 3, 4], scales=[1.5, 2, 0.5], mode="linear",
           coordinate_transformation_mode="align_corners")
    resize("resize_cubic_exclude", x4, scales=[1, 1, 2, 1.5], mode="cubic",
           exclude_outside=1, cubic_coeff_a=-0.5)
    resize("resize_crop_linear", x4, sizes=[1, 2, 6, 5],
           roi=[0, 0, 0.2, -0.3, 1, 1, 0.9, 1.2], mode="linear",
           coordinate_transformation_mode="tf_crop_and_resize", extrapolation_value=-2.0)
    resize("resize_crop_nearest", x4, scales=[1, 1, 1.5, 2],
           roi=[0, 0, 0.1, -0.2, 1, 1, 0.8, 1.1], mode="nearest",
           coordinate_transformation_mode="tf_crop_and_resize", extrapolation_value=3.0)
    resize("resize_crop_cubic", x4, sizes=[1, 2, 4, 7],
           roi=[0, 0, -0.1, 0.1, 1, 1, 1.05, 0.95], mode="cubic",
           coordinate_transformation_mode="tf_crop_and_resize")
    resize("resize_axes_sizes", x4, sizes=[8, 4], axes=[3, 2], mode="linear", opset=18)
    resize("resize_keep_not_larger", x4, sizes=[9, 9], axes=[2, 3], mode="nearest",
           keep_aspect_ratio_policy="not_larger", opset=18)
    resize("resize_keep_not_smaller", x4, sizes=[9, 9], axes=[2, 3], mode="linear",
           keep_aspect_ratio_policy="not_smaller", opset=18)
    resize("resize_opset10_nearest", x4, scales=[1, 1, 2, 3], mode="nearest", opset=10)
    resize("resize_opset10_linear", x4, scales=[1, 1, 2, 1.5], mode="linear", opset=10)
    resize("resize_opset11_nearest", x4, scales=[1, 1, 2, 3], mode="nearest", opset=11)
    c = Case("upsample_nearest_opset9", 9)
    c.input("x", x4)
    c.node("Upsample", ["x", c.f32("scales", [1, 1, 2, 3])], ["y"], mode="nearest")
    c.output("y")
    s.add(c)
    c = Case("upsample_linear_opset7", 7)
    c.input("x", x4)
    c.node("Upsample", ["x"], ["y"], mode="linear", scales=[1.0, 1.0, 2.0, 2.0])
    c.output("y")
    s.add(c)

    # ---- ConvTranspose ---------------------------------------------------------------
    def convt(name, x_shape, out_c, k, group=1, bias=True, opset=DEFAULT_OPSET, **attrs):
        c = Case(name, opset)
        c.input("x", x_shape)
        cin = x_shape[1]
        ks = list(k)
        c.weight("w", [cin, out_c // group] + ks, scale=0.3)
        ins = ["x", "w"]
        if bias:
            ins.append(c.weight("b", [out_c], scale=0.1))
        c.node("ConvTranspose", ins, ["y"], group=group, **attrs)
        c.output("y")
        s.add(c)

    convt("convt_k3_s1", [1, 3, 5, 5], 4, [3, 3])
    convt("convt_k4_s2_p1", [1, 4, 6, 5], 3, [4, 4], strides=[2, 2], pads=[1, 1, 1, 1])
    convt("convt_k3_s2_outpad", [1, 2, 4, 4], 3, [3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
          output_padding=[1, 1], bias=False)
    convt("convt_group_dil", [1, 4, 5, 4], 6, [3, 2], group=2, strides=[2, 3],
          dilations=[2, 1], pads=[2, 0, 1, 1])
    convt("convt_k2_s2", [1, 8, 4, 4], 8, [2, 2], strides=[2, 2])
    convt("convt_output_shape", [1, 2, 4, 4], 3, [3, 3], strides=[2, 2],
          output_shape=[8, 8])
    convt("convt_same_upper", [1, 2, 4, 5], 2, [3, 3], strides=[2, 2], auto_pad="SAME_UPPER")
    convt("convt_same_lower", [1, 2, 4, 5], 2, [4, 3], strides=[2, 2], auto_pad="SAME_LOWER")
    convt("convt_1d", [2, 3, 7], 4, [3], strides=[2], pads=[1, 0])
    convt("convt_big_pad", [1, 2, 5, 5], 2, [3, 3], pads=[3, 3, 2, 3])

    # ---- 1-D conv / pooling, auto_pad --------------------------------------------------
    c = Case("conv1d_same")
    c.input("x", [2, 3, 11])
    c.weight("w", [4, 3, 3], scale=0.3)
    c.weight("b", [4], scale=0.1)
    c.node("Conv", ["x", "w", "b"], ["y"], strides=[2], auto_pad="SAME_UPPER")
    c.output("y")
    s.add(c)
    c = Case("conv1d_group_dil")
    c.input("x", [1, 4, 12])
    c.weight("w", [4, 2, 3], scale=0.3)
    c.node("Conv", ["x", "w"], ["y"], group=2, dilations=[2], pads=[1, 2])
    c.output("y")
    s.add(c)
    unary(s, "maxpool1d", "MaxPool", [1, 3, 10], kernel_shape=[3], strides=[2], pads=[1, 1])
    unary(s, "avgpool1d_same_lower", "AveragePool", [1, 3, 9], kernel_shape=[4], strides=[2],
          auto_pad="SAME_LOWER")
    unary(s, "conv_pool_same_lower", "MaxPool", [1, 2, 7, 8], kernel_shape=[3, 2],
          strides=[2, 2], auto_pad="SAME_LOWER")

    # ---- Expand, Tile, Range, DepthToSpace, SpaceToDepth -----------------------------
    c = Case("expand_bidirectional")
    c.input("x", [3, 1, 5])
    c.node("Expand", ["x", c.i64("shape", [2, 1, 4, 1])], ["y"])
    c.output("y")
    s.add(c)
    c = Case("expand_int64")
    c.input("x", [1, 4], dtype=np.int64, gen=lambda r, sh: r.integers(0, 9, sh).astype(np.int64))
    c.node("Expand", ["x", c.i64("shape", [3, 4])], ["y"])
    c.output("y", np.int64)
    s.add(c)
    c = Case("tile_3d")
    c.input("x", [2, 3, 4])
    c.node("Tile", ["x", c.i64("repeats", [2, 1, 3])], ["y"])
    c.output("y")
    s.add(c)
    c = Case("range_float_add")
    c.input("x", [7])
    c.node("Range", [c.f32("start", 0.5), c.f32("limit", 4.0), c.f32("delta", 0.5)], ["r"])
    c.node("Add", ["x", "r"], ["y"])
    c.output("y")
    s.add(c)
    c = Case("range_int_gather")
    c.input("x", [6, 3])
    c.node("Range", [c.i64("start", 5), c.i64("limit", -1), c.i64("delta", -2)], ["r"])
    c.node("Gather", ["x", "r"], ["y"], axis=0)
    c.output("y")
    s.add(c)
    for mode in ["DCR", "CRD"]:
        unary(s, f"depth_to_space_{mode.lower()}", "DepthToSpace", [1, 8, 3, 2], blocksize=2,
              mode=mode)
    unary(s, "space_to_depth", "SpaceToDepth", [1, 3, 4, 6], blocksize=2)

    # ---- Normalizations --------------------------------------------------------------
    c = Case("instance_norm")
    c.input("x", [2, 3, 5, 4])
    c.node("InstanceNormalization", ["x", c.positive("s", [3]), c.weight("b", [3])], ["y"],
           epsilon=1e-3)
    c.output("y")
    s.add(c)
    c = Case("instance_norm_1d")
    c.input("x", [1, 4, 9])
    c.node("InstanceNormalization", ["x", c.positive("s", [4]), c.weight("b", [4])], ["y"])
    c.output("y")
    s.add(c)
    c = Case("group_norm_21", 21)
    c.input("x", [2, 6, 3, 4])
    c.node("GroupNormalization", ["x", c.positive("s", [6]), c.weight("b", [6])], ["y"],
           num_groups=3, epsilon=1e-4)
    c.output("y")
    s.add(c)
    c = Case("group_norm_18", 18)  # deprecated schema, one scale/bias per group
    c.skip_check = True
    c.input("x", [1, 6, 5])
    c.node("GroupNormalization", ["x", c.positive("s", [2]), c.weight("b", [2])], ["y"],
           num_groups=2)
    c.output("y")
    s.add(c)
    unary(s, "lp_norm_l2", "LpNormalization", [2, 3, 5], axis=1, p=2)
    unary(s, "lp_norm_l1", "LpNormalization", [3, 6], axis=-1, p=1)
    c = Case("mvn_default")  # the checker fails on the function body's Constant
    c.skip_check = True
    c.input("x", [2, 3, 4, 5])
    c.node("MeanVarianceNormalization", ["x"], ["y"])
    c.output("y")
    s.add(c)
    unary(s, "mvn_axes", "MeanVarianceNormalization", [2, 3, 6], axes=[2])

    # ---- clean errors ----------------------------------------------------------------
    bad_dir = os.path.join(s.out_dir, "bad")
    os.makedirs(bad_dir, exist_ok=True)

    def bad(name, nodes, inputs, outputs, inits, words, opset=DEFAULT_OPSET):
        g = helper.make_graph(nodes, name, inputs, outputs, inits)
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])
        m.ir_version = 8
        p = os.path.join(bad_dir, name + ".onnx")
        onnx.save(m, p)
        s.add_bad(name, p, "error mentions " + ", ".join(f"'{w}'" for w in words), words)

    fx = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 4, 4])
    fy = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    bad("range_runtime_limit",
        [helper.make_node("Range", ["s", "n", "d"], ["y"], name="my_range")],
        [helper.make_tensor_value_info("n", TensorProto.FLOAT, [])], [fy],
        [numpy_helper.from_array(np.array(0, np.float32), "s"),
         numpy_helper.from_array(np.array(1, np.float32), "d")], ["my_range", "limit"])
    bad("resize_antialias",
        [helper.make_node("Resize", ["x", "", "sc"], ["y"], name="my_resize", mode="linear",
                          antialias=1)],
        [fx], [fy], [numpy_helper.from_array(np.array([1, 1, 0.5, 0.5], np.float32), "sc")],
        ["my_resize", "antialias"], opset=18)
    bad("pad_runtime_pads",
        [helper.make_node("Pad", ["x", "p"], ["y"], name="my_pad")],
        [fx, helper.make_tensor_value_info("p", TensorProto.INT64, [8])], [fy], [],
        ["my_pad", "pads"])


def gen_reductions_indexing(s):
    """Reduce* variants, ArgMax/ArgMin/TopK/Hardmax, LogSoftmax, CumSum, gathers and
    scatters, Trilu, OneHot, Einsum, Size, LayerNormalization's extra outputs and the
    losses."""

    def ints_gen(lo, hi):
        return lambda r, sh: r.integers(lo, hi, sh).astype(np.int64)

    def few_values(r, sh):
        """Small integers as floats: many ties."""
        return r.integers(0, 3, sh).astype(np.float32)

    def reduce(name, op, shape, axes=None, keepdims=None, opset=DEFAULT_OPSET, gen=None,
               axes_input=False, **attrs):
        c = Case(name, opset)
        c.input("x", shape, gen=gen)
        ins = ["x"]
        if keepdims is not None:
            attrs["keepdims"] = keepdims
        if axes is not None:
            if axes_input:
                c.i64("axes", axes)
                ins.append("axes")
            else:
                attrs["axes"] = axes
        c.node(op, ins, ["y"], **attrs)
        c.output("y")
        s.add(c)

    reduce("reduce_l1_axis1", "ReduceL1", [2, 5, 3], axes=[1])
    reduce("reduce_l2_axes_input", "ReduceL2", [2, 5, 3], axes=[0, -1], keepdims=0,
           opset=18, axes_input=True)
    reduce("reduce_sum_square_all", "ReduceSumSquare", [3, 4, 2], keepdims=0)
    reduce("reduce_log_sum_axis2", "ReduceLogSum", [2, 3, 6], axes=[2], gen=positive)
    reduce("reduce_log_sum_exp_last", "ReduceLogSumExp", [2, 3, 8], axes=[-1], keepdims=0,
           gen=lambda r, sh: (r.standard_normal(sh) * 20).astype(np.float32))
    reduce("reduce_prod_runtime", "ReduceProd", [2, 4, 3], axes=[1], gen=positive)
    reduce("reduce_sum_noop_empty_axes", "ReduceSum", [2, 3], opset=13,
           noop_with_empty_axes=1)
    reduce("reduce_mean_axes_input_opset18", "ReduceMean", [2, 3, 4], axes=[1],
           keepdims=0, opset=18, axes_input=True)
    reduce("reduce_max_opset18_default_axes", "ReduceMax", [2, 3, 4], opset=18)

    def arg(name, op, shape, gen=None, **attrs):
        c = Case(name)
        c.input("x", shape, gen=gen)
        c.node(op, ["x"], ["y"], **attrs)
        c.output("y", np.int64)
        s.add(c)

    arg("argmax_axis1", "ArgMax", [2, 5, 3], axis=1)
    arg("argmax_no_keepdims_last", "ArgMax", [3, 7], gen=few_values, axis=-1,
        keepdims=0, select_last_index=1)
    arg("argmin_ties_first", "ArgMin", [4, 6], gen=few_values, axis=0)

    def topk(name, shape, k, opset=DEFAULT_OPSET, gen=None, **attrs):
        c = Case(name, opset)
        c.input("x", shape, gen=gen)
        c.i64("k", [k])
        c.node("TopK", ["x", "k"], ["values", "indices"], **attrs)
        c.output("values")
        c.output("indices", np.int64)
        s.add(c)

    topk("topk_largest_last_axis", [3, 10], 4)
    topk("topk_smallest_axis0", [6, 3, 2], 2, axis=0, largest=0)
    topk("topk_ties", [2, 12], 5, gen=few_values)

    unary(s, "hardmax_opset13_last", "Hardmax", [2, 3, 5], opset=13)
    unary(s, "hardmax_opset11_coerced", "Hardmax", [2, 3, 4], opset=11, gen=few_values,
          axis=1)
    unary(s, "logsoftmax_axis1", "LogSoftmax", [2, 5, 3], opset=13, axis=1)
    unary(s, "logsoftmax_opset11_coerced", "LogSoftmax", [2, 3, 4], opset=11, axis=1)
    unary(s, "logsoftmax_large_logits", "LogSoftmax", [2, 16],
          gen=lambda r, sh: (r.standard_normal(sh) * 30 + 50).astype(np.float32))
    unary(s, "logsoftmax_rows_masked_tail", "LogSoftmax", [4, 21],
          gen=lambda r, sh: (r.standard_normal(sh) * 6).astype(np.float32), axis=-1)

    def cumsum(name, shape, axis, dtype=np.float32, **attrs):
        c = Case(name)
        c.input("x", shape, dtype=dtype,
                gen=ints_gen(-5, 5) if dtype == np.int64 else None)
        c.i64("axis", axis)
        c.node("CumSum", ["x", "axis"], ["y"], **attrs)
        c.output("y", dtype)
        s.add(c)

    cumsum("cumsum_axis1", [2, 5, 3], [1])
    cumsum("cumsum_exclusive_reverse", [3, 6], [-1], exclusive=1, reverse=1)
    cumsum("cumsum_int64_reverse", [4, 3], [0], dtype=np.int64, reverse=1)

    # CumProd (opset 26, newer than ONNX Runtime): the cumsum kernel with a product.
    def cumprod(name, shape, axis, dtype=np.float32, **attrs):
        c = Case(name, opset=26)
        c.onnx_reference = True
        c.input("x", shape, dtype=dtype,
                gen=ints_gen(-3, 4) if dtype == np.int64 else
                lambda r, sh: r.uniform(0.5, 1.5, sh).astype(np.float32))
        c.i64("axis", axis)
        c.node("CumProd", ["x", "axis"], ["y"], **attrs)
        c.output("y", dtype)
        s.add(c)

    cumprod("cumprod_axis1", [2, 5, 3], 1)  # axis is a scalar for CumProd
    cumprod("cumprod_int64_exclusive_reverse", [4, 3], 0, dtype=np.int64,
            exclusive=1, reverse=1)

    # Kernels on other element types: f64 in f64, f16 in f32 between casts,
    # integers in integers.
    def typed(name, op, shape, dtype, gen, opset=DEFAULT_OPSET, extra=(), **attrs):
        c = Case(name, opset)
        c.input("x", shape, dtype=dtype, gen=gen)
        names = ["x"]
        for k, v in extra:
            names.append(c.i64(k, v))
        c.node(op, names, ["y"], **attrs)
        c.output("y", dtype)
        s.add(c)

    f64 = lambda r, sh: r.standard_normal(sh).astype(np.float64)
    f16 = lambda r, sh: r.standard_normal(sh).astype(np.float16)
    f32 = lambda r, sh: r.standard_normal(sh).astype(np.float32)
    typed("reduce_log_sum_exp_f64", "ReduceLogSumExp", [3, 4, 5], np.float64, f64,
          opset=18, extra=[("axes", [1])], keepdims=0)
    typed("softmax_f64", "Softmax", [2, 7], np.float64, f64, axis=-1)
    typed("softmax_f16", "Softmax", [2, 7], np.float16, f16, axis=-1)
    typed("reduce_max_i32", "ReduceMax", [3, 4], np.int32, ints(-50, 50, np.int32),
          opset=18, extra=[("axes", [0])], keepdims=1)
    typed("reduce_sum_empty_axis", "ReduceSum", [2, 0, 3], np.float32, None,
          opset=18, extra=[("axes", [1])], keepdims=1)
    typed("maxpool_uint8", "MaxPool", [1, 2, 5, 5], np.uint8, ints(0, 255, np.uint8),
          kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2])
    # ReverseSequence with constant lengths: slices (one with step -1) and concats.
    for name, shape, lens, batch_axis, time_axis in (
            ("reverse_sequence_batch0", [3, 5, 2], [5, 1, 3], 0, 1),
            ("reverse_sequence_time0", [4, 3, 2], [2, 4, 0], 1, 0)):
        c = Case(name)
        c.input("x", shape)
        c.i64("lens", lens)
        c.node("ReverseSequence", ["x", "lens"], ["y"], batch_axis=batch_axis,
               time_axis=time_axis)
        c.output("y")
        s.add(c)

    # BitCast (opset 26): reinterpreted bytes, as a kernel and folded.
    for name, src, dst, to in (("bitcast_f32_to_i32", np.float32, np.int32, 6),
                               ("bitcast_u16_to_i16", np.uint16, np.int16, 5)):
        c = Case(name, opset=26)
        c.onnx_reference = True
        c.input("x", [3, 4], dtype=src,
                gen=f32 if src == np.float32 else ints(0, 65535, np.uint16))
        c.node("BitCast", ["x"], ["y"], to=to)
        c.output("y", dst)
        s.add(c)

    for name, dtype, gen in (("matmul_f64", np.float64, f64),
                             ("matmul_f16", np.float16, f16)):
        c = Case(name)
        c.input("a", [2, 3, 8], dtype=dtype, gen=gen)
        c.input("b", [8, 5], dtype=dtype, gen=gen)
        c.node("MatMul", ["a", "b"], ["y"])
        c.output("y", dtype)
        s.add(c)

    # Gathers.
    c = Case("gather_elements_axis1_negative")
    c.input("x", [3, 5, 2])
    c.input("idx", [3, 4, 2], dtype=np.int64, gen=ints_gen(-5, 5))
    c.node("GatherElements", ["x", "idx"], ["y"], axis=1)
    c.output("y")
    s.add(c)
    c = Case("gather_nd_pairs")
    c.input("x", [4, 3, 5])
    c.i64("idx", np.array([[[0, 1], [3, -1]], [[2, 2], [1, 0]]]))
    c.node("GatherND", ["x", "idx"], ["y"])
    c.output("y")
    s.add(c)
    c = Case("gather_nd_batch_dims1")
    c.input("x", [2, 4, 3])
    c.i64("idx", np.array([[[1], [3]], [[0], [2]]]))
    c.node("GatherND", ["x", "idx"], ["y"], batch_dims=1)
    c.output("y")
    s.add(c)

    # Scatters (constant indices with duplicates for the reductions).
    def scatter_elements(name, reduction, opset=18):
        c = Case(name, opset)
        c.input("x", [3, 4])
        c.input("upd", [3, 3])
        c.i64("idx", np.array([[1, 3, 1], [0, -1, 0], [2, 2, 2]]))
        attrs = {} if reduction is None else {"reduction": reduction}
        c.node("ScatterElements", ["x", "idx", "upd"], ["y"], axis=1, **attrs)
        c.output("y")
        s.add(c)

    scatter_elements("scatter_elements_none", None)
    scatter_elements("scatter_elements_add", "add")
    scatter_elements("scatter_elements_mul", "mul")
    scatter_elements("scatter_elements_max", "max")
    scatter_elements("scatter_elements_min", "min")

    def scatter_nd(name, reduction):
        c = Case(name, 18)
        c.input("x", [4, 3, 2])
        c.input("upd", [3, 3, 2])
        c.i64("idx", np.array([[1], [3], [1]] if reduction else [[1], [3], [0]]))
        attrs = {"reduction": reduction} if reduction else {}
        c.node("ScatterND", ["x", "idx", "upd"], ["y"], **attrs)
        c.output("y")
        s.add(c)

    scatter_nd("scatter_nd_none", None)
    scatter_nd("scatter_nd_add_duplicates", "add")
    scatter_nd("scatter_nd_max_duplicates", "max")

    def trilu(name, shape, k, upper):
        c = Case(name, 14)
        c.input("x", shape)
        ins = ["x"]
        if k is not None:
            c.i64("k", np.array(k))
            ins.append("k")
        c.node("Trilu", ins, ["y"], upper=upper)
        c.output("y")
        s.add(c)

    trilu("trilu_upper_k1", [2, 4, 5], 1, 1)
    trilu("trilu_lower_default_k", [5, 3], None, 0)
    trilu("trilu_lower_k_neg", [3, 4, 4], -1, 0)

    c = Case("onehot_last_axis")
    c.input("idx", [2, 3], dtype=np.int64, gen=ints_gen(-5, 5))
    c.i64("depth", np.array(5))
    c.f32("vals", [-1.0, 3.0])
    c.node("OneHot", ["idx", "depth", "vals"], ["y"])
    c.output("y")
    s.add(c)
    c = Case("onehot_axis0_out_of_range")
    c.input("idx", [4], dtype=np.int64, gen=lambda r, sh: np.array([0, 6, -2, 3], np.int64))
    c.i64("depth", np.array([4]))
    c.input("vals", [2])
    c.node("OneHot", ["idx", "depth", "vals"], ["y"], axis=0)
    c.output("y")
    s.add(c)

    def einsum(name, eq, shapes):
        c = Case(name, 12)
        names = []
        for i, sh in enumerate(shapes):
            names.append(c.input(f"in{i}", sh))
        c.node("Einsum", names, ["y"], equation=eq)
        c.output("y")
        s.add(c)

    einsum("einsum_matmul", "ij,jk->ik", [[3, 4], [4, 5]])
    einsum("einsum_batch_matmul", "bij,bjk->bik", [[2, 3, 4], [2, 4, 5]])
    einsum("einsum_attention_scores", "bhqd,bhkd->bhqk", [[1, 2, 3, 4], [1, 2, 5, 4]])
    einsum("einsum_transpose", "ijk->kji", [[2, 3, 4]])
    einsum("einsum_sum_axis", "ij->j", [[3, 4]])
    einsum("einsum_outer", "i,j->ij", [[3], [4]])
    einsum("einsum_implicit", "ij,jk", [[3, 4], [4, 2]])
    einsum("einsum_ellipsis_matmul", "...ij,...jk->...ik", [[2, 3, 4], [2, 4, 2]])
    einsum("einsum_three_operands", "ij,jk,kl->il", [[2, 3], [3, 4], [4, 2]])
    einsum("einsum_inner_product", "i,i", [[5], [5]])

    c = Case("size_times_input")
    c.input("x", [2, 3, 4])
    c.node("Size", ["x"], ["n"])
    c.node("Cast", ["n"], ["nf"], to=TensorProto.FLOAT)
    c.node("Mul", ["x", "nf"], ["y"])
    c.output("y")
    s.add(c)

    c = Case("layernorm_mean_invstd_outputs")
    c.input("x", [2, 3, 8])
    c.weight("g", [8])
    c.weight("b", [8])
    c.node("LayerNormalization", ["x", "g", "b"], ["y", "mean", "invstd"], axis=-1)
    c.output("y")
    c.output("mean")
    c.output("invstd")
    s.add(c)

    def loss(name, op, shape, reduction, weight=False, ignore=None, log_prob=False,
             opset=13):
        c = Case(name, opset)
        c.input("x", shape)
        classes = shape[1]
        tshape = [shape[0]] + shape[2:]
        c.input("t", tshape, dtype=np.int64, gen=ints_gen(0, classes))
        ins = ["x", "t"]
        if weight:
            c.positive("w", [classes])
            ins.append("w")
        attrs = {"reduction": reduction}
        if ignore is not None:
            attrs["ignore_index"] = ignore
        outs = ["loss"] + (["log_prob"] if log_prob else [])
        c.node(op, ins, outs, **attrs)
        for o in outs:
            c.output(o)
        s.add(c)

    loss("nll_loss_mean_weight_ignore", "NegativeLogLikelihoodLoss", [4, 5, 3], "mean",
         weight=True, ignore=2)
    loss("nll_loss_none_2d", "NegativeLogLikelihoodLoss", [6, 4], "none")
    loss("nll_loss_sum", "NegativeLogLikelihoodLoss", [3, 4, 2, 2], "sum", weight=True)
    loss("sce_mean_log_prob", "SoftmaxCrossEntropyLoss", [3, 5], "mean", log_prob=True)
    loss("sce_none_weight_ignore", "SoftmaxCrossEntropyLoss", [2, 4, 3], "none",
         weight=True, ignore=0)
    loss("sce_sum_ignore", "SoftmaxCrossEntropyLoss", [2, 3, 4], "sum", ignore=1)


def gen_quantization(s):
    """QuantizeLinear/DequantizeLinear (per-tensor, per-axis, blocked), the
    dynamic and integer ops and the QLinear ops. Integer outputs are compared
    exactly; data hit rounding ties and saturate at both ends. The QLinear
    references come from onnx.reference (the ONNX definition: requantization
    in double), since ONNX Runtime requantizes in float32 and can differ by one
    step near ties."""
    f32, u8, i8 = np.float32, np.uint8, np.int8

    def ints_of(dtype, lo, hi):
        return lambda r, sh: r.integers(lo, hi, sh, endpoint=True).astype(dtype)

    # x / 0.5 lands on every half step from -300 to 300: ties round to even
    # and both ends saturate.
    ties = lambda r, sh: (r.integers(-600, 600, sh) * 0.25).astype(f32)
    for name, zp_dtype, zp in [("quantize_linear_u8", u8, 100), ("quantize_linear_i8", i8, -3),
                               ("quantize_linear_i16", np.int16, 5),
                               ("quantize_linear_u16", np.uint16, 65500)]:
        c = Case(name, opset=21)
        c.input("x", [2, 3, 4, 5], gen=ties)
        c.f32("scale", 0.5)
        c.init("zp", np.array(zp, dtype=zp_dtype))
        c.node("QuantizeLinear", ["x", "scale", "zp"], ["y"])
        c.output("y", zp_dtype)
        s.add(c)

    c = Case("quantize_linear_no_zero_point", opset=13)  # uint8 by default
    c.input("x", [4, 6], gen=ties)
    c.f32("scale", 0.75)
    c.node("QuantizeLinear", ["x", "scale"], ["y"])
    c.output("y", u8)
    s.add(c)

    # Per-axis with run-time scales and zero points.
    c = Case("quantize_linear_axis_runtime", opset=13)
    c.input("x", [2, 4, 3], gen=lambda r, sh: (r.standard_normal(sh) * 40).astype(f32))
    c.input("scale", [4], gen=lambda r, sh: r.uniform(0.1, 0.5, sh).astype(f32))
    c.input("zp", [4], dtype=i8, gen=ints_of(i8, -20, 20))
    c.node("QuantizeLinear", ["x", "scale", "zp"], ["y"], axis=-2)
    c.output("y", i8)
    s.add(c)

    # Blocked (a partial last block) with output_dtype and no zero point.
    c = Case("quantize_linear_blocked", opset=21)
    c.onnx_reference = True
    c.input("x", [3, 7], gen=lambda r, sh: (r.standard_normal(sh) * 30).astype(f32))
    c.init("scale", c.rng.uniform(0.1, 1.0, (3, 3)).astype(f32))
    c.node("QuantizeLinear", ["x", "scale"], ["y"], axis=1, block_size=3,
           output_dtype=TensorProto.INT8)
    c.output("y", i8)
    s.add(c)

    c = Case("quantize_linear_f16", opset=19)  # the division rounds in float16
    c.input("x", [3, 8], dtype=np.float16,
            gen=lambda r, sh: (r.standard_normal(sh) * 20).astype(np.float16))
    c.init("scale", np.array(0.3, dtype=np.float16))
    c.init("zp", np.array(10, dtype=u8))
    c.node("QuantizeLinear", ["x", "scale", "zp"], ["y"])
    c.output("y", u8)
    s.add(c)

    for name, dtype, lo, hi in [("dequantize_linear_u8", u8, 0, 255),
                                ("dequantize_linear_i16", np.int16, -32768, 32767),
                                ("dequantize_linear_i32", np.int32, -2**31, 2**31 - 1)]:
        c = Case(name, opset=21)
        c.input("x", [3, 4, 5], dtype=dtype, gen=ints_of(dtype, lo, hi))
        c.init("scale", np.array(0.037, dtype=f32))
        c.init("zp", np.array(lo // 2 + hi // 2 + 1, dtype=dtype))
        c.node("DequantizeLinear", ["x", "scale", "zp"], ["y"])
        c.output("y")
        s.add(c)

    c = Case("dequantize_linear_axis_runtime", opset=13)
    c.input("x", [2, 3, 4], dtype=i8, gen=ints_of(i8, -128, 127))
    c.input("scale", [3], gen=lambda r, sh: r.uniform(0.01, 0.1, sh).astype(f32))
    c.input("zp", [3], dtype=i8, gen=ints_of(i8, -5, 5))
    c.node("DequantizeLinear", ["x", "scale", "zp"], ["y"], axis=1)
    c.output("y")
    s.add(c)

    c = Case("dequantize_linear_blocked", opset=21)
    c.onnx_reference = True
    c.input("x", [5, 4], dtype=u8, gen=ints_of(u8, 0, 255))
    c.init("scale", c.rng.uniform(0.01, 0.1, (3, 4)).astype(f32))
    c.init("zp", c.rng.integers(0, 255, (3, 4)).astype(u8))
    c.node("DequantizeLinear", ["x", "scale", "zp"], ["y"], axis=0, block_size=2)
    c.output("y")
    s.add(c)

    for name, gen in [("dynamic_quantize_linear", normal),
                      ("dynamic_quantize_linear_positive", positive)]:
        c = Case(name, opset=11)
        c.input("x", [3, 4, 5], gen=gen)
        c.node("DynamicQuantizeLinear", ["x"], ["y", "y_scale", "y_zp"])
        c.output("y", u8)
        c.output("y_scale")
        c.output("y_zp", u8)
        s.add(c)

    # MatMulInteger: batched, per-column b_zero_point, int8 x uint8.
    c = Case("matmul_integer", opset=10)
    # ONNX Runtime's uint8 x int8 kernel saturates 16-bit pair sums (AVX2
    # vpmaddubsw) and is off on full-range data; the reference is exact.
    c.onnx_reference = True
    c.input("a", [2, 3, 16], dtype=u8, gen=ints_of(u8, 0, 255))
    c.init("b", c.rng.integers(-128, 128, (16, 5)).astype(i8))
    c.init("azp", np.array(131, dtype=u8))
    c.init("bzp", c.rng.integers(-3, 3, (5,)).astype(i8))
    c.node("MatMulInteger", ["a", "b", "azp", "bzp"], ["y"])
    c.output("y", np.int32)
    s.add(c)

    c = Case("matmul_integer_no_zero_points", opset=10)
    c.input("a", [4, 8], dtype=i8, gen=ints_of(i8, -128, 127))
    c.input("b", [8, 3], dtype=i8, gen=ints_of(i8, -128, 127))
    c.node("MatMulInteger", ["a", "b"], ["y"])
    c.output("y", np.int32)
    s.add(c)

    # ConvInteger: padding in the zero-point-centered domain, stride, groups,
    # per-channel w_zero_point; a 1-D one.
    c = Case("conv_integer", opset=10)
    c.onnx_reference = True  # ONNX Runtime has no per-channel w_zero_point
    c.input("x", [1, 4, 7, 7], dtype=u8, gen=ints_of(u8, 0, 255))
    c.init("w", c.rng.integers(0, 256, (6, 2, 3, 3)).astype(u8))
    c.init("xz", np.array(120, dtype=u8))
    c.init("wz", c.rng.integers(100, 150, (6,)).astype(u8))
    c.node("ConvInteger", ["x", "w", "xz", "wz"], ["y"], pads=[1, 1, 1, 1],
           strides=[2, 1], group=2)
    c.output("y", np.int32)
    s.add(c)

    c = Case("conv_integer_1d", opset=10)
    c.input("x", [2, 3, 9], dtype=u8, gen=ints_of(u8, 0, 255))
    c.input("w", [4, 3, 3], dtype=u8, gen=ints_of(u8, 0, 255))
    c.node("ConvInteger", ["x", "w"], ["y"], dilations=[2])
    c.output("y", np.int32)
    s.add(c)

    # QLinearMatMul: per-tensor and per-column b, float16 scales.
    for name, dt, sdt, per_col in [("qlinear_matmul_u8", u8, f32, False),
                                   ("qlinear_matmul_i8_per_column", i8, f32, True),
                                   ("qlinear_matmul_u8_f16_scales", u8, np.float16, False)]:
        c = Case(name, opset=21)
        c.onnx_reference = True
        lo, hi = (0, 255) if dt == u8 else (-128, 127)
        c.input("a", [2, 3, 8], dtype=dt, gen=ints_of(dt, lo, hi))
        c.init("a_scale", np.array(0.02, dtype=sdt))
        c.init("a_zp", np.array(lo // 2 + hi // 2 + 1, dtype=dt))
        c.init("b", c.rng.integers(lo, hi + 1, (8, 4)).astype(dt))
        c.init("b_scale", (c.rng.uniform(0.01, 0.03, (4,)) if per_col
                           else np.array(0.015)).astype(sdt))
        c.init("b_zp", (c.rng.integers(-2, 3, (4,)) if per_col
                        else np.array(lo // 2 + hi // 2 + 3)).astype(dt))
        c.init("y_scale", np.array(0.05, dtype=sdt))
        c.init("y_zp", np.array(lo // 2 + hi // 2 - 1, dtype=dt))
        c.node("QLinearMatMul", ["a", "a_scale", "a_zp", "b", "b_scale", "b_zp",
                                 "y_scale", "y_zp"], ["y"])
        c.output("y", dt)
        s.add(c)

    # QLinearConv: per-channel weights, int32 bias, padding, stride; 16
    # output channels, so the constant i32 filter is packed blocked (bhwigo).
    c = Case("qlinear_conv", opset=10)
    c.onnx_reference = True
    c.input("x", [1, 3, 8, 8], dtype=u8, gen=ints_of(u8, 0, 255))
    c.input("x_scale", [], gen=lambda r, sh: np.array(0.02, dtype=f32))
    c.init("x_zp", np.array(128, dtype=u8))
    c.init("w", c.rng.integers(-128, 128, (16, 3, 3, 3)).astype(i8))
    c.init("w_scale", c.rng.uniform(0.005, 0.02, (16,)).astype(f32))
    c.init("w_zp", np.zeros((16,), dtype=i8))
    c.init("y_scale", np.array(0.1, dtype=f32))
    c.init("y_zp", np.array(100, dtype=u8))
    c.init("bias", c.rng.integers(-2000, 2000, (16,)).astype(np.int32))
    c.node("QLinearConv", ["x", "x_scale", "x_zp", "w", "w_scale", "w_zp", "y_scale",
                           "y_zp", "bias"], ["y"], pads=[1, 1, 1, 1], strides=[2, 2])
    c.output("y", u8)
    s.add(c)

    # A per-axis scale of the wrong length: a clean error naming the node.
    p = os.path.join(s.out_dir, "bad", "quantize_bad_scale.onnx")
    os.makedirs(os.path.dirname(p), exist_ok=True)
    node = helper.make_node("QuantizeLinear", ["x", "scale"], ["y"],
                            name="my_quantize", axis=1)
    g = helper.make_graph(
        [node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])],
        [helper.make_tensor_value_info("y", TensorProto.UINT8, [2, 3])],
        [numpy_helper.from_array(np.ones(4, dtype=f32), "scale")])
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)]), p)
    s.add_bad("quantize_bad_scale", p,
              "error names the node 'my_quantize' and the bad y_scale",
              ["my_quantize", "QuantizeLinear", "y_scale"])


def gen_bad(s):
    bad_dir = os.path.join(s.out_dir, "bad")
    os.makedirs(bad_dir, exist_ok=True)
    rng = np.random.default_rng(1234)

    def path(n):
        return os.path.join(bad_dir, n)

    def save_unchecked(model, p):
        with open(p, "wb") as f:
            f.write(model.SerializeToString())

    p = path("empty.onnx")
    open(p, "wb").close()
    s.add_bad("empty_file", p, "error names the file 'empty.onnx' (empty / not a model)",
              ["empty.onnx"])

    # A real model with weights, cut in half.
    conv_model = os.path.join(s.out_dir, "conv7x7_s2_p3", "model.onnx")
    with open(conv_model, "rb") as f:
        data = f.read()
    p = path("truncated.onnx")
    with open(p, "wb") as f:
        f.write(data[: len(data) // 2])
    s.add_bad("truncated_model", p, "error names the file 'truncated.onnx' (cannot parse)",
              ["truncated.onnx"])

    p = path("garbage.onnx")
    with open(p, "wb") as f:
        f.write(rng.integers(0, 256, 4096, dtype=np.uint8).tobytes())
    s.add_bad("garbage_bytes", p, "error names the file 'garbage.onnx' (cannot parse)",
              ["garbage.onnx"])

    s.add_bad("missing_file", path("does_not_exist.onnx"),
              "error names the missing file 'does_not_exist.onnx'", ["does_not_exist.onnx"])

    # Unsupported standard op, in the middle of an otherwise fine graph.
    boxes = helper.make_tensor_value_info("boxes", TensorProto.FLOAT, [1, 6, 4])
    scores = helper.make_tensor_value_info("scores", TensorProto.FLOAT, [1, 1, 6])
    sel = helper.make_tensor_value_info("selected", TensorProto.INT64, [None, 3])
    g = helper.make_graph(
        [
            helper.make_node("Relu", ["scores"], ["scores_r"], name="relu_before"),
            helper.make_node("NonMaxSuppression", ["boxes", "scores_r", "max_out"],
                             ["selected"], name="my_unsupported_node"),
        ],
        "unsupported_op", [boxes, scores], [sel],
        [numpy_helper.from_array(np.array([3], np.int64), "max_out")],
    )
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
    m.ir_version = 8
    onnx.checker.check_model(m)  # the model itself is valid ONNX
    p = path("unsupported_op.onnx")
    onnx.save(m, p)
    s.add_bad("unsupported_op", p,
              "error mentions 'NonMaxSuppression' and 'my_unsupported_node'",
              ["NonMaxSuppression", "my_unsupported_node"])

    # Custom-domain op.
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])
    g = helper.make_graph(
        [
            helper.make_node("Relu", ["x"], ["t"], name="relu_before"),
            helper.make_node("MyCustomOp", ["t"], ["y"], name="my_custom_node",
                             domain="com.example.custom"),
        ],
        "custom_op", [x], [y],
    )
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17),
                                            helper.make_opsetid("com.example.custom", 1)])
    m.ir_version = 8
    p = path("custom_domain_op.onnx")
    save_unchecked(m, p)
    s.add_bad("custom_domain_op", p,
              "error mentions 'MyCustomOp' and 'my_custom_node' (custom domain op)",
              ["MyCustomOp", "my_custom_node"])

    # Shapes that do not fit: MatMul [2,3] x [4,5], declared as [2,5] (no checker run).
    a = helper.make_tensor_value_info("a", TensorProto.FLOAT, [2, 3])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 5])
    g = helper.make_graph(
        [helper.make_node("MatMul", ["a", "w"], ["y"], name="mismatched_matmul")],
        "shape_mismatch", [a], [y],
        [numpy_helper.from_array(rng.standard_normal((4, 5)).astype(np.float32), "w")],
    )
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
    m.ir_version = 8
    p = path("shape_mismatch.onnx")
    save_unchecked(m, p)
    s.add_bad("shape_mismatch", p,
              "error mentions the op 'MatMul' and node 'mismatched_matmul' "
              "([2,3] x [4,5] cannot multiply)",
              ["MatMul", "mismatched_matmul"])

    # Symbolic input dim: the compiler must ask for --input-shape.
    def symbolic_model():
        img = helper.make_tensor_value_info("image", TensorProto.FLOAT, ["batch", 3, 8, 8])
        out = helper.make_tensor_value_info("out", TensorProto.FLOAT, ["batch", 3, 8, 8])
        g = helper.make_graph([helper.make_node("Relu", ["image"], ["out"], name="relu")],
                              "symbolic", [img], [out])
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
        m.ir_version = 8
        onnx.checker.check_model(m)
        return m

    p = path("symbolic_dim.onnx")
    onnx.save(symbolic_model(), p)
    s.add_bad("symbolic_dim_needs_input_shape", p,
              "error says input 'image' has a symbolic dim and suggests --input-shape",
              ["image", "--input-shape"])
    s.add_bad("input_shape_wrong_rank", p,
              "error mentions 'image' (given rank 3, model input has rank 4)",
              ["image"], extra_args=["--input-shape", "image=1x3x8"])
    s.add_bad("input_shape_unknown_input", os.path.join(s.out_dir, "relu", "model.onnx"),
              "error mentions 'nosuch' (no such model input)",
              ["nosuch"], extra_args=["--input-shape", "nosuch=1x3x8x8"])
    s.add_bad("input_shape_malformed", p,
              "error mentions the malformed value '1xAx8x8'",
              ["1xAx8x8"], extra_args=["--input-shape", "image=1xAx8x8"])


# --------------------------------------------------------------------------------------
# Elementwise long tail: math functions, activations, comparisons, logic, bit ops, Cast,
# and non-f32 element types (issue 4)
# --------------------------------------------------------------------------------------


def uniform(low, high, dtype=np.float32):
    return lambda r, sh: r.uniform(low, high, sh).astype(dtype)


def ints(low, high, dtype):
    """Random integers in [low, high) of `dtype`."""
    return lambda r, sh: r.integers(low, high, sh).astype(dtype)


def nonzero_ints(low, high, dtype):
    def gen(r, sh):
        v = r.integers(low, high, sh)
        v[v == 0] = 1
        return v.astype(dtype)
    return gen


def bools(r, sh):
    return r.random(sh) < 0.5


def typed_unary(s, name, op, shape, dtype, gen, out_dtype=None, opset=DEFAULT_OPSET,
                **attrs):
    c = Case(name, opset)
    c.input("x", shape, dtype, gen=gen)
    c.node(op, ["x"], ["y"], **attrs)
    c.output("y", out_dtype or dtype)
    s.add(c)
    return c


def typed_binary(s, name, op, a_shape, b_shape, dtype, a_gen, b_gen, out_dtype=None,
                 opset=DEFAULT_OPSET, **attrs):
    c = Case(name, opset)
    c.input("a", a_shape, dtype, gen=a_gen)
    c.input("b", b_shape, dtype, gen=b_gen)
    c.node(op, ["a", "b"], ["y"], **attrs)
    c.output("y", out_dtype or dtype)
    s.add(c)
    return c


def gen_elementwise_types(s):
    f32 = np.float32
    # Rounding and sign (halves exercise Round's half-to-even).
    halves = lambda r, sh: (r.integers(-12, 12, sh) * 0.5).astype(f32)
    for name, op in [("abs", "Abs"), ("ceil", "Ceil"), ("floor", "Floor"),
                     ("round_half_even", "Round"), ("sign", "Sign")]:
        typed_unary(s, f"{name}_f32", op, [3, 16], f32, halves)
    # Math functions over wide ranges (accuracy against ONNX Runtime).
    for name, op, gen in [
            ("log", "Log", lambda r, sh: (10.0 ** r.uniform(-6, 6, sh)).astype(f32)),
            ("sin", "Sin", uniform(-1000, 1000)), ("cos", "Cos", uniform(-1000, 1000)),
            ("tan", "Tan", uniform(-1.5, 1.5)), ("asin", "Asin", uniform(-1, 1)),
            ("acos", "Acos", uniform(-1, 1)), ("atan", "Atan", uniform(-100, 100)),
            ("sinh", "Sinh", uniform(-8, 8)), ("cosh", "Cosh", uniform(-8, 8)),
            ("asinh", "Asinh", uniform(-1000, 1000)), ("acosh", "Acosh", uniform(1, 1000)),
            ("atanh", "Atanh", uniform(-0.99, 0.99)),
            ("softplus", "Softplus", uniform(-40, 40)),
            ("softsign", "Softsign", uniform(-10, 10)),
            ("mish", "Mish", uniform(-10, 10))]:
        typed_unary(s, f"{name}_f32", op, [4, 32], f32, gen, opset=18)
    wide = uniform(-4, 4)
    typed_unary(s, "elu", "Elu", [2, 3, 8], f32, wide, alpha=0.7)
    typed_unary(s, "selu_default", "Selu", [2, 3, 8], f32, wide)
    typed_unary(s, "selu_attrs", "Selu", [2, 3, 8], f32, wide, alpha=1.5, gamma=2.0)
    typed_unary(s, "celu", "Celu", [2, 3, 8], f32, wide, alpha=2.0)
    typed_unary(s, "leaky_relu", "LeakyRelu", [2, 3, 8], f32, wide, alpha=0.1)
    typed_unary(s, "leaky_relu_default", "LeakyRelu", [2, 3, 8], f32, wide)
    typed_unary(s, "thresholded_relu", "ThresholdedRelu", [2, 3, 8], f32, wide, alpha=0.5)
    typed_unary(s, "shrink", "Shrink", [2, 3, 8], f32, wide, lambd=0.6, bias=0.3)
    typed_unary(s, "shrink_int8", "Shrink", [2, 16], np.int8, ints(-5, 6, np.int8),
                lambd=1.5, bias=1.0)
    c = Case("prelu_channel_slope")
    c.input("x", [2, 4, 3, 3], gen=wide)
    c.init("slope", c.rng.uniform(0, 0.5, (4, 1, 1)).astype(f32))
    c.node("PRelu", ["x", "slope"], ["y"])
    c.output("y")
    s.add(c)
    typed_binary(s, "prelu_int32", "PRelu", [3, 4], [4], np.int32, ints(-9, 9, np.int32),
                 ints(-3, 4, np.int32))

    # IsNaN / IsInf on inputs with NaN and infinities.
    def specials(r, sh):
        v = r.standard_normal(sh).astype(f32)
        flat = v.reshape(-1)
        flat[::5] = np.nan
        flat[1::7] = np.inf
        flat[2::9] = -np.inf
        return v
    typed_unary(s, "isnan", "IsNaN", [4, 9], f32, specials, out_dtype=np.bool_)
    typed_unary(s, "isinf", "IsInf", [4, 9], f32, specials, out_dtype=np.bool_)
    typed_unary(s, "isinf_positive_only", "IsInf", [4, 9], f32, specials,
                out_dtype=np.bool_, detect_negative=0)
    typed_unary(s, "isinf_negative_only", "IsInf", [4, 9], f32, specials,
                out_dtype=np.bool_, detect_positive=0)

    # Integer arithmetic (Div truncates toward zero, as ONNX Runtime).
    i32, i64, u8, i8 = np.int32, np.int64, np.uint8, np.int8
    for op in ["Add", "Sub", "Mul"]:
        typed_binary(s, f"{op.lower()}_int32", op, [3, 4], [4], i32,
                     ints(-1000, 1000, i32), ints(-1000, 1000, i32))
    typed_binary(s, "add_int8_wraps", "Add", [4, 8], [4, 8], i8, ints(-128, 128, i8),
                 ints(-128, 128, i8))
    typed_binary(s, "add_uint8_wraps", "Add", [4, 8], [4, 8], u8, ints(0, 256, u8),
                 ints(0, 256, u8))
    typed_binary(s, "div_int32_trunc", "Div", [3, 8], [3, 8], i32, ints(-100, 100, i32),
                 nonzero_ints(-9, 9, i32))
    typed_binary(s, "div_int64_bcast", "Div", [2, 3, 4], [1], i64,
                 ints(-10**12, 10**12, i64), lambda r, sh: np.full(sh, -7, i64))
    typed_binary(s, "div_uint8", "Div", [3, 8], [3, 8], u8, ints(0, 256, u8),
                 nonzero_ints(1, 20, u8))
    typed_unary(s, "neg_int64", "Neg", [3, 5], i64, ints(-10**15, 10**15, i64))
    typed_unary(s, "abs_int32", "Abs", [3, 5], i32, ints(-1000, 1000, i32))
    typed_unary(s, "abs_int8", "Abs", [3, 5], i8, ints(-127, 128, i8))
    typed_unary(s, "relu_int8", "Relu", [3, 5], i8, ints(-128, 128, i8), opset=14)
    typed_unary(s, "sign_int32", "Sign", [3, 5], i32, ints(-3, 4, i32))
    typed_unary(s, "identity_int64", "Identity", [2, 3], i64, ints(-5, 5, i64))
    typed_unary(s, "identity_bool", "Identity", [2, 3], np.bool_, bools)

    # Mod: Python-style sign for integers (fmod=0), C fmod (fmod=1).
    typed_binary(s, "mod_int32", "Mod", [4, 8], [8], i32, ints(-50, 50, i32),
                 nonzero_ints(-7, 8, i32))
    typed_binary(s, "mod_int64_fmod", "Mod", [4, 8], [8], i64, ints(-50, 50, i64),
                 nonzero_ints(-7, 8, i64), fmod=1)
    typed_binary(s, "mod_uint8", "Mod", [4, 8], [4, 8], u8, ints(0, 256, u8),
                 nonzero_ints(1, 30, u8))
    typed_binary(s, "mod_f32_fmod", "Mod", [4, 8], [8], f32, uniform(-20, 20),
                 lambda r, sh: (np.sign(r.standard_normal(sh)) * r.uniform(0.5, 5, sh))
                 .astype(f32), fmod=1)

    # Variadic Max/Min/Sum/Mean with broadcasting.
    for op in ["Max", "Min", "Sum", "Mean"]:
        c = Case(f"{op.lower()}_variadic")
        c.input("a", [2, 3, 4])
        c.input("b", [3, 1])
        c.input("c", [4])
        c.node(op, ["a", "b", "c"], ["y"])
        c.output("y")
        s.add(c)
    c = Case("max_int64_two")
    c.input("a", [3, 4], i64, gen=ints(-100, 100, i64))
    c.input("b", [4], i64, gen=ints(-100, 100, i64))
    c.node("Max", ["a", "b"], ["y"])
    c.output("y", i64)
    s.add(c)
    typed_binary(s, "min_uint8", "Min", [3, 4], [3, 4], u8, ints(0, 256, u8),
                 ints(0, 256, u8))

    # Clip on integers and with run-time bounds.
    c = Case("clip_int32")
    c.input("x", [3, 8], i32, gen=ints(-100, 100, i32))
    c.init("lo", np.array(-20, i32))
    c.init("hi", np.array(30, i32))
    c.node("Clip", ["x", "lo", "hi"], ["y"])
    c.output("y", i32)
    s.add(c)
    c = Case("clip_uint8_max_only")
    c.input("x", [3, 8], u8, gen=ints(0, 256, u8))
    c.init("hi", np.array(100, u8))
    c.node("Clip", ["x", "", "hi"], ["y"])
    c.output("y", u8)
    s.add(c)
    c = Case("clip_runtime_bounds")
    c.input("x", [3, 8])
    c.input("lo", [], gen=lambda r, sh: np.array(-0.5, f32))
    c.input("hi", [], gen=lambda r, sh: np.array(0.7, f32))
    c.node("Clip", ["x", "lo", "hi"], ["y"])
    c.output("y")
    s.add(c)

    # Comparisons (bool outputs).
    for name, op in [("equal", "Equal"), ("less", "Less"), ("greater", "Greater"),
                     ("less_or_equal", "LessOrEqual"),
                     ("greater_or_equal", "GreaterOrEqual")]:
        typed_binary(s, f"{name}_f32", op, [3, 4], [4], f32, halves, halves,
                     out_dtype=np.bool_)
        typed_binary(s, f"{name}_int64", op, [3, 4], [3, 1], i64, ints(-3, 3, i64),
                     ints(-3, 3, i64), out_dtype=np.bool_)
    typed_binary(s, "greater_uint8", "Greater", [4, 8], [4, 8], u8, ints(0, 256, u8),
                 ints(0, 256, u8), out_dtype=np.bool_)
    typed_binary(s, "less_int8", "Less", [4, 8], [4, 8], i8, ints(-128, 128, i8),
                 ints(-128, 128, i8), out_dtype=np.bool_)
    typed_binary(s, "equal_bool", "Equal", [4, 8], [8], np.bool_, bools, bools,
                 out_dtype=np.bool_, opset=19)

    # Logic and bit ops.
    typed_unary(s, "not", "Not", [3, 7], np.bool_, bools)
    for op in ["And", "Or", "Xor"]:
        typed_binary(s, f"{op.lower()}_bool", op, [3, 7], [7], np.bool_, bools, bools)
    for op in ["BitwiseAnd", "BitwiseOr", "BitwiseXor"]:
        typed_binary(s, f"{op.lower()}_int32", op, [3, 7], [7], i32,
                     ints(-2**31, 2**31, i32), ints(-2**31, 2**31, i32), opset=18)
        typed_binary(s, f"{op.lower()}_uint8", op, [3, 7], [3, 7], u8, ints(0, 256, u8),
                     ints(0, 256, u8), opset=18)
    typed_unary(s, "bitwisenot_int8", "BitwiseNot", [3, 7], i8, ints(-128, 128, i8),
                opset=18)
    typed_binary(s, "bitshift_left_uint8", "BitShift", [4, 8], [4, 8], u8,
                 ints(0, 256, u8), ints(0, 8, u8), direction="LEFT")
    typed_binary(s, "bitshift_right_uint8", "BitShift", [4, 8], [8], u8,
                 ints(0, 256, u8), ints(0, 8, u8), direction="RIGHT")

    # Where.
    c = Case("where_bcast")
    c.input("c", [3, 1], np.bool_, gen=bools)
    c.input("x", [3, 4])
    c.input("y", [4])
    c.node("Where", ["c", "x", "y"], ["z"])
    c.output("z")
    s.add(c)
    c = Case("where_int64_from_compare")  # the shape-subgraph idiom, on run-time data
    c.input("x", [2, 5], i64, gen=ints(-3, 3, i64))
    c.init("zero", np.array(0, i64))
    c.init("minus", np.array(-1, i64))
    c.node("Less", ["x", "zero"], ["neg"])
    c.node("Where", ["neg", "minus", "x"], ["y"])
    c.output("y", i64)
    s.add(c)

    # Cast between the supported types (float -> int truncates toward zero).
    casts = [
        ("f32_to_int32", f32, i32, uniform(-100, 100)),
        ("f32_to_int64", f32, i64, uniform(-1e6, 1e6)),
        ("f32_to_int8", f32, i8, uniform(-127, 127)),
        ("f32_to_uint8", f32, u8, uniform(0, 255)),
        ("f32_to_bool", f32, np.bool_, halves),
        ("f32_to_f16", f32, np.float16, uniform(-100, 100)),
        ("f16_to_f32", np.float16, f32, uniform(-100, 100, np.float16)),
        ("bool_to_f32", np.bool_, f32, bools),
        ("bool_to_int64", np.bool_, i64, bools),
        ("int64_to_f32", i64, f32, ints(-10**6, 10**6, i64)),
        ("int32_to_int8_wraps", i32, i8, ints(-1000, 1000, i32)),
        ("int8_to_int64", i8, i64, ints(-128, 128, i8)),
        ("uint8_to_int32", u8, i32, ints(0, 256, u8)),
        ("uint8_to_f32", u8, f32, ints(0, 256, u8)),
        ("int8_to_uint8", i8, u8, ints(-128, 128, i8)),
        ("int64_to_bool", i64, np.bool_, ints(-2, 3, i64)),
        ("int32_to_f16", i32, np.float16, ints(-1000, 1000, i32)),
        ("f16_to_int32", np.float16, i32, uniform(-100, 100, np.float16)),
    ]
    for name, src, dst, gen in casts:
        typed_unary(s, f"cast_{name}", "Cast", [3, 8], src, gen, out_dtype=dst,
                    to=int(NP_TO_ONNX[np.dtype(dst)]))
    c = Case("cast_through_f64_and_int16")  # internal types without a C API dtype
    c.input("x", [3, 8], gen=uniform(-1000, 1000))
    c.node("Cast", ["x"], ["d"], to=TensorProto.DOUBLE)
    c.node("Mul", ["d", "d"], ["d2"])
    c.node("Cast", ["d2"], ["y"], to=TensorProto.FLOAT)
    c.node("Cast", ["x"], ["h"], to=TensorProto.INT16)
    c.node("Cast", ["h"], ["z"], to=TensorProto.INT32)
    c.output("y")
    c.output("z", i32)
    s.add(c)
    c = Case("castlike_int32")
    c.input("x", [3, 8], gen=uniform(-50, 50))
    c.init("like", np.zeros([1], i32))
    c.node("CastLike", ["x", "like"], ["y"])
    c.output("y", i32)
    s.add(c)

    # Pow with integer/float mixes.
    typed_binary(s, "pow_int32", "Pow", [3, 5], [5], i32, ints(-5, 6, i32),
                 ints(0, 4, i32), opset=15)
    c = Case("pow_int64_float_exponent", 15)
    c.input("x", [3, 5], i64, gen=ints(1, 10, i64))
    c.input("e", [5], gen=uniform(0, 3))
    c.node("Pow", ["x", "e"], ["y"])
    c.output("y", i64)
    s.add(c)
    c = Case("pow_f32_int_exponent", 15)
    c.input("x", [3, 5], gen=uniform(0.5, 2))
    c.input("e", [5], i32, gen=ints(-3, 4, i32))
    c.node("Pow", ["x", "e"], ["y"])
    c.output("y")
    s.add(c)

    # float16 compute (in f32, rounded to f16).
    f16 = np.float16
    for name, op in [("relu", "Relu"), ("sigmoid", "Sigmoid"), ("abs", "Abs"),
                     ("neg", "Neg"), ("sqrt", "Sqrt"), ("exp", "Exp"), ("erf", "Erf"),
                     ("tanh", "Tanh"), ("floor", "Floor")]:
        gen = uniform(0.1, 4, f16) if op == "Sqrt" else uniform(-4, 4, f16)
        typed_unary(s, f"{name}_f16", op, [3, 8], f16, gen)
    for op in ["Add", "Mul", "Sub", "Div"]:
        typed_binary(s, f"{op.lower()}_f16", op, [3, 8], [8], f16, uniform(-4, 4, f16),
                     uniform(0.5, 4, f16))
    typed_binary(s, "less_f16", "Less", [3, 8], [8], f16, uniform(-4, 4, f16),
                 uniform(-4, 4, f16), out_dtype=np.bool_)
    c = Case("where_f16")
    c.input("c", [3, 8], np.bool_, gen=bools)
    c.input("x", [3, 8], f16, gen=uniform(-4, 4, f16))
    c.input("y", [8], f16, gen=uniform(-4, 4, f16))
    c.node("Where", ["c", "x", "y"], ["z"])
    c.output("z", f16)
    s.add(c)


# --------------------------------------------------------------------------------------
# Narrow element types: bfloat16, float8, int4/uint4, int2/uint2 (Cast, CastLike,
# packed initializers). References from onnx.reference (ml_dtypes), compared bit for bit.
# --------------------------------------------------------------------------------------

FLOAT8_TYPES = (ml_dtypes.float8_e4m3fn, ml_dtypes.float8_e4m3fnuz, ml_dtypes.float8_e5m2,
                ml_dtypes.float8_e5m2fnuz)


def cast_edge_values(r, sh):
    """f32 values that probe every rounding path of a float8 cast: ties between
    neighbours, subnormals, values just beyond the largest finite one, +-inf, NaN,
    -0, and random values over the whole float8 range."""
    special = [0.0, -0.0, np.inf, -np.inf, np.nan, 448.0, 464.0, 480.0, 240.0, 248.0,
               57344.0, 61440.0, 65536.0, 1e9, -1e9, 2.0 ** -9, 2.0 ** -10, 3 * 2.0 ** -11,
               2.0 ** -16, 2.0 ** -17, 2.0 ** -18, 1.0625, 1.1875, -1.0625, 0.5 + 2.0 ** -5,
               17.0, 18.0, 19.0, 1e-30, -1e-30]
    n = int(np.prod(sh))
    rnd = r.standard_normal(n) * np.exp2(r.integers(-20, 17, n))
    vals = np.concatenate([np.array(special), rnd])[:n]
    return vals.astype(np.float32).reshape(sh)


def all_codes(dtype):
    """Every bit pattern of a 1-byte ml_dtypes type, as a [16, 16] array."""
    return lambda r, sh: np.arange(256, dtype=np.uint8).view(dtype).reshape(sh)


def gen_narrow_types(s):
    f32, f16 = np.float32, np.float16
    # f32 -> each float8, saturating (default) and not, in one model.
    c = Case("cast_f32_to_float8", 21)
    c.input("x", [8, 16], gen=cast_edge_values)
    for t in FLOAT8_TYPES:
        code = int(NP_TO_ONNX[np.dtype(t)])
        name = np.dtype(t).name
        c.node("Cast", ["x"], [f"{name}_sat"], to=code)
        c.node("Cast", ["x"], [f"{name}_nosat"], to=code, saturate=0)
        c.output(f"{name}_sat", t)
        c.output(f"{name}_nosat", t)
    c.onnx_reference = True
    c.allow_nonfinite = True
    s.add(c)
    # f16 -> float8 (every f16 value would be 64K elements; a sample does).
    c = Case("cast_f16_to_float8", 21)
    def f16_edge_values(r, sh):
        with np.errstate(over="ignore"):  # 1e9 -> inf is one of the edge cases
            return cast_edge_values(r, sh).astype(f16)
    c.input("x", [8, 16], f16, gen=f16_edge_values)
    for t in FLOAT8_TYPES:
        c.node("Cast", ["x"], [np.dtype(t).name], to=int(NP_TO_ONNX[np.dtype(t)]))
        c.output(np.dtype(t).name, t)
    c.onnx_reference = True
    c.allow_nonfinite = True
    s.add(c)
    # Every float8 code -> f32 and f16 (NaN codes give NaN).
    c = Case("cast_float8_to_f32_f16", 21)
    for t in FLOAT8_TYPES:
        name = np.dtype(t).name
        c.input(name, [16, 16], t, gen=all_codes(t))
        c.node("Cast", [name], [f"{name}_f32"], to=TensorProto.FLOAT)
        c.node("Cast", [name], [f"{name}_f16"], to=TensorProto.FLOAT16)
        c.output(f"{name}_f32", f32)
        c.output(f"{name}_f16", f16)
    c.onnx_reference = True
    c.allow_nonfinite = True
    s.add(c)
    # float8 -> float8 through f32, and CastLike with a float8 initializer.
    c = Case("cast_float8_to_float8", 21)
    c.input("x", [16, 16], ml_dtypes.float8_e5m2, gen=all_codes(ml_dtypes.float8_e5m2))
    c.node("Cast", ["x"], ["y"], to=TensorProto.FLOAT8E4M3FN)
    c.init("like", np.zeros([1], ml_dtypes.float8_e4m3fnuz))
    c.node("CastLike", ["x", "like"], ["z"], saturate=0)
    c.output("y", ml_dtypes.float8_e4m3fn)
    c.output("z", ml_dtypes.float8_e4m3fnuz)
    c.onnx_reference = True
    c.allow_nonfinite = True
    s.add(c)
    # bfloat16 both ways; Add on bf16 computes in f32 and rounds once.
    c = Case("cast_bfloat16", 21)
    c.input("x", [8, 16], gen=cast_edge_values)
    c.node("Cast", ["x"], ["b"], to=TensorProto.BFLOAT16)
    c.node("Add", ["b", "b"], ["b2"])
    c.node("Cast", ["b2"], ["y"], to=TensorProto.FLOAT)
    c.output("b", ml_dtypes.bfloat16)
    c.output("y", f32)
    c.onnx_reference = True
    c.allow_nonfinite = True
    s.add(c)
    # int4/uint4: f32 -> int4 truncates and wraps; int4 -> f32/int8 widen; a packed
    # int4 initializer with an odd element count (two per byte in raw_data).
    c = Case("cast_int4", 21)
    c.input("x", [3, 8], gen=uniform(-20, 20))
    c.node("Cast", ["x"], ["i4"], to=TensorProto.INT4)
    c.node("Cast", ["x"], ["u4"], to=TensorProto.UINT4)
    c.node("Cast", ["i4"], ["i4_f32"], to=TensorProto.FLOAT)
    c.node("Cast", ["u4"], ["u4_i8"], to=TensorProto.INT8)
    c.init("w", np.arange(-8, 7).astype(ml_dtypes.int4).reshape(3, 5))
    c.node("Cast", ["w"], ["w_i8"], to=TensorProto.INT8)
    c.output("i4", ml_dtypes.int4)
    c.output("u4", ml_dtypes.uint4)
    c.output("i4_f32", f32)
    c.output("u4_i8", np.int8)
    c.output("w_i8", np.int8)
    c.onnx_reference = True
    s.add(c)
    # int4 graph input -> int8 and uint4 -> f16 (sign/zero extension of the low bits).
    c = Case("cast_from_int4_inputs", 21)
    c.input("a", [4, 4], ml_dtypes.int4, gen=lambda r, sh: np.arange(-8, 8).astype(
        ml_dtypes.int4).reshape(sh))
    c.input("b", [4, 4], ml_dtypes.uint4, gen=lambda r, sh: np.arange(16).astype(
        ml_dtypes.uint4).reshape(sh))
    c.node("Cast", ["a"], ["a8"], to=TensorProto.INT8)
    c.node("Cast", ["b"], ["bh"], to=TensorProto.FLOAT16)
    c.output("a8", np.int8)
    c.output("bh", f16)
    c.onnx_reference = True
    s.add(c)
    # int2/uint2 (opset 25, IR 11), with a packed int2 initializer (four per byte).
    c = Case("cast_int2", 25)
    c.ir_version = 11
    c.input("x", [3, 8], gen=uniform(-6, 6))
    c.node("Cast", ["x"], ["i2"], to=TensorProto.INT2)
    c.node("Cast", ["x"], ["u2"], to=TensorProto.UINT2)
    c.init("w", np.array([-2, -1, 0, 1, 1, 0, -1]).astype(ml_dtypes.int2))
    c.node("Cast", ["w"], ["w_f32"], to=TensorProto.FLOAT)
    c.output("i2", ml_dtypes.int2)
    c.output("u2", ml_dtypes.uint2)
    c.output("w_f32", f32)
    c.onnx_reference = True
    s.add(c)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir", help="where to write the models and manifest.json")
    args = ap.parse_args()

    out_dir = os.path.abspath(args.out_dir)
    os.makedirs(out_dir, exist_ok=True)
    # Remove what a previous run of this script wrote (only the case dirs it listed).
    old = os.path.join(out_dir, "manifest.json")
    if os.path.exists(old):
        try:
            with open(old) as f:
                prev = json.load(f)
            for case in prev.get("cases", []):
                d = os.path.join(out_dir, os.path.dirname(case["model"]))
                if os.path.isdir(d) and os.path.dirname(case["model"]):
                    shutil.rmtree(d)
            shutil.rmtree(os.path.join(out_dir, "bad"), ignore_errors=True)
        except (OSError, ValueError, KeyError):
            pass

    s = Suite(out_dir)
    gen_matmul_gemm(s)
    gen_elementwise(s)
    gen_softmax_norm(s)
    gen_shape_ops(s)
    gen_pool_conv(s)
    gen_composites(s)
    gen_transformer(s)
    gen_composite_ops(s)
    gen_elementwise_types(s)
    gen_narrow_types(s)
    gen_recurrents(s)
    gen_reductions_indexing(s)
    gen_spatial(s)
    gen_quantization(s)
    gen_bad(s)
    s.write_manifest()
    ops = sorted({op for c in s.cases for op in c["ops"]})
    print(f"wrote {len(s.cases)} cases and {len(s.bad)} bad inputs to {out_dir}")
    print("op types covered:", " ".join(ops))
    return 0


if __name__ == "__main__":
    sys.exit(main())
