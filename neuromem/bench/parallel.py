"""Both cores: neuromem's float engine on 1 and 2 threads beside NEST on 1 and 2 threads, one invocation.

``parallel``:
The Izhikevich (2003) network at its size (1000 neurons, a million synapses) and three times larger
(3000 neurons, 9 million synapses; weights divided by 3 so the rates stay those of the paper), 10 s
of simulated time each (``--duration``).  NEST runs in a child process (it keeps global state) with
``local_num_threads``; neuromem with ``Simulator(threads=...)``, whose result is the same for any
number of threads (checked here: the spike counts must agree).  Times exclude network construction;
each side gets a short warm-up run first.

``brunel``: Brunel (2000)'s network (:func:`~neuromem.studies.engine.brunel2000`, 12,500 IF_curr_delta cells,
1.56e7 synapses, Poisson input) in its synchronous regular state A and its asynchronous irregular state, on
neuromem and NEST (``iaf_psc_delta``, ``poisson_generator``), each on 1 and 2 threads in a child process; the
states are compared by rate, interspike-interval CV and the Fano factor of the population count.

``coba``: the COBA benchmark (:func:`~neuromem.studies.engine.coba`, 4000 IF_cond_exp cells, 10 s at 0.1 ms) on
neuromem, Brian2 ``cpp_standalone`` (OpenMP, ``openmp_threads``) and NEST (``local_num_threads``), each on 1 and
2 threads; the network is chaotic, so the engines are compared by their rates (Brian2 runs neuromem's
integration scheme, NEST its adaptive RKF45).

``threads``: every thread count for everyone on the two engine workloads that had only a one-thread
reference: the CUBA network (:func:`~neuromem.studies.engine.cuba`, 10 s at 0.1 ms) on neuromem and on Brian2
``cpp_standalone`` running Brian2's own CUBA script with ``openmp_threads``, and the propagation network's
synaptic events per second (1000 Poisson inputs at 20 Hz onto 1000 cells, all-to-all), each on 1 and 2 threads.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time

from . import register

#: (label, n_exc, n_inh, weight scale)
CASES = (("izhikevich2003_1000", 800, 200, 1.0), ("izhikevich2003_3000", 2400, 600, 1.0 / 3.0))


def _network(n_exc, n_inh, scale):
    from ..studies.engine import izhikevich2003
    return izhikevich2003(n_exc=n_exc, n_inh=n_inh, seed=1, exc_weight=0.5 * scale, inh_weight=1.0 * scale)


def _timed(net, make, warmup, duration):
    """Build ``net`` on an engine (``make(net)``), run ``warmup`` ms, then time ``duration`` ms:
    ``(engine, build and warm-up seconds, run seconds)``."""
    t0 = time.perf_counter()
    engine = make(net)
    engine.run(warmup)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    engine.run(duration)
    return engine, build, time.perf_counter() - t0


def time_neuromem(n_exc, n_inh, scale, threads, duration) -> dict:
    from ..core import Simulator
    net = _network(n_exc, n_inh, scale)
    sim, _, wall = _timed(net, lambda n: Simulator(n, dt=1.0, seed=1, threads=threads), 10.0, duration)
    spikes = sum(sim.get_data(p).spike_times.size for p in net.populations)
    return {"wall_s": wall, "spikes": int(spikes)}


def nest_child(n_exc, n_inh, scale, threads, duration) -> dict:
    """The same network on NEST with ``threads`` threads (run in a child process)."""
    from ..backends.nest import NestNetwork
    net = _network(n_exc, n_inh, scale)
    ref, _, wall = _timed(net, lambda n: NestNetwork(n, dt=1.0, seed=1, threads=threads), 10.0, duration)
    spikes = sum(ref.spikes(p).times.size for p in net.populations)
    return {"wall_s": wall, "spikes": int(spikes)}


def time_nest(n_exc, n_inh, scale, threads, duration) -> dict:
    return _child(f"nest_child({n_exc}, {n_inh}, {scale!r}, {threads}, {duration!r})")


def _child(call) -> dict:
    """Run ``neuromem.bench.parallel.<call>`` in a child process (NEST and Brian2 keep global state)."""
    code = f"import json; from neuromem.bench.parallel import *; print(json.dumps({call}))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=3600)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_all(duration, reference=True) -> list[dict]:
    out = []
    for label, n_exc, n_inh, scale in CASES:
        r = {"name": label, "duration_ms": duration, "neurons": n_exc + n_inh, "synapses": (n_exc + n_inh) ** 2}
        for threads in (1, 2):
            r[f"neuromem_{threads}"] = time_neuromem(n_exc, n_inh, scale, threads, duration)
            if reference:
                r[f"nest_{threads}"] = time_nest(n_exc, n_inh, scale, threads, duration)
        r["identical_across_threads"] = r["neuromem_1"]["spikes"] == r["neuromem_2"]["spikes"]
        r["speedup_2_threads"] = r["neuromem_1"]["wall_s"] / r["neuromem_2"]["wall_s"]
        if reference and "error" not in r.get("nest_2", {"error": 1}):
            r["ratio_nest_over_neuromem_2_threads"] = r["nest_2"]["wall_s"] / r["neuromem_2"]["wall_s"]
            r["ratio_nest_over_neuromem_1_thread"] = r["nest_1"]["wall_s"] / r["neuromem_1"]["wall_s"]
        out.append(r)
    return out


def report(results) -> None:
    for r in results:
        print(f"\n{r['name']}: {r['neurons']} neurons, {r['synapses']:,} synapses, {r['duration_ms'] / 1000:g} s")
        for key in ("neuromem_1", "neuromem_2", "nest_1", "nest_2"):
            if key in r:
                v = r[key]
                print(f"  {key:12s} " + (f"failed: {v['error']}" if "error" in v else
                                         f"{v['wall_s']:7.3f} s  {v['spikes']:>9,} spikes"))
        print(f"  neuromem: 2 threads {r['speedup_2_threads']:.2f}x faster than 1; identical spikes: "
              f"{r['identical_across_threads']}")
        if "ratio_nest_over_neuromem_2_threads" in r:
            print(f"  NEST / neuromem: {r['ratio_nest_over_neuromem_1_thread']:.1f}x on 1 thread, "
                  f"{r['ratio_nest_over_neuromem_2_threads']:.1f}x on 2 threads")


def _coba_rates(spikes_of, net, duration):
    return {p.label: spikes_of(p) / p.size / (duration / 1000.0) for p in net.populations[:2]}


def _coba_timed(make, count, duration) -> dict:
    """The COBA network on an engine (``make(net)``), 1 ms of warm-up, ``duration`` timed; rates from
    ``count(engine, population)``."""
    from ..studies.engine import coba
    net = coba(seed=1)
    engine, build, wall = _timed(net, make, 1.0, duration)
    return {"wall_s": wall, "build_s": build,
            "rates_hz": _coba_rates(lambda p: count(engine, p), net, duration + 1.0), **_time_loop(engine)}


def _time_loop(engine) -> dict:
    """The time loop a neuromem simulator ran its last chunk on, and the plans' times per step where they were
    timed against each other (:meth:`~neuromem.core.simulator.Simulator._plan`); nothing for another engine."""
    if not hasattr(engine, "_trials"):
        return {}
    return {"time_loop": engine._ran, "plan_us_per_step": {k: v * 1e6 for k, v in
                                                          engine._trials.get("s/step", {}).items()}}


def coba_neuromem(threads, duration) -> dict:
    from ..core import Simulator
    return _coba_timed(lambda net: Simulator(net, dt=0.1, seed=1, threads=threads),
                       lambda sim, p: sim.get_data(p).spike_times.size, duration)


def coba_brian2(threads, duration) -> dict:
    """Brian2 ``cpp_standalone`` with ``openmp_threads = threads``; wall = Brian2's own run time."""
    import brian2
    from ..backends.brian2 import Brian2Network
    from ..studies.engine import coba
    brian2.prefs.devices.cpp_standalone.openmp_threads = threads
    net = coba(seed=1)
    t0 = time.perf_counter()
    ref = Brian2Network(net, dt=0.1, target="cpp_standalone", seed=1, directory=tempfile.mkdtemp(prefix="neuromem-b2-"))
    ref.run(duration)
    wall = float(brian2.device._last_run_time)
    return {"wall_s": wall, "build_s": time.perf_counter() - t0 - wall,
            "rates_hz": _coba_rates(lambda p: ref.spikes(p).times.size, net, duration)}


