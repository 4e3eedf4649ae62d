r"""SpiNNaker on a laptop: a network compiled to sPyNNaker's fixed-point data, bit for bit.

``Simulator(network, dt=1.0, timing="spinnaker")`` runs what a SpiNNaker board runs under
**sPyNNaker 7.1.0** (the C of ``neural_modelling`` and the Python of ``spynnaker`` at
djanloo/sPyNNaker commit 50eec8b8a; spinn_common de627fa), at the same integer arithmetic:

* host side (here, as sPyNNaker's Python does): parameters encoded as s16.15 from the decimal
  of their shortest ``repr`` (round half even); the ring-buffer left shift of each synapse type
  from the summed maximum incoming weight (``AbstractPopulationVertex.get_ring_buffer_shifts``);
  weights on the 16-bit grid ``w16 = round(w 2^(15 - shift))`` (rounded as the synapse expander
  rounds generated weights, or as ``numpy.rint`` for listed ones); delays in whole ticks; the
  STDP decay tables ``floor(exp(-k dt / tau) 2048)``;
* on the "chip" (:mod:`neuromem.core.kernels.spinnaker`): the derived constants (``R``,
  ``exp_TC``, synaptic ``decay`` and ``init``) computed with spinn_common's ``kdivk``/``expk``/
  ``expulr``; the tick loop of ``neuron_impl_standard``; 16-bit saturating ring buffers; pair STDP
  deferred to the next presynaptic spike with s4.11 traces.

Time: tick ``t`` is the update at ``t dt``.  A SpikeSourceArray spike at ``t`` ms is sent on tick
``ceil(t / dt)`` (a spike at 0 is sent on tick 0); a spike sent on tick ``t`` over a delay of ``d``
ticks enters the target's update on tick ``t + d``; a neuron that crosses threshold on tick ``t``
is recorded at ``t dt`` (sPyNNaker's convention; the float ``"nest"`` timing stamps the end of the
step instead).  ``v`` is recorded before the tick's update, as on the board.

What the board would do that a float simulator would not is reported (:class:`BoardReport`,
``Simulator.board_report()``): saturated ring-buffer entries, weights moved by the 16-bit grid,
parameters outside s16.15; a parameter that cannot be represented at all is refused as sPyNNaker
would refuse it.  Current sources add their offset to the input as sPyNNaker's ``current_source_get_offset`` does
(a noisy source draws from neuromem's stream: :func:`fixed_currents`).
Not emulated (and refused or reported): random weights,
delays and connections drawn on the chip (neuromem draws them with NumPy), Poisson sources'
on-chip generator (neuromem draws Poisson spikes with its own stream), multiple cores per
population (the 256-neuron slices), delay-extension timing of plastic synapses, recording of
sources.
"""
from __future__ import annotations

import decimal
import math
from dataclasses import dataclass, field

import numpy as np

from .._checks import fail
from ..errors import NotSupportedError, ValidationError
from .cells import IF_cond_exp, IF_curr_delta, IF_curr_exp, Izhikevich, SpikeSourceArray, SpikeSourcePoisson
from .connectors import FromListConnector
from .sources import ACSource, NoisyCurrentSource
from .kernels import fixed as F
from .kernels import neurons as K
from .synapses import ThreeFactorSynapse

VERSION = "sPyNNaker 7.1.0 (djanloo/sPyNNaker 50eec8b8a, spinn_common de627fa)"
I64 = np.int64
#: sPyNNaker's default rate assumed for every presynaptic source when sizing ring buffers (spynnaker.cfg)
SPIKES_PER_SECOND = 30.0
#: standard deviations above the mean a statistically sized ring buffer allows (spynnaker.cfg)
RING_BUFFER_SIGMA = 5.0
#: spynnaker.utilities.constants.POSSION_SIGMA_SUMMATION_LIMIT
POISSON_SIGMA_SUMMATION_LIMIT = 3.0
#: post-synaptic events a neuron keeps for STDP (post_events.h; index 0 is a placeholder at time 0)
POST_EVENTS = 16
#: Izhikevich spike-tick step multiplier, ``REAL_CONST(1.85)`` compiled (truncated) to s16.15
SIMPLE_TQ_OFFSET = 60620
#: the largest magnitude an s16.15 accum holds
S1615_MAX = 65535.99996948242


