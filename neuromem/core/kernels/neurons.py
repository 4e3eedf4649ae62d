"""Neuron update kernels: one step for a contiguous range of neurons.

The cell kinds the step loop dispatches on, and the Izhikevich spike peak, are declared
here once; :mod:`neuromem.core.cells` and the backends read them from here.
"""
import math

from numba import njit

from . import inner

#: cell kinds (``CellType.code``); LIF_ARRIVAL is IF_curr_exp under ``timing="arrival"``, IZH_EULER Izhikevich with
#: ``integration="euler"``
(LIF, IZHIKEVICH, SOURCE_ARRAY, SOURCE_POISSON, LIF_ARRIVAL, LIF_COND, LIF_DELTA, LIF_ALPHA, LIF_COND_ALPHA, EIF_COND,
 EIF_COND_ALPHA, HH_COND, IZH_EULER, LIF_COND_SFA_RR) = range(14)
#: the kinds the float engine updates (the others are spike sources)
NEURON_KINDS = (LIF, IZHIKEVICH, LIF_ARRIVAL, LIF_COND, LIF_ALPHA, LIF_COND_ALPHA, LIF_DELTA, EIF_COND, EIF_COND_ALPHA,
                HH_COND, IZH_EULER, LIF_COND_SFA_RR)

# state rows (DIE, DII: the derivatives of the alpha-shaped currents)
V, U, IE, II, DIE, DII = 0, 1, 2, 3, 4, 5
N_STATE = 6
# IF_curr_exp parameter rows (exact-integration propagators, Rotter & Diesmann 1999)
P22, P21E, P21I, P11E, P11I, P20, VREST, VRESET, VTHRESH, IOFFSET, INITE, INITI = range(12)
# IF_cond_exp parameter rows: leak conductance (uS), reversal potentials (mV), 1/c_m (1/nF); the conductance
# decays, rest, reset, threshold, offset and the step means of the conductances share IF_curr_exp's rows
GLEAK, EREV_E, EREV_I, INV_CM = P22, P21E, P21I, P20
# IF_curr_alpha parameter rows: membrane decay, the current propagators into v (P31 from dI, P32 from I), the
# input scale e / tau_syn (a weight is the current's peak); decays, rest, reset, threshold, offset as IF_curr_exp
P33, P32E, P32I, P30, PSCE, PSCI = P22, P21E, P21I, P20, INITE, INITI
P31E, P31I = 12, 13
# IF_cond_alpha parameter rows: the step means of an alpha conductance from g (M0, IF_cond_exp's factor) and from
# its derivative (M1), and the input scale e / tau_syn
M0E, M0I, M1E, M1I, GPSCE, GPSCI = INITE, INITI, P31E, P31I, 14, 15
# EIF_cond_exp_isfa_ista parameter rows (besides IF_cond_exp's): spike cut-off, slope factor, adaptation a (uS),
# b (nA) and time constant; the threshold row holds V_T
V_PEAK, DELTA_T, EIF_A, EIF_B, TAU_W = INITE, 12, 13, 14, 15
# HH_cond_exp parameter rows (the conductance decays and offset current in IF_cond_exp's rows); state: m, h, n in
# the rows U, DIE, DII
HH_GNA, HH_GK, HH_GL, HH_INV_CM, HH_VT, HH_ENA, HH_EK, HH_EL, HH_EE, HH_EI = 0, 1, 2, 5, 6, 7, 8, 10, 11, 12
# EIF_cond_alpha_isfa_ista: the input scales e / tau_syn of its alpha conductances
EIF_PSCE, EIF_PSCI = INITI, 16
#: Runge-Kutta substeps per time step of the EIF neuron
EIF_SUBSTEPS = 10
# IF_cond_exp_gsfa_grr parameter rows (besides IF_cond_exp's): the adaptation (sfa) and relative refractory (rr)
# conductances' reversal potentials, decays, step-mean factors and increments (nS); state: g_sfa, g_rr in U, DIE
EREV_SFA, EREV_RR, P_SFA, P_RR, M_SFA, M_RR, Q_SFA, Q_RR = 12, 13, 14, 15, 16, 17, 18, 19
# Izhikevich parameter rows
IZ_A, IZ_B, IZ_C, IZ_D, IZ_IE = range(5)
N_PAR = 20
#: Izhikevich (2003): a spike when v >= 30 mV (NEST's ``V_th`` of ``izhikevich``)
IZH_V_PEAK = 30.0


@inner
def is_neuron(kind):
    """Whether the float engine updates cells of ``kind`` (one of :data:`NEURON_KINDS`) rather than replaying
    a source's spikes."""
    return (kind == LIF or kind == IZHIKEVICH or kind == LIF_ARRIVAL or kind == LIF_COND or kind == LIF_ALPHA
            or kind == LIF_COND_ALPHA or kind == LIF_DELTA or kind == EIF_COND or kind == EIF_COND_ALPHA
            or kind == HH_COND or kind == IZH_EULER or kind == LIF_COND_SFA_RR)


@inner
def fire(lo, hi, v, thresh, reset, rf, rfs, spikes, n_sp):
    """Threshold, reset and refractory clamp of IF_curr_exp neurons ``lo..hi-1``
    (arrays are views from ``lo``); appends spiking neurons, returns the new count."""
    for i in range(hi - lo):
        if v[i] >= thresh[i]:
            v[i] = reset[i]
            rf[i] = rfs[i]
            spikes[n_sp] = lo + i
            n_sp += 1
    return n_sp


