"""The STDP window: weight change of one synapse for one pre/post pair at many time differences.

Run: python examples/stdp_pair.py   (writes stdp_window.png)
"""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import neuromem as nm


def weight_change(delta_t, w0=0.5):
    net = nm.Network(seed=0)
    pre = net.population(1, nm.SpikeSourceArray(spike_times=[50.0 - delta_t]), label="pre")
    kick = net.population(1, nm.SpikeSourceArray(spike_times=[49.0]), label="kick")
    post = net.population(1, nm.IF_curr_exp(tau_m=1.0, tau_syn_E=0.1, cm=0.01, tau_refrac=100.0), label="post")
    net.projection(kick, post, nm.OneToOneConnector(), nm.StaticSynapse(weight=50.0, delay=1.0))
    prj = net.projection(pre, post, nm.OneToOneConnector(), nm.STDPMechanism(
        nm.SpikePairRule(tau_plus=20.0, tau_minus=20.0, A_plus=0.01, A_minus=0.012),
        nm.AdditiveWeightDependence(0.0, 1.0), weight=w0, delay=1.0))
    sim = nm.Simulator(net, dt=0.1)
    sim.run(150.0)
    return sim.weights(prj)[0] - w0


dts = np.arange(-40.0, 41.0, 2.0)
dws = [weight_change(d) for d in dts]
for d, w in zip(dts[::5], dws[::5]):
    print(f"t_post - t_pre = {d:+5.0f} ms  ->  dw = {w:+.5f}")
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(dts, dws, "o-")
ax.axhline(0, color="k", lw=0.5)
ax.set_xlabel("t_post - t_pre (ms)")
ax.set_ylabel("weight change")
fig.savefig("stdp_window.png", dpi=100, bbox_inches="tight")
