"""Flatten a :class:`~neuromem.core.network.Network` into the typed arrays the
kernels read (see :mod:`neuromem.core.kernels` for the layout)."""
from __future__ import annotations

import functools
import math

import numpy as np

from .._checks import fail
from ..errors import NotSupportedError
from .cells import (EIF_cond_alpha_isfa_ista, EIF_cond_exp_isfa_ista, HH_cond_exp, IF_cond_alpha, IF_cond_exp,
                    IF_cond_exp_gsfa_grr, IF_curr_alpha, IF_curr_delta, IF_curr_exp, Izhikevich)
from .kernels import neurons as K
from .kernels.plasticity import ELIG_SCALE, N_RULE_PAR, STDP, THREE_FACTOR, ZERO_LAG_DEPRESS
from .synapses import ThreeFactorSynapse

I64 = np.int64

#: state variable name -> state row, per cell type
STATE_ROWS = {
    "IF_curr_exp": {"v": K.V, "isyn_exc": K.IE, "isyn_inh": K.II},
    "IF_cond_exp": {"v": K.V, "gsyn_exc": K.IE, "gsyn_inh": K.II},
    "IF_curr_alpha": {"v": K.V, "isyn_exc": K.IE, "isyn_inh": K.II},
    "IF_cond_alpha": {"v": K.V, "gsyn_exc": K.IE, "gsyn_inh": K.II},
    "IF_cond_exp_gsfa_grr": {"v": K.V, "gsyn_exc": K.IE, "gsyn_inh": K.II, "g_s": K.U, "g_r": K.DIE},
    "IF_curr_delta": {"v": K.V},
    "EIF_cond_exp_isfa_ista": {"v": K.V, "w": K.U, "gsyn_exc": K.IE, "gsyn_inh": K.II},
    "EIF_cond_alpha_isfa_ista": {"v": K.V, "w": K.U, "gsyn_exc": K.IE, "gsyn_inh": K.II},
    "HH_cond_exp": {"v": K.V, "m": K.U, "h": K.DIE, "n": K.DII, "gsyn_exc": K.IE, "gsyn_inh": K.II},
    "Izhikevich": {"v": K.V, "u": K.U},
}
TIMINGS = ("nest", "spinnaker", "arrival")
#: time stamp of a trace that was never set
NEVER = -(1 << 40)


