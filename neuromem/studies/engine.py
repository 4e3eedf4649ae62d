"""Reference networks of the field, built on the neuromem engine.

* :func:`izhikevich2003` — Izhikevich (2003) IEEE TNN 14:1569, Fig. 3.
* :func:`cuba` — Brette et al. (2007) J Comput Neurosci 23:349, CUBA benchmark.
* :func:`coba` — the same paper's COBA benchmark (Vogels & Abbott 2005), as PyNN's ``examples/VAbenchmarks.py``.
* :func:`brunel2000` — Brunel (2000) J Comput Neurosci 8:183, the sparse excitatory-inhibitory network.
* :func:`propagation_network` — Poisson inputs with ``fan_in`` synapses per neuron.
"""
from __future__ import annotations

import time

import numpy as np

from .._checks import check_int, check_scalar
from ..core import (AllToAllConnector, FixedNumberPreConnector, FixedProbabilityConnector, FromListConnector,
                    IF_cond_exp, IF_curr_delta, IF_curr_exp, Izhikevich, Network, NoisyCurrentSource, PoissonInput,
                    RandomDistribution, SpikeSourcePoisson, StaticSynapse)
from . import register


def izhikevich2003(n_exc=800, n_inh=200, seed=0, exc_weight=0.5, inh_weight=1.0,
                   exc_noise=5.0, inh_noise=2.0, board=False) -> Network:
    r"""The network of Izhikevich (2003), Fig. 3.

    Excitatory: :math:`a = 0.02, b = 0.2, c = -65 + 15 r^2, d = 8 - 6 r^2`;
    inhibitory: :math:`a = 0.02 + 0.08 r, b = 0.25 - 0.05 r, c = -65, d = 2`,
    :math:`r \sim U(0, 1)` per neuron; :math:`v_0 = -65, u_0 = b v_0`.
    All-to-all including self; weights ``exc_weight * U(0,1)`` (excitatory) and
    ``inh_weight * U(0,1)`` on the inhibitory receptor (mV jumps), delay 1 ms;
    thalamic input ``exc_noise * randn`` / ``inh_noise * randn`` redrawn each ms.

    As in the paper (and NEST's ``izhikevich``), a spike's weight is added to
    the input current of the step on which it arrives.

    ``board=True`` writes the same network in sPyNNaker's conventions, for
    ``Simulator(timing="spinnaker")``: sPyNNaker's Izhikevich takes its current in the
    paper's units (``I = 5 randn`` is a noisy source of stdev 5) and its synapses are
    exponential with tau = 5 ms, so each weight is divided by 5 to carry the paper's
    charge per spike.
    """
    n_exc = check_int("izhikevich2003", "n_exc", n_exc, low=1)
    n_inh = check_int("izhikevich2003", "n_inh", n_inh, low=1)
    net = Network(seed=seed, label="izhikevich2003")
    rng = net.rng(0)
    re, ri = rng.random(n_exc), rng.random(n_inh)
    exc = net.population(n_exc, Izhikevich(a=0.02, b=0.2, c=-65 + 15 * re**2, d=8 - 6 * re**2), label="exc")
    inh = net.population(n_inh, Izhikevich(a=0.02 + 0.08 * ri, b=0.25 - 0.05 * ri, c=-65.0, d=2.0), label="inh")
    for pop in (exc, inh):
        pop.initialize(v=-65.0, u=pop.get("b") * -65.0)
    current_unit, charge = (1.0, 1.0 / 5.0) if board else (1000.0, 1.0)
    exc.inject(NoisyCurrentSource(mean=0.0, stdev=exc_noise / current_unit, dt=1.0))
    inh.inject(NoisyCurrentSource(mean=0.0, stdev=inh_noise / current_unit, dt=1.0))
    for pre, rec, scale in ((exc, "excitatory", exc_weight * charge), (inh, "inhibitory", inh_weight * charge)):
        for post in (exc, inh):
            net.projection(pre, post, AllToAllConnector(allow_self_connections=True),
                           StaticSynapse(weight=RandomDistribution("uniform", low=0.0, high=scale), delay=1.0),
                           receptor_type=rec, label=f"{pre.label}->{post.label}")
    exc.record("spikes")
    inh.record("spikes")
    return net


