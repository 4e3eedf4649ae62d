"""
The STDP window: weight change of one synapse for one pre/post pair at many time differences
============================================================================================

One presynaptic spike, one postsynaptic spike (forced by a strong "kick" input), pair STDP with
additive weights (PyNN's ``SpikePairRule`` and ``AdditiveWeightDependence``, NEST's
``stdp_synapse``).  The whole 1 ms delay is dendritic, so the postsynaptic spike reaches the synapse
1 ms after it happens: with :math:`\\Delta = t_{post} + d - t_{pre}`,

.. math:: \\Delta w = A_+ w_{max} e^{-\\Delta/\\tau_+} \\ (\\Delta > 0), \\qquad
          \\Delta w = -A_- w_{max} e^{\\Delta/\\tau_-} \\ (\\Delta < 0),

drawn as the line; the dots are the simulation.

Run: python examples/stdp_pair.py   (writes stdp_window.png)
"""
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import neuromem as nm

OUT = Path(os.environ.get("NEUROMEM_EXAMPLE_OUTPUT", "."))
TAU, A_PLUS, A_MINUS, W_MAX, DELAY = 20.0, 0.01, 0.012, 1.0, 1.0


def pairing(t_pre, w0=0.5):
    """Weight change (nA) of one synapse for a pre spike at ``t_pre`` and a post spike near 50 ms; and the post spike time."""
    net = nm.Network(seed=0)
    pre = net.population(1, nm.SpikeSourceArray(spike_times=[t_pre]), label="pre")
    kick = net.population(1, nm.SpikeSourceArray(spike_times=[49.0]), label="kick")
    post = net.population(1, nm.IF_curr_exp(tau_m=1.0, tau_syn_E=0.1, cm=0.01, tau_refrac=100.0), label="post")
    post.record("spikes")
    net.projection(kick, post, nm.OneToOneConnector(), nm.StaticSynapse(weight=50.0, delay=1.0))
    prj = net.projection(pre, post, nm.OneToOneConnector(), nm.STDPMechanism(
        nm.SpikePairRule(tau_plus=TAU, tau_minus=TAU, A_plus=A_PLUS, A_minus=A_MINUS),
        nm.AdditiveWeightDependence(0.0, W_MAX), weight=w0, delay=DELAY))
    sim = nm.Simulator(net, dt=0.1)
    sim.run(150.0)
    return sim.weights(prj)[0] - w0, sim.get_data(post).spike_times[0]


t_pre = 50.0 - np.arange(-40.0, 41.0, 2.0)
results = [pairing(t) for t in t_pre]
dws = np.array([r[0] for r in results])
dts = np.array([r[1] for r in results]) - t_pre            # t_post - t_pre
for d, w in zip(dts[::5], dws[::5]):
    print(f"t_post - t_pre = {d:+6.1f} ms  ->  dw = {w:+.5f} nA")

grid = np.linspace(dts.min(), dts.max(), 801)
delta = grid + DELAY
theory = np.where(delta > 0, A_PLUS * W_MAX * np.exp(-delta / TAU), -A_MINUS * W_MAX * np.exp(delta / TAU))
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(grid, theory, color="0.4", lw=1, label=r"theory, $\Delta = t_{post} + d - t_{pre}$")
ax.plot(dts, dws, "o", label="simulated")
ax.axhline(0, color="k", lw=0.5)
ax.set_xlabel(r"$t_{post} - t_{pre}$ (ms)")
ax.set_ylabel(r"weight change $\Delta w$ (nA)")
ax.legend(fontsize=8)
fig.savefig(OUT / "stdp_window.png", dpi=100, bbox_inches="tight")
