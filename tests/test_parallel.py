"""The float engine on several threads: bit-identical to one thread, whatever the network."""
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import neuromem as nm
from neuromem.errors import ValidationError


def mixed_network(seed=4, epochs=False):
    """Sparse and dense connectors, individual delays, pair STDP, Poisson sources and a PoissonInput, a noisy
    current; current- and conductance-based and Izhikevich cells; stochastic and Tsodyks-Markram synapses.
    ``epochs``: no STDP, every delay at least 0.5 ms and no noise current: the networks the epoch kernel runs on
    every thread (with a noise current to draw, a helper thread draws it); a population fed only by the sources
    (its projections delivered step by step, one of them with a one-step delay, which does not shorten the
    epoch) projects to the others."""
    short = 0.5 if epochs else 0.1
    net = nm.Network(seed=seed)
    src = net.population(40, nm.SpikeSourcePoisson(rate=20.0), label="src")
    exc = net.population(300, nm.IF_curr_exp(tau_m=15.0), label="exc")
    inh = net.population(80, nm.IF_curr_exp(tau_m=10.0), label="inh")
    izh = net.population(50, nm.Izhikevich(), label="izh")
    cond = net.population(60, nm.IF_cond_exp(tau_m=12.0, i_offset=np.linspace(1.1, 1.6, 60)), label="cond")
    exc.inject(nm.DCSource(amplitude=0.3, start=50.0, stop=150.0) if epochs else
               nm.NoisyCurrentSource(0.1, 0.2, dt=0.1))
    inh.inject(nm.PoissonInput(rate=2000.0, weight=0.1))
    net.projection(src, exc, nm.FixedProbabilityConnector(0.3),
                   nm.StaticSynapse(weight=0.8, delay=nm.RandomDistribution("uniform", low=short, high=3.0)))
    net.projection(exc, inh, nm.FixedNumberPreConnector(20), nm.StaticSynapse(weight=0.5, delay=1.0))
    net.projection(inh, exc, nm.AllToAllConnector(), nm.StaticSynapse(weight=0.2, delay=0.5),
                   receptor_type="inhibitory")
    net.projection(exc, izh, nm.AllToAllConnector(), nm.StaticSynapse(weight=0.05, delay=1.0))
    net.projection(exc, cond, nm.FixedProbabilityConnector(0.2), nm.StaticSynapse(weight=0.004, delay=0.7))
    net.projection(cond, exc, nm.FixedProbabilityConnector(0.2), nm.StaticSynapse(weight=0.3, delay=1.2),
                   receptor_type="inhibitory")
    net.projection(src, exc, nm.FixedProbabilityConnector(0.5), nm.SimpleStochasticSynapse(weight=0.6, delay=0.8,
                                                                                          p=0.4))
    net.projection(inh, cond, nm.FixedProbabilityConnector(0.3), nm.TsodyksMarkramSynapse(
        weight=0.02, delay=1.0, U=0.3, tau_rec=200.0, tau_facil=50.0), receptor_type="inhibitory")
    if epochs:
        relay = net.population(70, nm.IF_curr_exp(tau_m=8.0), label="relay")
        net.projection(src, relay, nm.AllToAllConnector(), nm.StaticSynapse(weight=0.15, delay=0.1))
        net.projection(src, relay, nm.FixedProbabilityConnector(0.4), nm.StaticSynapse(
            weight=0.3, delay=nm.RandomDistribution("uniform", low=0.1, high=2.0)), receptor_type="inhibitory")
        net.projection(relay, exc, nm.FixedProbabilityConnector(0.3), nm.StaticSynapse(weight=0.4, delay=0.6))
        relay.record(["spikes", "v"])
    plastic = None if epochs else net.projection(src, inh, nm.FixedProbabilityConnector(0.5), nm.STDPMechanism(
        nm.SpikePairRule(tau_plus=20.0, tau_minus=20.0, A_plus=0.01, A_minus=0.012),
        nm.AdditiveWeightDependence(0.0, 2.0), weight=0.5, delay=1.0))
    for pop in (exc, inh, izh, cond):
        pop.record(["spikes", "v"])
    return net, plastic


