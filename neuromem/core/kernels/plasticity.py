r"""Plasticity kernels: pair STDP on traces and the three-factor eligibility rule.

Timing follows NEST's ``stdp_synapse`` with the delay taken as dendritic:
a pre spike stamped ``T`` is paired at the synapse at ``T``; a post spike
stamped ``T`` reaches the synapse at ``T + d``.  Spikes meeting at the same
instant are not paired (NEST's strict inequalities), except under
``Simulator(timing="spinnaker")`` (column ``ZERO_LAG_DEPRESS``): there a post
spike that reaches the synapse on the step of a pre spike counts as before it
and depresses with its full trace.  sPyNNaker applies STDP deferred, at pre
spikes, and measures depression from the last post event; this per-event rule
is an approximation of that for dt = 1 ms networks, not checked against a board.
"""
import math

from . import inner

# rule_par columns
TAU_P, TAU_M, A_P, A_M, W_MIN, W_MAX, MULT, TAU_C, LR, BASE, TAU_MOD, EVERY, ZERO_LAG_DEPRESS, ELIG_SCALE = range(14)
N_RULE_PAR = 14
#: below this the eligibility scale is folded back into the stored values
ELIG_SCALE_FLOOR = 1e-150
STDP, THREE_FACTOR = 0, 1


@inner
def trace_at(val, last, now, dt, tau):
    """Value at stamp ``now`` of a trace last set to ``val`` at stamp ``last``.

    ``exp(-x)`` is exactly 0.0 in float64 for x >= 746, so old traces skip the
    exponential (most synapses of a large all-to-all projection are old).
    """
    x = (now - last) * dt / tau
    if x >= 746.0:
        return 0.0
    return val * math.exp(-x)


@inner
def potentiate(w, k_plus, rp):
    """Weight after potentiation by a pre trace ``k_plus`` (PyNN/NEST scaling; multiplicative when ``MULT`` is 1)."""
    if 0.5 < rp[MULT] < 1.5:
        w += rp[A_P] * (rp[W_MAX] - w) * k_plus
    else:
        w += rp[A_P] * k_plus
    return min(w, rp[W_MAX])


@inner
def depress(w, k_minus, rp):
    """Weight after depression by a post trace ``k_minus`` (multiplicative when ``MULT`` is 1 or 2)."""
    if rp[MULT] > 0.5:
        w -= rp[A_M] * (w - rp[W_MIN]) * k_minus
    else:
        w -= rp[A_M] * k_minus
    return max(w, rp[W_MIN])


@inner
def eligibility_gain(now, dt, rp):
    """Factor that carries an eligibility increment at ``now`` to the next weight update.

    Increments are stored as their value at the next update instant, so ``c``
    is exact there: ``exp(-(t_next - now) / tau_c)``; and divided by the rule's
    eligibility scale (see :func:`three_factor_update`).
    """
    every = int(rp[EVERY])
    nxt = ((now + every - 1) // every) * every
    return math.exp(-(nxt - now) * dt / rp[TAU_C]) / rp[ELIG_SCALE]


@inner
def three_factor_update(w, elig, s0, s1, modulator, dt, rp):
    r"""Weight step of the three-factor rule for synapses ``s0..s1-1``:
    :math:`w \leftarrow \mathrm{clip}(w + \eta (M + b) c \Delta)`, then
    :math:`c \leftarrow c\, e^{-\Delta / \tau_c}` with :math:`\Delta` the update interval.

    The true eligibility is ``elig * rp[ELIG_SCALE]``: the decay multiplies the
    one scale instead of every synapse (the loop reads two arrays and writes
    one, not two), and the scale is folded back into ``elig`` when it gets small.
    """
    interval = rp[EVERY] * dt
    scale = rp[ELIG_SCALE]
    gain = rp[LR] * (modulator + rp[BASE]) * interval * scale
    lo, hi = rp[W_MIN], rp[W_MAX]
    for s in range(s0, s1):
        x = w[s] + gain * elig[s]
        w[s] = min(max(x, lo), hi)
    scale *= math.exp(-interval / rp[TAU_C])
    if scale < ELIG_SCALE_FLOOR:
        for s in range(s0, s1):
            elig[s] *= scale
        scale = 1.0
    rp[ELIG_SCALE] = scale
