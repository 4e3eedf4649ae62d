"""Reservoir benchmark: the Izhikevich (2007) network with dopamine-modulated STDP
(1000 neurons, 80,000 plastic and 20,000 static synapses) for ``minutes`` of simulated
time, in neuromem and in Brian2 (cython runtime), in one invocation on one machine.

Both run the same wiring (neuromem's arrays), cells, noise law (``13 (U - 0.5)`` per ms),
three-factor rule (pair traces with tau 19.5 ms, LTP 0.1, LTD 0.15, eligibility tau 1 s,
dopamine tau 0.2 s, ``w <- clip(w + (0.002 + d) c, 0, 4)`` every 10 ms) and a fixed
dopamine schedule (+0.5 every 2 s), so the work is the same; the reward task's online
bookkeeping is left out of both.  Brian2 integrates ``v`` with the paper's two 0.5 ms
half steps in a ``run_regularly`` block and receives spikes with zero delay into a
current used on the next step, which is neuromem's 1 ms delay; its post spikes reach the
plastic synapses 1 ms late, as neuromem's dendritic delay, and a pre and a post spike that
meet at the synapse on the same step are not paired, as in NEST and neuromem (the pairing
order within a step otherwise moved Brian2's median weight after 2 minutes to 0.61 or
0.48 around neuromem's 0.53).
"""
from __future__ import annotations

import json
import subprocess
import sys
import time

from . import register
import numpy as np

#: the issue's target: neuromem at least 5x faster than Brian2 (cython runtime)
TARGET = 5.0
DOPAMINE_EVERY_MS, DOPAMINE = 2000.0, 0.5


def run_neuromem(minutes, seed=1) -> dict:
    from ..core import Simulator
    from ..models.reservoir import IzhikevichReservoir
    res = IzhikevichReservoir(seed=seed)
    sim = Simulator(res.network, dt=1.0, seed=seed)
    sim.run(10.0)  # kernels loaded
    t0 = time.perf_counter()
    total = minutes * 60_000.0
    while sim.t < total:
        sim.run(min(DOPAMINE_EVERY_MS, total - sim.t))
        sim.deliver_modulator(res.excitatory, DOPAMINE)
    wall = time.perf_counter() - t0
    d = sim.get_data(res.neurons)
    w = sim.weights(res.excitatory)
    seconds = sim.t / 1000.0
    return {"wall_s": wall, "rate_exc_hz": float(np.sum(d.spike_ids < res.n_exc) / res.n_exc / seconds),
            "rate_inh_hz": float(np.sum(d.spike_ids >= res.n_exc) / res.n_inh / seconds),
            "median_weight": float(np.median(w)), "mean_weight": float(w.mean())}