@inner
def fire_uniform(lo, hi, v, thresh, reset, rf, rfs, spikes, n_sp):
    """:func:`fire` with one threshold, reset and refractory count for all neurons."""
    for i in range(hi - lo):
        if v[i] >= thresh:
            v[i] = reset
            rf[i] = rfs
            spikes[n_sp] = lo + i
            n_sp += 1
    return n_sp


@inner
def lif_step(lo, hi, st, par, refr, refr_steps, icur, has_current, uniform, in_e, in_i, spikes, n_sp):
    r"""Advance IF_curr_exp neurons ``lo..hi-1`` by one step (NEST ``iaf_psc_exp`` order).

    .. math::
        v \leftarrow v_{rest} + (v - v_{rest}) P_{22} + I_e P_{21,e} - I_i P_{21,i} + I_{ext} P_{20},
        \quad I_x \leftarrow I_x P_{11,x} + \text{arrivals}

    then threshold, reset and refractory clamp.  Spiking neurons are appended
    to ``spikes``; returns the new count.  With ``uniform`` (all parameters of the
    range equal) each parameter is read once, which keeps the working set of a large
    population in cache; ``has_current`` skips the injected-current array when there is none.
    """
    if uniform:
        return _lif_uniform(lo, hi, st, par, refr, refr_steps, icur, has_current, in_e, in_i, spikes, n_sp)
    # 1-D views from 0: with an offset start index LLVM does not vectorise the loop.
    v, ie, ii = st[V, lo:hi], st[IE, lo:hi], st[II, lo:hi]
    rest, p22, p21e, p21i = par[VREST, lo:hi], par[P22, lo:hi], par[P21E, lo:hi], par[P21I, lo:hi]
    p11e, p11i, p20, ioff = par[P11E, lo:hi], par[P11I, lo:hi], par[P20, lo:hi], par[IOFFSET, lo:hi]
    thresh, reset = par[VTHRESH, lo:hi], par[VRESET, lo:hi]
    rf, rfs, ic, xe, xi = refr[lo:hi], refr_steps[lo:hi], icur[lo:hi], in_e[lo:hi], in_i[lo:hi]
    for i in range(hi - lo):
        free = rf[i] == 0
        drive = rest[i] + ioff[i] * p20[i]     # the uniform path's order, so both give the same bits
        v_new = drive + (v[i] - rest[i]) * p22[i] + ie[i] * p21e[i] - ii[i] * p21i[i] + ic[i] * p20[i]
        v[i] = v_new if free else v[i]
        rf[i] = 0 if free else rf[i] - 1
        ie[i] = ie[i] * p11e[i] + xe[i]
        ii[i] = ii[i] * p11i[i] + xi[i]
        xe[i] = 0.0
        xi[i] = 0.0
    return fire(lo, hi, v, thresh, reset, rf, rfs, spikes, n_sp)


@inner
def _lif_uniform(lo, hi, st, par, refr, refr_steps, icur, has_current, in_e, in_i, spikes, n_sp):
    """:func:`lif_step` for a population whose parameters are all equal (scalars stay in registers)."""
    v, ie, ii = st[V, lo:hi], st[IE, lo:hi], st[II, lo:hi]
    rest, p22, p21e, p21i = par[VREST, lo], par[P22, lo], par[P21E, lo], par[P21I, lo]
    p11e, p11i, p20, ioff = par[P11E, lo], par[P11I, lo], par[P20, lo], par[IOFFSET, lo]
    thresh, reset, rfs = par[VTHRESH, lo], par[VRESET, lo], refr_steps[lo]
    rf, ic, xe, xi = refr[lo:hi], icur[lo:hi], in_e[lo:hi], in_i[lo:hi]
    drive = rest + ioff * p20
    if has_current:
        for i in range(hi - lo):
            free = rf[i] == 0
            v_new = drive + (v[i] - rest) * p22 + ie[i] * p21e - ii[i] * p21i + ic[i] * p20
            v[i] = v_new if free else v[i]
            rf[i] = 0 if free else rf[i] - 1
            ie[i] = ie[i] * p11e + xe[i]
            ii[i] = ii[i] * p11i + xi[i]
            xe[i] = 0.0
            xi[i] = 0.0
    else:
        for i in range(hi - lo):
            free = rf[i] == 0
            v_new = drive + (v[i] - rest) * p22 + ie[i] * p21e - ii[i] * p21i
            v[i] = v_new if free else v[i]
            rf[i] = 0 if free else rf[i] - 1
            ie[i] = ie[i] * p11e + xe[i]
            ii[i] = ii[i] * p11i + xi[i]
            xe[i] = 0.0
            xi[i] = 0.0
    return fire_uniform(lo, hi, v, thresh, reset, rf, rfs, spikes, n_sp)