CUBA_CELL = dict(cm=0.2, tau_m=20.0, tau_refrac=5.0, tau_syn_E=5.0, tau_syn_I=10.0, v_rest=-49.0,
                 v_reset=-60.0, v_thresh=-50.0, i_offset=0.0)


def cuba(n=4000, p_connect=0.02, seed=0, w_exc=1.62, w_inh=9.0) -> Network:
    r"""The CUBA benchmark of Brette et al. (2007), as Brian2's ``examples/CUBA.py``.

    4000 LIF cells (80% excitatory), :math:`\tau_m = 20` ms, :math:`\tau_e = 5` ms,
    :math:`\tau_i = 10` ms, :math:`V_t = -50`, :math:`V_r = -60`, :math:`E_l = -49` mV,
    5 ms refractory, connection probability 0.02.  Brian2 adds ``w_exc = 1.62`` mV
    and ``w_inh = 9`` mV to the synaptic variable in voltage units; with current
    synapses a jump of ``w`` mV is a current of ``w * cm / tau_m`` nA.  Initial
    ``v`` uniform in [V_r, V_t], as in Brian2's script.
    """
    n = check_int("cuba", "n", n, low=2)
    check_scalar("cuba", "p_connect", p_connect, low=0.0, high=1.0)
    net = Network(seed=seed, label="cuba")
    n_exc = int(0.8 * n)
    cells = net.population(n, IF_curr_exp(**CUBA_CELL), label="cells")
    rng = net.rng(0)
    cells.initialize(v=rng.uniform(-60.0, -50.0, n))
    scale = CUBA_CELL["cm"] / CUBA_CELL["tau_m"]
    conn = FixedProbabilityConnector(p_connect, allow_self_connections=False)
    pre, post = conn.connect(n, n, rng, True)
    e = pre < n_exc
    net.projection(cells, cells, FromListConnector(np.column_stack((pre[e], post[e]))),
                   StaticSynapse(weight=w_exc * scale, delay=0.1), receptor_type="excitatory", label="exc")
    net.projection(cells, cells, FromListConnector(np.column_stack((pre[~e], post[~e]))),
                   StaticSynapse(weight=w_inh * scale, delay=0.1), receptor_type="inhibitory", label="inh")
    cells.record("spikes")
    return net


COBA_CELL = dict(cm=0.2, tau_m=20.0, tau_refrac=5.0, tau_syn_E=5.0, tau_syn_I=10.0, v_rest=-60.0,
                 v_reset=-60.0, v_thresh=-50.0, e_rev_E=0.0, e_rev_I=-80.0, i_offset=0.0)


def coba(n=4000, p_connect=0.02, seed=0, g_exc=0.004, g_inh=0.051, delay=0.2, n_stim=20, stim_rate=100.0,
         stim_duration=50.0, stim_p=0.01, stim_weight=0.1) -> Network:
    r"""The COBA benchmark of Brette et al. (2007) (Vogels & Abbott 2005), as PyNN's ``examples/VAbenchmarks.py``.

    4000 IF_cond_exp cells (80% excitatory; :math:`c_m = 0.2` nF, :math:`\tau_m = 20` ms, :math:`E_L = -60`,
    :math:`V_t = -50`, :math:`V_r = -60` mV, 5 ms refractory; :math:`\tau_e = 5`, :math:`\tau_i = 10` ms,
    :math:`E_e = 0`, :math:`E_i = -80` mV), connection probability 0.02 with conductances 4 nS (excitatory) and
    51 nS (inhibitory), delay 0.2 ms; 20 Poisson sources at 100 Hz for the first 50 ms, each reaching a cell with
    probability 0.01 at 0.1 uS, start the self-sustained activity.  Initial ``v`` uniform in [V_r, V_t].
    """
    n = check_int("coba", "n", n, low=2)
    check_scalar("coba", "p_connect", p_connect, low=0.0, high=1.0)
    net = Network(seed=seed, label="coba")
    n_exc = int(round(0.8 * n))
    exc = net.population(n_exc, IF_cond_exp(**COBA_CELL), label="exc")
    inh = net.population(n - n_exc, IF_cond_exp(**COBA_CELL), label="inh")
    stim = net.population(n_stim, SpikeSourcePoisson(rate=stim_rate, duration=stim_duration), label="stim")
    conn = FixedProbabilityConnector(p_connect, allow_self_connections=False)
    for pre, w, rec in ((exc, g_exc, "excitatory"), (inh, g_inh, "inhibitory")):
        for post in (exc, inh):
            net.projection(pre, post, conn, StaticSynapse(weight=w, delay=delay), receptor_type=rec,
                           label=f"{pre.label}->{post.label}")
    for post in (exc, inh):
        net.projection(stim, post, FixedProbabilityConnector(stim_p), StaticSynapse(weight=stim_weight, delay=delay),
                       label=f"stim->{post.label}")
    rng = net.rng(0)
    for pop in (exc, inh):
        pop.initialize(v=rng.uniform(-60.0, -50.0, pop.size))
        pop.record("spikes")
    return net


