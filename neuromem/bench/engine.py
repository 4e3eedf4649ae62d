"""Side-by-side benchmarks: neuromem, NEST and Brian2 in one process, same machine.

(a) Izhikevich 2003 network, 10 s at 1 ms: neuromem, NEST (one thread), Brian2 (cython runtime);
(b) CUBA (Brette et al. 2007), 4000 LIF, 10 s at 0.1 ms: neuromem, Brian2 cython and cpp_standalone;
(c) propagation-heavy: 1000 Poisson inputs -> 1000 LIF, all-to-all (1000 inputs per neuron).

Wall times exclude network construction and JIT/code generation, which are
reported separately (each reference gets a short warm-up run first, as neuromem
does).  Ratios are reference time / neuromem time (> 1: neuromem faster).
"""
from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from ..core import Simulator
from ..studies.engine import cuba, izhikevich2003, propagation_network
from . import register


def machine() -> dict:
    """Description of this machine for the results file."""
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import numba
    info = {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "numpy": np.__version__,
            "numba": numba.__version__, "platform": platform.platform()}
    for mod in ("brian2", "nest"):
        try:
            info[mod] = __import__(mod).__version__
        except Exception:  # noqa: BLE001 - any failure means "not available"
            info[mod] = None
    return info


def time_neuromem(net, dt, duration):
    sim = Simulator(net, dt=dt, seed=1)
    t0 = time.perf_counter()
    sim.run(10 * dt)  # loads (or compiles) the kernels
    compile_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    sim.run(duration)
    wall = time.perf_counter() - t0
    recs = {p.label: sim.get_data(p) for p in net.populations if "spikes" in p.recorded}
    return wall, compile_s, recs


def rates_of(recs, duration):
    return {k: float(np.bincount(r.spike_ids, minlength=r.size)[:].sum() / r.size / (duration / 1000.0))
            for k, r in recs.items()}


def events(net, recs):
    n = 0
    for prj in net.projections:
        r = recs.get(prj.pre.label)
        if r is not None:
            n += int(np.diff(prj.row_ptr)[r.spike_ids].sum())
    return n


def _bench(name, net, dt, duration, references):
    out = {"name": name, "duration_ms": duration, "dt_ms": dt}
    wall, comp, recs = time_neuromem(net, dt, duration)
    ev = events(net, recs)
    out["neuromem"] = {"wall_s": wall, "jit_load_s": comp, "rates_hz": rates_of(recs, duration + 10 * dt),
                       "synaptic_events": ev, "events_per_s": ev / wall}
    for engine, which in references:
        out[engine] = run_reference(engine, which, duration)
    return out


def bench_izhikevich(duration, reference=True):
    refs = [("nest", "izhikevich"), ("brian2_cython", "izhikevich")] if reference else []
    return _bench("izhikevich2003", izhikevich2003(seed=1), 1.0, duration, refs)


def bench_cuba(duration, reference=True):
    refs = [("brian2_cython", "cuba"), ("brian2_cpp_standalone", "cuba")] if reference else []
    return _bench("cuba", cuba(seed=1), 0.1, duration, refs)


def bench_propagation(duration, reference=True):
    refs = [("brian2_cython", "propagation")] if reference else []
    out = _bench("propagation", propagation_network(seed=1), 0.1, duration, refs)
    out["fan_in"] = 1000
    return out


