r"""Izhikevich reservoirs with three-factor (neuromodulated) plasticity.

:class:`IzhikevichReservoir` builds the network of Izhikevich (2007),
"Solving the distal reward problem through linkage of STDP and dopamine
signaling", Cereb Cortex 17:2443: ``N = 1000`` neurons (800 regular-spiking
excitatory, ``a = 0.02, b = 0.2, c = -65, d = 8``; 200 fast-spiking
inhibitory, ``a = 0.1, d = 2``), each with 100 random postsynaptic targets
(inhibitory neurons target only excitatory ones), delay 1 ms, excitatory
weights 1 (max 4), inhibitory -1 (fixed), noise ``I = 13 (U - 0.5)`` each ms.
With ``cells="2003"`` the cells are drawn as in Izhikevich (2003) instead
(heterogeneous ``r ~ U(0, 1)``).

The excitatory synapses carry the engine's three-factor rule
(:class:`~neuromem.core.synapses.ThreeFactorSynapse`) with the paper's
constants: STDP traces decaying by 0.95 per ms (:math:`\tau = 19.5` ms), LTP
0.1 x pre trace, LTD 1.5 x 0.1 x post trace into the eligibility
:math:`c` (:math:`\tau_c = 1` s); dopamine :math:`d` decays with
:math:`\tau_d = 0.2` s; every 10 ms :math:`s \leftarrow \mathrm{clip}(s +
(0.002 + d) c, 0, 4)`.
"""
from __future__ import annotations

import math

import numpy as np

from ..._checks import as_array, check_finite, check_int, check_scalar, fail
from ...core import (AdditiveWeightDependence, FixedNumberPreConnector, FromListConnector, Izhikevich, Network,
                     NoisyCurrentSource, Simulator, SpikePairRule, SpikeSourceArray, StaticSynapse,
                     ThreeFactorSynapse)
from ...random import child, seed_sequence
from ..base import AssociativeMemory, RecallResult, register_memory
from ...params import Checked, Choice, Integer, Number, check_memory
from ._kernels import izhikevich_force, rls_trial, rls_update

#: Izhikevich (2007): STDP traces decay by 0.95 per ms
STDP_TAU_2007 = -1.0 / math.log(0.95)


def dopamine_stdp(weight=1.0, w_max=4.0, delay=1.0) -> ThreeFactorSynapse:
    r"""The dopamine-modulated STDP synapse of Izhikevich (2007) as an engine three-factor rule.

    STDP traces decay by 0.95 per ms; a pairing adds ``0.1 e^{-\Delta t/\tau}`` (LTP) or
    ``-0.15 e^{-\Delta t/\tau}`` (LTD, 1.5 x) to the eligibility :math:`c`, which decays
    with :math:`\tau_c = 1` s; dopamine decays with :math:`\tau_d = 0.2` s; every 10 ms
    :math:`w \leftarrow \mathrm{clip}(w + (0.002 + d) c, 0, w_{max})`.
    """
    return ThreeFactorSynapse(
        SpikePairRule(tau_plus=STDP_TAU_2007, tau_minus=STDP_TAU_2007, A_plus=0.1 / w_max, A_minus=0.15 / w_max),
        AdditiveWeightDependence(w_min=0.0, w_max=w_max), weight=weight, delay=delay,
        tau_eligibility=1000.0, learning_rate=0.1, baseline=0.002, tau_modulator=200.0, update_interval=10.0)