def s1615(owner: str, name: str, value) -> int:
    """``value`` as s16.15 bits the way sPyNNaker writes it: ``round(Decimal(repr(value)) 2^15)``, half to even.

    Refused (as sPyNNaker's ``DataType.S1615.encode_as_int`` refuses it) outside the format's range.
    """
    v = float(value)
    if not math.isfinite(v) or abs(v) > S1615_MAX:
        raise fail(owner, name, v, f"expected a value in the s16.15 range of SpiNNaker, |x| <= {S1615_MAX:.6f}")
    return int(round(decimal.Decimal(repr(v)) * 32768))


def s1615_array(owner, name, values) -> np.ndarray:
    """:func:`s1615` of every value (any shape): ``rint(x 2^15)`` where that cannot differ from the
    decimal rounding, the decimal itself near a tie."""
    x = np.asarray(values, dtype=float)
    if not np.isfinite(x).all() or (np.abs(x) > S1615_MAX).any():
        bad = x[~(np.isfinite(x) & (np.abs(x) <= S1615_MAX))].ravel()[0]
        s1615(owner, name, bad)
    x = np.ascontiguousarray(x)
    out = np.empty(x.shape, I64)
    flat = out.reshape(-1)
    for i in F.encode_s1615(x, out):               # x 2^15 is exact (a power of two) but for ties
        flat[i] = s1615(owner, name, x.reshape(-1)[i])
    return out


def check_current_source(owner, src, dt) -> None:
    """Refuse what sPyNNaker's current sources cannot do (``noisy_current_source.py``: one value per
    time step, Gaussian; the AC source's sine is the chip's fixed-point routine, not emulated here)."""
    if isinstance(src, ACSource):
        raise NotSupportedError(f"{owner}: the ACSource's sine on the board comes from sPyNNaker's fixed-point "
                                "sin(), which this emulation does not reproduce; use timing='nest'")
    if isinstance(src, NoisyCurrentSource):
        if src.dt is not None and abs(src.dt - dt) > 1e-12:
            raise fail(owner, "NoisyCurrentSource.dt", src.dt, f"sPyNNaker draws one value per time step: "
                       f"expected dt = {dt} ms (the machine time step) or None")
        if src.distribution != "normal":
            raise fail(owner, "NoisyCurrentSource.distribution", src.distribution,
                       "sPyNNaker's noisy current source is Gaussian: expected 'normal'")


def fixed_currents(table) -> np.ndarray:
    """Current-source offsets (nA per tick and neuron) as s16.15 bits.

    A DC source's amplitude is what sPyNNaker writes (s16.15 of the value).  A noisy source on the
    board draws ``mean + stdev z`` with ``z`` from spinn_common's ``norminv_urt`` on a ``mars_kiss64``
    stream whose seed sPyNNaker takes from an unseeded NumPy RandomState
    (``noisy_current_source.py``), so no two board runs agree; here ``z`` comes from neuromem's seeded
    stream and ``mean + stdev z`` is rounded to s16.15: the same distribution, reproducibly.
    """
    return s1615_array("current source", "amplitude", table)


def exp_lut(dt: float, tau: float) -> np.ndarray:
    """sPyNNaker's STDP decay table (``stdp/common.py`` ``get_exp_lut_array``, shift 0):
    ``floor(exp(-k dt / tau) 2048)`` for ``k < size``, ``size = 2 ceil(ln(2048) tau / dt / 2)``."""
    lam = dt / float(tau)
    size, extra = divmod(math.log(F.STDP_ONE) / lam, 2)
    size = (int(size) + (extra > 0)) * 2
    values = np.floor(np.exp(np.arange(size) * -lam) * F.STDP_ONE)
    return values.astype(np.uint16).astype(I64)


