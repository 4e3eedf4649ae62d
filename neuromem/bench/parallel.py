"""Both cores: neuromem's float engine on 1 and 2 threads beside NEST on 1 and 2 threads, one invocation.

The Izhikevich (2003) network at its size (1000 neurons, a million synapses) and three times larger
(3000 neurons, 9 million synapses; weights divided by 3 so the rates stay those of the paper), 10 s
of simulated time each (``--duration``).  NEST runs in a child process (it keeps global state) with
``local_num_threads``; neuromem with ``Simulator(threads=...)``, whose result is the same for any
number of threads (checked here: the spike counts must agree).  Times exclude network construction;
each side gets a short warm-up run first.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time

from . import register

#: (label, n_exc, n_inh, weight scale)
CASES = (("izhikevich2003_1000", 800, 200, 1.0), ("izhikevich2003_3000", 2400, 600, 1.0 / 3.0))


def _network(n_exc, n_inh, scale):
    from ..studies.engine import izhikevich2003
    return izhikevich2003(n_exc=n_exc, n_inh=n_inh, seed=1, exc_weight=0.5 * scale, inh_weight=1.0 * scale)


def time_neuromem(n_exc, n_inh, scale, threads, duration) -> dict:
    from ..core import Simulator
    net = _network(n_exc, n_inh, scale)
    sim = Simulator(net, dt=1.0, seed=1, threads=threads)
    sim.run(10.0)
    t0 = time.perf_counter()
    sim.run(duration)
    wall = time.perf_counter() - t0
    spikes = sum(sim.get_data(p).spike_times.size for p in net.populations)
    return {"wall_s": wall, "spikes": int(spikes)}


def nest_child(n_exc, n_inh, scale, threads, duration) -> dict:
    """The same network on NEST with ``threads`` threads (run in a child process)."""
    from ..backends.nest import NestNetwork
    net = _network(n_exc, n_inh, scale)
    ref = NestNetwork(net, dt=1.0, seed=1, threads=threads)
    ref.run(10.0)
    t0 = time.perf_counter()
    ref.run(duration)
    wall = time.perf_counter() - t0
    spikes = sum(ref.spikes(p).times.size for p in net.populations)
    return {"wall_s": wall, "spikes": int(spikes)}


def time_nest(n_exc, n_inh, scale, threads, duration) -> dict:
    code = (f"import json; from neuromem.bench.parallel import nest_child; "
            f"print(json.dumps(nest_child({n_exc}, {n_inh}, {scale!r}, {threads}, {duration!r})))")
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


@register("parallel", "the float engine on 1 and 2 threads beside NEST on 1 and 2 threads (Izhikevich 2003, x1 and x3)")
def run(args) -> list[dict]:
    """``neuromem bench --only parallel``."""
    results = run_all(args.duration, reference=not args.no_reference)
    report(results)
    return results