class IzhikevichReservoir(Checked):
    """A recurrent Izhikevich network with neuromodulated STDP on its excitatory synapses.

    Parameters
    ----------
    n_exc, n_inh : int
        Excitatory and inhibitory neurons (one population ``neurons``: excitatory first).
    targets : int
        Postsynaptic targets per neuron (excitatory: any other neuron; inhibitory:
        excitatory neurons only).
    cells : {"2007", "2003"} or dict
        Regular-spiking / fast-spiking cells (2007), the heterogeneous draw of 2003, or
        given per-neuron parameters ``{"a", "b", "c", "d"[, "i_offset"]}``.
    exc_weight, inh_weight, w_max : float
        Initial excitatory weight, fixed inhibitory weight (on the inhibitory
        receptor), maximum excitatory weight (mV, the paper's current units).
    noise : float
        Amplitude of the uniform noise current ``noise * (U - 0.5)`` per ms.
    plastic : bool
        Excitatory synapses with the three-factor rule (True) or static.
    seed : int or numpy.random.Generator
    """

    def __init__(self, n_exc=800, n_inh=200, targets=100, cells="2007", exc_weight=1.0, inh_weight=1.0, w_max=4.0,
                 noise=13.0, plastic=True, seed=0):
        o = "IzhikevichReservoir"
        self.n_exc = check_int(o, "n_exc", n_exc, low=1)
        self.n_inh = check_int(o, "n_inh", n_inh, low=0)
        self.n = self.n_exc + self.n_inh
        self.targets = check_int(o, "targets", targets, low=1)
        if self.targets > self.n - 1 or (self.n_inh and self.targets > self.n_exc):
            raise fail(o, "targets", targets, f"expected at most {min(self.n - 1, self.n_exc)} targets per neuron "
                       f"(n_exc={self.n_exc}, n_inh={self.n_inh})")
        if isinstance(cells, dict):
            unknown = set(cells) - {"a", "b", "c", "d", "i_offset"}
            if unknown or not {"a", "b", "c", "d"} <= set(cells):
                raise fail(o, "cells", sorted(cells), "expected per-neuron arrays 'a', 'b', 'c', 'd' "
                           "(and optionally 'i_offset')")
            cells = {k: np.broadcast_to(np.asarray(v, dtype=float), (self.n,)).copy() for k, v in cells.items()}
        elif cells not in ("2007", "2003"):
            raise fail(o, "cells", cells, "expected '2007' (RS/FS cells), '2003' (heterogeneous draw) "
                       "or a dict of per-neuron parameters")
        self.w_max = check_scalar(o, "w_max", w_max, low=0.0, low_open=True)
        self.exc_weight = check_scalar(o, "exc_weight", exc_weight, low=0.0, high=self.w_max)
        self.inh_weight = check_scalar(o, "inh_weight", inh_weight, low=0.0)
        self.noise = check_scalar(o, "noise", noise, low=0.0)
        check_memory(o, "targets", targets, 100.0 * self.n * self.targets)
        self.cells, self.plastic, self.seed = cells, bool(plastic), seed
        self.network = Network(seed=seed, label=f"izhikevich_reservoir_{self.n}")
        rng = self.network.rng(0)
        self.neurons = self.network.population(self.n, Izhikevich(**self._cell_parameters(rng)), label="neurons")
        self.neurons.initialize(v=-65.0, u=self.neurons.get("b") * -65.0)
        if self.noise > 0:
            self.neurons.inject(NoisyCurrentSource(0.0, self.noise / 1000.0 / math.sqrt(12.0), dt=1.0,
                                                   distribution="uniform"))
        pre, post = self._wiring(rng)
        exc = pre < self.n_exc
        syn = self.synapse_type() if self.plastic else StaticSynapse(weight=self.exc_weight, delay=1.0)
        self.excitatory = self.network.projection(
            self.neurons, self.neurons, FromListConnector(np.column_stack((pre[exc], post[exc]))), syn,
            label="excitatory")
        self.inhibitory = None
        if self.n_inh:
            self.inhibitory = self.network.projection(
                self.neurons, self.neurons, FromListConnector(np.column_stack((pre[~exc], post[~exc]))),
                StaticSynapse(weight=self.inh_weight, delay=1.0), receptor_type="inhibitory", label="inhibitory")
        self.neurons.record("spikes")

    def synapse_type(self) -> ThreeFactorSynapse:
        """The excitatory synapse: :func:`dopamine_stdp` with this reservoir's weights."""
        return dopamine_stdp(self.exc_weight, self.w_max)

    def _cell_parameters(self, rng) -> dict:
        ne, ni = self.n_exc, self.n_inh
        if isinstance(self.cells, dict):
            return dict(self.cells)
        if self.cells == "2007":
            return {"a": np.r_[np.full(ne, 0.02), np.full(ni, 0.1)], "b": np.full(self.n, 0.2),
                    "c": np.full(self.n, -65.0), "d": np.r_[np.full(ne, 8.0), np.full(ni, 2.0)]}
        re, ri = rng.random(ne), rng.random(ni)
        return {"a": np.r_[np.full(ne, 0.02), 0.02 + 0.08 * ri], "b": np.r_[np.full(ne, 0.2), 0.25 - 0.05 * ri],
                "c": np.r_[-65 + 15 * re ** 2, np.full(ni, -65.0)], "d": np.r_[8 - 6 * re ** 2, np.full(ni, 2.0)]}

    def _wiring(self, rng):
        """100 distinct random targets per neuron: excitatory to any other neuron, inhibitory to excitatory."""
        pres, posts = [], []
        for j in range(self.n):
            pool = self.n if j < self.n_exc else self.n_exc
            t = rng.choice(pool - (1 if j < pool else 0), size=self.targets, replace=False)
            if j < pool:
                t = np.where(t >= j, t + 1, t)  # no self-connection
            pres.append(np.full(self.targets, j))
            posts.append(t)
        return np.concatenate(pres), np.concatenate(posts)

    @property
    def excitatory_mask(self) -> np.ndarray:
        """Which neurons are excitatory."""
        return np.arange(self.n) < self.n_exc


