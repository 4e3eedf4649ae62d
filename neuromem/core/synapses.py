r"""Synapse types, declared as data: static synapses, pair STDP and a
three-factor rule.  The simulator's kernels read these parameters; nothing
here runs.

STDP follows PyNN's ``STDPMechanism`` with ``SpikePairRule`` (all-to-all pairs,
Song & Abbott) and NEST's ``stdp_synapse`` conventions:

* traces: :math:`K_+` of the pre neuron and :math:`K_-` of the post neuron jump
  by 1 at each spike and decay with ``tau_plus`` / ``tau_minus``;
* the whole synaptic delay is dendritic (PyNN ``dendritic_delay_fraction=1``,
  as in NEST and sPyNNaker): a pre spike at :math:`t_j` meets post spikes
  :math:`t_i` back-propagated by the delay :math:`d`, so
  :math:`\Delta t = t_i + d - t_j`;
* additive:  :math:`\Delta w_+ = w_{max} A_+ K_+`, :math:`\Delta w_- = -w_{max} A_- K_-`;
  multiplicative: :math:`\Delta w_+ = A_+ (w_{max} - w) K_+`,
  :math:`\Delta w_- = -A_- (w - w_{min}) K_-`; additive potentiation with multiplicative depression:
  :math:`\Delta w_+ = w_{max} A_+ K_+`, :math:`\Delta w_- = -A_- (w - w_{min}) K_-`; weights clipped to
  :math:`[w_{min}, w_{max}]` (PyNN's pyNN.nest and pyNN.brian2 translations).
"""
from __future__ import annotations

import numpy as np

from .._checks import check_names, check_scalar, fail
from ..params import Checked, Choice, Number


class RandomDistribution(Checked):
    """A distribution to draw weights or delays from, as PyNN's ``RandomDistribution``.

    ``RandomDistribution("uniform", low=0, high=1)``, ``("normal", mu=, sigma=)``,
    ``("normal_clipped", mu=, sigma=, low=, high=)`` (values outside [low, high] drawn again, as PyNN's and
    NEST's ``redraw``), ``("exponential", beta=)``.  Values are drawn from the stream of the
    projection they are used in, so the network's seed decides them.
    """

    kinds = {"uniform": ("low", "high"), "normal": ("mu", "sigma"), "normal_clipped": ("mu", "sigma", "low", "high"),
             "exponential": ("beta",)}

    kind = Choice(("uniform", "normal", "normal_clipped", "exponential"))

    def __init__(self, kind, **params):
        self.kind = kind
        check_names(f"RandomDistribution({kind!r})", "parameter", params, self.kinds[kind])
        if set(params) != set(self.kinds[kind]):
            raise fail("RandomDistribution", "parameters", sorted(params),
                       f"'{kind}' takes exactly {self.kinds[kind]}")
        self.params = {k: float(v) if kind == "normal_clipped" and k in ("low", "high") and np.isscalar(v)
                       and np.isinf(v) else check_scalar("RandomDistribution", k, v) for k, v in params.items()}
        p = self.params
        if kind in ("uniform", "normal_clipped") and p["high"] < p["low"]:
            raise fail("RandomDistribution", "high", p["high"], f"expected high >= low = {p['low']}")
        if kind == "normal_clipped" and p["sigma"] == 0 and not p["low"] <= p["mu"] <= p["high"]:
            raise fail("RandomDistribution", "mu", p["mu"], f"with sigma 0, expected mu in [{p['low']}, {p['high']}]")
        if kind in ("normal", "normal_clipped") and p["sigma"] < 0:
            raise fail("RandomDistribution", "sigma", p["sigma"], "expected sigma >= 0")
        if kind == "exponential" and p["beta"] <= 0:
            raise fail("RandomDistribution", "beta", p["beta"], "expected a scale beta > 0")

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        p = self.params
        if self.kind == "uniform":
            return rng.uniform(p["low"], p["high"], n)
        if self.kind == "normal":
            return rng.normal(p["mu"], p["sigma"], n)
        if self.kind == "normal_clipped":
            out = rng.normal(p["mu"], p["sigma"], n)
            bad = np.flatnonzero((out < p["low"]) | (out > p["high"]))
            for _ in range(1000):
                if not bad.size:
                    return out
                out[bad] = rng.normal(p["mu"], p["sigma"], bad.size)
                bad = bad[(out[bad] < p["low"]) | (out[bad] > p["high"])]
            raise fail("RandomDistribution", "low/high", (p["low"], p["high"]),
                       f"hardly any of normal({p['mu']}, {p['sigma']}) lies there; widen the interval")
        return rng.exponential(p["beta"], n)

    def __repr__(self):
        return f"RandomDistribution({self.kind!r}, {', '.join(f'{k}={v}' for k, v in self.params.items())})"