CHILD = """
import sys, numpy as np
sys.path.insert(0, {here!r})
import neuromem as nm
import neuromem.core.simulator as S
from test_parallel import mixed_network
S.PARALLEL_MIN_SYNAPSES = 0          # the parallel kernel on a small network
S.MAX_CHUNK_STEPS = 200              # several chunks a run: the next one's inputs are drawn on a helper thread
S.ADAPTIVE = False                   # the parallel time loop on every chunk (not timed against the serial one)
results = []
for n in (1, {threads}):
    net, plastic = mixed_network(epochs={epochs})
    sim = nm.Simulator(net, dt=0.1, seed=2, threads=n)
    sim.run(123.4)
    sim.run(76.6)
    if {epochs}:      # one fork and join per epoch; the kernel keeps every thread
        assert sim._ran == ("epochs" if n > 1 else "serial") and sim._epoch() == 5, sim._ran
        assert sim._kernel_threads == n and sim.c.prj_inline.sum() == 2
    else:   # with random inputs the run draws the next chunk's on a helper thread, the kernel gets the others
        assert sim._ran == ("parallel" if n > 2 else "serial"), sim._ran
        assert sim._kernel_threads == n - (n > 1), "the inputs were not drawn ahead"
    data = [sim.get_data(p) for p in net.populations[1:]]
    results.append((data, sim.weights(plastic).copy() if plastic else None, sim.c.st.copy(), sim.c.ring.copy()))
(a, wa, sa, ra), (b, wb, sb, rb) = results
assert sum(d.spike_times.size for d in a) > 100
for x, y in zip(a, b):
    assert np.array_equal(x.spike_times, y.spike_times) and np.array_equal(x.spike_ids, y.spike_ids)
    assert np.array_equal(x.signals["v"], y.signals["v"])
assert np.array_equal(wa, wb) and np.array_equal(sa, sb) and np.array_equal(ra, rb)
print("identical")
"""


@pytest.mark.parametrize("threads, epochs", [(2, False), (3, False), (2, True), (3, True)])
def test_any_thread_count_gives_the_same_bits(threads, epochs):
    # in a fresh process: with NEST imported (other tests do) the engine stays on one thread
    code = CHILD.format(here=str(Path(__file__).parent), threads=threads, epochs=epochs)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0 and "identical" in run.stdout, run.stderr[-2000:]


FEED_FORWARD = """
import numpy as np
import neuromem as nm
import neuromem.core.simulator as S
S.MAX_CHUNK_STEPS = 300
S.TRIAL_STEPS = 300                  # the plans go on trial on these short chunks
S.PARALLEL_MIN_SYNAPSES = 0          # a small network on several threads
runs = []
for n in (1, 2, 3):
    # spike sources onto cells that nothing else feeds: every projection delivered as its thread goes, so the
    # epoch is not bounded by the delays (one step here) nor by the ring (64 steps against a ring of 32)
    net = nm.Network(seed=7)
    src = net.population(60, nm.SpikeSourcePoisson(rate=40.0), label="src")
    cells = net.population(250, nm.IF_curr_exp(tau_m=10.0), label="cells")
    net.projection(src, cells, nm.AllToAllConnector(), nm.StaticSynapse(weight=0.4, delay=0.1))
    net.projection(src, cells, nm.FixedProbabilityConnector(0.3), nm.StaticSynapse(
        weight=0.5, delay=nm.RandomDistribution("uniform", low=0.1, high=3.0)), receptor_type="inhibitory")
    cells.record(["spikes", "v"])
    sim = nm.Simulator(net, dt=0.1, seed=3, threads=n)
    sim.run(500.0)
    if n > 1:
        assert sim._epoch() == 64 and sim.c.ring_len == 32 and sim.c.prj_inline.all(), sim._epoch()
        # both plans were timed on a chunk each, and the faster ran the rest
        times = sim._trials["s/step"]
        assert set(times) == {"epochs", "serial"}, times
        assert sim._ran == min(times, key=times.get)
    d = sim.get_data(cells)
    runs.append((d.spike_times, d.spike_ids, d.signals["v"], sim.c.ring.copy()))
assert runs[0][0].size > 100
for other in runs[1:]:
    assert all(np.array_equal(a, b) for a, b in zip(runs[0], other))
print("identical")
"""


def test_feed_forward_network_runs_whole_epochs_and_plans_are_timed():
    run = subprocess.run([sys.executable, "-c", FEED_FORWARD],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0 and "identical" in run.stdout, run.stderr[-2000:]


def test_threads_are_checked(monkeypatch):
    net, _ = mixed_network()
    with pytest.raises(ValidationError, match="threads"):
        nm.Simulator(net, threads=0)
    monkeypatch.setenv("NEUROMEM_THREADS", "many")
    with pytest.raises(ValidationError, match="NEUROMEM_THREADS"):
        nm.Simulator(net)
    monkeypatch.setenv("NEUROMEM_THREADS", "3")
    assert nm.Simulator(net).threads == 3


def test_thread_matched_bench_runs_and_agrees_across_threads():
    # `neuromem bench --only threads` without its Brian2 child: CUBA and propagation on 1 and 2 threads
    from neuromem.bench.parallel import run_threads
    r = run_threads(20.0, reference=False)
    assert r["identical_across_threads"]
    assert r["propagation_neuromem_1"]["synaptic_events"] > 0 and r["cuba_neuromem_1"]["rates_hz"]["cells"] > 0