class ForceReadout(Checked):
    r"""Linear readouts trained by recursive least squares (FORCE; Sussillo & Abbott 2009,
    Neuron 63:544).

    :math:`z = w^T r`; with error :math:`e = z - f`:
    :math:`P \leftarrow P - \frac{P r r^T P}{1 + r^T P r}`, :math:`w \leftarrow w - e P r`,
    :math:`P_0 = \alpha I`.  After samples :math:`r_1..r_n` with no output
    feedback, ``w`` is the ridge solution :math:`(R^T R + I/\alpha)^{-1} R^T F`.

    Parameters
    ----------
    n_inputs, n_outputs : int
    alpha : float
        Initial ``P = alpha I`` (the inverse of the ridge penalty).
    """

    alpha = Number(low=0.0, low_open=True, doc="initial P = alpha I (applies at the next reset)")

    def __init__(self, n_inputs, n_outputs=1, alpha=1.0):
        o = "ForceReadout"
        self.n = check_int(o, "n_inputs", n_inputs, low=1)
        self.k = check_int(o, "n_outputs", n_outputs, low=1)
        self.alpha = alpha
        check_memory(o, "n_inputs", n_inputs, 16.0 * self.n * (self.n + self.k))
        self.w = np.zeros((self.n, self.k))
        self.reset()

    def reset(self) -> None:
        """Reset ``P`` to ``alpha I`` (the decoders are kept)."""
        self.P = np.eye(self.n) * self.alpha
        self._pr = np.zeros(self.n)

    def predict(self, r) -> np.ndarray:
        """Outputs ``w^T r`` for one state (n,) or a batch (T, n)."""
        r = check_finite("ForceReadout", "r", r)
        if r.ndim not in (1, 2) or r.shape[-1] != self.n:
            raise fail("ForceReadout", "r", r, f"expected a state (n_inputs={self.n},) or a batch (T, {self.n})")
        return r @ self.w

    def update(self, r, target) -> np.ndarray:
        """One RLS step on state ``r`` (n,) toward ``target`` (k,); returns the output before the step."""
        r = np.ascontiguousarray(check_finite("ForceReadout", "r", r, (self.n,), f"one state of n_inputs={self.n} values"))
        f = check_finite("ForceReadout", "target", np.atleast_1d(target), (self.k,), f"n_outputs={self.k} values")
        z = r @ self.w
        rls_update(self.P, self.w, r, z - f, self._pr)
        return z

    def trial(self, r, target, every=1) -> np.ndarray:
        """Run a trial of states ``r`` (T, n) with an RLS step toward ``target`` (T, k) every
        ``every`` steps; returns the outputs (T, k), each before that step's update."""
        r = np.ascontiguousarray(check_finite("ForceReadout", "r", r, (None, self.n),
                                              f"states of shape (T, n_inputs={self.n})"))
        f = np.ascontiguousarray(check_finite("ForceReadout", "target", target, (r.shape[0], self.k),
                                              f"shape ({r.shape[0]}, n_outputs={self.k})"))
        every = check_int("ForceReadout", "every", every, low=1)
        z = np.zeros_like(f)
        rls_trial(r, f, self.P, self.w, every, z, self._pr)
        return z


