#!/usr/bin/env python3
"""End-to-end check: compile a manifest case with mnn-compile, run it with mnn-run and
compare the outputs with the ONNX Runtime references.

    python3 tests/e2e/check_model.py --mnn-compile BUILD/mnn-compile --mnn-run BUILD/mnn-run \\
        --manifest DIR/manifest.json --case NAME [--case PATTERN ...] | --all
        [--exclude PATTERN ...] [--target x86_64|aarch64] [--cpu CPU]
        [--runner "qemu-aarch64 -cpu cortex-a76 -L /usr/aarch64-linux-gnu"]
        [--work DIR] [--threads T] [--timeout SECONDS] [--keep]
    python3 tests/e2e/check_model.py --manifest DIR/manifest.json --list

The manifest is written by tests/models/gen_op_models.py or make_references.py.
Case names may be fnmatch patterns ("conv*"). For each case:

  1. mnn-compile MODEL -o WORK/TARGET/CASE/build --target TARGET --name CASE
         [--input-shape NAME=1x3x8x8 ...]    (from the case's "input_shapes")
     and require WORK/.../build/libCASE.so and CASE.h;
  2. [RUNNER] mnn-run WORK/.../build/libCASE.so --input NAME=FILE.npy ...
         --output-dir WORK/TARGET/CASE/out [--threads T]
  3. load WORK/.../out/<output name>.npy for every reference output and compare.

Tolerance (fp32): for every float output,

    max |out - ref|  <=  1e-4 * max |ref|          (REL_TOL below)

i.e. the error is measured against the output's own scale. Integer and bool outputs
must match exactly; shapes and dtypes must match exactly; NaN/Inf where the reference
is finite is a failure, and so is anything but NaN where the reference is NaN, or
anything but the same infinity where it is infinite. A case may override the factor in the manifest with
"tolerance": {"rel": 1e-3, "reason": "..."}; the reason is mandatory.

Prints one line per output ("<case> output <name>: max abs err E, bound B: PASS|FAIL"),
a PASS/FAIL line per case and, at the end, the line "N passed, N failed". Exit status:
0 if every selected case passed, 1 otherwise, 2 for usage / manifest errors.

Without --work, a temporary directory under /tmp is used and removed afterwards
unless something failed (then it is kept and its path printed) or --keep is given.
"""

import argparse
import os
import shutil
import sys
import tempfile

import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import (Manifest, ManifestError, c_identifier, run,  # noqa: E402
                        runner_prefix, summary_line, tail)

# The fp32 acceptance rule: max abs error <= REL_TOL * max |reference|, per output.
REL_TOL = 1e-4


def compare(got, ref, rel):
    """Returns (ok, details) for one output."""
    if got.shape != ref.shape:
        return False, f"shape {list(got.shape)}, expected {list(ref.shape)}"
    if got.dtype != ref.dtype:
        return False, f"dtype {got.dtype}, expected {ref.dtype}"
    if ref.dtype.kind in "fc":
        if got.size == 0:
            return True, "empty output"
        finite_ref = np.isfinite(ref)
        bad = ~np.isfinite(got) & finite_ref
        scale = float(np.max(np.abs(ref[finite_ref]))) if finite_ref.any() else 0.0
        bound = rel * scale
        if bad.any():
            idx = tuple(int(i) for i in np.argwhere(bad)[0])
            return False, (f"{int(bad.sum())} non-finite values (first at {list(idx)}: "
                           f"{got[idx]}), bound {bound:.3g}")
        lost = ~finite_ref & ~((np.isnan(ref) & np.isnan(got)) | (got == ref))
        if lost.any():
            idx = tuple(int(i) for i in np.argwhere(lost)[0])
            return False, (f"{int(lost.sum())} non-finite reference values not reproduced "
                           f"(first at {list(idx)}: got {got[idx]}, ref {ref[idx]})")
        # np.array: a 0-d difference stays an array (scalar outputs, e.g. losses).
        with np.errstate(invalid="ignore"):  # inf - inf where both are inf
            diff = np.array(np.abs(got.astype(np.float64) - ref.astype(np.float64)))
        diff[~finite_ref] = 0.0  # non-finite references: only finiteness is compared
        err = float(diff.max())
        ok = err <= bound
        where = ""
        if not ok:
            idx = tuple(int(i) for i in np.unravel_index(int(np.argmax(diff)), diff.shape))
            n_over = int((diff > bound).sum())
            where = (f" (worst at {list(idx)}: got {got[idx]:.7g}, ref {ref[idx]:.7g}; "
                     f"{n_over}/{diff.size} elements over)")
        return ok, (f"max abs err {err:.3g}, bound {bound:.3g} "
                    f"(= {rel:g} x max|ref| {scale:.4g}){where}")
    # integers / bool: exact
    mismatches = int(np.count_nonzero(got != ref))
    ok = mismatches == 0
    return ok, f"exact match required, {mismatches}/{ref.size} elements differ"