@inner
def lif_step_arrival(lo, hi, st, par, refr, refr_steps, icur, has_current, uniform, in_e, in_i, spikes, n_sp):
    r"""IF_curr_exp in sPyNNaker's order: input arriving on a step acts on that step.

    .. math::
        I_x \leftarrow I_x + \iota_x \cdot \text{arrivals},\quad
        v \leftarrow v_{rest} + (v - v_{rest}) P_{22} + (I_e - I_i + I_{ext}) P_{20},\quad
        I_x \leftarrow I_x P_{11,x}

    with :math:`\iota_x = \frac{\tau_x}{dt}(1 - e^{-dt/\tau_x})`, the factor sPyNNaker
    scales each arriving weight by (its ``init`` of the exponential synapse
    shaping), so that a weight carries the same charge as in continuous time.
    The membrane step holds the current constant over the step (sPyNNaker's
    closed-form LIF update).  Threshold, reset and refractory clamp as :func:`lif_step`; ``uniform`` and
    ``has_current`` as there.
    """
    if uniform:
        return _lif_arrival_uniform(lo, hi, st, par, refr, refr_steps, icur, has_current, in_e, in_i, spikes, n_sp)
    v, ie, ii = st[V, lo:hi], st[IE, lo:hi], st[II, lo:hi]
    rest, p22, p20, ioff = par[VREST, lo:hi], par[P22, lo:hi], par[P20, lo:hi], par[IOFFSET, lo:hi]
    p11e, p11i, inite, initi = par[P11E, lo:hi], par[P11I, lo:hi], par[INITE, lo:hi], par[INITI, lo:hi]
    thresh, reset = par[VTHRESH, lo:hi], par[VRESET, lo:hi]
    rf, rfs, ic, xe, xi = refr[lo:hi], refr_steps[lo:hi], icur[lo:hi], in_e[lo:hi], in_i[lo:hi]
    for i in range(hi - lo):
        ie[i] += xe[i] * inite[i]
        ii[i] += xi[i] * initi[i]
        xe[i] = 0.0
        xi[i] = 0.0
        free = rf[i] == 0
        v_new = rest[i] + (v[i] - rest[i]) * p22[i] + (ie[i] - ii[i] + ioff[i] + ic[i]) * p20[i]
        v[i] = v_new if free else v[i]
        rf[i] = 0 if free else rf[i] - 1
        ie[i] *= p11e[i]
        ii[i] *= p11i[i]
    return fire(lo, hi, v, thresh, reset, rf, rfs, spikes, n_sp)


@inner
def _lif_arrival_uniform(lo, hi, st, par, refr, refr_steps, icur, has_current, in_e, in_i, spikes, n_sp):
    """:func:`lif_step_arrival` for a population whose parameters are all equal (scalars stay in registers)."""
    v, ie, ii = st[V, lo:hi], st[IE, lo:hi], st[II, lo:hi]
    rest, p22, p20, ioff = par[VREST, lo], par[P22, lo], par[P20, lo], par[IOFFSET, lo]
    p11e, p11i, inite, initi = par[P11E, lo], par[P11I, lo], par[INITE, lo], par[INITI, lo]
    rf, ic, xe, xi = refr[lo:hi], icur[lo:hi], in_e[lo:hi], in_i[lo:hi]
    drive = ioff * p20
    for i in range(hi - lo):
        e = ie[i] + xe[i] * inite
        n = ii[i] + xi[i] * initi
        xe[i] = 0.0
        xi[i] = 0.0
        cur = (e - n) * p20 + drive
        if has_current:
            cur += ic[i] * p20
        free = rf[i] == 0
        v_new = rest + (v[i] - rest) * p22 + cur
        v[i] = v_new if free else v[i]
        rf[i] = 0 if free else rf[i] - 1
        ie[i] = e * p11e
        ii[i] = n * p11i
    thresh, reset, rfs = par[VTHRESH, lo], par[VRESET, lo], refr_steps[lo]
    return fire_uniform(lo, hi, v, thresh, reset, rf, rfs, spikes, n_sp)


@inner
def izh_step(lo, hi, dt, st, par, icur, in_e, in_i, spikes, n_sp, euler):
    r"""Advance Izhikevich neurons by one step.  As in Izhikevich (2003) (NEST ``izhikevich`` with
    ``consistent_integration=False``):

    .. math::
        v \leftarrow v + \tfrac{dt}{2}(0.04 v^2 + 5 v + 140 - u + I)\ \text{(twice)},\quad
        u \leftarrow u + dt\, a (b v - u)

    where ``I`` includes the weights arriving on this step, held for the step (the paper's ``I += S``).  With
    ``euler`` (NEST's default ``consistent_integration=True``, and PyNN's definition of the model's synapses as
    voltage steps): forward Euler from the old values, each arriving weight a jump of ``v`` in mV,

    .. math:: v \leftarrow v + dt\,(0.04 v^2 + 5 v + 140 - u + I) + \textstyle\sum w,\quad
        u \leftarrow u + dt\, a (b v_{old} - u).

    Then if ``v >= 30``: ``v = c``, ``u += d``.
    """
    v, u = st[V, lo:hi], st[U, lo:hi]
    pa, pb, pc, pd, pie = par[IZ_A, lo:hi], par[IZ_B, lo:hi], par[IZ_C, lo:hi], par[IZ_D, lo:hi], par[IZ_IE, lo:hi]
    ic, xe, xi = icur[lo:hi], in_e[lo:hi], in_i[lo:hi]
    h = 0.5 * dt
    for i in range(hi - lo):
        vi = v[i]
        ui = u[i]
        if euler:
            current = pie[i] + 1000.0 * ic[i]
            vi += dt * (0.04 * vi * vi + 5.0 * vi + 140.0 - ui + current) + xe[i] - xi[i]
            ui += dt * pa[i] * (pb[i] * v[i] - ui)
        else:
            current = pie[i] + 1000.0 * ic[i] + xe[i] - xi[i]
            vi += h * (0.04 * vi * vi + 5.0 * vi + 140.0 - ui + current)
            vi += h * (0.04 * vi * vi + 5.0 * vi + 140.0 - ui + current)
            ui += dt * pa[i] * (pb[i] * vi - ui)
        xe[i] = 0.0
        xi[i] = 0.0
        v[i] = vi
        u[i] = ui
    for i in range(hi - lo):
        if v[i] >= IZH_V_PEAK:
            v[i] = pc[i]
            u[i] += pd[i]
            spikes[n_sp] = lo + i
            n_sp += 1
    return n_sp


