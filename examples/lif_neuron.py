"""A LIF neuron driven by input spikes: membrane potential and output spikes.

Run: python examples/lif_neuron.py   (writes lif_neuron.png)
"""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

import neuromem as nm

net = nm.Network(seed=1)
inputs = net.population(5, nm.SpikeSourcePoisson(rate=40.0), label="inputs")
cell = net.population(1, nm.IF_curr_exp(tau_m=10.0, tau_refrac=2.0), label="cell")
net.projection(inputs, cell, nm.AllToAllConnector(), nm.StaticSynapse(weight=1.5, delay=1.0))
cell.record(["spikes", "v"])

sim = nm.Simulator(net, dt=0.1, seed=1)
sim.run(500.0)
data = sim.get_data(cell)
print(f"output spikes: {data.spike_times.size}, rate {data.mean_rate():.1f} Hz")

fig, ax = plt.subplots(figsize=(8, 3))
ax.plot(data.times, data.signals["v"][:, 0])
ax.plot(data.spike_times, [-50] * data.spike_times.size, "r|", ms=12)
ax.set_xlabel("time (ms)")
ax.set_ylabel("v (mV)")
fig.savefig("lif_neuron.png", dpi=100, bbox_inches="tight")
