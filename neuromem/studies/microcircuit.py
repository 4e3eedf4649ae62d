r"""The cortical microcircuit of Potjans & Diesmann (2014), Cereb Cortex 24:785, on the neuromem engine.

77,169 current-based LIF neurons under 1 mm² of cortex in eight populations (layers 2/3, 4, 5 and 6, each
excitatory and inhibitory), about 3e8 synapses, Poisson background input.  The parameters are the model's as
NEST's and PyNN's distributions of it give them (PyNN's ``examples/Potjans2014/network_params.py``):

* neurons: :math:`C_m = 250` pF, :math:`\tau_m = 10` ms, :math:`\tau_{syn} = 0.5` ms, 2 ms refractory,
  :math:`V_{th} = -50`, :math:`V_{reset} = E_L = -65` mV; initial :math:`V \sim N(-58, 5)` mV;
* connections: between populations ``a -> b`` a fixed total number of synapses
  :math:`K = \ln(1 - C_{ba}) / \ln(1 - 1/(N_a N_b))` from the connection probabilities :math:`C`, pairs drawn
  with replacement (NEST's ``fixed_total_number`` with multapses);
* weights: PSC amplitude :math:`w = 87.8` pA (twice that from L4e to L2/3e), inhibitory :math:`g = -4` times,
  normal with 10% spread (5% for L4e -> L2/3e), drawn again where the sign would flip; delays normal, 1.5 ± 0.75
  ms excitatory, 0.75 ± 0.375 ms inhibitory, drawn again below one step;
* background: each neuron an independent Poisson train of :math:`K_{ext} \times 8` Hz with weight :math:`w`
  (``background="poisson"``, a :class:`~neuromem.core.sources.PoissonInput`, as NEST's ``poisson_generator``), or its mean as a DC current :math:`w K_{ext}\, 8\,\mathrm{Hz}\, \tau_{syn}`
  (``background="dc"``).

``scale`` scales every population's size and every projection's synapse count together, so each neuron keeps
its full-scale in-degree and the dynamics (and rates) stay the full model's (NEST's ``N_scaling`` with
``K_scaling = 1``); ``scale=1`` is the full model.
"""
from __future__ import annotations

import time

import numpy as np

from .._checks import check_scalar, fail
from ..core import (FixedTotalNumberConnector, IF_curr_exp, Network, PoissonInput, RandomDistribution, Simulator,
                    StaticSynapse)

POPULATIONS = ("L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I")
N_FULL = np.array([20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948])
#: connection probabilities, row: target population, column: source population (Potjans & Diesmann 2014, Table 5)
CONN_PROBS = np.array([
    [0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0],
    [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0],
    [0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0],
    [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0],
    [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0],
    [0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0],
    [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
    [0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443]])
#: external (background) in-degrees
K_EXT = np.array([1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100])
BG_RATE = 8.0        # Hz per external synapse
W_MEAN = 0.0878      # nA
G = -4.0
DELAY = {"E": (1.5, 0.75), "I": (0.75, 0.375)}
CELL = dict(cm=0.25, tau_m=10.0, tau_refrac=2.0, tau_syn_E=0.5, tau_syn_I=0.5, v_rest=-65.0, v_reset=-65.0,
            v_thresh=-50.0, i_offset=0.0)
#: published mean rates (Hz) of the full model with Poisson background (Potjans & Diesmann 2014, Fig. 6;
#: ../shared/REFERENCES.md)
PUBLISHED_RATES = dict(zip(POPULATIONS, (0.9, 2.8, 4.4, 5.7, 7.6, 8.1, 1.1, 7.7)))


def synapse_counts(scale: float = 1.0) -> np.ndarray:
    r"""Synapses per projection (row: target, column: source): :math:`K = \ln(1 - C) / \ln(1 - 1/(N_{pre} N_{post}))`
    at full scale, times ``scale``."""
    with np.errstate(divide="ignore"):
        full = np.log(1.0 - CONN_PROBS) / np.log(1.0 - 1.0 / np.outer(N_FULL, N_FULL))
    return np.rint(full * scale).astype(np.int64)


def microcircuit(scale: float = 0.1, seed: int = 0, background: str = "poisson", dt: float = 0.1) -> Network:
    """The Potjans-Diesmann microcircuit at ``scale`` of its neurons and synapses (module docstring); every
    neuron records its spikes."""
    scale = check_scalar("microcircuit", "scale", scale, low=0.0, low_open=True, high=1.0)
    if background not in ("poisson", "dc"):
        raise fail("microcircuit", "background", background, "expected 'poisson' or 'dc'")
    sizes = np.maximum(1, np.rint(N_FULL * scale).astype(np.int64))
    net = Network(seed=seed, label=f"microcircuit {scale:g}")
    pops = []
    for name, n, k_ext in zip(POPULATIONS, sizes, K_EXT):
        dc = W_MEAN * k_ext * BG_RATE * 1e-3 * CELL["tau_syn_E"] if background == "dc" else 0.0
        pop = net.population(int(n), IF_curr_exp(**{**CELL, "i_offset": dc}), label=name)
        pop.initialize(v=RandomDistribution("normal", mu=-58.0, sigma=5.0))
        pop.record("spikes")
        pops.append(pop)
    counts = synapse_counts(scale)
    for b, post in enumerate(pops):
        for a, pre in enumerate(pops):
            if not counts[b, a]:
                continue
            kind = "E" if a % 2 == 0 else "I"
            w = W_MEAN * (2.0 if (a, b) == (2, 0) else 1.0) * (1.0 if kind == "E" else -G)
            spread = 0.05 if (a, b) == (2, 0) else 0.1
            mu, sd = DELAY[kind]
            net.projection(pre, post, FixedTotalNumberConnector(int(counts[b, a])),
                           StaticSynapse(weight=RandomDistribution("normal_clipped", mu=w, sigma=spread * w, low=0.0,
                                                                   high=np.inf),
                                         delay=RandomDistribution("normal_clipped", mu=mu, sigma=sd, low=dt,
                                                                  high=np.inf)),
                           receptor_type="excitatory" if kind == "E" else "inhibitory",
                           label=f"{pre.label}->{post.label}")
    if background == "poisson":
        for pop, k_ext in zip(pops, K_EXT):
            pop.inject(PoissonInput(rate=k_ext * BG_RATE, weight=W_MEAN))
    return net


def microcircuit_rates(scale: float = 0.1, duration: float = 1000.0, seed: int = 0, background: str = "poisson",
                      threads=None, transient: float = 100.0) -> dict:
    """Build and run :func:`microcircuit`; each population's mean rate (Hz) after ``transient`` ms, with the build
    and run wall times and the synapse count."""
    t0 = time.perf_counter()
    net = microcircuit(scale, seed, background)
    sim = Simulator(net, dt=0.1, seed=seed, threads=threads)
    build = time.perf_counter() - t0
    t0 = time.perf_counter()
    sim.run(duration)
    run = time.perf_counter() - t0
    rates = {pop.label: float((sim.get_data(pop).spike_times >= transient).sum()) / pop.size
             / ((duration - transient) / 1000.0) for pop in net.populations}
    return {"scale": scale, "neurons": int(sum(p.size for p in net.populations)),
            "synapses": int(sum(len(p) for p in net.projections)),
            "build_s": build, "run_s": run, "rates_hz": rates}