class SpikingForceNetwork(Checked):
    r"""A network of Izhikevich neurons trained by FORCE (Nicola & Clopath 2017, Nat Commun 8:2208).

    .. math::
        C \dot v = k (v - v_r)(v - v_t) - u + I,\quad \dot u = a (b (v - v_r) - u),\quad
        I = s + E z + I_{bias},\quad z = w^T r

    ``s`` is the double-exponential current (``tau_r``, ``tau_d``) through static
    weights :math:`G\, \mathcal{N}(0,1) / (\sqrt{N} p)` with connection probability
    ``p``; ``r`` the double-exponentially filtered spike trains; the output ``z`` is
    fed back through fixed encoders :math:`E \sim Q\, U(-1, 1)`; the decoders ``w``
    learn by RLS (:class:`ForceReadout`'s rule) every ``every`` steps while training.
    Cells: ``C = 250`` pF, ``k = 2.5``, ``v_r = -60``, ``v_t = -20``, ``a = 0.01``,
    ``b = 0``, ``d = 200`` pA, ``v_peak = 30``, ``v_reset = -65`` mV, bias 1000 pA.
    The recurrent gain ``G = 10^4`` puts this network in an irregular regime at
    about 27 Hz (measured).
    """

    bias = Number(doc="constant input current (pA)")
    every = Integer(low=1, doc="steps between RLS updates")
    dt = Number(low=0.0, low_open=True, doc="time step (ms)")
    tau_r = Number(low=0.0, low_open=True, doc="synaptic rise time (ms)")
    tau_d = Number(low=0.0, low_open=True, doc="synaptic decay time (ms)")

    def __init__(self, n=2000, n_outputs=1, p=0.1, G=1e4, Q=2e3, bias=1000.0, alpha=0.1, every=20, dt=0.04,
                 tau_r=2.0, tau_d=20.0, seed=0):
        o = "SpikingForceNetwork"
        self.n = check_int(o, "n", n, low=2)
        self.k = check_int(o, "n_outputs", n_outputs, low=1)
        self.p = check_scalar(o, "p", p, low=0.0, low_open=True, high=1.0)
        self.G, self.Q = (check_scalar(o, name, val) for name, val in (("G", G), ("Q", Q)))
        self.bias = bias
        self.alpha = check_scalar(o, "alpha", alpha, low=0.0, low_open=True)
        self.every, self.dt, self.tau_r, self.tau_d = every, dt, tau_r, tau_d
        check_memory(o, "n", n, 32.0 * self.n * self.n)
        rng = np.random.default_rng(seed_sequence(o, seed))
        mask = rng.random((self.n, self.n)) < self.p
        omega = self.G * rng.standard_normal((self.n, self.n)) * mask / (math.sqrt(self.n) * self.p)
        self.omega_t = np.ascontiguousarray(omega.T)  # row j: neuron j's outgoing weights
        self.encoders = (2 * rng.random((self.n, self.k)) - 1) * self.Q
        self.v = -60.0 + 90.0 * rng.random(self.n)
        self.u = np.zeros(self.n)
        self.readout = ForceReadout(self.n, self.k, self.alpha)
        self.t = 0.0

    def run(self, target, train=None) -> dict:
        """Run for ``len(target)`` steps of ``dt``; RLS during ``train = (first, last)`` steps.

        ``target`` is (T,) or (T, k).  Returns the output ``z`` (T, k) and the mean rate (Hz).
        """
        f = check_finite("SpikingForceNetwork", "target", target)
        f = f[:, None] if f.ndim == 1 else f
        if f.ndim != 2 or f.shape[1] != self.k:
            raise fail("SpikingForceNetwork", "target", f, f"expected (T,) or (T, n_outputs={self.k}) values")
        first, last = (0, 0) if train is None else (int(train[0]), int(train[1]))
        if not 0 <= first <= last <= len(f):
            raise fail("SpikingForceNetwork", "train", train, f"expected 0 <= first <= last <= {len(f)} steps")
        z = np.zeros_like(f)
        count = np.zeros(1, dtype=np.int64)
        izhikevich_force(self.v, self.u, self.omega_t, self.encoders, self.readout.w, self.readout.P,
                         np.ascontiguousarray(f), self.dt, 250.0, 2.5, -60.0, -20.0, 0.01, 0.0, 200.0, 30.0, -65.0,
                         self.bias, self.tau_r, self.tau_d, first, last, self.every, z, count)
        duration = len(f) * self.dt
        self.t += duration
        return {"z": z, "rate_hz": float(count[0] / self.n / (duration / 1000.0))}


