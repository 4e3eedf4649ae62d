"""The Potjans-Diesmann cortical microcircuit at 10%, 25%, 50% and full scale on neuromem and on NEST, 2 threads each.

``microcircuit``: :func:`neuromem.studies.microcircuit.microcircuit` (every population and every projection's
synapse count scaled together, in-degrees kept) built and run for 1 s of model time at 0.1 ms.  NEST builds the
same model with its own rules, as NEST's microcircuit example does (``fixed_total_number`` with multapses,
normal weights and delays redrawn at their bounds, one ``poisson_generator`` per population), so the two share
the model, not the random draws: they are compared by their rates.  Each engine and scale runs in a child process
of its own, which reports its build and run wall times and its peak memory (``ru_maxrss``) above what it held
before building (the interpreter, the engine's libraries and a warm-up); bytes per synapse are that memory over
the synapse count; rates are counted from 100 ms on.  ``NEUROMEM_MICROCIRCUIT_SCALES`` (comma-separated) chooses the scales; a scale whose
estimated memory does not fit in this machine's is skipped and reported as such.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time

from . import register

SCALES = (0.1, 0.25, 0.5, 1.0)
THREADS = 2
DURATION = 1000.0
#: rates are counted after the start's transient (ms)
TRANSIENT = 100.0
#: generous memory estimates per synapse (bytes) for deciding whether a scale can be tried at all
ESTIMATE = {"neuromem": 60.0, "nest": 60.0}


def _rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def neuromem_child(scale: float, threads: int, duration: float) -> dict:
    """Build and run the microcircuit on neuromem (in a child process)."""
    from ..core import Simulator
    from ..studies.microcircuit import microcircuit, microcircuit_rates
    # compiles (or loads) the kernels the timed run uses: 2300 neurons, enough for the epoch kernel on threads
    warm = Simulator(microcircuit(0.03, seed=1), dt=0.1, threads=threads)
    warm.run(5.0)
    del warm
    before = _rss_bytes()
    out = microcircuit_rates(scale, duration, seed=1, threads=threads, transient=TRANSIENT)
    out.pop("scale")
    return {**out, "memory_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before}


def nest_microcircuit(scale: float, threads: int, seed: int = 1):
    """Build the microcircuit in NEST by NEST's own rules (the module docstring); returns the populations and a
    spike recorder on each.  Runs under MPI as it is (each rank builds its part)."""
    import numpy as np
    import nest
    from ..studies.microcircuit import BG_RATE, CELL, DELAY, G, K_EXT, N_FULL, W_MEAN, synapse_counts
    nest.set_verbosity("M_ERROR")
    nest.ResetKernel()
    nest.SetKernelStatus({"resolution": 0.1, "local_num_threads": threads, "rng_seed": seed})
    params = {"C_m": CELL["cm"] * 1000.0, "tau_m": CELL["tau_m"], "t_ref": CELL["tau_refrac"],
              "tau_syn_ex": CELL["tau_syn_E"], "tau_syn_in": CELL["tau_syn_I"], "E_L": CELL["v_rest"],
              "V_reset": CELL["v_reset"], "V_th": CELL["v_thresh"], "I_e": 0.0}
    sizes = np.maximum(1, np.rint(N_FULL * scale).astype(int))
    pops = [nest.Create("iaf_psc_exp", int(n), params=params) for n in sizes]
    for p in pops:
        p.V_m = nest.random.normal(mean=-58.0, std=5.0)
    counts = synapse_counts(scale)
    w = W_MEAN * 1000.0       # pA
    # NEST holds at most 2^27 - 2 connections per virtual process and synapse model: the inhibitory synapses get
    # a model of their own, so that the full model's 3e8 fit on 2 threads
    nest.CopyModel("static_synapse", "static_synapse_inh")
    for b, post in enumerate(pops):
        for a, pre in enumerate(pops):
            if not counts[b, a]:
                continue
            kind = "E" if a % 2 == 0 else "I"
            mean = w * (2.0 if (a, b) == (2, 0) else 1.0) * (1.0 if kind == "E" else G)
            spread = 0.05 if (a, b) == (2, 0) else 0.1
            weight = (nest.math.redraw(nest.random.normal(mean=mean, std=abs(spread * mean)), min=0.0,
                                       max=float("inf")) if kind == "E" else
                      nest.math.redraw(nest.random.normal(mean=mean, std=abs(spread * mean)), min=float("-inf"),
                                       max=0.0))
            mu, sd = DELAY[kind]
            delay = nest.math.redraw(nest.random.normal(mean=mu, std=sd), min=0.1, max=float("inf"))
            nest.Connect(pre, post, {"rule": "fixed_total_number", "N": int(counts[b, a]),
                                     "allow_autapses": True, "allow_multapses": True},
                         {"synapse_model": "static_synapse" if kind == "E" else "static_synapse_inh",
                          "weight": weight, "delay": delay})
    for p, k_ext in zip(pops, K_EXT):
        gen = nest.Create("poisson_generator", params={"rate": float(k_ext * BG_RATE)})
        nest.Connect(gen, p, "all_to_all", {"weight": w, "delay": 0.1})
    recorders = []
    for p in pops:
        rec = nest.Create("spike_recorder")
        nest.Connect(p, rec)
        recorders.append(rec)
    return pops, recorders


def nest_child(scale: float, threads: int, duration: float) -> dict:
    """The same model built by NEST's own rules (in a child process)."""
    import nest
    from ..studies.microcircuit import POPULATIONS
    before = _rss_bytes()
    t0 = time.perf_counter()
    pops, recorders = nest_microcircuit(scale, threads)
    nest.Prepare()           # NEST lays out its connections here: part of the build
    nest.Cleanup()
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    nest.Simulate(duration)
    run = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    rates = {name: float((rec.events["times"] >= TRANSIENT).sum()) / len(p) / ((duration - TRANSIENT) / 1000.0)
             for name, p, rec in zip(POPULATIONS, pops, recorders)}
    n = sum(len(p) for p in pops)
    return {"build_s": build, "run_s": run, "memory_bytes": peak - before, "rates_hz": rates, "neurons": n,
            "synapses": int(nest.GetKernelStatus("num_connections")) - 2 * n}


