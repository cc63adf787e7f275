#!/usr/bin/env python3
"""Error-path checks for mnn-compile and mnn-run.

    python3 tests/e2e/check_bad_inputs.py --mnn-compile BUILD/mnn-compile \\
        --mnn-run BUILD/mnn-run --manifest DIR/manifest.json
        [--target x86_64|aarch64] [--runner "qemu-aarch64 -cpu cortex-a76 -L ..."]
        [--work DIR] [--good-case run_input_checks] [--case PATTERN ...]
        [--no-run-checks] [--timeout SECONDS] [--keep]

Part 1, mnn-compile: for every entry of the manifest's "bad" list (written by
tests/models/gen_op_models.py: empty / truncated / garbage / missing file, unsupported
op, custom-domain op, mismatched shapes, symbolic dim without --input-shape, bad
--input-shape values) runs

    mnn-compile BAD_MODEL -o WORK/bad/NAME/out --target TARGET --name NAME [extra args]

and requires:
  * a non-zero exit status that is not a crash (not killed by a signal, not >= 128),
    within the timeout, and no crash text (segfault, stack dump, LLVM ERROR, ...);
  * on stderr exactly one error line, "mnn-compile: error: ..." (other lines are only
    allowed if they are "mnn-compile: warning: ..." / "mnn-compile: note: ...");
  * every word of the entry's "expect_words" in that line (case-insensitive);
  * no file left in the output directory (it may exist, but must be empty).

Part 2, mnn-run: compiles the good case --good-case (default "run_input_checks":
inputs "pixels" [1,3,8,8] and "bias_map" [1,4,8,8]), checks that a correct run works,
then feeds wrong inputs: wrong shape, wrong dtype (float64), garbage bytes, a truncated
.npy, a missing file, an unknown input name, a missing input, and a non-library file in
place of the .so. Each must give a non-zero, non-crash exit, exactly one
"mnn-run: error: ..." line on stderr naming the offending input or file, and no files
in the (pre-created, empty) output directory.

Prints one PASS/FAIL line per check and, last, "N passed, N failed". Exit status 0
only if all checks passed (2 for usage / manifest errors).
"""

import argparse
import os
import shutil
import sys
import tempfile

import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_common import (Manifest, ManifestError, c_identifier, files_under,  # noqa: E402
                        run, runner_prefix, summary_line, tail)

ALLOWED_EXTRA_PREFIXES = ("warning:", "note:")


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.failed_names = []

    def report(self, name, problems, result=None):
        if problems:
            self.failed += 1
            self.failed_names.append(name)
            print(f"{name}: FAIL")
            for p in problems:
                print(f"    - {p}")
            if result is not None:
                print(f"    command: {result.command_line()}")
                if result.stdout.strip():
                    print("    stdout:\n" + tail(result.stdout))
                if result.stderr.strip():
                    print("    stderr:\n" + tail(result.stderr))
        else:
            self.passed += 1
            print(f"{name}: PASS")
        sys.stdout.flush()


def error_problems(result, tool, expect_words, out_dir):
    """Everything wrong with how `tool` failed. [] means a clean, expected error."""
    problems = []
    if result.timed_out:
        return [f"{tool} timed out after {result.seconds:.0f} s"]
    if result.returncode == 0:
        problems.append(f"{tool} exited 0, expected a failure")
    elif result.crashed:
        problems.append(f"{tool} crashed: {result.describe_exit()}")
    markers = result.crash_markers()
    if markers:
        problems.append("crash text in output: " + ", ".join(repr(m) for m in markers))

    prefix = f"{tool}: "
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith(prefix + "error: ")]
    others = [ln for ln in lines if ln not in errors and not any(
        ln.startswith(prefix + p) for p in ALLOWED_EXTRA_PREFIXES)]
    if len(errors) != 1:
        problems.append(f"expected exactly one '{prefix}error: ...' line on stderr, "
                        f"got {len(errors)}")
    if others:
        problems.append(f"{len(others)} other line(s) on stderr, first: {others[0][:200]!r}")
    if errors:
        line = errors[0].lower()
        missing = [w for w in expect_words if w.lower() not in line]
        if missing:
            problems.append("error line does not mention: " + ", ".join(repr(w) for w in missing))

    left = files_under(out_dir)
    if left:
        problems.append(f"files left in {out_dir}: {', '.join(left[:10])}")
    return problems