class ThreeFactorReadout(Checked):
    r"""Readouts trained by an error-modulated, attention-gated three-factor Hebbian rule.

    Built from the abstract of Yamada & Chao (2025, arXiv 2510.14382, "Joint encoding
    of 'what' and 'when' predictions through error-modulated plasticity in reservoir
    spiking networks"; no public code) and the general three-factor form of Fremaux &
    Gerstner (2016, Front Neural Circuits 9:85).  For readout :math:`q` with the
    presynaptic factor :math:`\tilde x_i = x_i - \bar x_i` (the reservoir's spike
    trace minus its running mean, time constant ``tau_mean``):

    .. math::
        y_q = [w_q \cdot \tilde x + b_q]_+, \qquad
        \dot e_{iq} = -e_{iq}/\tau_e + \tilde x_i\,(1 + \gamma\, y_q), \qquad
        \dot w_{iq} = \eta\, G(t)\, (f_q - y_q)\, e_{iq}

    with the observed outcome :math:`f_q` centred on the readout's own prediction
    :math:`y_q` (Fremaux & Gerstner: a modulator must be centred on its expected value,
    per stimulus, or learning is biased; here the expectation is the readout itself,
    so the modulator is the prediction error) and the attention gate :math:`G(t)`
    (1 inside the attended window of a trial, 0 outside).  ``mode="online"`` applies
    each change as it happens (the "when" readout); ``mode="offline"`` keeps the
    readout fixed during trials, stores them, and consolidates by replaying the
    stored ``consolidate_every`` trials through the rule between trials (the "what"
    readouts).

    Because the postsynaptic factor :math:`1 + \gamma y` is positive and a function
    of the state, the rule's fixed point (for a small learning rate) is the conditional
    mean :math:`y_q = \mathrm{E}[f_q \mid x]`: a readout of an outcome that follows with
    probability ``p`` settles at ``p`` times the outcome's time course.

    Parameters
    ----------
    n_inputs, n_outputs : int
    eta : float
        Learning rate per step, divided by ``n_inputs``.
    tau_eligibility, tau_mean, dt : float
        Time constants and step (ms).
    gamma : float
        Weight of the postsynaptic activity in the eligibility (>= 0).
    mode : {"online", "offline"}
    consolidate_every : int
        Trials per offline consolidation.
    """

    modes = ("online", "offline")

    eta = Number(low=0.0, doc="learning rate")
    tau_eligibility = Number(low=0.0, doc="eligibility trace time constant (ms)")
    tau_mean = Number(low=0.0, low_open=True, doc="time constant of the running input mean (ms)")
    gamma = Number(low=0.0, doc="attention gain")
    dt = Number(low=0.0, low_open=True, doc="time step (ms)")
    mode = Choice(modes, doc="'online' (learn every step) or 'offline' (consolidate stored trials)")
    consolidate_every = Integer(low=1, doc="trials between offline consolidations")

    def __init__(self, n_inputs, n_outputs=1, eta=1.0, tau_eligibility=5.0, tau_mean=10_000.0, gamma=1.0, dt=1.0,
                 mode="online", consolidate_every=10):
        o = "ThreeFactorReadout"
        self.n = check_int(o, "n_inputs", n_inputs, low=1)
        self.k = check_int(o, "n_outputs", n_outputs, low=1)
        self.eta, self.tau_eligibility, self.tau_mean, self.gamma, self.dt = eta, tau_eligibility, tau_mean, gamma, dt
        self.mode, self.consolidate_every = mode, consolidate_every
        self.w = np.zeros((self.n, self.k))
        self.bias = np.zeros(self.k)
        self.mean = None
        self._elig = np.zeros((self.n, self.k))
        self._elig_bias = np.zeros(self.k)
        self._stored = []

    def _checked(self, x, target, gate):
        o = "ThreeFactorReadout"
        x = np.ascontiguousarray(check_finite(o, "x", x, (None, self.n),
                                              f"presynaptic traces of shape (steps, n_inputs={self.n})"))
        target = np.ascontiguousarray(check_finite(o, "target", target, (x.shape[0], self.k),
                                                   f"one target per step and readout: shape ({x.shape[0]}, {self.k})"))
        gate = check_finite(o, "gate", gate)
        if gate.ndim > 1 or gate.size not in (1, x.shape[0]):
            raise fail(o, "gate", gate, f"expected one gate or one per step ({x.shape[0]})")
        gate = np.ascontiguousarray(np.broadcast_to(gate, (x.shape[0],)))
        if (gate < 0).any():
            raise fail(o, "gate", gate, "expected an attention gate >= 0 per step")
        return x, target, gate

    def _run(self, xc, target, gate) -> np.ndarray:
        from ._kernels import three_factor_readout
        y = np.zeros_like(target)
        elig_decay = math.exp(-self.dt / self.tau_eligibility) if self.tau_eligibility > 0 else 0.0
        three_factor_readout(xc, target, gate, self.w, self.bias, self._elig, self._elig_bias, self.eta / self.n,
                             elig_decay, self.gamma, y)
        return y

    def trial(self, x, target, gate=1.0, learn=True) -> np.ndarray:
        """Run one trial of traces ``x`` (steps, n_inputs) against ``target`` (steps, n_outputs).

        Returns the readout outputs (steps, n_outputs).  An offline readout learns
        nothing during the trial and consolidates after every ``consolidate_every``
        stored trials.
        """
        x, target, gate = self._checked(x, target, gate)
        if self.mean is None:
            self.mean = x.mean(axis=0)
        xc = x - self.mean
        online = learn and self.mode == "online"
        y = self._run(xc, target, gate if online else np.zeros_like(gate))
        if learn and self.mode == "offline":
            self._stored.append((xc, target, gate))
            if len(self._stored) >= self.consolidate_every:
                self.consolidate()
        if learn:
            self.mean += (1.0 - math.exp(-x.shape[0] * self.dt / self.tau_mean)) * (x.mean(axis=0) - self.mean)
        return y

    def consolidate(self) -> None:
        """Replay the stored trials through the rule, in order, and forget them (offline mode)."""
        for xc, target, gate in self._stored:
            self._run(xc, target, gate)
        self._stored = []

    def predict(self, x) -> np.ndarray:
        """Outputs for traces ``x`` (steps, n_inputs) without learning."""
        x = check_finite("ThreeFactorReadout", "x", x, (None, self.n),
                         f"presynaptic traces of shape (steps, n_inputs={self.n})")
        centre = self.mean if self.mean is not None else 0.0
        return np.maximum((x - centre) @ self.w + self.bias, 0.0)


