"""
Reward learning with an eligibility trace (Izhikevich 2007), on two neurons
===========================================================================

A presynaptic neuron fires 5 ms before a postsynaptic one, once.  The pairing does not
change the weight: it leaves an eligibility trace c that decays with tau_c = 1 s.  A
dopamine pulse 1 s later turns what is left of the trace into a weight change.  The
same pairing followed by no reward, or by a reward 5 s later, changes (almost) nothing.
Runs in a second.
"""

import neuromem as nm
from neuromem.models.reservoir import dopamine_stdp


def trial(reward_at_ms):
    net = nm.Network(seed=0)
    pre = net.population(1, nm.SpikeSourceArray(spike_times=[100.0]), label="pre")
    drive = net.population(1, nm.SpikeSourceArray(spike_times=[104.0]), label="drive")
    post = net.population(1, nm.Izhikevich(a=0.02, b=0.2, c=-65.0, d=8.0), label="post")
    post.initialize(v=-65.0, u=-13.0)
    net.projection(drive, post, nm.OneToOneConnector(), nm.StaticSynapse(weight=40.0, delay=1.0))
    syn = net.projection(pre, post, nm.OneToOneConnector(), dopamine_stdp(weight=1.0))  # the paper's constants
    sim = nm.Simulator(net, dt=1.0)
    sim.run(120.0)
    c_after_pairing = float(sim.eligibility(syn)[0])
    if reward_at_ms is not None:
        sim.run(reward_at_ms - sim.t)
        sim.deliver_modulator(syn, 0.5)
    sim.run(8000.0 - sim.t)
    return c_after_pairing, float(sim.weights(syn)[0])


w0 = 1.0
for label, when in (("no reward", None), ("reward 1 s after", 1105.0), ("reward 5 s after", 5105.0)):
    c, w = trial(when)
    print(f"{label:18s} eligibility after the pairing {c:+.3f}   weight {w0:.3f} -> {w:.4f}")
# the baseline 0.002 x c drifts the weight a little even without reward
_, w_none = trial(None)
_, w_1s = trial(1105.0)
_, w_5s = trial(5105.0)
assert w_1s - w0 > 5 * abs(w_none - w0) and w_1s > w_5s > w_none