def coba_nest(threads, duration) -> dict:
    from ..backends.nest import NestNetwork
    return _coba_timed(lambda net: NestNetwork(net, dt=0.1, seed=1, threads=threads),
                       lambda ref, p: ref.spikes(p).times.size, duration)


def run_coba(duration, reference=True) -> dict:
    r = {"name": "coba", "duration_ms": duration, "neurons": 4000}
    for threads in (1, 2):
        r[f"neuromem_{threads}"] = coba_neuromem(threads, duration)
        if reference:
            r[f"brian2_cpp_standalone_{threads}"] = _child(f"coba_brian2({threads}, {duration!r})")
            r[f"nest_{threads}"] = _child(f"coba_nest({threads}, {duration!r})")
    r["identical_across_threads"] = r["neuromem_1"]["rates_hz"] == r["neuromem_2"]["rates_hz"]
    for key in list(r):
        if key.startswith(("brian2", "nest")) and "wall_s" in r[key]:
            threads = key.rsplit("_", 1)[1]
            r[key]["ratio"] = r[key]["wall_s"] / r[f"neuromem_{threads}"]["wall_s"]
    return r


def cuba_neuromem(threads, duration) -> dict:
    from ..core import Simulator
    from ..studies.engine import cuba
    net = cuba(seed=1)
    sim, build, wall = _timed(net, lambda n: Simulator(n, dt=0.1, seed=1, threads=threads), 1.0, duration)
    cells = net.populations[0]
    rate = sim.get_data(cells).spike_times.size / cells.size / ((duration + 1.0) / 1000.0)
    return {"wall_s": wall, "build_s": build, "rates_hz": {"cells": float(rate)}, **_time_loop(sim)}