def run_child(engine: str, scale: float, threads: int, duration: float, timeout: float) -> dict:
    """``neuromem_child`` or ``nest_child`` in a fresh interpreter; ``{"skipped": why}`` on failure."""
    code = (f"import json; from neuromem.bench.microcircuit import {engine}_child as f; "
            f"print('RESULT', json.dumps(f({scale!r}, {threads!r}, {duration!r})))")
    try:
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"skipped": f"did not finish within {timeout:.0f} s"}
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    return {"skipped": f"exit {proc.returncode}: {proc.stderr.strip().splitlines()[-1] if proc.stderr else ''}"}


def run_all(scales=None, reference=True, duration=DURATION, timeout=3000.0) -> dict:
    from ..studies.microcircuit import PUBLISHED_RATES, synapse_counts
    env = os.environ.get("NEUROMEM_MICROCIRCUIT_SCALES")
    scales = scales or (tuple(float(s) for s in env.split(",")) if env else SCALES)
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    rows = []
    for scale in scales:
        row = {"scale": scale, "synapses_expected": int(synapse_counts(scale).sum())}
        for engine in ("neuromem", "nest") if reference else ("neuromem",):
            if ESTIMATE[engine] * row["synapses_expected"] > 0.9 * memory:
                row[engine] = {"skipped": f"about {ESTIMATE[engine] * row['synapses_expected'] / 2**30:.0f} GiB "
                                          f"needed, {memory / 2**30:.0f} GiB here"}
                continue
            print(f"  microcircuit {scale:g}: {engine} ...", file=sys.stderr)
            row[engine] = run_child(engine, scale, THREADS, duration, timeout)
            r = row[engine]
            if "synapses" in r:
                r["bytes_per_synapse"] = r["memory_bytes"] / r["synapses"]
        rows.append(row)
    return {"name": "microcircuit", "threads": THREADS, "duration_ms": duration, "published_rates_hz": PUBLISHED_RATES,
            "rows": rows}