def check_compile_errors(manifest, args, work, checks):
    patterns = args.case or ["*"]
    for case in manifest.select(manifest.bad, patterns):
        name = case["name"]
        out_dir = os.path.join(work, "bad", name, "out")
        shutil.rmtree(os.path.dirname(out_dir), ignore_errors=True)
        os.makedirs(out_dir)
        cmd = [args.mnn_compile, manifest.abspath(case["model"]), "-o", out_dir,
               "--target", args.target, "--name", c_identifier(name)]
        cmd += case.get("extra_args", [])
        r = run(cmd, args.timeout)
        problems = error_problems(r, "mnn-compile", case.get("expect_words", []), out_dir)
        if problems:
            problems.insert(0, f"expected: {case.get('expect', '')}")
        elif args.verbose:
            print(f"    {r.stderr.strip()}")
        checks.report(f"compile-error {name}", problems, r if problems else None)


def write_garbage(path, rng, size=600):
    with open(path, "wb") as f:
        f.write(rng.integers(0, 256, size, dtype=np.uint8).tobytes())


def check_run_errors(manifest, args, work, checks):
    try:
        (case,) = manifest.select(manifest.cases, [args.good_case])
    except (ManifestError, ValueError):
        checks.report("mnn-run setup", [f"good case '{args.good_case}' not in manifest"])
        return
    run_dir = os.path.join(work, "run-errors")
    shutil.rmtree(run_dir, ignore_errors=True)
    build_dir = os.path.join(run_dir, "build")
    data_dir = os.path.join(run_dir, "data")
    os.makedirs(build_dir)
    os.makedirs(data_dir)

    lib_name = c_identifier(case["name"])
    cmd = [args.mnn_compile, manifest.abspath(case["model"]), "-o", build_dir,
           "--target", args.target, "--name", lib_name]
    for inp, shape in case.get("input_shapes", {}).items():
        cmd += ["--input-shape", f"{inp}={'x'.join(str(d) for d in shape)}"]
    r = run(cmd, args.timeout)
    lib = os.path.join(build_dir, f"lib{lib_name}.so")
    if r.timed_out or r.returncode != 0 or not os.path.isfile(lib):
        why = (f"failed ({r.describe_exit()})" if r.timed_out or r.returncode != 0
               else f"exited 0 but wrote no {lib}")
        checks.report("mnn-run setup (compile good case)",
                      [f"mnn-compile of {case['name']} {why}"], r)
        return

    good = {n: manifest.abspath(p) for n, p in case["inputs"].items()}
    names = list(good)
    first = names[0]
    ref0 = np.load(good[first])
    rng = np.random.default_rng(7)

    def mnn_run(label, library, inputs):
        """inputs: list of (name, path). Returns (result, out_dir)."""
        out_dir = os.path.join(run_dir, "out-" + label)
        shutil.rmtree(out_dir, ignore_errors=True)
        os.makedirs(out_dir)
        cmd = runner_prefix(args.runner) + [args.mnn_run, library]
        for n, p in inputs:
            cmd += ["--input", f"{n}={p}"]
        cmd += ["--output-dir", out_dir]
        return run(cmd, args.timeout), out_dir

    # Sanity: the correct inputs work (otherwise the error checks below prove nothing).
    r, out_dir = mnn_run("good", lib, list(good.items()))
    expected = sorted(f"{o}.npy" for o in case["outputs"])
    problems = []
    if r.timed_out or r.returncode != 0:
        problems.append(f"mnn-run with correct inputs failed ({r.describe_exit()})")
    elif files_under(out_dir) != expected:
        problems.append(f"outputs {files_under(out_dir)}, expected {expected}")
    checks.report("run-error setup: correct inputs run", problems, r if problems else None)
    if problems:
        return

    def with_replaced(path):
        return [(n, path if n == first else p) for n, p in good.items()]

    # Each entry: (label, library, inputs, words the error line must contain, description)
    tests = []
    p = os.path.join(data_dir, "wrong_shape.npy")
    wrong_shape = list(ref0.shape)
    wrong_shape[-1] += 1
    np.save(p, np.zeros(wrong_shape, np.float32))
    tests.append(("wrong-shape", lib, with_replaced(p), [first],
                  f"{first} given shape {wrong_shape}, model wants {list(ref0.shape)}"))
    p = os.path.join(data_dir, "wrong_dtype.npy")
    np.save(p, ref0.astype(np.float64))
    tests.append(("wrong-dtype", lib, with_replaced(p), [first],
                  f"{first} given float64, model wants {ref0.dtype}"))
    p = os.path.join(data_dir, "garbage.npy")
    write_garbage(p, rng)
    tests.append(("garbage-npy", lib, with_replaced(p), ["garbage.npy"],
                  "input file is random bytes"))
    p = os.path.join(data_dir, "truncated.npy")
    np.save(p, ref0)
    with open(p, "rb") as f:
        data = f.read()
    with open(p, "wb") as f:
        f.write(data[: len(data) - ref0.nbytes // 2])  # header intact, data cut short
    tests.append(("truncated-npy", lib, with_replaced(p), ["truncated.npy"],
                  "valid .npy header, half the data"))
    p = os.path.join(data_dir, "does_not_exist.npy")
    tests.append(("missing-file", lib, with_replaced(p), ["does_not_exist.npy"],
                  "input file does not exist"))
    tests.append(("unknown-input-name", lib,
                  list(good.items()) + [("nosuch_input", good[first])], ["nosuch_input"],
                  "an --input for a name the model does not have"))
    if len(names) > 1:
        tests.append(("missing-input", lib, [(n, good[n]) for n in names[:-1]],
                      [names[-1]], f"no --input for {names[-1]}"))
    p = os.path.join(data_dir, "not_a_library.so")
    write_garbage(p, rng, 4096)
    tests.append(("not-a-library", p, list(good.items()), ["not_a_library.so"],
                  "the library argument is random bytes"))

    for label, library, inputs, words, what in tests:
        r, out_dir = mnn_run(label, library, inputs)
        problems = error_problems(r, "mnn-run", words, out_dir)
        if problems:
            problems.insert(0, f"case: {what}")
        elif args.verbose:
            print(f"    {r.stderr.strip()}")
        checks.report(f"run-error {label}", problems, r if problems else None)


def main():
    ap = argparse.ArgumentParser(description="Error-path checks for mnn-compile / mnn-run.")
    ap.add_argument("--mnn-compile", required=True)
    ap.add_argument("--mnn-run", required=True)
    ap.add_argument("--manifest", required=True,
                    help="manifest.json from gen_op_models.py (has the 'bad' list)")
    ap.add_argument("--target", default="x86_64", choices=["x86_64", "aarch64"])
    ap.add_argument("--runner", default="", help="command prefix for mnn-run (qemu)")
    ap.add_argument("--work", help="work directory (kept); default: a temp dir in /tmp")
    ap.add_argument("--good-case", default="run_input_checks",
                    help="manifest case compiled for the mnn-run checks")
    ap.add_argument("--case", action="append",
                    help="only these bad cases (fnmatch pattern, repeatable)")
    ap.add_argument("--no-run-checks", action="store_true", help="skip the mnn-run part")
    ap.add_argument("--no-compile-checks", action="store_true",
                    help="skip the mnn-compile part")
    ap.add_argument("--timeout", type=float, default=300,
                    help="seconds allowed per tool call (default 300)")
    ap.add_argument("--keep", action="store_true", help="keep the temp work directory")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="also print the error line of passing checks")
    args = ap.parse_args()

    try:
        manifest = Manifest(args.manifest)
        if args.case:
            manifest.select(manifest.bad, args.case)  # validate patterns early
    except ManifestError as e:
        print(f"check_bad_inputs.py: error: {e}", file=sys.stderr)
        return 2
    for tool in (args.mnn_compile, args.mnn_run):
        if not os.path.isfile(tool):
            print(f"check_bad_inputs.py: error: no such file: {tool}", file=sys.stderr)
            return 2

    temp_work = args.work is None
    work = os.path.abspath(args.work or tempfile.mkdtemp(prefix="mnn-bad-"))
    os.makedirs(work, exist_ok=True)

    checks = Checks()
    if not args.no_compile_checks:
        check_compile_errors(manifest, args, work, checks)
    if not args.no_run_checks:
        check_run_errors(manifest, args, work, checks)

    if checks.failed_names:
        print("failed checks: " + ", ".join(checks.failed_names))
    if temp_work:
        if checks.failed or args.keep:
            print(f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(summary_line(checks.passed, checks.failed))
    return 0 if checks.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