def lif_parameters(values: dict, dt: float) -> dict[int, np.ndarray]:
    r"""Exact-integration propagators of IF_curr_exp for step ``dt``.

    :math:`P_{22} = e^{-h/\tau_m}`, :math:`P_{11} = e^{-h/\tau_s}`,
    :math:`P_{21} = \frac{\tau_s \tau_m}{c_m (\tau_m - \tau_s)} (P_{22} - P_{11})`
    (limit :math:`\frac{h}{c_m} e^{-h/\tau_m}` when :math:`\tau_s = \tau_m`),
    :math:`P_{20} = \frac{\tau_m}{c_m}(1 - P_{22})` (Rotter & Diesmann 1999).
    """
    tm, cm = values["tau_m"], values["cm"]
    p22 = np.exp(-dt / tm)
    rows = {K.P22: p22, K.P20: tm / cm * (1.0 - p22), K.VREST: values["v_rest"],
            K.VRESET: values["v_reset"], K.VTHRESH: values["v_thresh"], K.IOFFSET: values["i_offset"]}
    for ts, r11, r21 in ((values["tau_syn_E"], K.P11E, K.P21E), (values["tau_syn_I"], K.P11I, K.P21I)):
        p11 = np.exp(-dt / ts)
        same = np.isclose(ts, tm, rtol=1e-12, atol=0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            p21 = np.where(same, dt / cm * p22, ts * tm / (cm * np.where(same, 1.0, tm - ts)) * (p22 - p11))
        rows[r11], rows[r21] = p11, p21
    rows[K.INITE] = values["tau_syn_E"] / dt * (1.0 - np.exp(-dt / values["tau_syn_E"]))
    rows[K.INITI] = values["tau_syn_I"] / dt * (1.0 - np.exp(-dt / values["tau_syn_I"]))
    return rows


def cond_parameters(values: dict, dt: float) -> dict[int, np.ndarray]:
    r"""IF_cond_exp parameter rows for step ``dt``: :math:`g_L = c_m / \tau_m`, :math:`1/c_m`, the reversal
    potentials, the conductance decays :math:`e^{-dt/\tau_x}` and step-mean factors
    :math:`\frac{\tau_x}{dt}(1 - e^{-dt/\tau_x})` (see :func:`~neuromem.core.kernels.neurons.cond_step`)."""
    rows = {K.GLEAK: values["cm"] / values["tau_m"], K.INV_CM: 1.0 / values["cm"], K.EREV_E: values["e_rev_E"],
            K.EREV_I: values["e_rev_I"], K.VREST: values["v_rest"], K.VRESET: values["v_reset"],
            K.VTHRESH: values["v_thresh"], K.IOFFSET: values["i_offset"]}
    for ts, r11, rmean in ((values["tau_syn_E"], K.P11E, K.INITE), (values["tau_syn_I"], K.P11I, K.INITI)):
        rows[r11] = np.exp(-dt / ts)
        rows[rmean] = ts / dt * (1.0 - rows[r11])
    return rows


def cond_sfa_rr_parameters(values: dict, dt: float) -> dict[int, np.ndarray]:
    r"""IF_cond_exp_gsfa_grr parameter rows: those of :func:`cond_parameters` and, for the adaptation and relative
    refractory conductances, the reversal potential, the decay :math:`e^{-dt/\tau}`, the step-mean factor and the
    increment per spike (nS; see :func:`~neuromem.core.kernels.neurons.cond_sfa_rr_step`)."""
    rows = cond_parameters(values, dt)
    for x, erev, decay, mean, q in (("sfa", K.EREV_SFA, K.P_SFA, K.M_SFA, K.Q_SFA), ("rr", K.EREV_RR, K.P_RR, K.M_RR,
                                                                                       K.Q_RR)):
        tau = values[f"tau_{x}"]
        rows[erev], rows[decay], rows[q] = values[f"e_rev_{x}"], np.exp(-dt / tau), values[f"q_{x}"]
        rows[mean] = tau / dt * (1.0 - rows[decay])
    return rows


def cond_alpha_parameters(values: dict, dt: float) -> dict[int, np.ndarray]:
    r"""IF_cond_alpha parameter rows: those of :func:`cond_parameters` and, per receptor, the step-mean factor of
    the conductance's derivative :math:`M_1 = \frac{\tau^2 (1 - e^{-dt/\tau}) - \tau\, dt\, e^{-dt/\tau}}{dt}`
    and the input scale :math:`e / \tau` (see :func:`~neuromem.core.kernels.neurons.cond_alpha_step`)."""
    rows = cond_parameters(values, dt)
    for ts, r11, r1, rpsc in ((values["tau_syn_E"], K.P11E, K.M1E, K.GPSCE), (values["tau_syn_I"], K.P11I, K.M1I,
                                                                              K.GPSCI)):
        rows[r1] = (ts * ts * (1.0 - rows[r11]) - ts * dt * rows[r11]) / dt
        rows[rpsc] = np.e / ts
    return rows


def alpha_parameters(values: dict, dt: float) -> dict[int, np.ndarray]:
    r"""Exact propagators of IF_curr_alpha for step ``h = dt`` (Rotter & Diesmann 1999; NEST ``iaf_psc_alpha``).

    With :math:`a = 1/\tau_s - 1/\tau_m`: :math:`P_{33} = e^{-h/\tau_m}`, :math:`P_{11} = e^{-h/\tau_s}`,
    :math:`P_{32} = \frac{P_{33} - P_{11}}{c_m a}`, :math:`P_{31} = \frac{P_{33} - P_{11}(1 + a h)}{c_m a^2}`
    (limits :math:`\frac{h}{c_m} P_{33}` and :math:`\frac{h^2}{2 c_m} P_{33}` when :math:`\tau_s = \tau_m`),
    :math:`P_{30} = \frac{\tau_m}{c_m}(1 - P_{33})`, and the input scale :math:`e / \tau_s`.
    """
    tm, cm = values["tau_m"], values["cm"]
    p33 = np.exp(-dt / tm)
    rows = {K.P33: p33, K.P30: tm / cm * (1.0 - p33), K.VREST: values["v_rest"], K.VRESET: values["v_reset"],
            K.VTHRESH: values["v_thresh"], K.IOFFSET: values["i_offset"]}
    for ts, r11, r31, r32, rpsc in ((values["tau_syn_E"], K.P11E, K.P31E, K.P32E, K.PSCE),
                                    (values["tau_syn_I"], K.P11I, K.P31I, K.P32I, K.PSCI)):
        p11 = np.exp(-dt / ts)
        a = 1.0 / ts - 1.0 / tm
        same = np.isclose(ts, tm, rtol=1e-12, atol=0.0)
        safe = np.where(same, 1.0, a)
        rows[r11] = p11
        rows[r32] = np.where(same, dt / cm * p33, (p33 - p11) / (cm * safe))
        rows[r31] = np.where(same, dt * dt / (2.0 * cm) * p33, (p33 - p11 * (1.0 + safe * dt)) / (cm * safe * safe))
        rows[rpsc] = np.e / ts
    return rows


def izhikevich_parameters(values: dict) -> dict[int, np.ndarray]:
    """Izhikevich parameter rows; ``I_e`` in the paper's units (1000 x nA)."""
    return {K.IZ_A: values["a"], K.IZ_B: values["b"], K.IZ_C: values["c"], K.IZ_D: values["d"],
            K.IZ_IE: 1000.0 * values["i_offset"]}


def pair_rule_row(td, wd) -> tuple:
    """The rule columns TAU_P .. MULT of a pair rule: additive amplitudes are scaled by w_max (PyNN's convention);
    MULT is 0 additive, 1 multiplicative, 2 additive potentiation with multiplicative depression."""
    scale_p = 1.0 if wd.multiplicative else wd.w_max
    scale_m = 1.0 if wd.multiplicative_depression else wd.w_max
    return (td.tau_plus, td.tau_minus, td.A_plus * scale_p, td.A_minus * scale_m, wd.w_min, wd.w_max,
            1.0 if wd.multiplicative else 2.0 if wd.multiplicative_depression else 0.0)


#: the dynamic state of a compiled network (what a simulator saves and restores)
STATE_ARRAYS = ("st", "refr", "ring", "hist", "hist_n", "syn_w", "kp_val", "kp_t", "km_val", "km_t", "elig", "modv",
                "tm_st", "tm_last")


#: neurons per 64-byte cache line of a float64 or int64 array: the per-neuron state arrays are padded to whole lines
#: and start on one, so that threads whose neurons start at multiples of this never write to one cache line (such
#: false sharing made two threads slower than one on small networks)
LINE = 8


def whole_lines(count) -> int:
    """``count`` rounded up to a whole number of :data:`LINE`-entry cache lines."""
    return -(-int(count) // LINE) * LINE


def aligned_zeros(shape, dtype=np.float64) -> np.ndarray:
    """Zeros whose first element starts a 64-byte cache line (a C-contiguous view of a slightly longer array)."""
    dtype = np.dtype(dtype)
    count = int(np.prod(shape))
    buf = np.zeros(count + 64 // dtype.itemsize, dtype)
    skip = (-buf.ctypes.data % 64) // dtype.itemsize
    return buf[skip:skip + count].reshape(shape)


def steps_of(owner: str, name: str, duration: float, dt: float) -> int:
    """``duration`` (ms) as a whole number of steps ``dt``; refused when it is not one (to 1e-9 relative)."""
    steps = round(duration / dt)
    if abs(steps * dt - duration) > 1e-9 * max(1.0, abs(duration)):
        lower, upper = math.floor(duration / dt) * dt, math.ceil(duration / dt) * dt
        raise fail(owner, name, duration, f"expected a whole number of time steps dt = {dt} ms, "
                   f"e.g. {lower:.10g} or {upper:.10g}")
    return int(steps)


#: the longest delay, in steps, a ring buffer is made for
MAX_DELAY_STEPS = 1 << 20


def delay_steps(owner: str, delay: np.ndarray, dt: float) -> np.ndarray:
    """Delays in whole steps (rounded to the nearest, as NEST does); a delay below one step is refused (NEST
    refuses one below its resolution), as is one longer than :data:`MAX_DELAY_STEPS` steps."""
    short = delay < dt * (1.0 - 1e-9)
    if short.any():
        raise fail(owner, "delay", delay[short][:3], f"delays must be at least the time step dt = {dt} ms")
    long = delay / dt > MAX_DELAY_STEPS
    if long.any():
        raise fail(owner, "delay", delay[long][:3], f"delays must be at most {MAX_DELAY_STEPS} steps "
                   f"({MAX_DELAY_STEPS * dt:g} ms at dt = {dt} ms)")
    return np.rint(delay / dt).astype(I64)


#: a projection at least this large gives the memory of its moved arrays back at once (not at the end)
RELEASE_MIN_SYNAPSES = 1 << 16


def release_freed_memory() -> None:
    """Give freed heap memory back to the system (glibc's ``malloc_trim``; elsewhere nothing).

    glibc serves arrays up to 32 MiB from its heap once larger ones were freed, and keeps what is freed there:
    without this, the arrays a projection gave up when moved into the compiled network would stay resident
    beside their new copy until the build ended."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


@functools.cache
def _glibc():
    """The C library if it is glibc (loaded on first use, not when neuromem is imported), else None."""
    import ctypes
    try:
        libc = ctypes.CDLL("libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:     # not glibc
        return None


class CompiledNetwork:
    """The typed arrays of one network for one time step ``dt``."""

    def __init__(self, network, dt: float, timing: str = "nest", carry=None):
        """``carry = (old, step)``: the compiled network of a simulator at ``step`` before populations or
        projections were added; its state is carried over for the neurons and synapses it had."""
        self.dt = dt
        self.timing = timing
        pops = network.populations
        self.pop_lo = np.zeros(len(pops), I64)
        self.pop_hi = np.zeros(len(pops), I64)
        off = 0
        for p in pops:
            self.pop_lo[p.index], self.pop_hi[p.index] = off, off + p.size
            off += p.size
        self.n = off
        self.pop_kind = np.array([K.IZH_EULER if getattr(p.celltype, "integration", "") == "euler" else p.celltype.code
                                  for p in pops], I64)
        if timing == "arrival":
            other = [p for p in pops if p.celltype.code in (K.LIF_COND, K.LIF_ALPHA, K.LIF_COND_ALPHA, K.LIF_DELTA,
                                                            K.EIF_COND, K.EIF_COND_ALPHA, K.HH_COND, K.LIF_COND_SFA_RR)]
            if other:
                raise NotSupportedError(f"Population '{other[0].label}': {type(other[0].celltype).__name__} has no "
                                        "timing='arrival' form; run it with timing='nest'")
            self.pop_kind[self.pop_kind == K.LIF] = K.LIF_ARRIVAL
        self.cols = whole_lines(self.n)     # columns of the arrays threads write
        self.st = aligned_zeros((K.N_STATE, self.cols))
        self.par = np.zeros((K.N_PAR, self.n))
        self.refr = aligned_zeros(self.cols, I64)
        self.refr_steps = np.zeros(self.n, I64)
        self.pop_uniform = np.zeros(len(pops), I64)
        self.pop_has_current = np.zeros(len(pops), I64)
        self.pop_has_pin = np.zeros(len(pops), I64)
        self.pin_lam = np.zeros((2, self.n))     # Poisson input: mean events per step, per receptor and neuron
        self.pin_w = np.zeros((2, self.n))
        self.pin_p0 = np.ones((2, self.n))       # exp(-mean count)
        for p in pops:
            self.load_parameters(p)
            self.load_initial(p)
        self._build_synapses(network, dt, carry[0] if carry is not None else None)
        if carry is not None:
            self._carry_state(*carry)

    # -- neurons -----------------------------------------------------------------
    def load_parameters(self, pop) -> None:
        lo, hi = self.pop_lo[pop.index], self.pop_hi[pop.index]
        vals = pop.values
        if isinstance(pop.celltype, IF_curr_exp):
            rows = lif_parameters(vals, self.dt)
            self.refr_steps[lo:hi] = np.rint(vals["tau_refrac"] / self.dt).astype(I64)
        elif isinstance(pop.celltype, IF_curr_alpha):
            rows = alpha_parameters(vals, self.dt)
            self.refr_steps[lo:hi] = np.rint(vals["tau_refrac"] / self.dt).astype(I64)
        elif isinstance(pop.celltype, HH_cond_exp):
            rows = {K.HH_GNA: vals["gbar_Na"], K.HH_GK: vals["gbar_K"], K.HH_GL: vals["g_leak"],
                    K.HH_INV_CM: 1.0 / vals["cm"], K.HH_VT: vals["v_offset"], K.HH_ENA: vals["e_rev_Na"],
                    K.HH_EK: vals["e_rev_K"], K.HH_EL: vals["e_rev_leak"], K.HH_EE: vals["e_rev_E"],
                    K.HH_EI: vals["e_rev_I"], K.IOFFSET: vals["i_offset"], K.P11E: np.exp(-self.dt / vals["tau_syn_E"]),
                    K.P11I: np.exp(-self.dt / vals["tau_syn_I"])}
            self.refr_steps[lo:hi] = int(round(HH_cond_exp.refractory / self.dt))
        elif isinstance(pop.celltype, (EIF_cond_exp_isfa_ista, EIF_cond_alpha_isfa_ista)):
            rows = cond_parameters(vals, self.dt)
            rows.update({K.V_PEAK: vals["v_spike"], K.DELTA_T: vals["delta_T"], K.EIF_A: vals["a"] * 1e-3,
                         K.EIF_B: vals["b"], K.TAU_W: vals["tau_w"], K.EIF_PSCE: np.e / vals["tau_syn_E"],
                         K.EIF_PSCI: np.e / vals["tau_syn_I"]})
            self.refr_steps[lo:hi] = np.rint(vals["tau_refrac"] / self.dt).astype(I64)
        elif isinstance(pop.celltype, IF_curr_delta):
            tm, cm = vals["tau_m"], vals["cm"]
            p22 = np.exp(-self.dt / tm)
            rows = {K.P22: p22, K.P20: tm / cm * (1.0 - p22), K.VREST: vals["v_rest"], K.VRESET: vals["v_reset"],
                    K.VTHRESH: vals["v_thresh"], K.IOFFSET: vals["i_offset"]}
            self.refr_steps[lo:hi] = np.rint(vals["tau_refrac"] / self.dt).astype(I64)
        elif isinstance(pop.celltype, IF_cond_exp_gsfa_grr):
            rows = cond_sfa_rr_parameters(vals, self.dt)
            self.refr_steps[lo:hi] = np.rint(vals["tau_refrac"] / self.dt).astype(I64)
        elif isinstance(pop.celltype, IF_cond_alpha):
            rows = cond_alpha_parameters(vals, self.dt)
            self.refr_steps[lo:hi] = np.rint(vals["tau_refrac"] / self.dt).astype(I64)
        elif isinstance(pop.celltype, IF_cond_exp):
            rows = cond_parameters(vals, self.dt)
            self.refr_steps[lo:hi] = np.rint(vals["tau_refrac"] / self.dt).astype(I64)
        elif isinstance(pop.celltype, Izhikevich):
            rows = izhikevich_parameters(vals)
        else:
            return
        for r, v in rows.items():
            self.par[r, lo:hi] = v
        uniform = all(np.ptp(self.par[r, lo:hi]) == 0 for r in rows) and np.ptp(self.refr_steps[lo:hi]) == 0
        self.pop_uniform[pop.index] = int(uniform)
        self.pop_has_current[pop.index] = int(bool(pop.sources))
        self._load_poisson_inputs(pop, lo, hi)

    def _load_poisson_inputs(self, pop, lo, hi) -> None:
        """``pop``'s Poisson inputs as the mean count per step and the weight of each receptor."""
        self.pin_lam[:, lo:hi] = 0.0
        self.pin_w[:, lo:hi] = 0.0
        for src in pop.poisson_inputs:
            r = 0 if src.receptor_type == "excitatory" else 1
            if self.pin_lam[r, lo] and self.pin_w[r, lo] != src.weight:
                raise fail(pop.owner, "poisson_inputs", pop.poisson_inputs,
                           f"inputs on one receptor ({src.receptor_type}) must share a weight: give one PoissonInput "
                           "with the summed rate")
            self.pin_lam[r, lo:hi] += src.rate * self.dt / 1000.0
            self.pin_w[r, lo:hi] = src.weight
        if self.pin_lam[:, lo].max(initial=0.0) > 500.0:
            raise fail(pop.owner, "poisson_inputs", pop.poisson_inputs,
                       f"at most 500 events per step on average (rate x dt); got {self.pin_lam[:, lo].max():g}")
        self.pin_p0[:, lo:hi] = np.exp(-self.pin_lam[:, lo:hi])
        self.pop_has_pin[pop.index] = int(bool(pop.poisson_inputs))

    def load_initial(self, pop, variables=None) -> None:
        """Load ``pop.initial`` into the state (all variables, refractory counters cleared; or only ``variables``)."""
        lo, hi = self.pop_lo[pop.index], self.pop_hi[pop.index]
        for name, row in STATE_ROWS.get(type(pop.celltype).__name__, {}).items():
            if variables is None or name in variables:
                self.st[row, lo:hi] = pop.initial[name]
        if variables is None:
            self.refr[lo:hi] = 0

    def clear_dynamics(self) -> None:
        """Empty the delay buffers, spike history, traces, eligibility and modulators (weights stay)."""
        self.ring[...] = 0.0
        self.hist_n[...] = 0
        self.kp_val[...] = 0.0
        self.km_val[...] = 0.0
        self.kp_t[...] = NEVER
        self.km_t[...] = NEVER
        self.elig[...] = 0.0
        self.modv[...] = 0.0
        self.tm_st[...] = 0.0
        self.tm_st[0] = 1.0
        self.tm_last[...] = 0.0
        self.rule_par[:, ELIG_SCALE] = 1.0

    def _carry_state(self, old, step) -> None:
        """Copy ``old``'s state at ``step`` into this (grown, or re-delayed) network: neurons and synapses keep
        their indices (new populations and projections come after the old ones), pending deliveries move to
        their slots in the (possibly longer, never shorter) ring buffer, the spike history of the steps plasticity can
        still look back on likewise."""
        n, s = old.n, old.syn_w.size
        if old.ring_len > self.ring_len:     # delays were shortened: keep room for what is in flight
            self.ring_len, self.mask = old.ring_len, old.mask
            self.ring = aligned_zeros((self.ring_len, 2, self.cols))
            self.hist = np.zeros((self.ring_len, self.n), I64)
            self.hist_n = np.zeros(self.ring_len, I64)
        self.st[:, :n] = old.st[:, :n]
        self.refr[:n] = old.refr[:n]
        self.syn_w[:s] = old.syn_w
        if old.elig.size:
            self.elig[:s] = old.elig
        if old.tm_last.size:
            self.tm_st[:, :s] = old.tm_st
            self.tm_last[:s] = old.tm_last
        for k in ("kp_val", "kp_t", "km_val", "km_t"):
            getattr(self, k)[:getattr(old, k).size] = getattr(old, k)
        r = old.modv.size
        self.modv[:r] = old.modv
        self.rule_par[:r, ELIG_SCALE] = old.rule_par[:, ELIG_SCALE]
        for k in range(step, step + old.ring_len):          # deliveries due now and later
            self.ring[k & self.mask, :, :n] = old.ring[k & old.mask, :, :n]
        for k in range(step - old.ring_len + 1, step + 1):   # spikes of the steps before
            self.hist_n[k & self.mask] = old.hist_n[k & old.mask]
            self.hist[k & self.mask, :old.hist.shape[1]] = old.hist[k & old.mask]

    # -- synapses ----------------------------------------------------------------
    def _build_synapses(self, network, dt, carry_from=None) -> None:
        """The synapses of all projections in one CSR (rows: pre neurons, projection after projection).

        A projection that holds its own arrays (or those of ``carry_from``, the compiled network this one
        replaces) is moved in, not copied: its ``post_idx`` and ``weight`` become views of these arrays, and its own
        are freed projection by projection, so the synapses are never held twice (see
        :class:`~neuromem.core.network.Projection`).  Delays are held in steps as int16 when every delay fits."""
        prjs = network.projections
        n = len(prjs)
        self.prj_pre_pop = np.array([p.pre.index for p in prjs], I64)
        self.prj_post_pop = np.array([p.post.index for p in prjs], I64)
        self.prj_post_lo = self.pop_lo[self.prj_post_pop]
        self.prj_post_n = np.array([p.post.size for p in prjs], I64)
        self.prj_rec = np.array([0 if p.receptor_type == "excitatory" else 1 for p in prjs], I64)
        self.prj_dense = np.array([1 if p.dense else 0 for p in prjs], I64)
        self.prj_delay = np.zeros(n, I64)
        self.prj_row_off = np.zeros(n, I64)
        self.syn_lo = np.zeros(n, I64)
        self.syn_hi = np.zeros(n, I64)
        sizes = [len(p) for p in prjs]
        total = sum(sizes)
        longest = max((float(p.delay.max()) for p in prjs if len(p)), default=dt)
        self.rowptr = np.empty(sum(p.pre.size + 1 for p in prjs), I64)
        self.syn_post = np.empty(total, np.int32)
        self.syn_w = np.empty(total)
        self.syn_d = np.empty(total, np.int16 if longest / dt < np.iinfo(np.int16).max else np.int32)
        row_off = syn_off = 0
        max_delay = 1
        prj_min_delay = np.full(n, MAX_DELAY_STEPS, I64)
        for p, size in zip(prjs, sizes):
            lo, hi = syn_off, syn_off + size
            self.rowptr[row_off:row_off + p.pre.size + 1] = syn_off + p.row_ptr
            self.prj_row_off[p.index] = row_off
            row_off += p.pre.size + 1
            self.syn_lo[p.index], self.syn_hi[p.index] = lo, hi
            syn_off = hi
            d = self.syn_d[lo:hi]
            if size:
                for a in range(0, size, 1 << 20):    # in pieces: no temporary as long as the projection
                    d[a:a + (1 << 20)] = delay_steps(p.owner, p.delay[a:a + (1 << 20)], dt)
                max_delay = max(max_delay, int(d.max()))
                prj_min_delay[p.index] = int(d.min())
            self.prj_delay[p.index] = d[0] if size and (d == d[0]).all() else (1 if not size else -1)
            self.syn_post[lo:hi] = p.post_idx
            self.syn_w[lo:hi] = p.weight
            if p.host is None or p.host is carry_from:
                p.post_idx, p.weight, p.host = self.syn_post[lo:hi], self.syn_w[lo:hi], self
                if size >= RELEASE_MIN_SYNAPSES:
                    release_freed_memory()
        self._mark_inline(prj_min_delay)
        self._build_short_term(prjs)
        self.ring_len = 1 << max(1, math.ceil(math.log2(max_delay + 1)))
        self.mask = self.ring_len - 1
        self.ring = aligned_zeros((self.ring_len, 2, self.cols))
        self.hist = np.zeros((self.ring_len, self.n), I64)
        self.hist_n = np.zeros(self.ring_len, I64)
        self._build_rules(prjs, dt)

    def _mark_inline(self, prj_min_delay) -> None:
        """Which projections a thread of the epoch kernel delivers as it goes (``prj_inline``), and the shortest
        delay of the others (``epoch_delay``, the longest epoch they allow).

        A spike source's events are known before the run, so its projection onto a population that receives
        nothing from computed neurons is delivered step by step by the thread that owns the targets, in the serial
        order (a step's spikes projection by projection), whatever its delay; such projections do not bound the
        epoch.  A projection onto a population that also receives from neurons travels with them at the epoch's
        end, so that each target still sums its inputs in the serial order."""
        neuron_pre = np.isin(self.pop_kind[self.prj_pre_pop], K.NEURON_KINDS)
        fed_by_neurons = np.isin(self.prj_post_pop, self.prj_post_pop[neuron_pre])
        self.prj_inline = (~neuron_pre & ~fed_by_neurons).astype(I64)
        self.epoch_delay = int(prj_min_delay[self.prj_inline == 0].min(initial=MAX_DELAY_STEPS))

    def _build_short_term(self, prjs) -> None:
        """Per-synapse Tsodyks-Markram parameters and state (empty when no projection has them)."""
        # 0: static weights; 1: Tsodyks-Markram; 2: transmission with probability p
        self.prj_tm = np.array([0 if not p.synapse.short_term else 2 if "p" in p.synapse.per_synapse else 1
                                for p in prjs], I64)
        n = self.syn_w.size if self.prj_tm.any() else 0
        self.tm_par = np.zeros((4, n))
        self.tm_st = np.zeros((3, n))
        self.tm_last = np.zeros(n)
        self.tm_st[0] = 1.0                                         # all resources recovered
        for p in prjs:
            if p.synapse.short_term:
                self.load_short_term(p)

    def load_short_term(self, p) -> None:
        """Load projection ``p``'s Tsodyks-Markram parameters (its synapses' state stays)."""
        if not p.synapse.short_term:
            return
        from .kernels.propagation import TM_FAC, TM_PSC, TM_REC, TM_U
        lo, hi = self.syn_lo[p.index], self.syn_hi[p.index]
        if "p" in p.short_term:
            self.tm_par[TM_U, lo:hi] = p.short_term["p"]
            return
        key = "tau_syn_E" if p.receptor_type == "excitatory" else "tau_syn_I"
        if key not in p.post.values:
            raise NotSupportedError(f"{p.owner}: a TsodyksMarkramSynapse needs a postsynaptic cell with a synaptic "
                                    f"time constant ({key}); {type(p.post.celltype).__name__} has none")
        tau_psc = p.post.values[key][p.post_idx]
        clash = np.isclose(tau_psc, p.short_term["tau_rec"], rtol=1e-12, atol=0.0)
        if clash.any():
            raise fail(p.owner, "tau_rec", p.short_term["tau_rec"][clash][:3],
                       f"must differ from the postsynaptic {key} (the model divides by their difference)")
        self.tm_par[TM_U, lo:hi] = p.short_term["U"]
        self.tm_par[TM_REC, lo:hi] = p.short_term["tau_rec"]
        self.tm_par[TM_FAC, lo:hi] = p.short_term["tau_facil"]
        self.tm_par[TM_PSC, lo:hi] = tau_psc

    def load_rule(self, p) -> None:
        """Reload plastic projection ``p``'s pair-rule parameters (changed between runs)."""
        r = self.rule_of.get(p.index)
        if r is not None:
            self.rule_par[r, :7] = pair_rule_row(p.synapse.timing_dependence, p.synapse.weight_dependence)

    def _build_rules(self, prjs, dt) -> None:
        plastic = [p for p in prjs if p.synapse.plastic]
        nr = len(plastic)
        self.rule_kind = np.zeros(nr, I64)
        self.rule_par = np.zeros((nr, N_RULE_PAR))
        self.rule_prj = np.array([p.index for p in plastic], I64)
        self.rule_of = {p.index: r for r, p in enumerate(plastic)}
        self.kp_off = np.zeros(nr, I64)
        self.km_off = np.zeros(nr, I64)
        self.col_off = np.zeros(nr, I64)
        colptrs, colsyns, colpres = [], [], []
        kp = km = co = 0
        any_three = False
        for r, p in enumerate(plastic):
            syn, td, wd = p.synapse, p.synapse.timing_dependence, p.synapse.weight_dependence
            three = isinstance(syn, ThreeFactorSynapse)
            any_three |= three
            self.rule_kind[r] = THREE_FACTOR if three else STDP
            row = self.rule_par[r]
            row[:8] = (*pair_rule_row(td, wd), 1.0)
            row[11] = 1.0
            row[ZERO_LAG_DEPRESS] = 1.0 if self.timing == "arrival" else 0.0
            row[ELIG_SCALE] = 1.0
            if three:
                every = int(round(syn.update_interval / dt))
                if every < 1 or abs(every * dt - syn.update_interval) > 1e-9 * max(1.0, syn.update_interval):
                    raise fail(p.owner, "update_interval", syn.update_interval,
                               f"expected a positive multiple of dt = {dt} ms")
                row[7:12] = (syn.tau_eligibility, syn.learning_rate, syn.baseline, syn.tau_modulator, every)
            self.kp_off[r], self.km_off[r], self.col_off[r] = kp, km, co
            kp += p.pre.size
            km += p.post.size
            co += p.post.size + 1
            order = np.argsort(p.post_idx, kind="stable")
            counts = np.bincount(p.post_idx, minlength=p.post.size)
            colptrs.append(np.concatenate(([0], np.cumsum(counts))).astype(I64) + sum(c.size for c in colsyns))
            colsyns.append(self.syn_lo[p.index] + order.astype(I64))
            colpres.append(p.pre_idx[order].astype(I64))
        cat = lambda xs: np.ascontiguousarray(np.concatenate(xs)).astype(I64) if xs else np.zeros(0, I64)
        self.colptr, self.colsyn, self.colpre = cat(colptrs), cat(colsyns), cat(colpres)
        self.kp_val, self.kp_t = np.zeros(kp), np.full(kp, NEVER, I64)
        self.km_val, self.km_t = np.zeros(km), np.full(km, NEVER, I64)
        self.elig = np.zeros(self.syn_w.size if any_three else 0)
        self.modv = np.zeros(nr)
        self.mod_decay = np.array([math.exp(-dt / self.rule_par[r, 10]) if self.rule_kind[r] == THREE_FACTOR
                                   and self.rule_par[r, 10] > 0 else 1.0 for r in range(nr)])
