"""PyNN scripts on pyNN.neuromem beside pyNN.nest, one invocation, each in its own child process.

* PyNN's own ``examples/VAbenchmarks.py`` (from PyNN's source distribution), CUBA and COBA: 4000 cells, 1 s,
  unchanged; the script prints its build and simulation times and rates, which are compared.
* Building 10^7 synapses: two populations of 10,000 IF_curr_exp cells joined by
  ``FixedProbabilityConnector(0.1)``; the time of ``Projection(...)`` plus the first step (neuromem lays out
  its synapse arrays there, NEST its connection infrastructure).
"""
from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time

from . import register

BACKENDS = ("neuromem", "nest")
#: what VAbenchmarks.py prints -> result key
PRINTED = {"Build time": "build_s", "Simulation time": "run_s", "Excitatory rate": "exc_rate_hz",
           "Inhibitory rate": "inh_rate_hz"}


def vabenchmarks(backend, benchmark) -> dict:
    """PyNN's VAbenchmarks.py on ``backend`` (``neuromem`` or ``nest``) in a child process."""
    from ..pynn.distribution import pynn_source
    source = pynn_source()
    if source is None:
        return {"error": "PyNN's source distribution could not be downloaded"}
    script = source / "examples" / "VAbenchmarks.py"
    code = ("import neuromem.pynn, runpy, sys; "
            f"sys.argv = ['VAbenchmarks.py', {backend!r}, {benchmark!r}]; "
            f"runpy.run_path({str(script)!r}, run_name='__main__')")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", code], cwd=tmp, capture_output=True, text=True, timeout=3600)
        total = time.perf_counter() - t0
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    out = {"process_s": total}
    for label, key in PRINTED.items():
        match = re.search(rf"{label}\s*:\s*([0-9.eE+-]+)", proc.stdout)
        out[key] = float(match.group(1)) if match else None
    out["build_and_run_s"] = out["build_s"] + out["run_s"]
    return out


BUILD = """
import time, neuromem.pynn, pyNN.{backend} as sim
sim.setup(timestep=0.1, min_delay=0.1)
a = sim.Population({n}, sim.IF_curr_exp())
b = sim.Population({n}, sim.IF_curr_exp())
t0 = time.perf_counter()
prj = sim.Projection(a, b, sim.FixedProbabilityConnector({p}, rng=sim.NumpyRNG(seed=1)),
                     sim.StaticSynapse(weight=0.01, delay=0.5))
sim.run(0.1)
print("BUILD", time.perf_counter() - t0, prj.size())
"""


def build_synapses(backend, n=10_000, p=0.1) -> dict:
    """Seconds to make ``n`` x ``n`` x ``p`` synapses through PyNN on ``backend`` (child process)."""
    proc = subprocess.run([sys.executable, "-c", BUILD.format(backend=backend, n=n, p=p)], capture_output=True,
                          text=True, timeout=3600)
    match = re.search(r"BUILD ([0-9.eE+-]+) (\d+)", proc.stdout)
    if proc.returncode != 0 or not match:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    return {"build_s": float(match.group(1)), "synapses": int(match.group(2))}


def run_all(reference=True) -> list[dict]:
    backends = BACKENDS if reference else BACKENDS[:1]
    results = []
    for benchmark in ("CUBA", "COBA"):
        r = {"name": f"pynn_vabenchmarks_{benchmark.lower()}", **{b: vabenchmarks(b, benchmark) for b in backends}}
        if "build_and_run_s" in r.get("nest", {}) and "build_and_run_s" in r["neuromem"]:
            r["ratio_nest_over_neuromem"] = r["nest"]["build_and_run_s"] / r["neuromem"]["build_and_run_s"]
        results.append(r)
    r = {"name": "pynn_build_1e7_synapses", **{b: build_synapses(b) for b in backends}}
    if "build_s" in r.get("nest", {}) and "build_s" in r["neuromem"]:
        r["ratio_nest_over_neuromem"] = r["nest"]["build_s"] / r["neuromem"]["build_s"]
    results.append(r)
    return results


#: the speeds issue 18 asks for (nest / neuromem)
TARGETS = {"pynn_vabenchmarks_cuba": 3.0, "pynn_vabenchmarks_coba": 3.0, "pynn_build_1e7_synapses": 5.0}


def report(results) -> None:
    for r in results:
        print(f"\n{r['name']}")
        for b in BACKENDS:
            if b in r:
                print(f"  {b:9s} " + ("failed: " + r[b]["error"] if "error" in r[b] else
                                      ", ".join(f"{k} {v:.4g}" for k, v in r[b].items() if v is not None)))
        if "ratio_nest_over_neuromem" in r:
            ratio, target = r["ratio_nest_over_neuromem"], TARGETS[r["name"]]
            print(f"  pyNN.nest / pyNN.neuromem: {ratio:.2f}x  (target >= {target}x: "
                  f"{'met' if ratio >= target else 'NOT met'})")


@register("pynn", "PyNN's VAbenchmarks (CUBA, COBA) and a 10^7-synapse build: pyNN.neuromem beside pyNN.nest")
def run(args) -> list[dict]:
    """``neuromem bench --only pynn``."""
    results = run_all(reference=not args.no_reference)
    report(results)
    return results
