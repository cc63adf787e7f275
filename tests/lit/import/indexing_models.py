#!/usr/bin/env python3
"""Models for the reduction/indexing import lit tests (reductions_indexing.mlir).

    python3 indexing_models.py OUT_DIR

Standard library only: reuses the hand-written protobuf encoder of
make_models.py.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_models import INT32, INT64, FLOAT, ints, model, node, tensor, value_info  # noqa: E402

MODELS = {}


def register(fn):
    MODELS[fn.__name__] = fn
    return fn


@register
def reductions():
    return model(
        [node("ReduceL2", ["x", "ax"], ["l2"], name="rl2", keepdims=0),
         node("ReduceLogSumExp", ["x", "ax"], ["lse"], name="rlse"),
         node("ReduceSumSquare", ["x"], ["ss"], name="rss", keepdims=0),
         node("ReduceSum", ["x", "empty"], ["noop"], name="rnoop", noop_with_empty_axes=1),
         node("ArgMax", ["x"], ["am"], name="am", axis=1, keepdims=0, select_last_index=1),
         node("TopK", ["x", "k"], ["tv", "ti"], name="topk", axis=-1, largest=0),
         node("CumSum", ["x", "cax"], ["cs"], name="cs", exclusive=1, reverse=1)],
        [value_info("x", [2, 3, 4])],
        [value_info("l2", [2, 4]), value_info("lse", [2, 1, 4]), value_info("ss", []),
         value_info("noop", [2, 3, 4]), value_info("am", [2, 4], INT64),
         value_info("tv", [2, 3, 2]), value_info("ti", [2, 3, 2], INT64),
         value_info("cs", [2, 3, 4])],
        [ints("ax", [1]), ints("empty", [], [0]), ints("k", [2]),
         tensor("cax", [], [-1], INT32)], opset=18)


@register
def reductions_opset11():
    return model(
        [node("ReduceL1", ["x"], ["l1"], name="rl1", axes=[0, -1]),
         node("LogSoftmax", ["x"], ["ls"], name="ls", axis=1),
         node("Hardmax", ["x"], ["hm"], name="hm", axis=2)],
        [value_info("x", [2, 3, 4])],
        [value_info("l1", [1, 3, 1]), value_info("ls", [2, 3, 4]),
         value_info("hm", [2, 3, 4])], opset=11)


@register
def indexing():
    return model(
        [node("GatherElements", ["x", "gi"], ["ge"], name="ge", axis=1),
         node("GatherND", ["x", "ndi"], ["gnd"], name="gnd", batch_dims=1),
         node("ScatterElements", ["x", "gi", "upd"], ["se"], name="se", axis=1,
              reduction="max"),
         node("ScatterND", ["x", "sndi", "sndu"], ["snd"], name="snd", reduction="add"),
         node("Trilu", ["x", "tk"], ["tr"], name="tr", upper=0),
         node("OneHot", ["oi", "depth", "vals"], ["oh"], name="oh", axis=0),
         node("Size", ["x"], ["sz"], name="sz")],
        [value_info("x", [2, 3, 4]), value_info("gi", [2, 1, 4], INT32),
         value_info("upd", [2, 1, 4]), value_info("oi", [3], INT64)],
        [value_info("ge", [2, 1, 4]), value_info("gnd", [2, 4]), value_info("se", [2, 3, 4]),
         value_info("snd", [2, 3, 4]), value_info("tr", [2, 3, 4]), value_info("oh", [5, 3]),
         value_info("sz", [], INT64)],
        [ints("ndi", [2, -1], [2, 1]), ints("sndi", [1, 0], [1, 2]),
         tensor("sndu", [1, 4], [1.0, 2.0, 3.0, 4.0]), ints("tk", [1], []),
         ints("depth", [5], []), tensor("vals", [2], [0.0, 1.0])], opset=18)


@register
def einsum():
    return model(
        [node("Einsum", ["a", "b"], ["y"], name="bmm", equation="bij,bjk->bik"),
         node("Einsum", ["a"], ["t"], name="tr", equation="bij->jb"),
         node("Einsum", ["a", "c"], ["o"], name="outer", equation="...ij,k"),
         node("Einsum", ["a"], ["d"], name="diag", equation="bii->bi")],
        [value_info("a", [2, 3, 3]), value_info("b", [2, 3, 5]), value_info("c", [4])],
        [value_info("y", [2, 3, 5]), value_info("t", [3, 2]), value_info("o", [2, 3, 3, 4]),
         value_info("d", [2, 3])], opset=12)


@register
def einsum_ok():
    return model(
        [node("Einsum", ["a", "b"], ["y"], name="bmm", equation="bij,bjk->bik"),
         node("Einsum", ["a"], ["t"], name="tr", equation="bij->jb")],
        [value_info("a", [2, 3, 3]), value_info("b", [2, 3, 5])],
        [value_info("y", [2, 3, 5]), value_info("t", [3, 2])], opset=12)


@register
def losses():
    return model(
        [node("SoftmaxCrossEntropyLoss", ["x", "t", "w"], ["loss", "logp"], name="sce",
              ignore_index=1),
         node("LayerNormalization", ["x", "g"], ["ln", "mean", "inv"], name="ln", axis=1)],
        [value_info("x", [2, 3, 4]), value_info("t", [2, 4], INT64)],
        [value_info("loss", []), value_info("logp", [2, 3, 4]), value_info("ln", [2, 3, 4]),
         value_info("mean", [2, 1, 1]), value_info("inv", [2, 1, 1])],
        [tensor("w", [3], [1.0, 2.0, 0.5]), tensor("g", [3, 4], [1.0] * 12)], opset=17)


@register
def topk_runtime_k():
    return model(
        [node("TopK", ["x", "k"], ["v", "i"], name="topk_dyn")],
        [value_info("x", [2, 5]), value_info("k", [1], INT64)],
        [value_info("v", [2, 2]), value_info("i", [2, 2], INT64)], opset=11)


if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, fn in MODELS.items():
        with open(os.path.join(out, name + ".onnx"), "wb") as f:
            f.write(fn())
