#!/usr/bin/env python3
"""Static throughput check of the AArch64 conv/matmul microkernels.

Compiles a 3x3 conv (stride 1 and 2), a 7x7 stride-2 first-layer conv, a
1x1 conv and a matmul for aarch64,
finds the hot loop of each library by disassembly (the innermost loop, i.e.
the span from a backward branch's target to the branch with no other
backward branch inside, that holds the most fmla), runs llvm-mca with the
Neoverse N1 model (2 x 128-bit FMA pipes; LLVM 19's cortex-a76 model has
only one) on it and asserts
  - fmla per cycle >= 1.8 (the FMA pipes at least 90% busy), and
  - no sp-relative loads/stores in the loop (no spills).
Prints the numbers for each kernel. Exits 77 (skip) without llvm-mca-19 or
llvm-objdump-19.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
MIN_FMLA_PER_CYCLE = 1.8
ITERATIONS = 100


def make_models(out_dir):
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(0)

    def save(name, node, x_shape, y_shape, w):
        graph = helper.make_graph(
            [node], name,
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, y_shape)],
            [numpy_helper.from_array(w, "w")])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        path = os.path.join(out_dir, name + ".onnx")
        onnx.save(model, path)
        return path

    def conv(name, cin, cout, k, hw, stride=1):
        w = rng.standard_normal((cout, cin, k, k)).astype(np.float32)
        pad = k // 2
        o = (hw + 2 * pad - k) // stride + 1
        node = helper.make_node("Conv", ["x", "w"], ["y"], kernel_shape=[k, k],
                                pads=[pad] * 4, strides=[stride] * 2)
        return save(name, node, [1, cin, hw, hw], [1, cout, o, o], w)

    w = rng.standard_normal((256, 512)).astype(np.float32)
    return {
        # ResNet-style layers: each takes a different microkernel schedule.
        "conv3x3_64_56": conv("conv3x3_64_56", 64, 64, 3, 56),       # channel lanes
        "conv3x3_512_7": conv("conv3x3_512_7", 512, 512, 3, 7),      # channel lanes, 7 rows
        "conv3x3_s2_128_28": conv("conv3x3_s2_128_28", 128, 256, 3, 28, 2),
        # First-layer conv: a short reduction, 16 channels x 6 pixels.
        "conv7x7_s2_3_64_56": conv("conv7x7_s2_3_64_56", 3, 64, 7, 56, 2),
        "conv1x1_64_256_56": conv("conv1x1_64_256_56", 64, 256, 1, 56),  # pixel lanes
        "matmul_128x256x512": save(
            "matmul_128x256x512", helper.make_node("MatMul", ["x", "w"], ["y"]),
            [128, 256], [128, 512], w),
    }


def disassemble(objdump, lib):
    text = subprocess.run([objdump, "-d", "--no-show-raw-insn", lib],
                          capture_output=True, text=True, check=True).stdout
    insts = []  # (address, mnemonic, operands)
    for line in text.splitlines():
        m = re.match(r"^\s*([0-9a-f]+):\s+(\S+)\s*(.*)$", line)
        if m:
            insts.append((int(m.group(1), 16), m.group(2),
                          m.group(3).split("//")[0].strip()))
    return insts


BRANCH = re.compile(r"^(b|b\.\w+|cbn?z|tbn?z)$")


def branch_target(mnemonic, operands):
    if not BRANCH.match(mnemonic):
        return None
    m = re.search(r"\b(?:0x)?([0-9a-f]+) <", operands)
    return int(m.group(1), 16) if m else None


def hot_loop(insts):
    """The innermost loop with the most fmla, as a list of instructions."""
    index = {addr: i for i, (addr, _, _) in enumerate(insts)}
    best = None
    for j, (addr, mnemonic, operands) in enumerate(insts):
        target = branch_target(mnemonic, operands)
        if target is None or target > addr or target not in index:
            continue
        body = insts[index[target]:j + 1]
        inner = all(not (t is not None and target <= t <= a)
                    for a, mn, ops in body[:-1]
                    for t in [branch_target(mn, ops)])
        if not inner:
            continue
        fmla = sum(mn == "fmla" for _, mn, _ in body)
        if best is None or fmla > best[0]:
            best = (fmla, body)
    return best[1] if best else []


def to_asm(body):
    """Assembly llvm-mca accepts: branches retargeted at a local label."""
    lines = ["loop:"]
    for _, mnemonic, operands in body:
        if branch_target(mnemonic, operands) is not None:
            operands = re.sub(r"(?:0x)?[0-9a-f]+ <[^>]*>", "loop", operands)
        lines.append(f"\t{mnemonic}\t{operands}")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mnn-compile", required=True)
    ap.add_argument("--work", default=None)
    ap.add_argument("--mcpu", default="neoverse-n1")
    args = ap.parse_args()

    mca = shutil.which("llvm-mca-19") or shutil.which("llvm-mca", path="/usr/lib/llvm-19/bin")
    objdump = (shutil.which("llvm-objdump-19")
               or shutil.which("llvm-objdump", path="/usr/lib/llvm-19/bin"))
    if not mca or not objdump:
        print("SKIP: llvm-mca-19 / llvm-objdump-19 not found (Debian package llvm-19)")
        return SKIP

    work = args.work or tempfile.mkdtemp(prefix="mnn-fmla-")
    os.makedirs(work, exist_ok=True)
    failures = []
    print(f"{'kernel':22} {'fmla':>4} {'insts':>5} {'cyc/iter':>8} {'fmla/cyc':>8}  spills")
    for name, model in make_models(work).items():
        out = os.path.join(work, name)
        os.makedirs(out, exist_ok=True)
        # --winograd=off: the 3x3 convs are checked as direct convs (with
        # Winograd their GEMM is the matmul microkernel checked below, and the
        # hot loop found would be a transform).
        subprocess.run([args.mnn_compile, "--target", "aarch64", "--winograd=off", model,
                        "-o", out], check=True)
        body = hot_loop(disassemble(objdump, os.path.join(out, f"lib{name}.so")))
        fmla = sum(mn == "fmla" for _, mn, _ in body)
        if fmla == 0:
            failures.append(f"{name}: no loop with fmla found")
            continue
        asm = os.path.join(out, "hot_loop.s")
        with open(asm, "w") as f:
            f.write(to_asm(body))
        report = subprocess.run(
            [mca, "-mtriple=aarch64", f"-mcpu={args.mcpu}", f"-iterations={ITERATIONS}", asm],
            capture_output=True, text=True, check=True).stdout
        cycles = int(re.search(r"Total Cycles:\s+(\d+)", report).group(1))
        per_iter = cycles / ITERATIONS
        rate = fmla / per_iter
        spills = [f"{mn} {ops}" for _, mn, ops in body
                  if re.search(r"\[sp\b", ops) and re.match(r"^(ld|st)", mn)]
        print(f"{name:22} {fmla:4} {len(body):5} {per_iter:8.2f} {rate:8.2f}  {len(spills)}")
        if rate < MIN_FMLA_PER_CYCLE:
            failures.append(f"{name}: {rate:.2f} fmla/cycle < {MIN_FMLA_PER_CYCLE} "
                            f"(hot loop in {asm})")
        if spills:
            failures.append(f"{name}: stack accesses in the hot loop: {'; '.join(spills)}")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
