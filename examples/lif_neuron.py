"""
A LIF neuron driven by input spikes: membrane potential and output spikes
==========================================================================

Five Poisson inputs (40 Hz each) drive one IF_curr_exp cell through 1.5 nA synapses.  Until its
first spike the membrane is a sum of postsynaptic potentials, each the closed form

.. math:: v(t) - v_{rest} = \\frac{w}{C} \\frac{\\tau_m \\tau_s}{\\tau_m - \\tau_s}
          \\left(e^{-t/\\tau_m} - e^{-t/\\tau_s}\\right),

drawn dashed beside the simulation (they coincide); after a spike the reset and the refractory
period take over.

Run: python examples/lif_neuron.py   (writes lif_neuron.png)
"""
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import neuromem as nm

OUT = Path(os.environ.get("NEUROMEM_EXAMPLE_OUTPUT", "."))
CELL = dict(tau_m=10.0, tau_refrac=2.0, tau_syn_E=5.0, cm=1.0, v_rest=-65.0, v_thresh=-50.0)
W = 1.5   # nA

net = nm.Network(seed=1)
inputs = net.population(5, nm.SpikeSourcePoisson(rate=40.0), label="inputs")
cell = net.population(1, nm.IF_curr_exp(**CELL), label="cell")
net.projection(inputs, cell, nm.AllToAllConnector(), nm.StaticSynapse(weight=W, delay=1.0))
cell.record(["spikes", "v"])
inputs.record("spikes")

sim = nm.Simulator(net, dt=0.1, seed=1)
sim.run(500.0)
data = sim.get_data(cell)
arrivals = sim.get_data(inputs).spike_times + 1.0          # each input spike acts after its 1 ms delay
print(f"output spikes: {data.spike_times.size}, rate {data.mean_rate():.1f} Hz")

# %%
# The closed form up to the first output spike: a sum of PSPs, each from its arrival time (the spike
# time plus the delay)
t = data.times
first = data.spike_times[0] if data.spike_times.size else t[-1]
tm, ts, c = CELL["tau_m"], CELL["tau_syn_E"], CELL["cm"]
theory = np.full(t.size, CELL["v_rest"])
for a in arrivals:
    s = t - a
    on = s >= 0
    theory[on] += W / c * tm * ts / (tm - ts) * (np.exp(-s[on] / tm) - np.exp(-s[on] / ts))
before = t < first
print(f"largest difference from the closed form before the first spike: "
      f"{np.max(np.abs(theory[before] - data.signals['v'][before, 0])):.2e} mV")

fig, ax = plt.subplots(figsize=(8, 3))
ax.plot(t, data.signals["v"][:, 0], label="simulated v")
ax.plot(t[before], theory[before], "k--", lw=1, label="closed form (sum of PSPs)")
ax.plot(data.spike_times, [-48] * data.spike_times.size, "r|", ms=12, label="output spikes")
ax.axhline(CELL["v_thresh"], color="0.6", lw=0.5)
ax.set_xlabel("time (ms)")
ax.set_ylabel("membrane potential v (mV)")
ax.legend(fontsize=8, loc="lower right")
fig.savefig(OUT / "lif_neuron.png", dpi=100, bbox_inches="tight")
