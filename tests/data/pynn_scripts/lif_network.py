"""A PyNN script, unchanged for any backend: `python lif_network.py BACKEND` (neuromem or nest) prints JSON."""
import json
import sys

import numpy as np

backend = sys.argv[1]
if backend == "neuromem":
    import neuromem.pynn as sim
    extra = {}
else:
    import pyNN.nest as sim
    extra = {"spike_precision": "on_grid"}   # neuromem's float engine is on the grid

sim.setup(timestep=0.125, min_delay=0.125, **extra)
rng = np.random.default_rng(1)
times = [sorted(set((rng.integers(8, 1520, 20) * 0.125).tolist())) for _ in range(20)]
inp = sim.Population(20, sim.SpikeSourceArray(spike_times=times), label="inp")
exc = sim.Population(30, sim.IF_curr_exp(tau_m=10.0, tau_refrac=2.0, v_thresh=-55.0), label="exc")
out = sim.Population(10, sim.IF_curr_exp(tau_m=20.0, tau_refrac=1.0), label="out")
exc.initialize(v=-65.0)
pairs = [(i, j) for i in range(20) for j in range(30) if (3 * i + 7 * j) % 10 < 3]
sim.Projection(inp, exc, sim.FromListConnector(pairs), sim.StaticSynapse(weight=1.2, delay=1.0))
to_out = sim.Projection(exc, out, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.4, delay=0.5))
sim.Projection(exc[:10], exc[10:], sim.OneToOneConnector(), sim.StaticSynapse(weight=-0.8, delay=2.0),
               receptor_type="inhibitory")
stdp = sim.STDPMechanism(sim.SpikePairRule(tau_plus=20.0, tau_minus=20.0, A_plus=0.001, A_minus=0.0012),
                         sim.AdditiveWeightDependence(w_min=0.0, w_max=100.0), weight=0.5, delay=1.0)
plastic = sim.Projection(inp, out, sim.AllToAllConnector(), stdp)
flush = sim.Population(20, sim.SpikeSourceArray(spike_times=[]), label="flush")
exc.record("spikes")
out.record(["spikes", "v"])
sim.run(100.0)
to_out.set(delay=1.5)                         # delays changed between runs (spikes in flight keep theirs)
sim.run(100.0)
inp.set(spike_times=[[250.0]] * 20)           # one last presynaptic spike each, after every post spike
out.set(v_thresh=1000.0)                       # so no post spike follows it
sim.run(60.0)
result = {}
for p in (exc, out):
    seg = p.get_data().segments[0]
    result[p.label] = [[round(float(t), 6) for t in st.magnitude] for st in seg.spiketrains]
result["v"] = np.asarray(out.get_data().segments[0].analogsignals[0])[:2000, :3].round(9).tolist()
result["w"] = [float(x) for x in plastic.get("weight", format="array").ravel()]
print(json.dumps(result))
sim.end()