def case_tolerance(case):
    tol = case.get("tolerance")
    if not tol:
        return REL_TOL
    if not tol.get("reason"):
        raise ManifestError(f"case {case['name']}: tolerance override without a reason")
    return float(tol["rel"])


def check_case(case, manifest, args, work_root):
    """Compile, run and compare one case. Returns True on PASS."""
    name = case["name"]
    lib_name = c_identifier(name)
    case_dir = os.path.join(work_root, args.target, name)
    build_dir = os.path.join(case_dir, "build")
    out_dir = os.path.join(case_dir, "out")
    shutil.rmtree(case_dir, ignore_errors=True)
    os.makedirs(build_dir)
    os.makedirs(out_dir)

    def fail(msg, result=None):
        print(f"{name}: {msg}")
        if result is not None:
            print(f"    command: {result.command_line()}")
            if result.stdout.strip():
                print("    stdout:\n" + tail(result.stdout))
            if result.stderr.strip():
                print("    stderr:\n" + tail(result.stderr))
        print(f"{name}: FAIL")
        return False

    try:
        rel = case_tolerance(case)
    except ManifestError as e:
        return fail(str(e))

    # 1. compile
    cmd = [args.mnn_compile, manifest.abspath(case["model"]), "-o", build_dir,
           "--target", args.target, "--name", lib_name]
    if args.cpu:
        cmd.append(f"--cpu={args.cpu}")
    for inp, shape in case.get("input_shapes", {}).items():
        cmd += ["--input-shape", f"{inp}={'x'.join(str(d) for d in shape)}"]
    cmd += case.get("compile_args", [])
    r = run(cmd, args.timeout)
    if r.timed_out or r.returncode != 0:
        return fail(f"mnn-compile failed ({r.describe_exit()})", r)
    lib = os.path.join(build_dir, f"lib{lib_name}.so")
    header = os.path.join(build_dir, f"{lib_name}.h")
    missing = [p for p in (lib, header) if not os.path.isfile(p)]
    if missing:
        return fail("mnn-compile succeeded but did not write " + ", ".join(missing), r)
    compile_s = r.seconds

    # 2. run
    cmd = runner_prefix(args.runner) + [args.mnn_run, lib]
    for inp, path in case["inputs"].items():
        cmd += ["--input", f"{inp}={manifest.abspath(path)}"]
    cmd += ["--output-dir", out_dir]
    if args.threads:
        cmd += ["--threads", str(args.threads)]
    if args.poison_arena:
        cmd += ["--poison-arena"]
    r = run(cmd, args.timeout)
    if r.timed_out or r.returncode != 0:
        return fail(f"mnn-run failed ({r.describe_exit()})", r)
    print(f"{name}: compiled in {compile_s:.2f} s, ran in {r.seconds:.2f} s")
    if args.verbose and (r.stdout.strip() or r.stderr.strip()):
        print(tail(r.stdout + r.stderr))

    # 3. compare
    ok = True
    for out_name, ref_path in case["outputs"].items():
        ref = np.load(manifest.abspath(ref_path))
        got_path = os.path.join(out_dir, f"{out_name}.npy")
        if not os.path.isfile(got_path):
            print(f"{name} output {out_name}: missing {got_path}: FAIL")
            ok = False
            continue
        try:
            got = np.load(got_path, allow_pickle=False)
        except Exception as e:  # noqa: BLE001 - any unreadable file is a failure
            print(f"{name} output {out_name}: cannot load {got_path}: {e}: FAIL")
            ok = False
            continue
        passed, msg = compare(got, ref, rel)
        print(f"{name} output {out_name}: {msg}: {'PASS' if passed else 'FAIL'}")
        ok = ok and passed
    expected = {f"{o}.npy" for o in case["outputs"]}
    extra = sorted(set(os.listdir(out_dir)) - expected)
    if extra:
        print(f"{name}: note: unexpected files in output dir: {', '.join(extra)}")
    print(f"{name}: {'PASS' if ok else 'FAIL'}")
    return ok