@inner
def cond_step(lo, hi, dt, st, par, refr, refr_steps, icur, has_current, uniform, in_e, in_i, spikes, n_sp):
    r"""Advance IF_cond_exp neurons ``lo..hi-1`` by one step (NEST ``iaf_cond_exp`` order).

    .. math::
        \bar g_x = g_x \frac{\tau_x}{dt}(1 - e^{-dt/\tau_x}),\quad
        g = g_L + \bar g_e + \bar g_i,\quad
        v_\infty = \frac{g_L v_{rest} + \bar g_e E_e + \bar g_i E_i + I}{g},\quad
        v \leftarrow v_\infty + (v - v_\infty)\, e^{-g\, dt / c_m}

    then :math:`g_x \leftarrow g_x e^{-dt/\tau_x} + \text{arrivals}`, threshold, reset and refractory clamp.
    The membrane equation is linear in ``v`` for given conductances; holding each conductance at its mean
    over the step (exact for the exponential decay) and solving exactly is second-order accurate, where
    Brian2's ``exponential_euler`` holds the value at the step's start (first order).  NEST integrates the
    same equations with an adaptive Runge-Kutta-Fehlberg 4(5) method.  ``uniform`` and ``has_current`` as in
    :func:`lif_step`.
    """
    if uniform:
        return _cond_uniform(lo, hi, dt, st, par, refr, refr_steps, icur, has_current, in_e, in_i, spikes, n_sp)
    v, ge, gi = st[V, lo:hi], st[IE, lo:hi], st[II, lo:hi]
    gl, ee, ei, inv_cm = par[GLEAK, lo:hi], par[EREV_E, lo:hi], par[EREV_I, lo:hi], par[INV_CM, lo:hi]
    rest, ioff, me, mi = par[VREST, lo:hi], par[IOFFSET, lo:hi], par[INITE, lo:hi], par[INITI, lo:hi]
    p11e, p11i, thresh, reset = par[P11E, lo:hi], par[P11I, lo:hi], par[VTHRESH, lo:hi], par[VRESET, lo:hi]
    rf, rfs, ic, xe, xi = refr[lo:hi], refr_steps[lo:hi], icur[lo:hi], in_e[lo:hi], in_i[lo:hi]
    for i in range(hi - lo):
        if rf[i] == 0:
            gem = ge[i] * me[i]
            gim = gi[i] * mi[i]
            g = gl[i] + gem + gim
            v_inf = (gl[i] * rest[i] + ioff[i] + gem * ee[i] + gim * ei[i] + ic[i]) / g
            v[i] = v_inf + (v[i] - v_inf) * math.exp(g * (-dt * inv_cm[i]))
        else:
            rf[i] -= 1
        ge[i] = ge[i] * p11e[i] + xe[i]
        gi[i] = gi[i] * p11i[i] + xi[i]
        xe[i] = 0.0
        xi[i] = 0.0
    return fire(lo, hi, v, thresh, reset, rf, rfs, spikes, n_sp)


@inner
def _cond_uniform(lo, hi, dt, st, par, refr, refr_steps, icur, has_current, in_e, in_i, spikes, n_sp):
    """:func:`cond_step` for a population whose parameters are all equal (scalars stay in registers)."""
    v, ge, gi = st[V, lo:hi], st[IE, lo:hi], st[II, lo:hi]
    gl, ee, ei, k = par[GLEAK, lo], par[EREV_E, lo], par[EREV_I, lo], -dt * par[INV_CM, lo]
    me, mi, p11e, p11i = par[INITE, lo], par[INITI, lo], par[P11E, lo], par[P11I, lo]
    drive = gl * par[VREST, lo] + par[IOFFSET, lo]
    rf, ic, xe, xi = refr[lo:hi], icur[lo:hi], in_e[lo:hi], in_i[lo:hi]
    for i in range(hi - lo):
        if rf[i] == 0:
            gem = ge[i] * me
            gim = gi[i] * mi
            g = gl + gem + gim
            v_inf = (drive + gem * ee + gim * ei + (ic[i] if has_current else 0.0)) / g
            v[i] = v_inf + (v[i] - v_inf) * math.exp(g * k)
        else:
            rf[i] -= 1
        ge[i] = ge[i] * p11e + xe[i]
        gi[i] = gi[i] * p11i + xi[i]
        xe[i] = 0.0
        xi[i] = 0.0
    return fire_uniform(lo, hi, v, par[VTHRESH, lo], par[VRESET, lo], rf, refr_steps[lo], spikes, n_sp)


