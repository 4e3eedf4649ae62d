"""The Potjans-Diesmann microcircuit's construction, and the engine parts it needs: PoissonInput,
FixedTotalNumberConnector and the clipped normal distribution."""
import numpy as np
import pytest

import neuromem as nm
from neuromem.studies.microcircuit import (CONN_PROBS, K_EXT, N_FULL, POPULATIONS, W_MEAN, microcircuit,
                                           synapse_counts)


def test_poisson_input_counts_are_poisson_and_the_same_however_run_or_threaded():
    # IF_curr_delta with no leak and no threshold: each step's rise of v is w n, n ~ Poisson(rate dt)
    def run(threads, splits):
        net = nm.Network(seed=3)
        cells = net.population(500, nm.IF_curr_delta(tau_m=1e9, v_thresh=1e9, v_rest=0.0, v_reset=0.0), label="c")
        cells.initialize(v=0.0)
        cells.inject(nm.PoissonInput(rate=16800.0, weight=0.5))
        cells.record("v")
        sim = nm.Simulator(net, dt=0.1, seed=5, threads=threads)
        for t in splits:
            sim.run(t)
        return sim.get_data(cells).signals["v"]
    v = run(1, [200.0])
    counts = np.diff(v, axis=0) / 0.5
    lam = 16800.0 * 0.1e-3
    assert abs(counts.mean() - lam) < 5 * np.sqrt(lam / counts.size)
    assert abs(counts.var() / lam - 1.0) < 0.02
    np.testing.assert_allclose(counts, np.rint(counts), atol=1e-6)
    np.testing.assert_array_equal(run(2, [50.0, 150.0]), v)


def test_poisson_input_is_checked():
    with pytest.raises(nm.ValidationError, match="PoissonInput: parameter 'rate' = -1.0 is invalid"):
        nm.PoissonInput(rate=-1.0, weight=1.0)
    net = nm.Network(seed=1)
    cells = net.population(3, nm.IF_curr_exp(), label="c")
    cells.inject(nm.PoissonInput(rate=100.0, weight=1.0))
    cells.inject(nm.PoissonInput(rate=100.0, weight=2.0))
    with pytest.raises(nm.ValidationError, match="must share a weight"):
        nm.Simulator(net, dt=0.1)
    with pytest.raises(nm.NeuromemError, match="sPyNNaker has no PoissonInput"):
        net2 = nm.Network(seed=1)
        net2.population(3, nm.IF_curr_exp(), label="c").inject(nm.PoissonInput(rate=100.0, weight=1.0))
        nm.Simulator(net2, dt=1.0, timing="spinnaker")


@pytest.mark.parametrize("allow_self,replace", [(True, True), (False, True), (False, False)])
def test_fixed_total_number_connector(allow_self, replace):
    c = nm.FixedTotalNumberConnector(900, allow_self_connections=allow_self, with_replacement=replace)
    pre, post = c.connect(40, 40, np.random.default_rng(0), True)
    assert pre.size == 900 and np.all((0 <= pre) & (pre < 40) & (0 <= post) & (post < 40))
    assert np.all(np.diff(pre * 40 + post) >= 0)                     # sorted by pre, then post
    if not allow_self:
        assert not np.any(pre == post)
    if not replace:
        assert np.unique(pre * 40 + post).size == 900
    with pytest.raises(nm.ValidationError, match="FixedTotalNumberConnector: parameter 'n' = 1601"):
        nm.FixedTotalNumberConnector(1601, with_replacement=False).connect(40, 40, np.random.default_rng(0), False)


def test_normal_clipped_redraws_outside_its_bounds():
    d = nm.RandomDistribution("normal_clipped", mu=1.5, sigma=0.75, low=0.1, high=np.inf)
    x = d.draw(np.random.default_rng(2), 200_000)
    assert x.min() >= 0.1
    # the mean of a normal truncated below at a: mu + sigma phi(alpha) / (1 - Phi(alpha)), alpha = (a - mu) / sigma
    from scipy.stats import truncnorm
    assert abs(x.mean() - truncnorm.mean((0.1 - 1.5) / 0.75, np.inf, loc=1.5, scale=0.75)) < 0.005


def test_microcircuit_has_the_models_populations_synapses_and_input():
    scale = 0.01
    net = microcircuit(scale, seed=2)
    sizes = [p.size for p in net.populations]
    assert [p.label for p in net.populations] == list(POPULATIONS)
    np.testing.assert_array_equal(sizes, np.rint(N_FULL * scale))
    counts = synapse_counts(scale)
    full = synapse_counts(1.0)
    # K = ln(1 - C) / ln(1 - 1 / (N_pre N_post)) at full scale (Potjans & Diesmann 2014): about 3e8 in all
    assert 2.9e8 < full.sum() < 3.0e8
    assert full[0, 0] == np.rint(np.log(1 - CONN_PROBS[0, 0]) / np.log(1 - 1 / N_FULL[0] ** 2))
    for prj in net.projections:
        b, a = POPULATIONS.index(prj.post.label), POPULATIONS.index(prj.pre.label)
        assert len(prj) == counts[b, a]
        w = 2 * W_MEAN if (a, b) == (2, 0) else W_MEAN if a % 2 == 0 else 4 * W_MEAN
        assert abs(prj.weight.mean() / w - 1) < 0.02 and prj.weight.min() >= 0
        assert prj.delay.min() >= 0.1 and (prj.receptor_type == "excitatory") == (a % 2 == 0)
    for pop, k in zip(net.populations, K_EXT):
        (inp,) = pop.poisson_inputs
        assert inp.rate == k * 8.0 and inp.weight == W_MEAN