def report(result: dict) -> None:
    print(f"\nPotjans-Diesmann microcircuit, {result['duration_ms'] / 1000:g} s of model time, "
          f"{result['threads']} threads each")
    print(f"{'scale':>6} {'synapses':>11} | {'neuromem build / run':>22} {'B/syn':>6} | {'NEST build / run':>22} "
          f"{'B/syn':>6} | run ratio")
    for row in result["rows"]:
        a, b = row.get("neuromem", {}), row.get("nest", {})

        def cols(r):
            if "run_s" not in r:
                return f"{'(' + r.get('skipped', 'not run')[:20] + ')':>22} {'':>6}"
            return f"{r['build_s']:8.1f} s / {r['run_s']:7.2f} s {r['bytes_per_synapse']:6.1f}"
        ratio = f"{b['run_s'] / a['run_s']:.1f}x" if "run_s" in a and "run_s" in b else ""
        print(f"{row['scale']:>6g} {row['synapses_expected']:>11,} | {cols(a)} | {cols(b)} | {ratio}")
    for row in result["rows"]:
        for engine in ("neuromem", "nest"):
            r = row.get(engine, {})
            if "rates_hz" in r:
                shown = " ".join(f"{k} {v:.2f}" for k, v in r["rates_hz"].items())
                print(f"  rates (Hz) at {row['scale']:g}, {engine}: {shown}")
    print("  published:", " ".join(f"{k} {v}" for k, v in result["published_rates_hz"].items()))


def figure(result: dict, path) -> None:
    """Build and run time and memory against network size, neuromem beside NEST."""
    from ..plotting import plt, save
    fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4.2))
    for engine, color in (("neuromem", "tab:blue"), ("nest", "tab:red")):
        rows = [r for r in result["rows"] if "run_s" in r.get(engine, {})]
        if not rows:
            continue
        syn = [r[engine]["synapses"] for r in rows]
        a.loglog(syn, [r[engine]["run_s"] for r in rows], "o-", color=color, label=f"{engine}: run 1 s")
        a.loglog(syn, [r[engine]["build_s"] for r in rows], "s--", color=color, label=f"{engine}: build")
        b.loglog(syn, [r[engine]["memory_bytes"] / 2**30 for r in rows], "o-", color=color, label=engine)
    from matplotlib.ticker import NullFormatter
    sizes = sorted({r[e]["synapses"] for r in result["rows"] for e in ("neuromem", "nest") if "synapses" in r.get(e, {})})
    for ax in (a, b):
        ax.set_xticks(sizes, [f"{x / 1e8:.1f}e8" for x in sizes])
        ax.xaxis.set_minor_formatter(NullFormatter())
    a.set_xlabel("synapses")
    a.set_ylabel("wall time (s)")
    a.set_title(f"cost against size ({result['threads']} threads)")
    a.legend(fontsize=8)
    b.set_xlabel("synapses")
    b.set_ylabel("peak memory above baseline (GiB)")
    b.set_title("memory against size")
    b.legend(fontsize=8)
    save(fig, path)


@register("microcircuit", "the Potjans-Diesmann microcircuit at 10%, 25%, 50%, 100% on neuromem and NEST (2 threads)")
def run(args) -> list[dict]:
    """``neuromem bench --only microcircuit``."""
    result = run_all(reference=not args.no_reference)
    report(result)
    figure(result, "benchmarks/results/microcircuit.png")
    return [result]