@inner
def cond_sfa_rr_step(lo, hi, dt, st, par, refr, refr_steps, icur, in_e, in_i, spikes, n_sp):
    r"""Advance IF_cond_exp_gsfa_grr neurons ``lo..hi-1`` by one step (Muller et al. 2007, Neural Comput
    19:2958; NEST ``iaf_cond_exp_sfa_rr`` order):

    .. math::
        c_m \frac{dv}{dt} = g_L (v_{rest} - v) + g_e (E_e - v) + g_i (E_i - v) + g_{sfa} (E_{sfa} - v)
        + g_{rr} (E_{rr} - v) + I, \quad \frac{dg_x}{dt} = -\frac{g_x}{\tau_x}

    solved exactly for each step's mean conductances as :func:`cond_step`; at a spike :math:`g_{sfa}` grows by
    :math:`q_{sfa}` and :math:`g_{rr}` by :math:`q_{rr}` (both kept in nS, PyNN's units for them).
    """
    v, ge, gi, gs, gr = st[V, lo:hi], st[IE, lo:hi], st[II, lo:hi], st[U, lo:hi], st[DIE, lo:hi]
    for i in range(hi - lo):
        n = lo + i
        if refr[n] == 0:
            gem = ge[i] * par[INITE, n]
            gim = gi[i] * par[INITI, n]
            gsm = 1e-3 * gs[i] * par[M_SFA, n]
            grm = 1e-3 * gr[i] * par[M_RR, n]
            g = par[GLEAK, n] + gem + gim + gsm + grm
            v_inf = (par[GLEAK, n] * par[VREST, n] + par[IOFFSET, n] + gem * par[EREV_E, n] + gim * par[EREV_I, n]
                     + gsm * par[EREV_SFA, n] + grm * par[EREV_RR, n] + icur[n]) / g
            v[i] = v_inf + (v[i] - v_inf) * math.exp(g * (-dt * par[INV_CM, n]))
        else:
            refr[n] -= 1
        ge[i] = ge[i] * par[P11E, n] + in_e[n]
        gi[i] = gi[i] * par[P11I, n] + in_i[n]
        gs[i] *= par[P_SFA, n]
        gr[i] *= par[P_RR, n]
        in_e[n] = 0.0
        in_i[n] = 0.0
    first = n_sp
    n_sp = fire(lo, hi, v, par[VTHRESH, lo:hi], par[VRESET, lo:hi], refr[lo:hi], refr_steps[lo:hi], spikes, n_sp)
    for k in range(first, n_sp):
        gs[spikes[k] - lo] += par[Q_SFA, spikes[k]]
        gr[spikes[k] - lo] += par[Q_RR, spikes[k]]
    return n_sp


@inner
def alpha_step(lo, hi, dt, st, par, refr, refr_steps, icur, in_e, in_i, spikes, n_sp):
    r"""Advance IF_curr_alpha neurons ``lo..hi-1`` by one step, integrated exactly (NEST ``iaf_psc_alpha``).

    .. math::
        v \leftarrow v_{rest} + (v - v_{rest}) P_{33} + P_{31,e} \dot I_e + P_{32,e} I_e
        - P_{31,i} \dot I_i - P_{32,i} I_i + I_{ext} P_{30},\quad
        I_x \leftarrow dt\,P_{11,x} \dot I_x + P_{11,x} I_x,\quad
        \dot I_x \leftarrow P_{11,x} \dot I_x + \frac{e}{\tau_x} \text{arrivals}

    so that a weight ``w`` (nA) gives the current :math:`w \frac{t}{\tau_x} e^{1 - t/\tau_x}`, peaking at ``w``
    after :math:`\tau_x` (Rotter & Diesmann 1999); then threshold, reset and refractory clamp.
    """
    v, ie, ii, die, dii = st[V, lo:hi], st[IE, lo:hi], st[II, lo:hi], st[DIE, lo:hi], st[DII, lo:hi]
    rest, p33, p30, ioff = par[VREST, lo:hi], par[P33, lo:hi], par[P30, lo:hi], par[IOFFSET, lo:hi]
    p31e, p32e, p31i, p32i = par[P31E, lo:hi], par[P32E, lo:hi], par[P31I, lo:hi], par[P32I, lo:hi]
    p11e, p11i, psce, psci = par[P11E, lo:hi], par[P11I, lo:hi], par[PSCE, lo:hi], par[PSCI, lo:hi]
    thresh, reset = par[VTHRESH, lo:hi], par[VRESET, lo:hi]
    rf, rfs, ic, xe, xi = refr[lo:hi], refr_steps[lo:hi], icur[lo:hi], in_e[lo:hi], in_i[lo:hi]
    for i in range(hi - lo):
        free = rf[i] == 0
        drive = rest[i] + ioff[i] * p30[i]
        v_new = (drive + (v[i] - rest[i]) * p33[i] + p31e[i] * die[i] + p32e[i] * ie[i] - p31i[i] * dii[i]
                 - p32i[i] * ii[i] + ic[i] * p30[i])
        v[i] = v_new if free else v[i]
        rf[i] = 0 if free else rf[i] - 1
        ie[i] = dt * p11e[i] * die[i] + p11e[i] * ie[i]
        ii[i] = dt * p11i[i] * dii[i] + p11i[i] * ii[i]
        die[i] = p11e[i] * die[i] + xe[i] * psce[i]
        dii[i] = p11i[i] * dii[i] + xi[i] * psci[i]
        xe[i] = 0.0
        xi[i] = 0.0
    return fire(lo, hi, v, thresh, reset, rf, rfs, spikes, n_sp)