@dataclass
class BoardReport:
    """What a SpiNNaker board would do differently from a float simulator, found while emulating it.

    Attributes
    ----------
    version : the sPyNNaker release emulated
    shifts : {population: {synapse type: ring-buffer left shift}}
    weight_scale : {population: {synapse type: weight -> 16-bit factor}}
    weights_rounded : {projection: (synapses whose weight moved, largest change)}
    saturated : {population: ring-buffer entries that saturated at 0xFFFF so far}
    parameters : notes on parameters that the fixed-point format changes
    """

    version: str = VERSION
    shifts: dict = field(default_factory=dict)
    weight_scale: dict = field(default_factory=dict)
    weights_rounded: dict = field(default_factory=dict)
    saturated: dict = field(default_factory=dict)
    parameters: list = field(default_factory=list)

    def lines(self) -> list[str]:
        """A readable summary."""
        out = [f"emulating {self.version}"]
        for pop, shifts in self.shifts.items():
            out.append(f"  {pop}: ring-buffer shifts {shifts} (weight scale "
                       + ", ".join(f"{k} {v:g}" for k, v in self.weight_scale[pop].items()) + ")")
        for prj, (n, worst) in self.weights_rounded.items():
            if n:
                out.append(f"  {prj}: {n} weights moved onto the 16-bit grid, by up to {worst:.3g}")
        for pop, n in self.saturated.items():
            if n:
                out.append(f"  {pop}: {n} ring-buffer entries saturated at 0xFFFF (input lost)")
        out += [f"  {p}" for p in self.parameters]
        return out


class _RunningStats:
    """spynnaker.pyNN.utilities.running_stats.RunningStats (items added by their statistics)."""

    def __init__(self):
        self.mean, self.mean_2, self.n = 0.0, 0.0, 0

    def add_items(self, mean, variance, n):
        if n > 0:
            new_n = self.n + n
            delta = mean - self.mean
            self.mean_2 = self.mean_2 + variance * (n - 1.0) + delta * delta * self.n * n / new_n
            self.mean = (self.n * self.mean + n * mean) / new_n
            self.n = new_n

    @property
    def variance(self):
        return 0.0 if self.n <= 1 else self.mean_2 / (self.n - 1.0)


def _upper_bound(mean, sd, rate, n, sigma, steps_per_second):
    """``AbstractPopulationVertex._ring_buffer_expected_upper_bound`` (7.1.0)."""
    from scipy import special
    per_step = float(n * rate) / steps_per_second
    poisson_variance = per_step * mean ** 2
    upper = int(round(per_step + POISSON_SIGMA_SUMMATION_LIMIT * math.sqrt(per_step)))
    weight_variance = 0.0
    if sd > 0:
        lngamma = special.gammaln(1 + upper)
        gammai = special.gammaincc(1 + upper, per_step)
        big_ratio = math.log(per_step) * upper - lngamma
        if -701.0 < big_ratio < 701.0 and big_ratio != 0.0:
            weight_variance = math.exp(-per_step + math.log(per_step) + 2.0 * math.log(sd)
                                       + math.log(math.exp(per_step) * gammai - math.exp(big_ratio)))
    return per_step * mean + sigma * math.sqrt(poisson_variance + weight_variance)


def ring_buffer_shifts(pop, projections, dt, global_scale) -> list[int]:
    """The left shift of each synapse type of ``pop`` (``get_ring_buffer_shifts`` of sPyNNaker 7.1.0).

    Per incoming projection: the maximum number of connections onto one neuron, the weights' mean,
    variance and maximum (for STDP, at least ``w_max``) and the delays' variance; the maximum
    summed weight is the sum of ``w_max n`` over projections when every projection's delays are
    constant, else a statistical upper bound; the shift is the smallest ``p`` with ``2^p > w``.
    """
    steps_per_second = 1000.0 / dt
    spikes_per_tick = max(1.0, SPIKES_PER_SECOND / steps_per_second)
    n_types = 2
    running = [_RunningStats() for _ in range(n_types)]
    delays = [_RunningStats() for _ in range(n_types)]
    rates = [_RunningStats() for _ in range(n_types)]
    total = np.zeros(n_types)
    biggest = np.zeros(n_types)
    for prj in projections:
        s = 0 if prj.receptor_type == "excitatory" else 1
        n_conns = int(np.bincount(prj.post_idx, minlength=prj.post.size).max()) if len(prj) else 0
        w = prj.weight
        w_mean, w_var = (float(np.mean(w)), float(np.var(w))) if w.size else (0.0, 0.0)
        w_max = float(w.max()) if w.size else 0.0
        if prj.synapse.plastic:
            w_max = max(w_max, prj.synapse.weight_dependence.w_max)
            w_mean = max(w_mean, prj.synapse.weight_dependence.w_max)  # sPyNNaker's STDP weight statistics
        d_var = float(np.var(prj.delay)) if prj.delay.size else 0.0
        running[s].add_items(w_mean * global_scale, w_var * global_scale ** 2, n_conns)
        biggest[s] = max(biggest[s], w_max * global_scale)
        delays[s].add_items(0.0, d_var, n_conns)
        rates[s].add_items(SPIKES_PER_SECOND, 0, n_conns)
        total[s] += spikes_per_tick * (w_max * n_conns)
    shifts = []
    for s in range(n_types):
        if delays[s].variance == 0.0:
            w = max(total[s], biggest[s])
        else:
            st = running[s]
            w = _upper_bound(st.mean, math.sqrt(st.variance), rates[s].mean, st.n, RING_BUFFER_SIGMA,
                             steps_per_second)
            w = max(min(w, total[s]), biggest[s])
        p = 0 if w <= 0 else int(math.ceil(max(0.0, math.log2(w))))
        shifts.append(p + 1 if 2 ** p <= w else p)
    return shifts


