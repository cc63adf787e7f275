#!/usr/bin/env python3
"""Writes the ONNX models of the recurrent / control-flow importer lit tests.

    python3 make_control_models.py OUT_DIR

Standard library only; builds on the encoders of make_models.py and adds graph
attributes (If branches, Loop and Scan bodies, FlexAttention modifiers).
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


def scan9_reverse():
    # State s [2]; x [2, 3] is scanned along axis 1 in reverse; the scan output
    # is stacked along its last axis, also in reverse.
    body = graph(
        [mm.node("Add", ["s_in", "x_t"], ["s_out"], name="body_add"),
         mm.node("Neg", ["s_out"], ["y_t"], name="body_neg")],
        [mm.value_info("s_in", [2]), mm.value_info("x_t", [2])],
        [mm.value_info("s_out", [2]), mm.value_info("y_t", [2])], name="body")
    nodes = [with_graphs(mm.node("Scan", ["s0", "x"], ["s", "y"], name="my_scan",
                                 num_scan_inputs=1, scan_input_axes=[1],
                                 scan_input_directions=[1], scan_output_axes=[-1],
                                 scan_output_directions=[1]), body=body)]
    return mm.model(nodes, [mm.value_info("s0", [2]), mm.value_info("x", [2, 3])],
                    [mm.value_info("s", [2]), mm.value_info("y", [2, 3])], opset=11)


def scan8(seq_lens=False, lengths=(3, 3)):
    # Opset 8: a batch dim on every input (optional sequence_lens first).
    body = graph(
        [mm.node("Add", ["s_in", "x_t"], ["s_out"], name="body_add"),
         mm.node("Mul", ["s_out", "z_t"], ["y_t"], name="body_mul")],
        [mm.value_info("s_in", [2]), mm.value_info("x_t", [2]),
         mm.value_info("z_t", [2])],
        [mm.value_info("s_out", [2]), mm.value_info("y_t", [2])], name="body")
    ins = ["lens" if seq_lens else "", "s0", "x", "z"]
    nodes = [with_graphs(mm.node("Scan", ins, ["s", "y"], name="my_scan",
                                 num_scan_inputs=2, directions=[0, 1]), body=body)]
    inputs = [mm.value_info("s0", [2, 2]), mm.value_info("x", [2, lengths[0], 2]),
              mm.value_info("z", [2, lengths[1], 2])]
    if seq_lens:
        inputs.append(mm.value_info("lens", [2], mm.INT32))
    return mm.model(nodes, inputs,
                    [mm.value_info("s", [2, 2]), mm.value_info("y", [2, 3, 2])], opset=8)


PREVIEW = mm.f_bytes(8, mm.f_bytes(1, "ai.onnx.preview") + mm.f_int(2, 1))


def flex(score_mod=None, op="FlexAttention", **attrs):
    n = mm.node(op, ["q", "k", "v"], ["y"], name="my_flex", domain="ai.onnx.preview",
                **attrs)
    if score_mod is not None:
        n = with_graphs(n, score_mod=score_mod)
    inputs = [mm.value_info("q", [1, 4, 3, 8]), mm.value_info("k", [1, 2, 5, 8]),
              mm.value_info("v", [1, 2, 5, 6])]
    return mm.model([n], inputs, [mm.value_info("y", [1, 4, 3, 6])], opset=26) + PREVIEW


def flex_bias():
    # The score modifier adds a constant; its graph is imported inline.
    mod = graph([mm.node("Add", ["sc", "bias"], ["sc_out"], name="mod_add")],
                [mm.value_info("sc", [1, 4, 3, 5])], [mm.value_info("sc_out", [1, 4, 3, 5])],
                [mm.tensor("bias", [], [0.5])], name="score_mod")
    return flex(mod, scale=0.25)


def flex_bad_mod():
    # A modifier that sums the scores over the keys changes their shape.
    mod = graph([mm.node("ReduceSum", ["sc"], ["sc_out"], name="mod_sum", keepdims=1)],
                [mm.value_info("sc", [1, 4, 3, 5])], [mm.value_info("sc_out", [1, 1, 1, 1])],
                name="score_mod")
    return flex(mod)


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
    "scan9_reverse": scan9_reverse,
    "scan8_batch": scan8,
    "scan8_seq_lens": lambda: scan8(seq_lens=True),
    "scan8_lengths": lambda: scan8(lengths=(3, 4)),
    "flex_bias": flex_bias,
    "flex_bad_mod": flex_bad_mod,
    "flex_bad_scale": lambda: flex(softmax_precision=11),
    "preview_unknown": lambda: flex(op="NoSuchOp"),
}

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    os.makedirs(sys.argv[1], exist_ok=True)
    for name, fn in MODELS.items():
        with open(os.path.join(sys.argv[1], name + ".onnx"), "wb") as f:
            f.write(fn())