@inner
def cond_alpha_step(lo, hi, dt, st, par, refr, refr_steps, icur, in_e, in_i, spikes, n_sp):
    r"""Advance IF_cond_alpha neurons ``lo..hi-1`` by one step (NEST ``iaf_cond_alpha`` order).

    Each conductance is alpha-shaped, :math:`g(s) = (g + \dot g\, s)\, e^{-s/\tau}` over the step, whose mean
    :math:`\bar g = g M_0 + \dot g M_1` (:math:`M_0 = \frac{\tau}{dt}(1 - e^{-dt/\tau})`,
    :math:`M_1 = \frac{\tau^2 (1 - e^{-dt/\tau}) - \tau\, dt\, e^{-dt/\tau}}{dt}`) enters the exact membrane step
    of :func:`cond_step`; then :math:`g \leftarrow (g + dt\, \dot g) e^{-dt/\tau}`,
    :math:`\dot g \leftarrow \dot g\, e^{-dt/\tau} + \frac{e}{\tau}\text{arrivals}` (a weight is the peak
    conductance, reached :math:`\tau` after the spike), threshold, reset and refractory clamp.
    """
    v, ge, gi, dge, dgi = st[V, lo:hi], st[IE, lo:hi], st[II, lo:hi], st[DIE, lo:hi], st[DII, lo:hi]
    gl, ee, ei, inv_cm = par[GLEAK, lo:hi], par[EREV_E, lo:hi], par[EREV_I, lo:hi], par[INV_CM, lo:hi]
    rest, ioff = par[VREST, lo:hi], par[IOFFSET, lo:hi]
    m0e, m0i, m1e, m1i = par[M0E, lo:hi], par[M0I, lo:hi], par[M1E, lo:hi], par[M1I, lo:hi]
    p11e, p11i, psce, psci = par[P11E, lo:hi], par[P11I, lo:hi], par[GPSCE, lo:hi], par[GPSCI, lo:hi]
    thresh, reset = par[VTHRESH, lo:hi], par[VRESET, lo:hi]
    rf, rfs, ic, xe, xi = refr[lo:hi], refr_steps[lo:hi], icur[lo:hi], in_e[lo:hi], in_i[lo:hi]
    for i in range(hi - lo):
        if rf[i] == 0:
            gem = ge[i] * m0e[i] + dge[i] * m1e[i]
            gim = gi[i] * m0i[i] + dgi[i] * m1i[i]
            g = gl[i] + gem + gim
            v_inf = (gl[i] * rest[i] + ioff[i] + gem * ee[i] + gim * ei[i] + ic[i]) / g
            v[i] = v_inf + (v[i] - v_inf) * math.exp(g * (-dt * inv_cm[i]))
        else:
            rf[i] -= 1
        ge[i] = (ge[i] + dt * dge[i]) * p11e[i]
        gi[i] = (gi[i] + dt * dgi[i]) * p11i[i]
        dge[i] = dge[i] * p11e[i] + xe[i] * psce[i]
        dgi[i] = dgi[i] * p11i[i] + xi[i] * psci[i]
        xe[i] = 0.0
        xi[i] = 0.0
    return fire(lo, hi, v, thresh, reset, rf, rfs, spikes, n_sp)


@inner
def delta_step(lo, hi, st, par, refr, refr_steps, icur, in_e, in_i, spikes, n_sp):
    r"""Advance IF_curr_delta neurons ``lo..hi-1`` by one step (NEST ``iaf_psc_delta``):

    .. math:: v \leftarrow v_{rest} + (v - v_{rest}) P_{22} + (i_{offset} + I_{ext}) P_{20} + \text{arrivals (mV)}

    so a weight moves the membrane at once; input arriving during the refractory period is lost (NEST's default);
    then threshold, reset and refractory clamp.
    """
    v, rest, p22, p20 = st[V, lo:hi], par[VREST, lo:hi], par[P22, lo:hi], par[P20, lo:hi]
    ioff, thresh, reset = par[IOFFSET, lo:hi], par[VTHRESH, lo:hi], par[VRESET, lo:hi]
    rf, rfs, ic, xe, xi = refr[lo:hi], refr_steps[lo:hi], icur[lo:hi], in_e[lo:hi], in_i[lo:hi]
    for i in range(hi - lo):
        free = rf[i] == 0
        v_new = rest[i] + ioff[i] * p20[i] + (v[i] - rest[i]) * p22[i] + ic[i] * p20[i] + xe[i] - xi[i]
        v[i] = v_new if free else v[i]
        rf[i] = 0 if free else rf[i] - 1
        xe[i] = 0.0
        xi[i] = 0.0
    return fire(lo, hi, v, thresh, reset, rf, rfs, spikes, n_sp)


