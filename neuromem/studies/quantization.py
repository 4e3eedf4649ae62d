"""Recall before and after quantisation to a board profile (``neuromem.hardware.quantize``).

Two models run twice on the Numba core, once as built and once with the board's
weights and delays: the CA3 memory (a random testbench against the dictionary
model) and an Izhikevich reservoir with a ridge readout that reconstructs its
input rate from the filtered spikes (correlation on held-out time).
"""
from __future__ import annotations

import numpy as np

from ..core import FixedNumberPreConnector, RandomDistribution, Simulator, SpikeSourceArray, StaticSynapse
from ..hardware import quantize
from ..models.reservoir import ForceReadout, IzhikevichReservoir
from ..random import generator
from .ca3 import DictionaryMemory, agrees, random_operations
from . import register


def ca3_accuracy(cues, bits, n_ops, profile=None, seed=1) -> dict:
    """Fraction of recalls that agree with the dictionary, optionally after :func:`quantize`, on the float
    engine: the narrow variant of the memory (the paper's runs on the emulation, quantised already)."""
    from ..models.ca3 import CA3Memory, Learn
    mem = CA3Memory(cues, bits, variant="narrow", seed=seed)
    report = quantize(mem.network, profile, in_place=True)[1] if profile else {}
    ops = random_operations(cues, bits, n_ops, density=0.2, seed=seed)
    ref = DictionaryMemory(bits)
    res = mem.run_operations(ops)
    ok = [agrees(r, ref.apply(r.op)) for r in res]
    scored = [not isinstance(r.op, Learn) for r in res]
    return {"accuracy": float(np.mean(np.asarray(ok)[scored])), "report": report}


def reservoir_readout(profile=None, seconds=20.0, n_exc=400, n_inh=100, seed=1, tau=20.0) -> dict:
    """Correlation of a ridge readout of an Izhikevich reservoir with its input rate (last quarter held out)."""
    rng = generator("reservoir_readout", seed)
    res = IzhikevichReservoir(n_exc=n_exc, n_inh=n_inh, targets=50, cells="2003", plastic=False, seed=seed)
    net = res.network
    steps = int(seconds * 1000)
    t = np.arange(steps)
    rate = 20.0 + 15.0 * np.sin(2 * np.pi * t / 700.0) + 10.0 * np.sin(2 * np.pi * t / 230.0)  # Hz
    n_in = 50
    spikes = [np.flatnonzero(rng.random(steps) < rate / 1000.0).astype(float) + 1.0 for _ in range(n_in)]
    inp = net.population(n_in, SpikeSourceArray(spike_times=spikes), label="input")
    # random input weights: unlike the reservoir's own (1 and -1), they fall between grid points
    net.projection(inp, res.neurons, FixedNumberPreConnector(5),
                   StaticSynapse(weight=RandomDistribution("uniform", low=2.0, high=6.0), delay=1.0), label="in")
    report = quantize(net, profile, in_place=True)[1] if profile else {}
    sim = Simulator(net, dt=1.0, seed=seed).run(float(steps))
    st, ids = sim.spikes(res.neurons)
    counts = np.zeros((steps + 1, res.n))
    np.add.at(counts, (st.astype(int), ids), 1.0)
    trace = np.zeros_like(counts)
    decay = np.exp(-1.0 / tau)
    for k in range(1, trace.shape[0]):
        trace[k] = trace[k - 1] * decay + counts[k]
    x = trace[1:steps + 1]
    split = int(0.75 * steps)
    readout = ForceReadout(res.n + 1, 1, alpha=10.0)
    X = np.c_[x, np.ones(steps)]
    A = X[:split]
    readout.w = np.linalg.solve(A.T @ A + np.eye(A.shape[1]) / readout.alpha, A.T @ rate[:split, None])
    pred = readout.predict(X[split:])[:, 0]
    return {"correlation": float(np.corrcoef(pred, rate[split:])[0, 1]), "report": report,
            "prediction": pred, "target": rate[split:]}


def quantization(profile="spinnaker1", cues=20, bits=40, n_ops=300, seconds=20.0, seed=1) -> dict:
    """Both models before and after quantisation to ``profile``."""
    before_ca3 = ca3_accuracy(cues, bits, n_ops, None, seed)
    after_ca3 = ca3_accuracy(cues, bits, n_ops, profile, seed)
    before_res = reservoir_readout(None, seconds, seed=seed)
    after_res = reservoir_readout(profile, seconds, seed=seed)
    return {"profile": profile, "ca3_before": before_ca3["accuracy"], "ca3_after": after_ca3["accuracy"],
            "ca3_report": after_ca3["report"], "readout_before": before_res["correlation"],
            "readout_after": after_res["correlation"], "readout_report": after_res["report"],
            "prediction_before": before_res["prediction"], "prediction_after": after_res["prediction"],
            "target": before_res["target"]}


# -- measures and figures ----------------------------------------------------------------------

def _measure_quantization(d):
    return ({"ca3_accuracy_before": d["ca3_before"], "ca3_accuracy_after": d["ca3_after"],
             "readout_correlation_before": d["readout_before"], "readout_correlation_after": d["readout_after"],
             "max_weight_error": max(d["ca3_report"]["max_weight_error"], d["readout_report"]["max_weight_error"]),
             "max_weight_error_in_steps": max(d["ca3_report"]["max_error_in_steps"],
                                              d["readout_report"]["max_error_in_steps"])},
            {"max_weight_error": "nA", "max_weight_error_in_steps": "grid steps"})

def quantization_figure(data, path, title=""):
    """Recall before and after quantisation to a board profile: CA3 accuracy, reservoir readout
    correlation, and the readout's reconstruction of its input in both cases."""
    from ..plotting import plt, save
    fig, axes = plt.subplots(1, 2, figsize=(13, 4), gridspec_kw={"width_ratios": [1, 2.4]})
    ax = axes[0]
    x = np.arange(2)
    ax.bar(x - 0.18, [data["ca3_before"], data["readout_before"]], 0.35, label="as built (float64)")
    ax.bar(x + 0.18, [data["ca3_after"], data["readout_after"]], 0.35, label=f"quantised ({data['profile']})")
    ax.set_xticks(x, ["CA3 recalls\nagreeing with dict", "reservoir readout\ncorrelation"])
    ax.set_ylim(0, 1.1)
    ax.legend(fontsize=8, loc="lower right")
    ax = axes[1]
    n = min(2000, data["target"].size)
    t = np.arange(n) / 1000.0
    ax.plot(t, data["target"][:n], color="0.5", lw=2, label="input rate (Hz)")
    ax.plot(t, data["prediction_before"][:n], lw=1, label=f"readout, as built (r = {data['readout_before']:.3f})")
    ax.plot(t, data["prediction_after"][:n], lw=1, ls="--",
            label=f"readout, quantised (r = {data['readout_after']:.3f})")
    ax.set_xlabel("held-out time (s)")
    ax.legend(fontsize=8)
    fig.suptitle(title or f"Quantisation to {data['profile']}: weights on a 16-bit power-of-two grid, delays on 1 ms")
    return save(fig, path)


# -- registration ------------------------------------------------------------------------------

register('quantization', quantization, _measure_quantization, quantization_figure,
         description='CA3 recall and a reservoir readout before and after quantisation to SpiNNaker 1')
