#!/usr/bin/env python3
"""Compute ONNX Runtime reference outputs for exported models and write a manifest.

Run with the pip Python (onnx, onnxruntime, numpy):

    python3 tests/models/make_references.py DIR

For every DIR/<name>.onnx that has its input(s) next to it:

    <name>.input.npy                 the model's only input, or
    <name>.input.<input name>.npy    one file per input (multi-input models)

writes DIR/<name>.ref.<output name>.npy and DIR/manifest.json in the same format as
gen_op_models.py writes (see there; paths relative to DIR). Models without input files
are skipped with a note. If DIR/<name>.torch_output.npy exists (written by
gen_torchvision_models.py), prints how far torch's own output is from the reference,
measured against the checker's bound, as a sanity check that the bound is attainable
by an independent fp32 implementation.
"""

import argparse
import glob
import json
import os
import re
import sys
import time

import numpy as np
import onnx
import onnxruntime as ort

REL_TOL = 1e-4  # keep in sync with tests/e2e/check_model.py


def file_safe(name):
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)


def find_inputs(dir_, stem, model):
    """{input name: npy path} or None if the input files are missing."""
    names = [i.name for i in model.graph.input]
    # Initializers listed as graph inputs (old exporters) are not runtime inputs.
    inits = {t.name for t in model.graph.initializer}
    names = [n for n in names if n not in inits]
    single = os.path.join(dir_, f"{stem}.input.npy")
    if len(names) == 1 and os.path.exists(single):
        return {names[0]: single}
    found = {}
    for n in names:
        p = os.path.join(dir_, f"{stem}.input.{file_safe(n)}.npy")
        if not os.path.exists(p):
            return None
        found[n] = p
    return found


def dims(value_info):
    return [
        d.dim_value if d.HasField("dim_value") else (d.dim_param or "?")
        for d in value_info.type.tensor_type.shape.dim
    ]


def main():
    ap = argparse.ArgumentParser(description="Write ONNX Runtime references + manifest.json.")
    ap.add_argument("dir", help="directory with <name>.onnx and <name>.input.npy files")
    ap.add_argument("--manifest", default="manifest.json", help="manifest file name in DIR")
    args = ap.parse_args()

    dir_ = os.path.abspath(args.dir)
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    so.log_severity_level = 3

    cases, problems = [], 0
    for model_path in sorted(glob.glob(os.path.join(dir_, "*.onnx"))):
        stem = os.path.basename(model_path)[: -len(".onnx")]
        model = onnx.load(model_path)
        inputs = find_inputs(dir_, stem, model)
        if inputs is None:
            print(f"{stem}: skipped (no {stem}.input.npy / {stem}.input.<name>.npy)")
            continue
        onnx.checker.check_model(model_path)
        t0 = time.monotonic()
        feeds = {n: np.load(p) for n, p in inputs.items()}
        sess = ort.InferenceSession(model_path, so, providers=["CPUExecutionProvider"])
        out_names = [o.name for o in sess.get_outputs()]
        results = dict(zip(out_names, sess.run(out_names, feeds)))
        seconds = time.monotonic() - t0

        outputs = {}
        for n, arr in results.items():
            if arr.dtype == np.float32 and not np.all(np.isfinite(arr)):
                print(f"{stem}: output {n} has non-finite values", file=sys.stderr)
                problems += 1
            p = os.path.join(dir_, f"{stem}.ref.{file_safe(n)}.npy")
            np.save(p, arr)
            outputs[n] = os.path.relpath(p, dir_)

        input_shapes = {}
        for vi in model.graph.input:
            if vi.name in feeds and any(isinstance(d, str) for d in dims(vi)):
                input_shapes[vi.name] = list(feeds[vi.name].shape)

        opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")),
                     None)
        op_counts = {}
        for node in model.graph.node:
            op_counts[node.op_type] = op_counts.get(node.op_type, 0) + 1
        entry = {
            "name": re.sub(r"[^A-Za-z0-9_]", "_", stem),
            "model": os.path.relpath(model_path, dir_),
            "opset": opset,
            "ops": sorted(op_counts),
            "inputs": {n: os.path.relpath(p, dir_) for n, p in inputs.items()},
            "outputs": outputs,
            "all_float32": all(a.dtype == np.float32 for a in feeds.values())
            and all(a.dtype == np.float32 for a in results.values()),
        }
        if input_shapes:
            entry["input_shapes"] = input_shapes
        cases.append(entry)

        shapes = ", ".join(f"{n} {list(a.shape)}" for n, a in results.items())
        print(f"{stem}: {len(model.graph.node)} nodes, ORT {seconds:.2f} s, outputs {shapes}")
        print("  ops: " + ", ".join(f"{op} x{c}" for op, c in sorted(op_counts.items())))

        torch_out = os.path.join(dir_, f"{stem}.torch_output.npy")
        if os.path.exists(torch_out) and len(results) == 1:
            ref = next(iter(results.values()))
            got = np.load(torch_out)
            if got.shape == ref.shape:
                err = float(np.max(np.abs(got.astype(np.float64) - ref)))
                bound = REL_TOL * float(np.max(np.abs(ref)))
                print(f"  torch vs ORT: max abs err {err:.3g}, checker bound {bound:.3g} "
                      f"({err / bound if bound else float('inf'):.3f} of the bound)")
            else:
                print(f"  torch output shape {got.shape} != reference {ref.shape}")

    manifest = {
        "version": 1,
        "generator": "tests/models/make_references.py",
        "tolerance": {
            "rel": REL_TOL,
            "rule": "float outputs: max|out - ref| <= rel * max|ref| (per output); "
            "integer/bool outputs: exact; shapes and dtypes exact",
        },
        "cases": cases,
        "bad": [],
    }
    tmp = os.path.join(dir_, args.manifest + ".tmp")
    with open(tmp, "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    os.replace(tmp, os.path.join(dir_, args.manifest))
    print(f"wrote {len(cases)} cases to {os.path.join(dir_, args.manifest)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