def brian2_child(minutes, seed=1) -> dict:
    """The same network in Brian2 (cython runtime), run in a child process."""
    import brian2 as b2
    from ..core import Izhikevich
    from ..models.reservoir import STDP_TAU_2007, IzhikevichReservoir
    res = IzhikevichReservoir(seed=seed)
    b2.prefs.codegen.target = "cython"
    b2.start_scope()
    b2.defaultclock.dt = 1 * b2.ms
    ms = b2.ms
    t0 = time.perf_counter()
    neurons = b2.NeuronGroup(res.n, """a : 1 (constant)
                                       b : 1 (constant)
                                       c : 1 (constant)
                                       d : 1 (constant)
                                       v : 1
                                       u : 1
                                       Isyn : 1
                                       da : 1 (shared)""",
                             threshold=f"v >= {Izhikevich.v_peak!r}", reset="v = c; u += d", method="exact",
                             namespace={"decay": float(np.exp(-1.0 / 200.0))})
    for k in "abcd":
        setattr(neurons, k, res.neurons.get(k))
    neurons.v = -65.0
    neurons.u = res.neurons.get("b") * -65.0
    neurons.run_regularly("""I = 13 * (rand() - 0.5) + Isyn
                             v += 0.5 * (0.04 * v**2 + 5 * v + 140 - u + I)
                             v += 0.5 * (0.04 * v**2 + 5 * v + 140 - u + I)
                             u += a * (b * v - u)
                             Isyn = 0""", when="before_groups")
    neurons.run_regularly("da = da * decay", when="before_groups", name="dopamine_decay")  # tau_d = 200 ms
    neurons.run_regularly("da += dose", dt=DOPAMINE_EVERY_MS * ms, when="end",
                          name="dopamine")
    neurons.namespace["dose"] = DOPAMINE
    exc, inh = res.excitatory, res.inhibitory
    # NEST's (and neuromem's) pairing excludes a pre spike and a post spike meeting at the synapse on the
    # same step; Brian2 would pair them one way or the other depending on which pathway runs first.  The
    # pre pathway runs first here, and the post pathway takes back the pre spike of its own step.
    plastic = b2.Synapses(neurons, neurons, """w : 1
                                               tpre : second
                                               delig/dt = -elig / tauc : 1 (clock-driven)
                                               dapre/dt = -apre / taus : 1 (event-driven)
                                               dapost/dt = -apost / taus : 1 (event-driven)""",
                          on_pre="""Isyn_post += w
                                    elig -= apost
                                    apre += 0.1
                                    tpre = t""",
                          on_post="""elig += apre - 0.1 * int(abs(t - tpre) < 0.5 * dt)
                                     apost += 0.15""", method="exact",
                          namespace={"tauc": 1000 * ms, "taus": STDP_TAU_2007 * ms})
    plastic.pre.order, plastic.post.order = 0, 1
    plastic.connect(i=exc.pre_idx, j=exc.post_idx)
    plastic.w = exc.weight
    plastic.tpre = -1 * b2.second
    plastic.post.delay = 1 * ms  # neuromem's (and NEST's) dendritic delay: a post spike meets pre spikes 1 ms later
    plastic.run_regularly("w = clip(w + (0.002 + da_post) * elig, 0, 4)", dt=10 * ms, when="end")
    static = b2.Synapses(neurons, neurons, on_pre="Isyn_post -= 1.0")
    static.connect(i=inh.pre_idx, j=inh.post_idx)
    mon = b2.SpikeMonitor(neurons)
    b2.run(10 * ms)  # code generation and compilation
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    b2.run(minutes * 60_000.0 * ms)
    wall = time.perf_counter() - t0
    ids = np.asarray(mon.i)
    seconds = minutes * 60.0 + 0.01
    w = np.asarray(plastic.w)
    return {"wall_s": wall, "build_and_codegen_s": build,
            "rate_exc_hz": float(np.sum(ids < res.n_exc) / res.n_exc / seconds),
            "rate_inh_hz": float(np.sum(ids >= res.n_exc) / res.n_inh / seconds),
            "median_weight": float(np.median(w)), "mean_weight": float(w.mean())}


def run_brian2(minutes, seed=1) -> dict:
    code = (f"import json; from neuromem.bench.reservoir import brian2_child; "
            f"print(json.dumps(brian2_child({minutes!r}, {seed!r})))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=7200)
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines()
        return {"error": lines[-1] if lines else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def bench_distal_network(minutes=10.0, reference=True) -> dict:
    out = {"name": "izhikevich2007_network", "minutes": minutes, "neuromem": run_neuromem(minutes)}
    if reference:
        ref = run_brian2(minutes)
        out["brian2_cython"] = ref
        if "error" not in ref:
            out["ratio"] = ref["wall_s"] / out["neuromem"]["wall_s"]
            out["target"] = TARGET
            out["target_met"] = bool(out["ratio"] >= TARGET)
    return out


def report(r) -> None:
    n = r["neuromem"]
    print(f"\nIzhikevich 2007 network with dopamine-modulated STDP, {r['minutes']:g} min simulated "
          f"(1000 neurons, 80,000 plastic synapses)")
    print(f"  neuromem       {n['wall_s']:8.2f} s   rates exc {n['rate_exc_hz']:.2f} Hz, inh {n['rate_inh_hz']:.2f} Hz,"
          f" median weight {n['median_weight']:.3f}")
    ref = r.get("brian2_cython")
    if ref is None:
        return
    if "error" in ref:
        print(f"  brian2_cython  failed: {ref['error']}")
        return
    print(f"  brian2_cython  {ref['wall_s']:8.2f} s   (codegen {ref['build_and_codegen_s']:.1f} s)   rates exc "
          f"{ref['rate_exc_hz']:.2f} Hz, inh {ref['rate_inh_hz']:.2f} Hz, median weight {ref['median_weight']:.3f}"
          f"   ratio {r['ratio']:.1f}x  target >= {TARGET:g}x: {'met' if r['target_met'] else 'NOT met'}")


@register('reservoir', 'the Izhikevich 2007 network with dopamine-modulated STDP beside Brian2 (10 simulated minutes)')
def run(args) -> list[dict]:
    """``neuromem bench --only reservoir``."""
    r = bench_distal_network(10.0, reference=not args.no_reference)
    report(r)
    return [r]
