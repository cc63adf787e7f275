"""Shared helpers for check_model.py and check_bad_inputs.py (manifest, processes)."""

import fnmatch
import json
import os
import re
import shlex
import signal
import subprocess
import time

# Text that means a tool crashed or hit an internal error rather than reporting a
# clean, user-facing error.
CRASH_MARKERS = (
    "Segmentation fault",
    "core dumped",
    "Aborted",
    "Stack dump",
    "PLEASE submit a bug report",
    "terminate called",
    "Assertion",
    "LLVM ERROR",
    "Traceback (most recent call last)",
    "AddressSanitizer",
    "UndefinedBehaviorSanitizer",
    "uncaught target signal",  # qemu-user
)


class ManifestError(Exception):
    pass


class Manifest:
    """manifest.json as written by tests/models/gen_op_models.py / make_references.py.
    Paths in it are relative to the manifest's directory."""

    def __init__(self, path):
        self.path = os.path.abspath(path)
        self.dir = os.path.dirname(self.path)
        try:
            with open(self.path) as f:
                data = json.load(f)
        except (OSError, ValueError) as e:
            raise ManifestError(f"cannot read manifest {path}: {e}") from e
        if data.get("version") != 1:
            raise ManifestError(f"{path}: unsupported manifest version {data.get('version')}")
        self.cases = data.get("cases", [])
        self.bad = data.get("bad", [])

    def abspath(self, rel):
        return rel if os.path.isabs(rel) else os.path.join(self.dir, rel)

    def select(self, entries, patterns, excludes=()):
        """Entries whose name matches any of `patterns` (fnmatch), minus `excludes`.
        Raises ManifestError for a pattern that matches nothing."""
        chosen, seen = [], set()
        for pat in patterns:
            hits = [e for e in entries if fnmatch.fnmatchcase(e["name"], pat)]
            if not hits:
                raise ManifestError(f"no case matching '{pat}' in {self.path}")
            for e in hits:
                if e["name"] not in seen:
                    seen.add(e["name"])
                    chosen.append(e)
        return [e for e in chosen
                if not any(fnmatch.fnmatchcase(e["name"], x) for x in excludes)]


def c_identifier(name):
    ident = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return ident if re.match(r"[A-Za-z_]", ident) else "m_" + ident


def runner_prefix(runner):
    """'qemu-aarch64 -cpu cortex-a76 -L /usr/aarch64-linux-gnu' -> argv list."""
    return shlex.split(runner) if runner else []


class Result:
    def __init__(self, argv, returncode, stdout, stderr, seconds, timed_out):
        self.argv = argv
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.seconds = seconds
        self.timed_out = timed_out

    @property
    def crashed(self):
        """Killed by a signal (negative code), or a shell/qemu style 128+N code."""
        return self.returncode is not None and (self.returncode < 0 or self.returncode >= 128)

    def describe_exit(self):
        if self.timed_out:
            return "timed out"
        rc = self.returncode
        if rc < 0:
            try:
                return f"killed by {signal.Signals(-rc).name}"
            except ValueError:
                return f"killed by signal {-rc}"
        if rc >= 128:
            return f"exit code {rc} (crash?)"
        return f"exit code {rc}"

    def crash_markers(self):
        text = self.stdout + "\n" + self.stderr
        return [m for m in CRASH_MARKERS if m in text]

    def command_line(self):
        return " ".join(shlex.quote(a) for a in self.argv)


def run(argv, timeout):
    """Run argv with no stdin, capturing output. On timeout the whole process group
    (e.g. qemu and anything the tool started) is killed."""
    t0 = time.monotonic()
    try:
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, start_new_session=True)
    except OSError as e:  # not found / not executable
        return Result(argv, 127, "", f"cannot execute {argv[0]}: {e}",
                      time.monotonic() - t0, False)
    timed_out = False
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = p.communicate()
    return Result(argv, None if timed_out else p.returncode,
                  out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
                  time.monotonic() - t0, timed_out)


def tail(text, lines=15):
    rows = text.rstrip().splitlines()
    if len(rows) > lines:
        rows = [f"... ({len(rows) - lines} more lines)"] + rows[-lines:]
    return "\n".join("    | " + r for r in rows)


def files_under(path):
    """All files (and symlinks) below `path`, relative; [] if it does not exist."""
    found = []
    for root, dirs, files in os.walk(path):
        for f in files:
            found.append(os.path.relpath(os.path.join(root, f), path))
        for d in dirs:  # symlinked dirs are not walked; list them
            if os.path.islink(os.path.join(root, d)):
                found.append(os.path.relpath(os.path.join(root, d), path))
    return sorted(found)


def summary_line(passed, failed):
    return f"{passed} passed, {failed} failed"
