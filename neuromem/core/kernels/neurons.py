"""Neuron update kernels: one step for a contiguous range of neurons.

The cell kinds the step loop dispatches on, and the Izhikevich spike peak, are declared
here once; :mod:`neuromem.core.cells` and the backends read them from here.
"""
from numba import njit

#: cell kinds (``CellType.code``); LIF_ARRIVAL is IF_curr_exp under ``timing="arrival"``
LIF, IZHIKEVICH, SOURCE_ARRAY, SOURCE_POISSON, LIF_ARRIVAL, LIF_COND, LIF_DELTA = 0, 1, 2, 3, 4, 5, 6

# state rows
V, U, IE, II = 0, 1, 2, 3
# IF_curr_exp parameter rows (exact-integration propagators, Rotter & Diesmann 1999)
P22, P21E, P21I, P11E, P11I, P20, VREST, VRESET, VTHRESH, IOFFSET, INITE, INITI = range(12)
# Izhikevich parameter rows
IZ_A, IZ_B, IZ_C, IZ_D, IZ_IE = range(5)
N_PAR = 12
#: Izhikevich (2003): a spike when v >= 30 mV (NEST's ``V_th`` of ``izhikevich``)
IZH_V_PEAK = 30.0


@njit(cache=True, nogil=True)
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


@njit(cache=True, nogil=True)
def fire_uniform(lo, hi, v, thresh, reset, rf, rfs, spikes, n_sp):
    """:func:`fire` with one threshold, reset and refractory count for all neurons."""
    for i in range(hi - lo):
        if v[i] >= thresh:
            v[i] = reset
            rf[i] = rfs
            spikes[n_sp] = lo + i
            n_sp += 1
    return n_sp


@njit(cache=True, nogil=True)
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
        v_new = rest[i] + (v[i] - rest[i]) * p22[i] + ie[i] * p21e[i] - ii[i] * p21i[i] + (ioff[i] + ic[i]) * p20[i]
        v[i] = v_new if free else v[i]
        rf[i] = 0 if free else rf[i] - 1
        ie[i] = ie[i] * p11e[i] + xe[i]
        ii[i] = ii[i] * p11i[i] + xi[i]
        xe[i] = 0.0
        xi[i] = 0.0
    return fire(lo, hi, v, thresh, reset, rf, rfs, spikes, n_sp)


@njit(cache=True, nogil=True)
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


@njit(cache=True, nogil=True)
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


@njit(cache=True, nogil=True)
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


@njit(cache=True, nogil=True)
def izh_step(lo, hi, dt, st, par, icur, in_e, in_i, spikes, n_sp):
    r"""Advance Izhikevich neurons by one step, as in Izhikevich (2003):

    .. math::
        v \leftarrow v + \tfrac{dt}{2}(0.04 v^2 + 5 v + 140 - u + I)\ \text{(twice)},\quad
        u \leftarrow u + dt\, a (b v - u)

    where ``I`` includes the weights arriving on this step, held for the step
    (the paper's ``I += S``; NEST ``izhikevich``), and if ``v >= 30``:
    ``v = c``, ``u += d``.
    """
    v, u = st[V, lo:hi], st[U, lo:hi]
    pa, pb, pc, pd, pie = par[IZ_A, lo:hi], par[IZ_B, lo:hi], par[IZ_C, lo:hi], par[IZ_D, lo:hi], par[IZ_IE, lo:hi]
    ic, xe, xi = icur[lo:hi], in_e[lo:hi], in_i[lo:hi]
    h = 0.5 * dt
    for i in range(hi - lo):
        current = pie[i] + 1000.0 * ic[i] + xe[i] - xi[i]
        vi = v[i]
        ui = u[i]
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