def generated_weight(w_bits: int, scale: float) -> int:
    """A weight the synapse expander writes (``rescale_weight``): the s16.15 weight times the U32.32
    scale, rounded half up, ``& 0xFFFF``."""
    scale_bits = int(round(decimal.Decimal(repr(float(scale))) * (1 << 32)))
    product = abs(w_bits) << 17          # s16.15 -> u32.32
    scaled = (product * scale_bits + (1 << 31)) >> 32      # ulk x ulk, rounded half up
    return ((scaled + (1 << 31)) >> 32) & 0xFFFF           # roundulk to an integer


def listed_weights(weights: np.ndarray, scale: float) -> np.ndarray:
    """Weights the host writes (FromList connectors): ``rint(|w| scale) & 0xFFFF`` (half to even)."""
    return (np.rint(np.abs(weights) * scale).astype(I64)) & 0xFFFF


#: cell kind -> (synaptic input kind, global weight scale)
INPUTS = {K.LIF: ("exp", 1.0), K.LIF_COND: ("cond", 1024.0), K.LIF_DELTA: ("delta", 1.0)}
EXP, COND, DELTA = 0, 1, 2


class FixedNetwork:
    """A network flattened into sPyNNaker's fixed-point data for the tick kernels.

    Integer arrays (int64 holding the C types' values): neuron state ``V``, ``U``, ``refract``,
    ``syn`` (2 x n: excitatory, inhibitory), ``this_h``; per-neuron constants; the ring buffer
    ``ring[slot, type, neuron]`` of 16-bit sums; CSR rows of 16-bit weights and delays in ticks;
    STDP row headers and post-event histories.
    """

    def __init__(self, network, dt: float, neurons: bool = True):
        self.dt = dt
        self.report = BoardReport()
        if abs(dt * 1000.0 - round(dt * 1000.0)) > 1e-9:
            raise fail("Simulator", "dt", dt, "expected a time step of a whole number of microseconds (sPyNNaker "
                       "counts ticks in us)")
        self.ts = s1615("Simulator", "dt", dt)
        pops = network.populations
        self.pop_lo = np.zeros(len(pops), I64)
        self.pop_hi = np.zeros(len(pops), I64)
        off = 0
        for p in pops:
            self.pop_lo[p.index], self.pop_hi[p.index] = off, off + p.size
            off += p.size
        self.n = off
        self.pop_kind = np.array([p.celltype.code for p in pops], I64)
        self.pop_of = np.repeat(np.arange(len(pops), dtype=I64), [p.size for p in pops])
        n = self.n
        self.V, self.U = np.zeros(n, I64), np.zeros(n, I64)
        self.refract, self.this_h = np.zeros(n, I64), np.zeros(n, I64)
        self.syn = np.zeros((2, n), I64)
        self.v_rest, self.r_mem, self.exp_tc = np.zeros(n, I64), np.zeros(n, I64), np.zeros(n, I64)
        self.i_offset, self.v_reset, self.v_thresh = np.zeros(n, I64), np.zeros(n, I64), np.zeros(n, I64)
        self.t_refract = np.zeros(n, I64)
        self.decay, self.init = np.zeros((2, n), I64), np.zeros((2, n), I64)
        self.v_rev = np.zeros((2, n), I64)
        self.izh = np.zeros((5, n), I64)          # a, b, c, d, reset_h
        self.input_kind = np.zeros(n, I64)
        self.delta_scale = np.zeros(n, I64)
        self.shift = np.zeros((2, n), I64)
        for p in pops if neurons else ():     # neurons=False: the synapses alone (hardware.quantize)
            self.load_parameters(p)
            self.load_initial(p)
        self._build_synapses(network)

    # -- neurons -------------------------------------------------------------------------------
    def load_parameters(self, pop) -> None:
        """Encode ``pop``'s parameters and derive the chip's constants (``neuron_model_initialise``)."""
        lo, hi = self.pop_lo[pop.index], self.pop_hi[pop.index]
        ct, v = pop.celltype, pop.values
        o = f"Population '{pop.label}' ({type(ct).__name__}, timing='spinnaker')"
        if isinstance(ct, (SpikeSourceArray, SpikeSourcePoisson)):
            return
        if ct.is_source:
            raise NotSupportedError(f"{o}: sPyNNaker has no such spike source; run it with timing='nest'")
        for src in pop.sources:
            check_current_source(o, src, self.dt)
        if pop.poisson_inputs:
            raise NotSupportedError(f"{o}: sPyNNaker has no PoissonInput; use a SpikeSourcePoisson population with "
                                    "a OneToOneConnector")
        ts = self.ts
        if isinstance(ct, (IF_curr_exp, IF_cond_exp, IF_curr_delta)):
            tau_m, cm = s1615_array(o, "tau_m", v["tau_m"]), s1615_array(o, "cm", v["cm"])
            self.v_rest[lo:hi] = s1615_array(o, "v_rest", v["v_rest"])
            self.v_reset[lo:hi] = s1615_array(o, "v_reset", v["v_reset"])
            self.v_thresh[lo:hi] = s1615_array(o, "v_thresh", v["v_thresh"])
            self.i_offset[lo:hi] = s1615_array(o, "i_offset", v["i_offset"])
            refrac = s1615_array(o, "tau_refrac", v["tau_refrac"])
            for i in range(hi - lo):
                self.r_mem[lo + i] = F.kdivk(tau_m[i], cm[i])
                self.exp_tc[lo + i] = F.expk(-F.kdivk(ts, tau_m[i]))
                ratio = F.kdivk(refrac[i], ts)
                self.t_refract[lo + i] = (ratio >> 15) + (1 if ratio & 0x7FFF else 0)   # lif_ceil_accum
            kind, _ = INPUTS[ct.code]
            self.input_kind[lo:hi] = {"exp": EXP, "cond": COND, "delta": DELTA}[kind]
            if kind == "delta":
                self.delta_scale[lo:hi] = F.kdivk(F.ONE, ts)
            else:
                for s, tau_name in enumerate(("tau_syn_E", "tau_syn_I")):
                    tau = s1615_array(o, tau_name, v[tau_name])
                    for i in range(hi - lo):
                        decay = F.expulr(-F.kdivk(ts, tau[i]))
                        self.decay[s, lo + i] = decay
                        self.init[s, lo + i] = F.decay_s1615_to_u032(F.kdivk(tau[i], ts), F.UNSIGNED_ONE - decay)
            if kind == "cond":
                self.v_rev[0, lo:hi] = s1615_array(o, "e_rev_E", v["e_rev_E"])
                self.v_rev[1, lo:hi] = s1615_array(o, "e_rev_I", v["e_rev_I"])
        elif isinstance(ct, Izhikevich):
            for r, name in enumerate(("a", "b", "c", "d")):
                self.izh[r, lo:hi] = s1615_array(o, name, v[name])
            self.izh[4, lo:hi] = ts                              # reset_h = kdivui(time_step, 1)
            self.i_offset[lo:hi] = s1615_array(o, "i_offset", v["i_offset"])
            self.v_thresh[lo:hi] = s1615(o, "v_thresh", Izhikevich.v_peak)
            # exponential synapses (sPyNNaker's Izhikevich is izk_curr_exp, tau_syn 5 ms by default)
            for s in range(2):
                decay = F.expulr(-F.kdivk(ts, s1615(o, "tau_syn", 5.0)))
                self.decay[s, lo:hi] = decay
                self.init[s, lo:hi] = F.decay_s1615_to_u032(F.kdivk(s1615(o, "tau_syn", 5.0), ts),
                                                            F.UNSIGNED_ONE - decay)
            self.input_kind[lo:hi] = EXP
        else:  # pragma: no cover - every cell type is handled above
            raise NotSupportedError(f"{o}: no fixed-point model")

    def load_initial(self, pop, variables=None) -> None:
        """Initial state as s16.15 (all variables and the refractory timer, or only ``variables``)."""
        lo, hi = self.pop_lo[pop.index], self.pop_hi[pop.index]
        o = f"Population '{pop.label}' ({type(pop.celltype).__name__}, timing='spinnaker')"
        init = pop.initial
        chosen = lambda k: k in init and (variables is None or k in variables)  # noqa: E731
        if chosen("v"):
            self.V[lo:hi] = s1615_array(o, "v", init["v"])
        if chosen("u"):
            self.U[lo:hi] = s1615_array(o, "u", init["u"])
        for s, name in enumerate(("isyn_exc", "isyn_inh")):
            if chosen(name):
                self.syn[s, lo:hi] = s1615_array(o, name, init[name])
        for s, name in enumerate(("gsyn_exc", "gsyn_inh")):
            if chosen(name):       # stored x1024 (the conductance weight scale)
                self.syn[s, lo:hi] = s1615_array(o, name, np.asarray(init[name]) * 1024.0)
        if variables is None:
            self.refract[lo:hi] = 0
            self.this_h[lo:hi] = self.ts

    # -- synapses ------------------------------------------------------------------------------
    def _build_synapses(self, network) -> None:
        dt = self.dt
        prjs = network.projections
        short = [p for p in prjs if p.synapse.short_term]
        if short:
            raise NotSupportedError(f"{short[0].owner}: {type(short[0].synapse).__name__} has no model in this "
                                    "emulation; run it with timing='nest'")
        incoming = {p.index: [] for p in network.populations}
        for prj in prjs:
            if isinstance(prj.synapse, ThreeFactorSynapse):
                raise NotSupportedError(f"Projection '{prj.label}': the three-factor rule has no sPyNNaker "
                                        "equivalent; timing='spinnaker' emulates pair STDP")
            incoming[prj.post.index].append(prj)
        for pop in network.populations:
            if pop.celltype.is_source or not incoming[pop.index]:
                continue
            g = INPUTS.get(pop.celltype.code, ("exp", 1.0))[1]
            shifts = ring_buffer_shifts(pop, incoming[pop.index], dt, g)
            lo, hi = self.pop_lo[pop.index], self.pop_hi[pop.index]
            for s in range(2):
                self.shift[s, lo:hi] = shifts[s]
            self.report.shifts[pop.label] = dict(zip(("excitatory", "inhibitory"), shifts))
            self.report.weight_scale[pop.label] = {k: 2.0 ** (15 - sh) * g for k, sh in
                                                   zip(("excitatory", "inhibitory"), shifts)}
        n = len(prjs)
        self.prj_pre_pop = np.array([p.pre.index for p in prjs], I64)
        self.prj_type = np.array([0 if p.receptor_type == "excitatory" else 1 for p in prjs], I64)
        self.prj_post_pop = np.array([p.post.index for p in prjs], I64)
        self.prj_delay = np.zeros(n, I64)       # the projection's one delay in ticks, 0 when they differ
        self.prj_full = np.zeros(n, np.bool_)   # every row is the whole post population, in order
        self.prj_rule = np.full(n, -1, I64)
        self.prj_row_off = np.zeros(n, I64)
        self.syn_lo, self.syn_hi = np.zeros(n, I64), np.zeros(n, I64)
        self.scale = np.zeros(n)
        rowptrs, posts, weights, delays = [], [], [], []
        row_off = syn_off = 0
        max_delay = 1
        for prj in prjs:
            rowptrs.append(syn_off + prj.row_ptr)
            self.prj_row_off[prj.index] = row_off
            row_off += prj.pre.size + 1
            self.syn_lo[prj.index], self.syn_hi[prj.index] = syn_off, syn_off + len(prj)
            syn_off += len(prj)
            posts.append(self.pop_lo[prj.post.index] + prj.post_idx)
            self.prj_full[prj.index] = prj.dense    # synapses sorted by pre then post: every row is 0..n-1
            post_lo = self.pop_lo[prj.post.index]
            s = self.prj_type[prj.index]
            scale = self.report.weight_scale[prj.post.label]["excitatory" if s == 0 else "inhibitory"]
            self.scale[prj.index] = scale
            w16 = self.weights16(prj)
            weights.append(w16)
            moved = np.abs(w16 / scale - prj.weight)
            self.report.weights_rounded[prj.label] = (int(np.count_nonzero(moved > 1e-12)),
                                                      float(moved.max()) if moved.size else 0.0)
            d = self._delay_ticks(prj)
            delays.append(d)
            if d.size and (d == d[0]).all():
                self.prj_delay[prj.index] = d[0]
            if d.size:
                max_delay = max(max_delay, int(d.max()))
            del post_lo
        self.rowptr = np.concatenate(rowptrs) if rowptrs else np.zeros(0, I64)
        self.syn_post = np.concatenate(posts).astype(I64) if posts else np.zeros(0, I64)
        self.syn_w = np.concatenate(weights).astype(I64) if weights else np.zeros(0, I64)
        self.syn_d = np.concatenate(delays).astype(I64) if delays else np.zeros(0, I64)
        self.ring_len = 1 << max(1, math.ceil(math.log2(max_delay + 1)))
        self.mask = self.ring_len - 1
        self.ring = np.zeros((self.ring_len, 2, self.n), I64)
        self.saturated = np.zeros(len(network.populations), I64)
        self._build_rules(prjs)

    def weights16(self, prj) -> np.ndarray:
        """``prj``'s weights on the 16-bit grid: listed ones written by the host (rint), the others
        generated on the chip (``rescale_weight``)."""
        scale = self.scale[prj.index]
        if isinstance(prj.connector, FromListConnector) or (len(prj) and np.ptp(prj.weight) > 0):
            return listed_weights(prj.weight, scale)
        w_bits = s1615(f"Projection '{prj.label}'", "weight", prj.weight[0]) if len(prj) else 0
        return np.full(len(prj), generated_weight(w_bits, scale), I64)

    def load_projection(self, prj) -> None:
        """Rewrite ``prj``'s weights and delays (changed by the user between runs)."""
        lo, hi = self.syn_lo[prj.index], self.syn_hi[prj.index]
        self.syn_w[lo:hi] = self.weights16(prj)
        d = self._delay_ticks(prj)
        if d.size and d.max() > self.mask:
            raise NotSupportedError(f"Projection '{prj.label}': delays longer than those the board was built "
                                    f"with ({self.mask} ticks) need a new Simulator")
        self.syn_d[lo:hi] = d
        self.prj_delay[prj.index] = d[0] if d.size and (d == d[0]).all() else 0

    def _delay_ticks(self, prj) -> np.ndarray:
        """Delays in ticks: ``rint(d / dt)`` (host-written), at least 1."""
        d = np.rint(prj.delay / self.dt).astype(I64)
        short = d < 1
        if short.any():
            raise fail(f"Projection '{prj.label}'", "delay", prj.delay[short][:3],
                       f"delays must be at least the time step dt = {self.dt} ms")
        return d

    def _build_rules(self, prjs) -> None:
        plastic = [p for p in prjs if p.synapse.plastic]
        nr = len(plastic)
        self.rule_par = np.zeros((nr, 5), I64)     # a2_plus, a2_minus, w_min, w_max, multiplicative
        self.hdr_off = np.zeros(nr, I64)
        luts_p, luts_m = [], []
        self.lutp_off, self.lutm_off = np.zeros(nr + 1, I64), np.zeros(nr + 1, I64)
        h = 0
        post_tau = {}
        for r, p in enumerate(plastic):
            self.prj_rule[p.index] = r
            td, wd = p.synapse.timing_dependence, p.synapse.weight_dependence
            g = INPUTS.get(p.post.celltype.code, ("exp", 1.0))[1]
            o = f"Projection '{p.label}' (timing='spinnaker')"
            if wd.multiplicative_depression and not wd.multiplicative:
                raise NotSupportedError(f"{o}: {type(wd).__name__} is not one of sPyNNaker's weight dependences "
                                        "emulated here (additive, multiplicative)")
            self.rule_par[r] = (s1615(o, "A_plus", td.A_plus * g), s1615(o, "A_minus", td.A_minus * g),
                                s1615(o, "w_min", wd.w_min * g), s1615(o, "w_max", wd.w_max * g),
                                1 if wd.multiplicative else 0)
            previous = post_tau.setdefault(p.post.index, td.tau_minus)
            if previous != td.tau_minus:
                raise NotSupportedError(f"{o}: a population's plastic projections share one post-synaptic trace on "
                                        f"SpiNNaker; tau_minus {td.tau_minus} differs from {previous}")
            self.hdr_off[r] = h
            h += p.pre.size
            luts_p.append(exp_lut(self.dt, td.tau_plus))
            luts_m.append(exp_lut(self.dt, td.tau_minus))
            self.lutp_off[r + 1] = self.lutp_off[r] + luts_p[-1].size
            self.lutm_off[r + 1] = self.lutm_off[r] + luts_m[-1].size
            if p.delay.size and np.rint(p.delay[0] / self.dt) >= 1 << 4:
                self.report.parameters.append(f"{p.label}: a plastic delay of {p.delay[0]} ms takes a delay "
                                              "extension on a board, whose STDP timing is not emulated")
        self.lut_plus = np.concatenate(luts_p) if luts_p else np.zeros(0, I64)
        self.lut_minus = np.concatenate(luts_m) if luts_m else np.zeros(0, I64)
        self.hdr_time = np.zeros(h, I64)
        self.hdr_trace = np.zeros(h, I64)
        self.post_lut = np.full(self.n, -1, I64)       # which rule's tau_minus table a neuron's post trace uses
        for r, p in enumerate(plastic):
            lo, hi = self.pop_lo[p.post.index], self.pop_hi[p.post.index]
            self.post_lut[lo:hi] = r
        self.hist_t = np.zeros((self.n if nr else 0, POST_EVENTS), I64)
        self.hist_tr = np.zeros((self.n if nr else 0, POST_EVENTS), I64)
        self.hist_cnt = np.zeros(self.n if nr else 0, I64)

    def clear_dynamics(self) -> None:
        """Empty the ring buffers, STDP row headers and post histories (weights stay)."""
        self.ring[...] = 0
        self.hdr_time[...] = 0
        self.hdr_trace[...] = 0
        self.hist_t[...] = 0
        self.hist_tr[...] = 0
        self.hist_cnt[...] = 0

    def state(self, variable, lo, hi) -> np.ndarray:
        """A state variable of neurons ``lo..hi-1`` as a float (s16.15 / 2^15; conductances in uS)."""
        if variable == "v":
            bits = self.V[lo:hi]
        elif variable == "u":
            bits = self.U[lo:hi]
        else:
            bits = self.syn[0 if variable.endswith("exc") else 1, lo:hi]
            if variable.startswith("gsyn"):
                bits = bits >> 10
        return bits / 32768.0

    def weights(self, prj) -> np.ndarray:
        """A projection's weights as the board reads them back: ``w16 / weight_scale``."""
        return self.syn_w[self.syn_lo[prj.index]:self.syn_hi[prj.index]] / self.scale[prj.index]


def source_ticks(times, dt) -> np.ndarray:
    """SpikeSourceArray times (ms) as sPyNNaker's ticks: ``ceil(floor(t 1000) / ts_us)`` in float64."""
    ts_us = dt * 1000.0
    return np.ceil(np.floor(np.asarray(times, dtype=float) * 1000.0) / ts_us).astype(I64)


__all__ = ["VERSION", "FixedNetwork", "BoardReport", "s1615", "s1615_array", "fixed_currents", "exp_lut", "ring_buffer_shifts", "source_ticks",
           "generated_weight", "listed_weights", "ValidationError"]
