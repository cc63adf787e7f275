#!/usr/bin/python3
"""Export the real-model test set to ONNX with Debian's torch + torchvision.

Run with Debian's Python (python3-torch, python3-torchvision; no onnx/onnxruntime needed):

    /usr/bin/python3 tests/models/gen_torchvision_models.py OUT_DIR [--only NAME ...]

then compute the references with the pip Python + onnxruntime:

    python3 tests/models/make_references.py OUT_DIR

Writes OUT_DIR/<name>.onnx, OUT_DIR/<name>.input.npy (seeded random normal input) and
OUT_DIR/<name>.torch_output.npy (torch's result, only for comparison) for

    mobilenet_v2, mobilenet_v3_small, resnet18, squeezenet1_1   input [1,3,224,224]
    densenet121, mobilenet_v3_large                             input [1,3,224,224]
    encoder_layer (nn.TransformerEncoderLayer d_model=64, 4 heads)  input [1,16,64]

All models: weights=None with torch.manual_seed(0) (nothing is downloaded), eval mode,
input name "input", output name "output", opset 17, do_constant_folding=True, static
shapes.

BatchNorm: running_mean/var, weight and bias are set to seeded random values, so the
BN layers are not identities. The CNNs are exported with
training=TrainingMode.PRESERVE (the model is in eval mode, so BN is exported in
inference form): with the default TrainingMode.EVAL, torch's exporter folds every
BatchNormalization into the preceding Conv itself, and the compiler's own BN folding
would never see a BatchNormalization node. (torch warns that constant folding is
"not recommended" in that mode; it is harmless here because the model is in eval mode.)

The encoder layer uses activation="gelu" so that the exported graph contains Erf (opset
17 has no Gelu op); at opset 17 nn.LayerNorm exports as LayerNormalization. The export
runs with autograd enabled, so TransformerEncoderLayer does not take its eval-mode
"fast path" (a fused op that has no ONNX export).

Prints the op types of each export (read straight from the protobuf, so no onnx
package is needed) and the export time.
"""

import argparse
import os
import sys
import time
import warnings
import zlib

import numpy as np
import torch
import torchvision

OPSET = 17
CNN_INPUT = (1, 3, 224, 224)


# ---- tiny protobuf reader: enough of onnx.ModelProto to list the op types ------------


def _varint(buf, i):
    result = shift = 0
    while True:
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, i


def _fields(buf):
    i = 0
    while i < len(buf):
        key, i = _varint(buf, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(buf, i)
        elif wire == 1:
            value, i = buf[i:i + 8], i + 8
        elif wire == 5:
            value, i = buf[i:i + 4], i + 4
        elif wire == 2:
            n, i = _varint(buf, i)
            value, i = buf[i:i + n], i + n
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        yield field, value


def onnx_op_counts(path):
    """{op_type: count} of the main graph (ModelProto.graph=7, GraphProto.node=1,
    NodeProto.op_type=4)."""
    with open(path, "rb") as f:
        data = memoryview(f.read())
    counts = {}
    for field, graph in _fields(data):
        if field != 7:
            continue
        for gfield, node in _fields(graph):
            if gfield != 1:
                continue
            for nfield, value in _fields(node):
                if nfield == 4:
                    op = bytes(value).decode()
                    counts[op] = counts.get(op, 0) + 1
    return counts


# ---- models --------------------------------------------------------------------------


def randomize_batchnorm(model, seed):
    """Give every BatchNorm seeded, non-trivial running stats and affine parameters."""
    g = torch.Generator().manual_seed(seed)
    n = 0
    for m in model.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            c = m.num_features
            with torch.no_grad():
                m.running_mean.copy_(torch.randn(c, generator=g) * 0.1)
                m.running_var.copy_(torch.rand(c, generator=g) * 1.5 + 0.5)  # [0.5, 2)
                if m.affine:
                    m.weight.copy_(torch.rand(c, generator=g) + 0.5)  # [0.5, 1.5)
                    m.bias.copy_(torch.randn(c, generator=g) * 0.1)
            n += 1
    return n


def make_cnn(name):
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)(weights=None)
    randomize_batchnorm(model, seed=1)
    return model.eval(), CNN_INPUT, torch.onnx.TrainingMode.PRESERVE


def make_encoder_layer(_name):
    torch.manual_seed(0)
    model = torch.nn.TransformerEncoderLayer(
        d_model=64, nhead=4, dim_feedforward=128, batch_first=True, dropout=0.0,
        activation="gelu",
    )
    return model.eval(), (1, 16, 64), torch.onnx.TrainingMode.EVAL


MODELS = {
    "mobilenet_v2": make_cnn,
    "mobilenet_v3_small": make_cnn,
    "resnet18": make_cnn,
    "squeezenet1_1": make_cnn,
    "densenet121": make_cnn,  # exports a zero Pad before each transition AveragePool
    "mobilenet_v3_large": make_cnn,
    "encoder_layer": make_encoder_layer,
}


def export(name, out_dir):
    model, input_shape, training = MODELS[name](name)
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    x = rng.standard_normal(input_shape).astype(np.float32)
    onnx_path = os.path.join(out_dir, f"{name}.onnx")
    tmp_path = onnx_path + ".tmp"
    t0 = time.monotonic()
    # Not under torch.no_grad(): with grad enabled (and parameters requiring grad),
    # TransformerEncoderLayer skips its eval "fast path", whose fused
    # aten::_transformer_encoder_layer_fwd op cannot be exported to ONNX.
    torch.onnx.export(
        model, torch.from_numpy(x), tmp_path,
        input_names=["input"], output_names=["output"],
        opset_version=OPSET, do_constant_folding=True, training=training,
    )
    seconds = time.monotonic() - t0
    with torch.no_grad():
        y = model(torch.from_numpy(x)).numpy()
    os.replace(tmp_path, onnx_path)
    np.save(os.path.join(out_dir, f"{name}.input.npy"), x)
    # torch's own output, for make_references.py to report how far an independent fp32
    # implementation lands from the ONNX Runtime reference (a sanity check of the bound).
    np.save(os.path.join(out_dir, f"{name}.torch_output.npy"), y)
    ops = onnx_op_counts(onnx_path)
    size_mb = os.path.getsize(onnx_path) / 1e6
    print(f"{name}: {seconds:.1f} s, {size_mb:.1f} MB, output {list(y.shape)} "
          f"(torch: mean {y.mean():.4g}, std {y.std():.4g}, max|y| {np.abs(y).max():.4g})")
    print("  ops: " + ", ".join(f"{op} x{n}" for op, n in sorted(ops.items())))
    sys.stdout.flush()
    return seconds


def main():
    ap = argparse.ArgumentParser(description="Export torchvision test models to ONNX.")
    ap.add_argument("out_dir")
    ap.add_argument("--only", nargs="+", choices=sorted(MODELS), help="export only these")
    args = ap.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    torch.set_num_threads(max(1, os.cpu_count() or 1))

    warnings.filterwarnings("ignore", category=UserWarning, module="torch.onnx")

    t0 = time.monotonic()
    for name in args.only or MODELS:
        export(name, args.out_dir)
    print(f"total {time.monotonic() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