@register_memory
class ReservoirMemory(AssociativeMemory):
    r"""A hetero-associative memory on an Izhikevich reservoir: cue -> reservoir state -> readout -> outcome.

    A cue of ``n`` bits drives an :class:`IzhikevichReservoir` (RS/FS cells of Izhikevich 2007,
    static weights, no noise) through fixed random synapses: every reservoir neuron hears
    ``fan_in`` cue bits; an active bit spikes every ``interval`` ms for ``present`` ms.  The
    state is the vector of the reservoir's spike counts over the presentation, which starts from
    the network's initial state (:meth:`Simulator.reset`), so a cue always gives the same state.
    A :class:`ForceReadout` maps the state (and a constant) to the outcome, with one RLS update
    per stored pair: a single exposure, after which the readout equals ridge regression on the
    pairs stored so far (Sussillo & Abbott 2009).  Outcome bits are the readout's sign
    (targets are :math:`2o - 1`).

    ``store(patterns)`` stores each pattern as its own outcome (autoassociation); ``store_pairs``
    stores (cue, outcome) pairs.  ``recognize`` is the agreement between a probe and what the memory
    recalls from it (meaningful for autoassociation).  A reservoir has no energy function.

    Parameters
    ----------
    n : cue length (bits)
    outcomes : outcome length (default ``n``)
    n_exc, n_inh, targets : the reservoir (:class:`IzhikevichReservoir`)
    fan_in : cue bits per reservoir neuron
    input_weight : weight of a cue spike (mV, the paper's current units)
    present, interval : presentation length and inter-spike interval of an active bit (ms)
    alpha : the readout's initial ``P = alpha I`` (inverse ridge penalty)
    seed : int or Generator
    """

    alphabet = "binary"

    def __init__(self, n, outcomes=None, n_exc=800, n_inh=200, targets=100, fan_in=10, input_weight=10.0,
                 present=40.0, interval=4.0, alpha=1.0, seed=0):
        o = type(self).__name__
        super().__init__(check_int(o, "n", n, low=1))
        self.outcomes = self.n if outcomes is None else check_int(o, "outcomes", outcomes, low=1)
        self.fan_in = check_int(o, "fan_in", fan_in, low=1)
        if self.fan_in > self.n:
            raise fail(o, "fan_in", fan_in, f"expected at most n = {self.n} cue bits per neuron")
        self.input_weight = check_scalar(o, "input_weight", input_weight, low=0.0, low_open=True)
        self.present = check_scalar(o, "present", present, low=1.0)
        self.interval = check_scalar(o, "interval", interval, low=1.0, high=self.present)
        ss = seed_sequence(o, seed)
        self.reservoir = IzhikevichReservoir(n_exc, n_inh, targets, cells="2007", noise=0.0, plastic=False,
                                             seed=np.random.default_rng(child(ss, 0).integers(0, 2**63)))
        net = self.reservoir.network
        self.cue_input = net.population(self.n, SpikeSourceArray(spike_times=[[] for _ in range(self.n)]),
                                        label="cue")
        net.projection(self.cue_input, self.reservoir.neurons, FixedNumberPreConnector(self.fan_in),
                       StaticSynapse(weight=self.input_weight, delay=1.0), label="cue->reservoir")
        self.simulator = Simulator(net, dt=1.0, seed=np.random.default_rng(child(ss, 1).integers(0, 2**63)))
        self.readout = ForceReadout(self.reservoir.n + 1, self.outcomes,
                                    check_scalar(o, "alpha", alpha, low=0.0, low_open=True))
        self._config = {"n": self.n, "outcomes": self.outcomes, "n_exc": n_exc, "n_inh": n_inh, "targets": targets,
                        "fan_in": self.fan_in, "input_weight": self.input_weight, "present": self.present,
                        "interval": self.interval, "alpha": self.readout.alpha,
                        "seed": {"entropy": str(ss.entropy), "spawn_key": list(ss.spawn_key)}}
        self.patterns = np.zeros((0, self.n))
        self.stored_outcomes = np.zeros((0, self.outcomes))

    def state(self, cue) -> np.ndarray:
        """The reservoir's spike counts over one presentation of ``cue`` (0/1), and a constant 1."""
        x = self.check_cue(cue)
        times = np.arange(1.0, self.present + 0.5, self.interval)
        self.cue_input.set(spike_times=[times if on else [] for on in x])
        self.simulator.reset()
        self.simulator.run(self.present + 1.0)
        _, ids = self.simulator.spikes(self.reservoir.neurons)
        return np.append(np.bincount(ids, minlength=self.reservoir.n).astype(float), 1.0)

    def store_pairs(self, cues, outcomes) -> None:
        """Store each ``(cue, outcome)`` pair (0/1 rows) with one readout update."""
        c = self.check_patterns(cues, "cues")
        o = as_array(self.name, "outcomes", outcomes)
        o = o[None, :] if o.ndim == 1 else o
        if o.shape != (len(c), self.outcomes) or not np.isin(o, (0.0, 1.0)).all():
            raise fail(self.name, "outcomes", o, f"expected {len(c)} 0/1 outcomes of length {self.outcomes}")
        for cue, out in zip(c, o):
            self.readout.update(self.state(cue), 2.0 * out - 1.0)
        self.patterns = np.vstack((self.patterns, c))
        self.stored_outcomes = np.vstack((self.stored_outcomes, o))

    def store(self, patterns) -> None:
        """Store each pattern as its own outcome (``outcomes`` must equal ``n``)."""
        if self.outcomes != self.n:
            raise fail(self.name, "patterns", np.asarray(patterns), f"store(patterns) stores each pattern as its "
                       f"own outcome, which needs outcomes = n = {self.n}; use store_pairs(cues, outcomes)")
        p = self.check_patterns(patterns)
        self.store_pairs(p, p)

    def recall(self, cue, *, seed=None) -> RecallResult:
        """The outcome the readout gives for ``cue``'s reservoir state (deterministic: ``seed`` has no effect)."""
        z = self.readout.predict(self.state(cue))
        state = (z > 0).astype(float)
        overlaps = (2 * self.stored_outcomes - 1) @ (2 * state - 1) / self.outcomes if len(self.stored_outcomes) \
            else np.zeros(0)
        return RecallResult(state=state, sweeps=1, overlaps=overlaps, info={"readout": z})

    def recognize(self, probe) -> float:
        """Agreement (bipolar overlap) between the probe and the outcome recalled from it."""
        return self.agreement(probe)

    def state_dict(self):
        """The readout (decoders and P), the stored pairs, the configuration and seed that rebuild the same
        reservoir, and its synapses (checked on loading, so a reservoir wired differently is refused)."""
        arrays = {"w": self.readout.w, "P": self.readout.P, "patterns": self.patterns,
                  "outcomes": self.stored_outcomes}
        arrays.update({f"prj{q.index}/{k}": getattr(q, k) for q in self.reservoir.network.projections
                       for k in ("pre_idx", "post_idx")})
        return arrays, dict(self._config)

    @classmethod
    def from_state_dict(cls, arrays, config):
        config = dict(config)
        seed = config.pop("seed")
        m = cls(**config, seed=np.random.SeedSequence(int(seed["entropy"]), spawn_key=tuple(seed["spawn_key"])))
        for q in m.reservoir.network.projections:
            if not all(np.array_equal(getattr(q, k), arrays[f"prj{q.index}/{k}"]) for k in ("pre_idx", "post_idx")):
                raise fail(cls.__name__, "connectivity", q.label, "the saved reservoir's synapses differ from the "
                           "rebuilt one's; load with the neuromem version that saved it")
        m.readout.w[...] = arrays["w"]
        m.readout.P[...] = arrays["P"]
        m.patterns = np.asarray(arrays["patterns"], dtype=float).reshape(-1, m.n)
        m.stored_outcomes = np.asarray(arrays["outcomes"], dtype=float).reshape(-1, m.outcomes)
        return m
