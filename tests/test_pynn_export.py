"""Export to PyNN: the same network on pyNN.nest as on the Numba core (NEST's grid order)."""
import numpy as np
import pytest

import neuromem as nm
from neuromem.backends.pynn import check_exportable, run_pynn, to_pynn
from neuromem.errors import ExportError

from conftest import needs_nest, small_lif_network


@pytest.fixture
def pynn_nest():
    pytest.importorskip("nest", reason="nest-simulator not installed (pip install 'neuromem[pynn]')")
    return pytest.importorskip("pyNN.nest", reason="PyNN not installed")


@needs_nest
def test_lif_network_spike_for_spike(pynn_nest):
    # Identical spikes for the first 60 ms; then PyNN's connection order in NEST (it creates the
    # connections in its own order, so inputs arriving on one step are summed in another order)
    # changes the last bits of a current and a borderline crossing moves by a step.  Counts agree.
    net = small_lif_network()
    sim = nm.Simulator(net, dt=0.1, seed=1).run(100.0)
    rec = run_pynn(net, pynn_nest, 100.0, dt=0.1)
    for pop in net.populations:
        if pop.label in rec:
            a, b = sim.get_data(pop), rec[pop.label]
            early_a, early_b = a.spike_times < 60.0, b.spike_times < 60.0
            assert early_a.sum() > 20
            assert np.array_equal(np.round(a.spike_times[early_a], 6), np.round(b.spike_times[early_b], 6))
            assert np.array_equal(a.spike_ids[early_a], b.spike_ids[early_b])
            assert abs(a.spike_times.size - b.spike_times.size) <= 0.1 * a.spike_times.size


def _izhikevich_network():
    net = nm.Network(seed=0)
    src = net.population(3, nm.SpikeSourceArray(spike_times=[[5.0, 30.0], [12.0], [40.0, 41.0]]), label="src")
    cells = net.population(4, nm.Izhikevich(a=0.02, b=0.2, c=-65.0, d=8.0, i_offset=0.004), label="cells")
    cells.initialize(v=-65.0, u=-13.0)
    net.projection(src, cells, nm.AllToAllConnector(), nm.StaticSynapse(weight=12.0, delay=1.0))
    net.projection(cells, cells, nm.AllToAllConnector(allow_self_connections=False),
                   nm.StaticSynapse(weight=3.0, delay=2.0), receptor_type="inhibitory")
    cells.record("spikes")
    return net, cells


@needs_nest
def test_izhikevich_network_spike_for_spike(pynn_nest):
    net, cells = _izhikevich_network()
    sim = nm.Simulator(net, dt=1.0).run(200.0)
    rec = run_pynn(net, pynn_nest, 200.0, dt=1.0)
    a = sim.get_data(cells)
    assert a.spike_times.size >= 8
    assert np.array_equal(a.spike_times, rec["cells"].spike_times)


@needs_nest
def test_noisy_izhikevich_2003_rates_agree(pynn_nest):
    # the noise streams differ between engines: rates agree statistically (2 s, 200 cells: +-20%)
    from neuromem.experiments.networks import izhikevich2003
    net = izhikevich2003(n_exc=160, n_inh=40, seed=2)
    sim = nm.Simulator(net, dt=1.0, seed=3).run(2000.0)
    rec = run_pynn(net, pynn_nest, 2000.0, dt=1.0)
    for pop in net.populations:
        ours, theirs = sim.get_data(pop).spike_times.size, rec[pop.label].spike_times.size
        assert ours > 100 and abs(ours - theirs) / ours < 0.2, (pop.label, ours, theirs)


@needs_nest
def test_ca3_network_exports(pynn_nest):
    # the CA3 memory's network builds on pyNN.nest with every population and synapse; it runs there
    # in NEST's update order, not the sPyNNaker order it was tuned for (see neuromem.models.ca3)
    from neuromem.models.ca3 import CA3Memory
    mem = CA3Memory(4, 6)
    pynn_nest.setup(timestep=1.0, min_delay=1.0, spike_precision="on_grid")
    built = to_pynn(mem.network, pynn_nest)
    sizes = {k: p.size for k, p in built["populations"].items()}
    n_syn = sum(len(p.get("weight", format="list")) for p in built["projections"].values())
    pynn_nest.end()
    assert sizes == {k: p.size for k, p in mem.pops.items()}
    assert n_syn == sum(len(p) for p in mem.network.projections)


def test_refused_before_anything_is_built(pynn_nest):
    from neuromem.models.reservoir import IzhikevichReservoir
    res = IzhikevichReservoir(n_exc=8, n_inh=2, targets=3, seed=0)
    with pytest.raises(ExportError, match="three-factor"):
        check_exportable(res.network, pynn_nest)
    with pytest.raises(ExportError, match="uniform noise"):
        check_exportable(res.network, pynn_nest)
    with pytest.raises(ExportError, match="PyNN backend module"):
        to_pynn(res.network, np)


@needs_nest
def test_input_spike_at_min_delay_is_refused(pynn_nest):
    net = nm.Network(seed=0)
    src = net.population(1, nm.SpikeSourceArray(spike_times=[1.0, 5.0]), label="src")
    cell = net.population(1, nm.IF_curr_exp(), label="cell")
    net.projection(src, cell, nm.OneToOneConnector(), nm.StaticSynapse(weight=1.0, delay=1.0))
    with pytest.raises(ExportError, match="min_delay"):
        run_pynn(net, pynn_nest, 10.0, dt=0.1, min_delay=1.0)
