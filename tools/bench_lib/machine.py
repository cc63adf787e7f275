"""The machine's fp32 peak: cores x FMA units x SIMD lanes x 2 flop/FMA x clock."""

import os

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


def peak(threads, clock_ghz=None, facts=None):
    """Peak fp32 GFLOP/s for `threads` threads, with how it was derived."""
    facts = facts or cpu_facts()
    if "avx512f" in facts["flags"]:
        lanes, isa = 16, "AVX-512 (avx512f in /proc/cpuinfo flags)"
    else:
        lanes, isa = 8, "AVX2 (no avx512f in /proc/cpuinfo flags)"
    if clock_ghz is not None:
        ghz, clock_src = float(clock_ghz), "--clock-ghz"
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
            "clock_ghz": ghz, "clock_source": clock_src, "derivation": derivation}