def cuba_brian2(threads, duration) -> dict:
    """Brian2's CUBA script (:func:`~neuromem.bench.engine.brian2_cuba_script`) on ``cpp_standalone`` with
    ``openmp_threads = threads``; wall = Brian2's own run time."""
    import brian2
    from .engine import brian2_cuba_script
    from ..studies.engine import cuba
    brian2.prefs.devices.cpp_standalone.openmp_threads = threads
    r = brian2_cuba_script(cuba(seed=1), "brian2_cpp_standalone", duration)
    return {"wall_s": r["wall_s"], "build_s": r["build_and_codegen_s"], "rates_hz": r["rates_hz"]}


def propagation_neuromem(threads, duration) -> dict:
    from ..core import Simulator
    from ..studies.engine import propagation_network
    from .engine import events
    net = propagation_network(seed=1)
    sim, build, wall = _timed(net, lambda n: Simulator(n, dt=0.1, seed=1, threads=threads), 1.0, duration)
    n_events = events(net, {p.label: sim.get_data(p) for p in net.populations})
    return {"wall_s": wall, "build_s": build, "synaptic_events": n_events, "events_per_s": n_events / wall,
            **_time_loop(sim)}


def run_threads(duration, reference=True) -> dict:
    r = {"name": "threads", "duration_ms": duration}
    for threads in (1, 2):
        r[f"cuba_neuromem_{threads}"] = cuba_neuromem(threads, duration)
        if reference:
            r[f"cuba_brian2_cpp_standalone_{threads}"] = b = _child(f"cuba_brian2({threads}, {duration!r})")
            if "wall_s" in b:
                b["ratio"] = b["wall_s"] / r[f"cuba_neuromem_{threads}"]["wall_s"]
        r[f"propagation_neuromem_{threads}"] = propagation_neuromem(threads, duration)
    r["identical_across_threads"] = (r["cuba_neuromem_1"]["rates_hz"] == r["cuba_neuromem_2"]["rates_hz"] and
                                     r["propagation_neuromem_1"]["synaptic_events"] ==
                                     r["propagation_neuromem_2"]["synaptic_events"])
    return r


#: issue 22's speed targets at equal thread counts: CUBA against Brian2 cpp_standalone (ratio) and
#: propagation (synaptic events per second)
THREAD_TARGETS = {"cuba_brian2_cpp_standalone_1": 2.0, "cuba_brian2_cpp_standalone_2": 2.5,
                  "propagation_neuromem_1": 6e8, "propagation_neuromem_2": 1e9}