@njit(cache=True, nogil=True, inline="always")
def _eif_rates(v, w, ge, gi, gl, el, vt, dlt, vpk, ee, ei, i_ext, inv_cm, a, inv_tw):
    """dv/dt and dw/dt of the adaptive exponential neuron (v capped at the spike cut-off, as NEST does)."""
    vc = min(v, vpk)
    dv = (-gl * (vc - el) + gl * dlt * math.exp((vc - vt) / dlt) - w + ge * (ee - vc) + gi * (ei - vc) + i_ext) * inv_cm
    dw = (a * (vc - el) - w) * inv_tw
    return dv, dw


@inner
def eif_step(lo, hi, dt, st, par, refr, refr_steps, icur, in_e, in_i, spikes, n_sp, alpha):
    r"""Advance EIF_cond_exp_isfa_ista neurons ``lo..hi-1`` by one step (Brette & Gerstner 2005; NEST
    ``aeif_cond_exp``):

    .. math::
        c_m \dot v = -g_L (v - E_L) + g_L \Delta_T e^{(v - V_T)/\Delta_T} - w + g_e (E_e - v) + g_i (E_i - v) + I,
        \quad \tau_w \dot w = a (v - E_L) - w

    integrated with classical Runge-Kutta in :data:`EIF_SUBSTEPS` substeps, the conductances decaying exactly
    within the step (NEST integrates adaptively with RKF45); ``v`` is held at ``v_reset`` while refractory.  At
    :math:`v \ge` ``v_spike``: a spike, ``v = v_reset``, ``w += b``; then the arrivals are added to the conductances.
    With ``alpha`` the conductances are alpha-shaped (EIF_cond_alpha_isfa_ista, NEST ``aeif_cond_alpha``):
    :math:`g(s) = (g + \dot g\, s) e^{-s/\tau}`, each arrival adding :math:`e / \tau` times its weight to
    :math:`\dot g`.
    """
    v, w, ge, gi, dge, dgi = st[V, lo:hi], st[U, lo:hi], st[IE, lo:hi], st[II, lo:hi], st[DIE, lo:hi], st[DII, lo:hi]
    h = dt / EIF_SUBSTEPS
    for i in range(hi - lo):
        n = lo + i
        gl, el, vt, dlt, vpk = par[GLEAK, n], par[VREST, n], par[VTHRESH, n], par[DELTA_T, n], par[V_PEAK, n]
        ee, ei, inv_cm, a, inv_tw = par[EREV_E, n], par[EREV_I, n], par[INV_CM, n], par[EIF_A, n], 1.0 / par[TAU_W, n]
        i_ext = par[IOFFSET, n] + icur[n]
        de, di = par[P11E, n] ** (1.0 / EIF_SUBSTEPS), par[P11I, n] ** (1.0 / EIF_SUBSTEPS)   # decay per substep
        vi, wi, gei, gii, dgei, dgii = v[i], w[i], ge[i], gi[i], dge[i], dgi[i]
        frozen = refr[n] > 0
        for _ in range(EIF_SUBSTEPS):
            if frozen:
                vi = par[VRESET, n]
            ge_h, gi_h = (gei + 0.5 * h * dgei) * math.sqrt(de), (gii + 0.5 * h * dgii) * math.sqrt(di)
            k1v, k1w = _eif_rates(vi, wi, gei, gii, gl, el, vt, dlt, vpk, ee, ei, i_ext, inv_cm, a, inv_tw)
            k2v, k2w = _eif_rates(vi + 0.5 * h * k1v, wi + 0.5 * h * k1w, ge_h, gi_h, gl, el, vt, dlt, vpk, ee, ei,
                                  i_ext, inv_cm, a, inv_tw)
            k3v, k3w = _eif_rates(vi + 0.5 * h * k2v, wi + 0.5 * h * k2w, ge_h, gi_h, gl, el, vt, dlt, vpk, ee, ei,
                                  i_ext, inv_cm, a, inv_tw)
            gei, gii = (gei + h * dgei) * de, (gii + h * dgii) * di
            dgei, dgii = dgei * de, dgii * di
            k4v, k4w = _eif_rates(vi + h * k3v, wi + h * k3w, gei, gii, gl, el, vt, dlt, vpk, ee, ei, i_ext, inv_cm, a,
                                  inv_tw)
            if not frozen:
                vi += h / 6.0 * (k1v + 2.0 * k2v + 2.0 * k3v + k4v)
            wi += h / 6.0 * (k1w + 2.0 * k2w + 2.0 * k3w + k4w)
        if frozen:
            refr[n] -= 1
            vi = par[VRESET, n]
        elif vi >= vpk:
            vi = par[VRESET, n]
            wi += par[EIF_B, n]
            refr[n] = refr_steps[n]
            spikes[n_sp] = n
            n_sp += 1
        v[i], w[i] = vi, wi
        if alpha:
            ge[i], gi[i] = gei, gii
            dge[i] = dgei + in_e[n] * par[EIF_PSCE, n]
            dgi[i] = dgii + in_i[n] * par[EIF_PSCI, n]
        else:
            ge[i] = ge[i] * par[P11E, n] + in_e[n]
            gi[i] = gi[i] * par[P11I, n] + in_i[n]
        in_e[n] = 0.0
        in_i[n] = 0.0
    return n_sp