class StaticSynapse(Checked):
    """Fixed weight (nA for IF_curr_exp, mV for Izhikevich) and delay (ms).

    ``weight`` and ``delay`` are scalars, arrays with one value per synapse, or
    :class:`RandomDistribution`.  Weights are non-negative; the receptor type
    (excitatory or inhibitory) gives the sign, as in PyNN.
    """

    plastic = False
    short_term = False
    #: parameters kept per synapse beyond weight and delay (short-term dynamics, transmission probability)
    per_synapse = ()

    def __init__(self, weight=0.0, delay=1.0):
        self.weight = weight
        self.delay = delay

    def __repr__(self):
        return f"{type(self).__name__}(weight={self.weight!r}, delay={self.delay!r})"


class TsodyksMarkramSynapse(StaticSynapse):
    r"""Short-term depression and facilitation (Tsodyks, Uziel & Markram 2000, J Neurosci 20:RC50; NEST
    ``tsodyks_synapse``, PyNN ``TsodyksMarkramSynapse``).

    Each synapse keeps the fractions of resources recovered (``x``), active (``y``) and inactive
    (:math:`z = 1 - x - y`) and the utilisation ``u``.  At a presynaptic spike, :math:`h` after the previous one,

    .. math::
        u \leftarrow u\,e^{-h/\tau_{facil}} + U (1 - u e^{-h/\tau_{facil}}),\quad
        x \leftarrow x + P_{xy}\, y + (1 - e^{-h/\tau_{rec}})\, z,\quad y \leftarrow y\, e^{-h/\tau_{psc}},

    with :math:`P_{xy} = \frac{(e^{-h/\tau_{rec}} - 1)\tau_{rec} - (e^{-h/\tau_{psc}} - 1)\tau_{psc}}
    {\tau_{psc} - \tau_{rec}}`; the synapse transmits :math:`w\,u\,x` and moves :math:`u x` from ``x`` to
    ``y``.  :math:`\tau_{psc}` is the postsynaptic cell's synaptic time constant for the receptor;
    ``tau_facil = 0`` gives depression only.  ``U``, ``tau_rec`` and ``tau_facil`` are scalars or one value
    per synapse, like ``weight``.
    """

    short_term = True
    per_synapse = ("U", "tau_rec", "tau_facil")

    def __init__(self, weight=0.0, delay=1.0, U=0.5, tau_rec=100.0, tau_facil=0.0):
        super().__init__(weight, delay)
        self.U, self.tau_rec, self.tau_facil = U, tau_rec, tau_facil


class SimpleStochasticSynapse(StaticSynapse):
    """A synapse that transmits each spike with probability ``p`` (PyNN ``SimpleStochasticSynapse``, NEST
    ``bernoulli_synapse``); ``p`` is a scalar or one value per synapse, like ``weight``.  Each draw depends only on
    the run's seed, the synapse and the step (:func:`~neuromem.random.unit_at`), so the result is the same for any
    number of threads."""

    short_term = True
    per_synapse = ("p",)

    def __init__(self, weight=0.0, delay=1.0, p=0.5):
        super().__init__(weight, delay)
        self.p = p


class SpikePairRule(Checked):
    """Timing dependence: exponential pair window (PyNN ``SpikePairRule``)."""

    tau_plus = Number(low=0.0, low_open=True, doc="time constant of the potentiation window (ms)")
    tau_minus = Number(low=0.0, low_open=True, doc="time constant of the depression window (ms)")
    A_plus = Number(low=0.0, doc="potentiation amplitude")
    A_minus = Number(low=0.0, doc="depression amplitude")

    def __init__(self, tau_plus=20.0, tau_minus=20.0, A_plus=0.01, A_minus=0.01):
        self.tau_plus, self.tau_minus, self.A_plus, self.A_minus = tau_plus, tau_minus, A_plus, A_minus


