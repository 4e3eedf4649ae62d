"""NIR export: a LIF network survives to_nir -> nir.write -> nir.read -> from_nir."""
import numpy as np
import pytest

import neuromem as nm
from neuromem.errors import ExportError

nir = pytest.importorskip("nir", reason="nir not installed (pip install 'neuromem[nir]')")


def lif_network():
    """Inputs -> A (excitatory and inhibitory) -> B -> A, random weights, one delay per row."""
    net = nm.Network(seed=4, label="lif")
    rng = np.random.default_rng(4)
    times = [np.sort(rng.choice(np.arange(2.0, 95.0, 0.1), 8, replace=False)).round(1) for _ in range(6)]
    inp = net.population(6, nm.SpikeSourceArray(spike_times=times), label="input")
    a = net.population(8, nm.IF_curr_exp(tau_m=10.0, tau_syn_E=2.0, tau_syn_I=2.0, tau_refrac=2.0, cm=0.25,
                                          v_rest=-65.0, v_reset=-70.0, v_thresh=-55.0, i_offset=0.1), label="A")
    b = net.population(5, nm.IF_curr_exp(tau_m=15.0, tau_syn_E=3.0, tau_syn_I=3.0, cm=0.5), label="B")
    net.projection(inp, a, nm.FixedProbabilityConnector(0.7), nm.StaticSynapse(
        weight=nm.RandomDistribution("uniform", low=0.5, high=2.0), delay=1.0), label="in->A")
    net.projection(inp, a, nm.FixedProbabilityConnector(0.3), nm.StaticSynapse(weight=0.8, delay=2.5),
                   receptor_type="inhibitory", label="in-|A")
    net.projection(a, b, nm.AllToAllConnector(), nm.StaticSynapse(
        weight=nm.RandomDistribution("uniform", low=0.3, high=1.2), delay=2.0), label="A->B")
    net.projection(b, a, nm.FixedNumberPreConnector(2), nm.StaticSynapse(weight=0.6, delay=1.5),
                   receptor_type="inhibitory", label="B-|A")
    for p in (a, b):
        p.record("spikes")
    return net


def test_round_trip_preserves_weights_time_constants_and_edges(tmp_path):
    from neuromem.backends.nir import from_nir, write_nir
    net = lif_network()
    path = write_nir(net, tmp_path / "small.nir")
    back = from_nir(nir.read(path))
    assert [p.label for p in back.populations] == [p.label for p in net.populations]
    for a, b in zip(net.populations, back.populations):
        assert a.size == b.size
        if not a.celltype.is_source:
            for k in ("tau_m", "cm", "tau_syn_E", "tau_refrac", "v_rest", "v_reset", "v_thresh", "i_offset"):
                assert np.allclose(a.get(k), b.get(k)), k
    edges_a = {(p.label, p.pre.label, p.post.label, p.receptor_type) for p in net.projections}
    edges_b = {(p.label, p.pre.label, p.post.label, p.receptor_type) for p in back.projections}
    assert edges_a == edges_b
    for p in net.projections:
        q = back.find(p.label)
        assert np.allclose(np.nan_to_num(p.weight_matrix()), np.nan_to_num(q.weight_matrix()), rtol=1e-12)
        assert np.allclose(p.delay, q.delay)
    # the rebuilt network runs and spikes as the original (input spike times are not part of a NIR graph)
    back.populations[0].set(spike_times=[list(t) for t in net.populations[0].spike_times])
    a = nm.Simulator(net, dt=0.1).run(100.0)
    b = nm.Simulator(back, dt=0.1).run(100.0)
    for p, q in zip(net.populations[1:], back.populations[1:]):
        assert np.array_equal(a.get_data(p).spike_times, b.get_data(q).spike_times)


def test_recurrent_edges_are_allowed():
    from neuromem.backends.nir import to_nir
    net = nm.Network(seed=0)
    a = net.population(3, nm.IF_curr_exp(tau_syn_E=2.0, tau_syn_I=2.0), label="a")
    net.projection(a, a, nm.AllToAllConnector(allow_self_connections=False), nm.StaticSynapse(weight=0.5, delay=1.0),
                   label="rec")
    g = to_nir(net)
    assert ("rec.linear", "a") in g.edges and ("a", "rec.delay") in g.edges


def test_what_nir_cannot_represent_is_refused():
    from neuromem.backends.nir import to_nir
    from neuromem.studies.engine import izhikevich2003
    with pytest.raises(ExportError, match="Izhikevich has no NIR node"):
        to_nir(izhikevich2003(n_exc=8, n_inh=2))
    net = nm.Network(seed=0)
    a = net.population(2, nm.IF_curr_exp(tau_syn_E=5.0, tau_syn_I=2.0), label="a")
    net.projection(a, a, nm.AllToAllConnector(), nm.StaticSynapse(weight=1.0, delay=np.array([1.0, 2.0, 1.0, 1.0])))
    with pytest.raises(ExportError, match="tau_syn_E != tau_syn_I") as err:
        to_nir(net)
    assert "delays differ" in str(err.value)