#: Brunel (2000) Fig. 8: (g, eta) of the synchronous regular state A and the asynchronous irregular state C
BRUNEL_REGIMES = {"A": (3.0, 2.0), "AI": (5.0, 2.0)}


def brunel2000(g=5.0, eta=2.0, n_exc=10000, n_inh=2500, epsilon=0.1, j=0.1, delay=1.5, seed=0) -> Network:
    r"""The sparsely connected network of Brunel (2000), J Comput Neurosci 8:183 (as NEST's ``brunel_delta_nest.py``).

    ``n_exc`` + ``n_inh`` IF_curr_delta neurons (:math:`\tau = 20` ms, :math:`\theta = 20` mV, :math:`V_r = 10`
    mV, :math:`\tau_{rp} = 2` ms), each receiving :math:`C_E = \epsilon N_E` excitatory synapses of :math:`J` mV and
    :math:`C_I = \epsilon N_I` inhibitory ones of :math:`g J`, delay :math:`D = 1.5` ms, and :math:`C_E` external
    Poisson trains of :math:`\nu_{ext} = \eta\, \nu_{thr}`, :math:`\nu_{thr} = \theta / (J C_E \tau)` (a
    :class:`~neuromem.core.sources.PoissonInput` of rate :math:`C_E \nu_{ext}`).  :data:`BRUNEL_REGIMES` gives the
    paper's synchronous regular state A (g = 3, eta = 2) and asynchronous irregular state (g = 5, eta = 2, Fig. 8C).
    Initial ``v`` uniform in [0, theta].
    """
    n_exc = check_int("brunel2000", "n_exc", n_exc, low=1)
    n_inh = check_int("brunel2000", "n_inh", n_inh, low=1)
    check_scalar("brunel2000", "epsilon", epsilon, low=0.0, low_open=True, high=1.0)
    tau, theta = 20.0, 20.0
    c_e, c_i = max(1, int(round(epsilon * n_exc))), max(1, int(round(epsilon * n_inh)))
    nu_ext = eta * theta / (j * c_e * tau) * 1000.0          # Hz
    cell = IF_curr_delta(tau_m=tau, cm=1.0, v_rest=0.0, v_reset=10.0, v_thresh=theta, tau_refrac=2.0)
    net = Network(seed=seed, label="brunel2000")
    exc = net.population(n_exc, cell, label="exc")
    inh = net.population(n_inh, cell, label="inh")
    rng = net.rng(0)
    for pop in (exc, inh):
        pop.initialize(v=rng.uniform(0.0, theta, pop.size))
        pop.inject(PoissonInput(rate=c_e * nu_ext, weight=j))
        pop.record("spikes")
    for pre, c, w, rec in ((exc, c_e, j, "excitatory"), (inh, c_i, g * j, "inhibitory")):
        for post in (exc, inh):
            net.projection(pre, post, FixedNumberPreConnector(c, allow_self_connections=False),
                           StaticSynapse(weight=w, delay=delay), receptor_type=rec, label=f"{pre.label}->{post.label}")
    return net


def propagation_network(n_inputs=1000, n_cells=1000, fan_in=1000, rate=20.0, seed=0) -> Network:
    """Propagation-heavy benchmark: ``n_cells`` LIF cells, each receiving
    ``fan_in`` synapses from Poisson inputs at ``rate`` Hz (weak weights, so the
    cost is the synaptic events, not the cells)."""
    net = Network(seed=seed, label="propagation")
    src = net.population(n_inputs, SpikeSourcePoisson(rate=rate), label="inputs")
    cells = net.population(n_cells, IF_curr_exp(), label="cells")
    conn = AllToAllConnector() if fan_in == n_inputs else FixedNumberPreConnector(fan_in)
    net.projection(src, cells, conn, StaticSynapse(weight=0.001, delay=1.0), label="input")
    src.record("spikes")
    cells.record("spikes")
    return net