def report_threads(r) -> None:
    print(f"\nCUBA (4000 LIF) and propagation (1000 x 1000), {r['duration_ms'] / 1000:g} s at 0.1 ms, 1 and 2 threads")
    for key, v in r.items():
        if not isinstance(v, dict):
            continue
        if "error" in v:
            print(f"  {key:34s} failed: {v['error']}")
            continue
        target = THREAD_TARGETS.get(key)
        if "events_per_s" in v:
            extra = f"  {v['events_per_s']:.3g} synaptic events/s"
            met = target and v["events_per_s"] >= target
        else:
            extra = f"  rate {v['rates_hz']['cells']:.2f} Hz" + (f"  {v['ratio']:5.2f}x neuromem's time" if "ratio"
                                                                   in v else "")
            met = target and v.get("ratio", 0) >= target
        tgt = f"  (target {target:g}: {'met' if met else 'NOT met'})" if target else ""
        print(f"  {key:34s} {v['wall_s']:7.3f} s{extra}{tgt}{_loop_note(v)}")
    print(f"  neuromem: identical on 1 and 2 threads: {r['identical_across_threads']}")


def _loop_note(v) -> str:
    """The time loop a neuromem result ran on, and the plans' timed costs, for the report."""
    if "time_loop" not in v:
        return ""
    timed = ", ".join(f"{k} {x:.2f}" for k, x in v["plan_us_per_step"].items())
    return f"  [{v['time_loop']}" + (f"; timed us a step: {timed}]" if timed else "]")


def report_coba(r) -> None:
    print(f"\ncoba: {r['neurons']} IF_cond_exp cells, {r['duration_ms'] / 1000:g} s at 0.1 ms")
    for key, v in r.items():
        if isinstance(v, dict):
            if "error" in v:
                print(f"  {key:26s} failed: {v['error']}")
                continue
            ratio = f"  {v['ratio']:5.2f}x neuromem's time" if "ratio" in v else ""
            print(f"  {key:26s} {v['wall_s']:7.3f} s  rates " + ", ".join(f"{a} {b:.2f} Hz" for a, b in
                                                                        v["rates_hz"].items()) + ratio + _loop_note(v))
    print(f"  neuromem: identical rates on 1 and 2 threads: {r['identical_across_threads']}")


def brunel_measures(times, ids, n, duration) -> dict:
    """Rate (Hz), the mean coefficient of variation of the interspike intervals (neurons with 3 spikes or more),
    and the Fano factor of the population's spike count in 1 ms bins (about 1 when asynchronous)."""
    import numpy as np
    times, ids = np.asarray(times), np.asarray(ids)
    order = np.lexsort((times, ids))
    t, i = times[order], ids[order]
    cvs = []
    for k in np.unique(i):
        isi = np.diff(t[i == k])
        if isi.size >= 2:
            cvs.append(isi.std() / isi.mean())
    counts = np.histogram(times, bins=np.arange(0.0, duration + 1.0, 1.0))[0]
    return {"rate_hz": times.size / n / (duration / 1000.0), "cv_isi": float(np.mean(cvs)) if cvs else 0.0,
            "fano_1ms": float(counts.var() / counts.mean()) if counts.mean() else 0.0}


def _brunel_timed(regime, make, spikes_of, duration) -> dict:
    from ..studies.engine import BRUNEL_REGIMES, brunel2000
    g, eta = BRUNEL_REGIMES[regime]
    net = brunel2000(g=g, eta=eta, seed=1)
    engine, build, wall = _timed(net, make, 1.0, duration)
    times, ids = spikes_of(engine, net.populations[0])
    keep = times > 1.0
    return {"wall_s": wall, "build_s": build, "spikes": int(keep.sum()),
            **brunel_measures(times[keep] - 1.0, ids[keep], net.populations[0].size, duration)}


def brunel_neuromem(regime, threads, duration) -> dict:
    from ..core import Simulator

    def spikes(sim, p):
        d = sim.get_data(p)
        return d.spike_times, d.spike_ids
    return _brunel_timed(regime, lambda net: Simulator(net, dt=0.1, seed=1, threads=threads), spikes, duration)


def brunel_nest(regime, threads, duration) -> dict:
    from ..backends.nest import NestNetwork

    def spikes(ref, p):
        s = ref.spikes(p)
        return s.times, s.ids
    return _brunel_timed(regime, lambda net: NestNetwork(net, dt=0.1, seed=1, threads=threads), spikes, duration)