def main():
    ap = argparse.ArgumentParser(
        description="Compile + run manifest cases and compare with ONNX Runtime references.")
    ap.add_argument("--mnn-compile", help="path to mnn-compile")
    ap.add_argument("--mnn-run", help="path to mnn-run (built for --target)")
    ap.add_argument("--manifest", required=True, help="manifest.json")
    sel = ap.add_mutually_exclusive_group(required=True)
    sel.add_argument("--case", action="append", help="case name or fnmatch pattern "
                     "(repeatable)")
    sel.add_argument("--all", action="store_true", help="every case in the manifest")
    sel.add_argument("--list", action="store_true", help="print the case names and exit")
    ap.add_argument("--exclude", action="append", default=[],
                    help="skip cases matching this fnmatch pattern (repeatable)")
    ap.add_argument("--target", default="x86_64", choices=["x86_64", "aarch64"])
    ap.add_argument("--cpu", help="pass --cpu=CPU to mnn-compile (e.g. native)")
    ap.add_argument("--runner", default="", help="command prefix for mnn-run, e.g. "
                    "\"qemu-aarch64 -cpu cortex-a76 -L /usr/aarch64-linux-gnu\"")
    ap.add_argument("--work", help="work directory (kept); default: a temp dir in /tmp")
    ap.add_argument("--threads", type=int, help="pass --threads T to mnn-run")
    ap.add_argument("--poison-arena", action="store_true",
                    help="pass --poison-arena to mnn-run (the arena starts as NaNs)")
    ap.add_argument("--timeout", type=float, default=600,
                    help="seconds allowed per mnn-compile / mnn-run call (default 600)")
    ap.add_argument("--keep", action="store_true", help="keep the temp work directory")
    ap.add_argument("-v", "--verbose", action="store_true", help="show mnn-run output")
    args = ap.parse_args()

    try:
        manifest = Manifest(args.manifest)
        if args.list:
            for c in manifest.select(manifest.cases, ["*"], args.exclude):
                print(c["name"])
            return 0
        if not args.mnn_compile or not args.mnn_run:
            ap.error("--mnn-compile and --mnn-run are required")
        cases = manifest.select(manifest.cases, ["*"] if args.all else args.case,
                                args.exclude)
    except ManifestError as e:
        print(f"check_model.py: error: {e}", file=sys.stderr)
        return 2
    for tool in (args.mnn_compile, args.mnn_run):
        if not os.path.isfile(tool):
            print(f"check_model.py: error: no such file: {tool}", file=sys.stderr)
            return 2

    temp_work = args.work is None
    work = args.work or tempfile.mkdtemp(prefix="mnn-e2e-")
    work = os.path.abspath(work)
    os.makedirs(work, exist_ok=True)

    passed = failed = 0
    failed_names = []
    for case in cases:
        if check_case(case, manifest, args, work):
            passed += 1
        else:
            failed += 1
            failed_names.append(case["name"])
        sys.stdout.flush()

    if failed_names:
        print("failed cases: " + " ".join(failed_names))
    if temp_work:
        if failed or args.keep:
            print(f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(summary_line(passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
