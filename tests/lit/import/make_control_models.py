#!/usr/bin/env python3
"""Writes the ONNX models of the recurrent / control-flow importer lit tests.

    python3 make_control_models.py OUT_DIR

Standard library only; builds on the encoders of make_models.py and adds graph
attributes (If branches, Loop bodies).
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_models as mm  # noqa: E402

GRAPH_ATTR = 5  # AttributeProto.GRAPH


def graph(nodes, inputs, outputs, initializers=(), name="sub"):
    g = b"".join(mm.f_bytes(1, n) for n in nodes) + mm.f_bytes(2, name)
    g += b"".join(mm.f_bytes(5, t) for t in initializers)
    g += b"".join(mm.f_bytes(11, v) for v in inputs)
    g += b"".join(mm.f_bytes(12, v) for v in outputs)
    return g


def with_graphs(node_bytes, **graphs):
    """Appends graph attributes (field 5 of NodeProto) to an encoded node."""
    for k, g in graphs.items():
        a = mm.f_bytes(1, k) + mm.f_bytes(6, g) + mm.f_int(20, GRAPH_ATTR)
        node_bytes += mm.f_bytes(5, a)
    return node_bytes


def if_model(cond_init):
    out = [mm.value_info("b", [2, 3])]
    then_g = graph([mm.node("Tanh", ["x"], ["b"], name="then_tanh")], [], out, name="then")
    else_g = graph([mm.node("Neg", ["x"], ["b"], name="else_neg")], [], out, name="else")
    nodes = [with_graphs(mm.node("If", ["cond"], ["y"], name="my_if"),
                         then_branch=then_g, else_branch=else_g)]
    inputs = [mm.value_info("x", [2, 3])]
    inits = []
    if cond_init is None:
        inputs.append(mm.value_info("cond", [], mm.BOOL))
    else:
        inits.append(mm.tensor("cond", [], [cond_init], mm.BOOL))
    return mm.model(nodes, inputs, [mm.value_info("y", [2, 3])], inits)


def loop_const():
    body = graph(
        [mm.node("Add", ["acc_in", "x"], ["acc_out"], name="body_add"),
         mm.node("Identity", ["c_in"], ["c_out"], name="body_cond")],
        [mm.value_info("i", [], mm.INT64), mm.value_info("c_in", [], mm.BOOL),
         mm.value_info("acc_in", [2, 3])],
        [mm.value_info("c_out", [], mm.BOOL), mm.value_info("acc_out", [2, 3])],
        name="body")
    nodes = [with_graphs(mm.node("Loop", ["trip", "", "x"], ["y"], name="my_loop"),
                         body=body)]
    return mm.model(nodes, [mm.value_info("x", [2, 3])], [mm.value_info("y", [2, 3])],
                    [mm.tensor("trip", [], [3], mm.INT64)])


def with_strings(node_bytes, name, values):
    """Appends a STRINGS attribute (AttributeProto.strings = 9, type 8)."""
    a = mm.f_bytes(1, name) + b"".join(mm.f_bytes(9, v) for v in values) + mm.f_int(20, 8)
    return node_bytes + mm.f_bytes(5, a)


def lstm(extra_inputs=(), activations=None, T=2, **attrs):
    # B=1, I=2, H=2.
    inputs = [mm.value_info("X", [T, 1, 2])]
    ins = ["X", "W", "R", "B"] + [n for n, _ in extra_inputs]
    inputs += [vi for _, vi in extra_inputs if vi]
    n = mm.node("LSTM", ins, ["", "Y_h"], name="my_lstm", hidden_size=2, **attrs)
    nodes = [with_strings(n, "activations", activations) if activations else n]
    inits = [mm.weights("W", [1, 8, 2], 1), mm.weights("R", [1, 8, 2], 2),
             mm.weights("B", [1, 16], 3)]
    return mm.model(nodes, inputs, [mm.value_info("Y_h", [1, 1, 2])], inits)


def gru_bidir():
    nodes = [mm.node("GRU", ["X", "W", "R"], ["Y"], name="my_gru", hidden_size=2,
                     direction="bidirectional", linear_before_reset=1)]
    inits = [mm.weights("W", [2, 6, 3], 4), mm.weights("R", [2, 6, 2], 5)]
    return mm.model(nodes, [mm.value_info("X", [2, 1, 3])],
                    [mm.value_info("Y", [2, 2, 1, 2])], inits)


MODELS = {
    "if_then": lambda: if_model(True),
    "if_else": lambda: if_model(False),
    "if_runtime": lambda: if_model(None),
    "loop_const": loop_const,
    "lstm_small": lambda: lstm(),
    "lstm_elu": lambda: lstm(activations=["Elu", "Tanh", "Tanh"]),
    "lstm_seq_lens": lambda: lstm([("lens", mm.value_info("lens", [1], mm.INT32))]),
    "lstm_input_forget": lambda: lstm(input_forget=1),
    "lstm_long": lambda: lstm(T=65),
    "gru_bidir": gru_bidir,
}

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    os.makedirs(sys.argv[1], exist_ok=True)
    for name, fn in MODELS.items():
        with open(os.path.join(sys.argv[1], name + ".onnx"), "wb") as f:
            f.write(fn())
