"""The machine's fp32 peak: cores x FMA units x SIMD lanes x 2 flop/FMA x clock.

The clock is measured by default: a VM's /proc/cpuinfo reports the nominal
clock (2.45 GHz on the Zen 3 development VM), while its cores run FMAs at
about 3 GHz (boost), so a peak from the nominal clock overstates every
fraction of it by about a quarter. The measurement runs chains of
independent vector FMAs (C compiled with the system's `cc`) on one core and
reads the clock off their throughput: GFLOP/s / (FMA units x lanes x 2).
"""

import os
import shutil
import subprocess
import tempfile

FMA_UNITS_PER_CORE = 2


def cpu_facts():
    """{'model', 'flags', 'max_mhz', 'online_cpus'} from /proc/cpuinfo."""
    model, flags, mhz = "unknown", set(), []
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                key, value = key.strip(), value.strip()
                if key == "model name" and model == "unknown":
                    model = value
                elif key == "flags" and not flags:
                    flags = set(value.split())
                elif key == "cpu MHz":
                    try:
                        mhz.append(float(value))
                    except ValueError:
                        pass
    except OSError:
        pass
    return {"model": model, "flags": flags, "max_mhz": max(mhz) if mhz else None,
            "online_cpus": os.cpu_count() or 1}


# 12 independent accumulator chains: enough to cover the FMA latency (4-5
# cycles) on 2 units, few enough for 16 vector registers.
_FMA_LOOP_C = r"""
#include <stdio.h>
#include <time.h>
typedef float vf __attribute__((vector_size(LANES * 4)));
static double now(void) {
  struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9;
}
#define STEP(a) a = a * x + y;
int main(void) {
  vf x, y, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11;
  for (int l = 0; l < LANES; ++l) { x[l] = 0.999999f; y[l] = 1e-7f; }
  /* Distinct starting values: equal chains would be folded into one. */
  a0 = y * 1; a1 = y * 2; a2 = y * 3; a3 = y * 4; a4 = y * 5; a5 = y * 6;
  a6 = y * 7; a7 = y * 8; a8 = y * 9; a9 = y * 10; a10 = y * 11; a11 = y * 12;
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    long n = 20000000;
    double t0 = now();
    for (long i = 0; i < n; ++i) {
      STEP(a0) STEP(a1) STEP(a2) STEP(a3) STEP(a4) STEP(a5)
      STEP(a6) STEP(a7) STEP(a8) STEP(a9) STEP(a10) STEP(a11)
    }
    double gflops = n * 12.0 * LANES * 2 / (now() - t0) / 1e9;
    if (gflops > best) best = gflops;
  }
  vf sum = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
  printf("%f %f\\n", best, sum[0]);
  return 0;
}
"""


def vector_lanes(facts):
    """fp32 lanes of the widest vector FMA, and which ISA that is."""
    if "avx512f" in facts["flags"]:
        return 16, "AVX-512 (avx512f in /proc/cpuinfo flags)"
    return 8, "AVX2 (no avx512f in /proc/cpuinfo flags)"


def measure_clock_ghz(facts):
    """Clock-equivalent GHz of one core's vector FMA throughput, or None when
    no C compiler is at hand or the loop fails."""
    lanes, _ = vector_lanes(facts)
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if not cc:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src, exe = os.path.join(tmp, "fma.c"), os.path.join(tmp, "fma")
        with open(src, "w") as f:
            f.write(_FMA_LOOP_C)
        try:
            subprocess.run([cc, "-O2", "-march=native", "-ffp-contract=fast",
                            f"-DLANES={lanes}", src, "-o", exe],
                           check=True, capture_output=True, timeout=60)
            out = subprocess.run([exe], check=True, capture_output=True, text=True,
                                 timeout=60).stdout
            gflops = float(out.split()[0])
        except (subprocess.SubprocessError, OSError, ValueError, IndexError):
            return None
    return gflops / (FMA_UNITS_PER_CORE * lanes * 2)


def peak(threads, clock_ghz=None, facts=None, measured_ghz=None):
    """Peak fp32 GFLOP/s for `threads` threads, with how it was derived.
    clock_ghz: a number, "cpuinfo" (the max 'cpu MHz' of /proc/cpuinfo) or
    None / "measured" (measured_ghz, from measure_clock_ghz; falls back to
    cpuinfo when it is None)."""
    facts = facts or cpu_facts()
    lanes, isa = vector_lanes(facts)
    if clock_ghz not in (None, "measured", "cpuinfo"):
        ghz, clock_src = float(clock_ghz), "--clock-ghz"
    elif clock_ghz != "cpuinfo" and measured_ghz:
        ghz, clock_src = measured_ghz, "measured: one core's vector FMA throughput / (units x lanes x 2)"
    elif facts["max_mhz"] is not None:
        ghz, clock_src = facts["max_mhz"] / 1000.0, "max 'cpu MHz' in /proc/cpuinfo"
    else:
        return {"gflops": None, "derivation": "unknown: no 'cpu MHz' in /proc/cpuinfo; pass --clock-ghz"}
    cores = threads
    note = ""
    if threads > facts["online_cpus"]:
        cores = facts["online_cpus"]
        note = f" (capped: {threads} threads > {cores} online CPUs)"
    gflops = cores * FMA_UNITS_PER_CORE * lanes * 2 * ghz
    derivation = (f"{cores} core{'s' if cores != 1 else ''}{note} x {FMA_UNITS_PER_CORE} FMA units "
                  f"x {lanes} fp32 lanes [{isa}] x 2 flop/FMA x {ghz:.3f} GHz [{clock_src}] "
                  f"= {gflops:.1f} GFLOP/s")
    return {"gflops": gflops, "cores": cores, "fma_units": FMA_UNITS_PER_CORE, "lanes": lanes,
            "clock_ghz": ghz, "clock_source": clock_src, "derivation": derivation,
            "cpuinfo_clock_ghz": facts["max_mhz"] / 1000.0 if facts["max_mhz"] else None}