# -- the Izhikevich (2003) study -----------------------------------------------------------------------

def izhikevich2003_rhythms(n_exc=800, n_inh=200, exc_weight=0.5, inh_weight=1.0, exc_noise=5.0, inh_noise=2.0,
                           dt=1.0, duration=1000.0, seed=0, report=None) -> dict:
    """Simulate :func:`izhikevich2003` for ``duration`` ms and measure its rates and rhythms.

    Returns the recordings of both populations, the population rate (1 ms bins), its power
    spectrum, and the simulation's wall time.
    """
    from ..analysis import population_rate, rate_spectrum
    from ..core import Simulator
    net = izhikevich2003(n_exc, n_inh, seed, exc_weight, inh_weight, exc_noise, inh_noise)
    sim = Simulator(net, dt=dt, seed=seed)
    t0 = time.perf_counter()
    sim.run(duration, report=report)
    wall = time.perf_counter() - t0
    exc, inh = (sim.get_data(p) for p in net.populations)
    rate = population_rate(np.concatenate((exc.spike_times, inh.spike_times)), exc.size + inh.size, duration)
    freqs, power = rate_spectrum(rate)
    return {"exc": exc, "inh": inh, "freqs": freqs, "power": power, "rate": rate, "wall_s": wall}


def izhikevich2003_rates(exc_weight=0.5, inh_weight=1.0, duration=1000.0, n_exc=800, n_inh=200, seed=0) -> dict:
    """One point of a sweep over :func:`izhikevich2003`'s coupling: each population's mean rate (Hz) and its
    spikes (times in ms, neuron indices), at the paper's 1 ms step."""
    d = izhikevich2003_rhythms(n_exc, n_inh, exc_weight, inh_weight, duration=duration, seed=seed)
    return {name: {"rate_hz": d[name].mean_rate(), "times": d[name].spike_times, "ids": d[name].spike_ids}
            for name in ("exc", "inh")}


def _measure_izhikevich2003(d):
    from ..analysis import band_peak
    alpha = band_peak(d["freqs"], d["power"], 2.0, 20.0)
    gamma = band_peak(d["freqs"], d["power"], 20.0, 80.0)
    measured = {"exc_rate_hz": d["exc"].mean_rate(), "inh_rate_hz": d["inh"].mean_rate(),
                "alpha_peak_hz": alpha[0], "gamma_peak_hz": gamma[0], "wall_time_s": d["wall_s"]}
    return measured, {"exc_rate_hz": "Hz", "inh_rate_hz": "Hz", "alpha_peak_hz": "Hz", "gamma_peak_hz": "Hz",
                      "wall_time_s": "s"}


def izhikevich2003_figure(data, path, title=""):
    """Raster of the first second (as the paper's Fig. 3) beside the rate spectrum."""
    from ..plotting import plt, raster, save
    fig, (a, b) = plt.subplots(1, 2, figsize=(12, 4.5), gridspec_kw={"width_ratios": [2, 1]})
    raster(a, [data["exc"], data["inh"]], t_max=1000.0)
    a.set_xlim(0, 1000)
    a.set_title(title or "Izhikevich 2003 network")
    f, p = data["freqs"], data["power"]
    sel = (f > 0) & (f <= 100)
    b.semilogy(f[sel], p[sel], color="k")
    for lo, hi, name, color in ((8, 13, "alpha", "tab:orange"), (25, 45, "gamma", "tab:green")):
        b.axvspan(lo, hi, alpha=0.2, color=color, label=f"{name} ({lo}-{hi} Hz)")
    b.set_xlabel("frequency (Hz)")
    b.set_ylabel("power of population rate")
    b.set_title("population rate spectrum")
    b.legend(fontsize=8)
    return save(fig, path)


def _izhikevich2003_network(spec, seed):
    params = {k: v for k, v in spec.parameters.items()}
    return izhikevich2003(seed=seed, **params), spec.run["dt"], spec.run["duration"]


register("izhikevich2003", izhikevich2003_rhythms, _measure_izhikevich2003, izhikevich2003_figure, spiking=True,
         description="Izhikevich (2003) network: rates, alpha and gamma rhythms", network=_izhikevich2003_network)