@njit(cache=True, nogil=True, inline="always")
def _vtrap(x, y):
    """x / (exp(x / y) - 1), continuous at x = 0."""
    if abs(x / y) < 1e-6:
        return y * (1.0 - 0.5 * x / y)
    return x / (math.exp(x / y) - 1.0)


@njit(cache=True, nogil=True, inline="always")
def _hh_rates(v, m, h, n, ge, gi, par, k, i_ext):
    """Derivatives of v, m, h, n of the Traub & Miles (1991) neuron (NEST ``hh_cond_exp_traub``)."""
    u = v - par[HH_VT, k]
    am, bm = 0.32 * _vtrap(13.0 - u, 4.0), 0.28 * _vtrap(u - 40.0, 5.0)
    ah, bh = 0.128 * math.exp((17.0 - u) / 18.0), 4.0 / (1.0 + math.exp((40.0 - u) / 5.0))
    an, bn = 0.032 * _vtrap(15.0 - u, 5.0), 0.5 * math.exp((10.0 - u) / 40.0)
    i_na = par[HH_GNA, k] * m * m * m * h * (v - par[HH_ENA, k])
    i_k = par[HH_GK, k] * n * n * n * n * (v - par[HH_EK, k])
    i_l = par[HH_GL, k] * (v - par[HH_EL, k])
    i_syn = ge * (v - par[HH_EE, k]) + gi * (v - par[HH_EI, k])
    dv = (-i_na - i_k - i_l - i_syn + i_ext) * par[HH_INV_CM, k]
    return dv, am * (1.0 - m) - bm * m, ah * (1.0 - h) - bh * h, an * (1.0 - n) - bn * n


@inner
def hh_step(lo, hi, dt, st, par, refr, refr_steps, icur, in_e, in_i, spikes, n_sp):
    r"""Advance HH_cond_exp neurons ``lo..hi-1`` by one step: the Traub & Miles (1991) sodium, potassium and leak
    currents of NEST's ``hh_cond_exp_traub`` (rates in :math:`u = v - V_T`, e.g.
    :math:`\alpha_m = 0.32 \frac{13 - u}{e^{(13 - u)/4} - 1}`) with exponential conductance synapses, integrated by
    classical Runge-Kutta in :data:`EIF_SUBSTEPS` substeps (the conductances exact within the step; NEST: adaptive
    RKF45).  A spike is the step on which ``v`` above :math:`V_T + 30` mV starts to fall (NEST's rule), none within
    the 2 ms after one (NEST's ``t_ref``).
    """
    v, m, h, n = st[V, lo:hi], st[U, lo:hi], st[DIE, lo:hi], st[DII, lo:hi]
    ge, gi = st[IE, lo:hi], st[II, lo:hi]
    step = dt / EIF_SUBSTEPS
    for i in range(hi - lo):
        k = lo + i
        i_ext = par[IOFFSET, k] + icur[k]
        de, di = par[P11E, k] ** (1.0 / EIF_SUBSTEPS), par[P11I, k] ** (1.0 / EIF_SUBSTEPS)
        vi, mi, hi_, ni, gei, gii = v[i], m[i], h[i], n[i], ge[i], gi[i]
        v_old = vi
        for _ in range(EIF_SUBSTEPS):
            ge_h, gi_h = gei * math.sqrt(de), gii * math.sqrt(di)
            a1, b1, c1, d1 = _hh_rates(vi, mi, hi_, ni, gei, gii, par, k, i_ext)
            a2, b2, c2, d2 = _hh_rates(vi + 0.5 * step * a1, mi + 0.5 * step * b1, hi_ + 0.5 * step * c1,
                                       ni + 0.5 * step * d1, ge_h, gi_h, par, k, i_ext)
            a3, b3, c3, d3 = _hh_rates(vi + 0.5 * step * a2, mi + 0.5 * step * b2, hi_ + 0.5 * step * c2,
                                       ni + 0.5 * step * d2, ge_h, gi_h, par, k, i_ext)
            gei, gii = gei * de, gii * di
            a4, b4, c4, d4 = _hh_rates(vi + step * a3, mi + step * b3, hi_ + step * c3, ni + step * d3, gei, gii,
                                       par, k, i_ext)
            vi += step / 6.0 * (a1 + 2.0 * a2 + 2.0 * a3 + a4)
            mi += step / 6.0 * (b1 + 2.0 * b2 + 2.0 * b3 + b4)
            hi_ += step / 6.0 * (c1 + 2.0 * c2 + 2.0 * c3 + c4)
            ni += step / 6.0 * (d1 + 2.0 * d2 + 2.0 * d3 + d4)
        v[i], m[i], h[i], n[i] = vi, mi, hi_, ni
        if refr[k] > 0:
            refr[k] -= 1
        elif vi > par[HH_VT, k] + 30.0 and v_old > vi:
            refr[k] = refr_steps[k]
            spikes[n_sp] = k
            n_sp += 1
        ge[i] = ge[i] * par[P11E, k] + in_e[k]
        gi[i] = gi[i] * par[P11I, k] + in_i[k]
        in_e[k] = 0.0
        in_i[k] = 0.0
    return n_sp