def brunel_brian2(regime, threads, duration) -> dict:
    """Brian2 ``cpp_standalone`` with ``openmp_threads = threads`` on the same network (its synapses, initial
    potentials, IF_curr_delta step and PoissonInput: :class:`~neuromem.backends.brian2.Brian2Network`); one run
    of 1 ms + ``duration`` (a standalone build runs once), wall = Brian2's own run time."""
    import brian2
    from ..backends.brian2 import Brian2Network
    from ..studies.engine import BRUNEL_REGIMES, brunel2000
    brian2.prefs.devices.cpp_standalone.openmp_threads = threads
    g, eta = BRUNEL_REGIMES[regime]
    net = brunel2000(g=g, eta=eta, seed=1)
    t0 = time.perf_counter()
    ref = Brian2Network(net, dt=0.1, target="cpp_standalone", seed=1, directory=tempfile.mkdtemp(prefix="neuromem-b2-"))
    ref.run(1.0 + duration)
    wall = float(brian2.device._last_run_time)
    s = ref.spikes(net.populations[0])
    keep = s.times > 1.0
    return {"wall_s": wall, "build_s": time.perf_counter() - t0 - wall, "spikes": int(keep.sum()),
            **brunel_measures(s.times[keep] - 1.0, s.ids[keep], net.populations[0].size, duration)}


def run_brunel(duration, reference=True) -> list[dict]:
    from ..studies.engine import BRUNEL_REGIMES
    out = []
    for regime in BRUNEL_REGIMES:
        r = {"name": f"brunel2000_{regime}", "duration_ms": duration, "neurons": 12500, "synapses": 12500 * 1250}
        for threads in (1, 2):
            r[f"neuromem_{threads}"] = _child(f"brunel_neuromem({regime!r}, {threads}, {duration!r})")
            if reference:
                r[f"nest_{threads}"] = _child(f"brunel_nest({regime!r}, {threads}, {duration!r})")
                r[f"brian2_{threads}"] = _child(f"brunel_brian2({regime!r}, {threads}, {duration!r})")
        r["identical_across_threads"] = r["neuromem_1"].get("spikes") == r["neuromem_2"].get("spikes")
        for key in list(r):
            if key.startswith(("nest", "brian2")) and "wall_s" in r[key]:
                threads = key.rsplit("_", 1)[1]
                r[key]["ratio"] = r[key]["wall_s"] / r[f"neuromem_{threads}"]["wall_s"]
        out.append(r)
    return out


def report_brunel(results) -> None:
    for r in results:
        print(f"\n{r['name']}: {r['neurons']} IF_curr_delta cells, {r['synapses']:,} synapses, "
              f"{r['duration_ms'] / 1000:g} s at 0.1 ms (excitatory population measured)")
        for key, v in r.items():
            if not isinstance(v, dict):
                continue
            if "error" in v:
                print(f"  {key:12s} failed: {v['error']}")
                continue
            ratio = f"  {v['ratio']:.1f}x neuromem's time" if "ratio" in v else ""
            print(f"  {key:12s} {v['wall_s']:7.3f} s  rate {v['rate_hz']:6.2f} Hz  CV {v['cv_isi']:.2f}  "
                  f"Fano(1 ms) {v['fano_1ms']:6.2f}{ratio}")
        print(f"  neuromem: identical spikes on 1 and 2 threads: {r['identical_across_threads']}")


@register("brunel", "Brunel 2000 (12,500 cells; states A and AI): neuromem, NEST and Brian2 on 1 and 2 threads")
def run_brunel_benchmark(args) -> list[dict]:
    """``neuromem bench --only brunel`` (at most 2 s of model time each)."""
    results = run_brunel(min(args.duration, 2000.0), reference=not args.no_reference)
    report_brunel(results)
    return results


@register("coba", "COBA (4000 IF_cond_exp, 10 s): neuromem, Brian2 cpp_standalone and NEST on 1 and 2 threads")
def run_coba_benchmark(args) -> list[dict]:
    """``neuromem bench --only coba``."""
    r = run_coba(args.duration, reference=not args.no_reference)
    report_coba(r)
    return [r]


@register("threads", "CUBA beside Brian2 cpp_standalone (OpenMP) and propagation events/s, on 1 and 2 threads")
def run_threads_benchmark(args) -> list[dict]:
    """``neuromem bench --only threads``."""
    r = run_threads(args.duration, reference=not args.no_reference)
    report_threads(r)
    return [r]


@register("parallel", "the float engine on 1 and 2 threads beside NEST on 1 and 2 threads (Izhikevich 2003, x1 and x3)")
def run(args) -> list[dict]:
    """``neuromem bench --only parallel``."""
    results = run_all(args.duration, reference=not args.no_reference)
    report(results)
    return results