def run_reference(engine, which, duration):
    """Run one reference simulator in a child process (each needs its own global state),
    started from this process so both run on the same machine in the same invocation."""
    code = (f"import json, sys; from neuromem.bench.engine import reference_child; "
            f"print(json.dumps(reference_child({engine!r}, {which!r}, {duration!r})))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=3600)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def reference_child(engine, which, duration):
    build = {"izhikevich": (lambda: izhikevich2003(seed=1), 1.0), "cuba": (lambda: cuba(seed=1), 0.1),
             "propagation": (lambda: propagation_network(seed=1), 0.1)}[which]
    net, dt = build[0](), build[1]
    if engine == "nest":
        from ..backends.nest import NestNetwork
        t0 = time.perf_counter()
        ref = NestNetwork(net, dt=dt, seed=1, threads=1)
        build_s = time.perf_counter() - t0
        ref.run(10 * dt)
        t0 = time.perf_counter()
        ref.run(duration)
        wall = time.perf_counter() - t0
    elif which == "cuba":
        return brian2_cuba_script(net, engine, duration)
    else:
        from ..backends.brian2 import Brian2Network
        target = "cython" if engine == "brian2_cython" else "cpp_standalone"
        if target == "cpp_standalone":
            import brian2
            d = tempfile.mkdtemp(prefix="neuromem-b2-")
            t0 = time.perf_counter()
            ref = Brian2Network(net, dt=dt, target=target, seed=1, directory=d)
            ref.run(duration)  # build_on_run: codegen + compile + run
            total = time.perf_counter() - t0
            wall = float(brian2.device._last_run_time)
            build_s = total - wall
        else:
            t0 = time.perf_counter()
            ref = Brian2Network(net, dt=dt, target=target, seed=1)
            ref.run(10 * dt)  # code generation and compilation
            build_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            ref.run(duration)
            wall = time.perf_counter() - t0
    rates = {}
    for p in net.populations:
        if "spikes" in p.recorded and (engine != "nest" or p.celltype.is_source is False):
            s = ref.spikes(p)
            rates[p.label] = float(s.times.size / p.size / ((duration + 10 * dt) / 1000.0))
    return {"wall_s": wall, "build_and_codegen_s": build_s, "rates_hz": rates}


def brian2_cuba_script(net, engine, duration):
    """Brian2's own examples/CUBA.py (shared constants, voltage-jump synapses), on the synapses and
    initial potentials of neuromem's network so both simulate the same network."""
    import brian2 as b2
    from ..studies.engine import CUBA_CELL
    target = "cython" if engine == "brian2_cython" else "cpp_standalone"
    if target == "cpp_standalone":
        b2.set_device("cpp_standalone", directory=tempfile.mkdtemp(prefix="neuromem-b2-"), build_on_run=True)
    else:
        b2.prefs.codegen.target = "cython"
    b2.start_scope()
    b2.defaultclock.dt = 0.1 * b2.ms
    ms, mV = b2.ms, b2.mV
    taum, taue, taui = 20 * ms, 5 * ms, 10 * ms  # noqa: F841 - read by Brian2
    Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV  # noqa: F841 - read by Brian2
    eqs = """dv/dt = (ge + gi - (v - El)) / taum : volt (unless refractory)
             dge/dt = -ge / taue : volt
             dgi/dt = -gi / taui : volt"""
    cells = net.populations[0]
    P = b2.NeuronGroup(cells.size, eqs, threshold="v > Vt", reset="v = Vr", refractory=5 * ms, method="exact")
    P.v = cells.initial["v"] * mV
    scale = CUBA_CELL["tau_m"] / CUBA_CELL["cm"]  # nA -> mV jump
    exc, inh = net.projections
    Ce = b2.Synapses(P, P, on_pre="ge += we")
    Ci = b2.Synapses(P, P, on_pre="gi -= wi")
    Ce.connect(i=exc.pre_idx, j=exc.post_idx)
    Ci.connect(i=inh.pre_idx, j=inh.post_idx)
    we, wi = float(exc.weight[0] * scale) * mV, float(inh.weight[0] * scale) * mV  # noqa: F841 - used by Brian2
    mon = b2.SpikeMonitor(P)
    t0 = time.perf_counter()
    if target == "cpp_standalone":
        b2.run(duration * ms)
        total = time.perf_counter() - t0
        wall = float(b2.device._last_run_time)
        build_s = total - wall
    else:
        b2.run(1 * ms)
        build_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        b2.run(duration * ms)
        wall = time.perf_counter() - t0
    return {"wall_s": wall, "build_and_codegen_s": build_s,
            "rates_hz": {"cells": float(mon.num_spikes / cells.size / (duration / 1000.0))}}


def ratios(result):
    base = result["neuromem"]["wall_s"]
    return {k: v["wall_s"] / base for k, v in result.items()
            if isinstance(v, dict) and "wall_s" in v and k != "neuromem"}


TARGETS = {("izhikevich2003", "nest"): 2.5, ("izhikevich2003", "brian2_cython"): 2.0,
           ("cuba", "brian2_cython"): 5.0, ("cuba", "brian2_cpp_standalone"): 1.5}


def report(r) -> None:
    """Print one engine benchmark: neuromem's time and rates, each reference's ratio and target."""
    nm_ = r["neuromem"]
    print(f"\n{r['name']}: {r['duration_ms'] / 1000:g} s simulated at dt = {r['dt_ms']} ms")
    print(f"  neuromem  {nm_['wall_s']:7.3f} s   (kernel load/JIT {nm_['jit_load_s']:.2f} s)   "
          f"rates {', '.join(f'{k} {v:.2f} Hz' for k, v in nm_['rates_hz'].items())}   "
          f"{nm_['events_per_s']:.3g} synaptic events/s")
    for k, v in r.items():
        if isinstance(v, dict) and k not in ("neuromem", "ratios"):
            if "error" in v:
                print(f"  {k:24s} failed: {v['error']}")
                continue
            target = TARGETS.get((r["name"], k))
            tgt = f"  target >= {target}x: {'met' if r['ratios'][k] >= target else 'NOT met'}" if target else ""
            print(f"  {k:24s} {v['wall_s']:7.3f} s  ratio {r['ratios'][k]:5.2f}x  (build/codegen "
                  f"{v['build_and_codegen_s']:.1f} s)  rates "
                  f"{', '.join(f'{a} {b:.2f} Hz' for a, b in v['rates_hz'].items())}{tgt}")


def _engine_benchmark(fn):
    def run(args):
        r = fn(args.duration, reference=not args.no_reference)
        r["ratios"] = ratios(r)
        report(r)
        return [r]
    return run


register("izhikevich", "Izhikevich 2003 network, 10 s at 1 ms: neuromem, NEST, Brian2 cython")(
    _engine_benchmark(bench_izhikevich))
register("cuba", "CUBA, 4000 LIF, 10 s at 0.1 ms: neuromem, Brian2 cython and cpp_standalone")(
    _engine_benchmark(bench_cuba))
register("propagation", "1000 Poisson inputs -> 1000 LIF, all-to-all: synaptic events per second")(
    _engine_benchmark(bench_propagation))