class _WeightDependence(Checked):
    multiplicative = False
    #: multiplicative potentiation / depression (the kernels' rule column ``MULT``: 0, 1, or 2 for depression only)
    multiplicative_depression = False
    w_min = Number(low=0.0, doc="lowest weight")
    w_max = Number(low=0.0, doc="highest weight")

    def __init__(self, w_min=0.0, w_max=1.0):
        self.w_min, self.w_max = w_min, w_max
        if self.w_max < self.w_min:
            raise fail(type(self).__name__, "w_max", w_max, f"expected w_max >= w_min = {self.w_min}")


class AdditiveWeightDependence(_WeightDependence):
    """Weight change independent of the weight; clipped to [w_min, w_max]."""


class MultiplicativeWeightDependence(_WeightDependence):
    """Potentiation proportional to w_max - w, depression to w - w_min."""

    multiplicative = True
    multiplicative_depression = True


class AdditivePotentiationMultiplicativeDepression(_WeightDependence):
    """Potentiation independent of the weight, depression proportional to w - w_min (PyNN's
    ``AdditivePotentiationMultiplicativeDepression``; NEST ``stdp_synapse`` with ``mu_plus = 0, mu_minus = 1``)."""

    multiplicative_depression = True


class STDPMechanism(StaticSynapse):
    """Pair-based STDP synapse (PyNN ``STDPMechanism``)."""

    plastic = True

    def __init__(self, timing_dependence=None, weight_dependence=None, weight=0.0, delay=1.0,
                 dendritic_delay_fraction=1.0):
        super().__init__(weight, delay)
        o = type(self).__name__
        if not isinstance(timing_dependence, SpikePairRule):
            raise fail(o, "timing_dependence", timing_dependence, "expected a SpikePairRule")
        if not isinstance(weight_dependence, _WeightDependence):
            raise fail(o, "weight_dependence", weight_dependence,
                       "expected AdditiveWeightDependence or MultiplicativeWeightDependence")
        if dendritic_delay_fraction != 1.0:
            raise fail(o, "dendritic_delay_fraction", dendritic_delay_fraction,
                       "only 1.0 (all delay dendritic, as NEST and sPyNNaker) is supported")
        self.timing_dependence = timing_dependence
        self.weight_dependence = weight_dependence
        self.dendritic_delay_fraction = 1.0


class ThreeFactorSynapse(STDPMechanism):
    r"""Eligibility trace times a neuromodulator (Izhikevich 2007, Cereb Cortex 17:2443;
    Fremaux & Gerstner 2016, Front Neural Circuits 9:85).

    .. math::
        \frac{dc}{dt} = -\frac{c}{\tau_c} + \mathrm{STDP}(t), \qquad
        \frac{dw}{dt} = \eta\,(M(t) + b)\,c(t), \qquad
        \frac{dM}{dt} = -\frac{M}{\tau_M} + \text{deliveries}

    The pair window of ``timing_dependence`` feeds the eligibility ``c`` instead
    of the weight (with the additive scale ``w_max * A``).  The weight is updated
    every ``update_interval`` ms with the left Riemann sum of the integral and
    clipped to [w_min, w_max]; ``c`` is exact at those instants.  The modulator
    ``M`` is set or delivered by the model or the user between run segments
    (``Simulator.set_modulator`` / ``deliver_modulator``) and decays with
    ``tau_modulator`` (``0`` keeps it constant).  Izhikevich 2007 is
    ``tau_eligibility=1000, tau_modulator=200, baseline=0.002, update_interval=10,
    learning_rate=0.1``.
    """

    tau_eligibility = Number(low=0.0, low_open=True, doc="eligibility time constant (ms)")
    learning_rate = Number(doc="learning rate eta")
    baseline = Number(doc="modulator baseline b")
    tau_modulator = Number(low=0.0, doc="modulator time constant (ms); 0 keeps it constant")
    update_interval = Number(low=0.0, low_open=True, doc="ms between weight updates")

    def __init__(self, timing_dependence=None, weight_dependence=None, weight=0.0, delay=1.0,
                 tau_eligibility=1000.0, learning_rate=1.0, baseline=0.0, tau_modulator=0.0,
                 update_interval=1.0):
        super().__init__(timing_dependence, weight_dependence, weight, delay)
        if weight_dependence.multiplicative:
            raise fail(type(self).__name__, "weight_dependence", weight_dependence,
                       "the three-factor rule takes AdditiveWeightDependence")
        self.tau_eligibility, self.learning_rate, self.baseline = tau_eligibility, learning_rate, baseline
        self.tau_modulator, self.update_interval = tau_modulator, update_interval
