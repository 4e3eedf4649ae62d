"""Spike propagation: CSR rows of synapses into the delay ring buffer."""
import math

from ...random import unit_at
from . import inner

#: Tsodyks-Markram parameter rows (per synapse) and state rows
TM_U, TM_REC, TM_FAC, TM_PSC = 0, 1, 2, 3
TM_X, TM_Y, TM_UU = 0, 1, 2


@inner
def deliver_dense(target, w, s0, n):
    """Add ``w[s0:s0+n]`` to ``target[0:n]``: one row of an all-to-all projection.

    Contiguous, so LLVM vectorises it; no index array is read.  The row is a view from 0: indexing ``w[s0 + t]``
    makes numba handle negative indices, and LLVM then reads it with gathers (5x slower, measured).
    """
    ws = w[s0:s0 + n]
    for t in range(n):
        target[t] += ws[t]


@inner
def deliver_row(target, post, w, s0, s1):
    """Scatter-add one CSR row ``s0..s1-1`` into ``target`` (all one delay); views from 0, as in
    :func:`deliver_dense` (a quarter faster)."""
    ps, ws = post[s0:s1], w[s0:s1]
    for s in range(s1 - s0):
        target[ps[s]] += ws[s]


@inner
def deliver_row_delays(ring, receptor, base, step, mask, post, w, d, s0, s1):
    """Scatter-add one CSR row whose synapses have individual delays (views from 0, as in :func:`deliver_row`)."""
    ps, ws, ds = post[s0:s1], w[s0:s1], d[s0:s1]
    for s in range(s1 - s0):
        ring[(step + ds[s]) & mask, receptor, base + ps[s]] += ws[s]


@inner
def deliver_row_tm(ring, receptor, base, step, mask, delay, post, w, d, s0, s1, now, tm_par, tm_st, tm_last):
    """Scatter-add one CSR row of Tsodyks-Markram synapses: each transmits ``w u x`` and updates its state
    (:class:`~neuromem.core.synapses.TsodyksMarkramSynapse`; NEST ``tsodyks_synapse``'s update) for a spike at
    ``now`` ms; ``delay`` < 0: individual delays ``d``."""
    for s in range(s0, s1):
        h = now - tm_last[s]
        tau_psc, tau_rec, tau_fac = tm_par[TM_PSC, s], tm_par[TM_REC, s], tm_par[TM_FAC, s]
        p_uu = 0.0 if tau_fac == 0.0 else math.exp(-h / tau_fac)
        p_yy = math.exp(-h / tau_psc)
        p_zz = math.exp(-h / tau_rec)
        p_xy = ((p_zz - 1.0) * tau_rec - (p_yy - 1.0) * tau_psc) / (tau_psc - tau_rec)
        x, y, u = tm_st[TM_X, s], tm_st[TM_Y, s], tm_st[TM_UU, s]
        z = 1.0 - x - y
        u = u * p_uu
        u += tm_par[TM_U, s] * (1.0 - u)
        x += p_xy * y + (1.0 - p_zz) * z
        y *= p_yy
        used = u * x
        tm_st[TM_X, s] = x - used
        tm_st[TM_Y, s] = y + used
        tm_st[TM_UU, s] = u
        tm_last[s] = now
        ring[(step + (delay if delay >= 0 else d[s])) & mask, receptor, base + post[s]] += w[s] * used


@inner
def deliver_row_stochastic(ring, receptor, base, step, mask, delay, post, w, d, s0, s1, seed, p):
    """Scatter-add one CSR row of synapses that each transmit with probability ``p[s]`` (a draw keyed by the
    seed, the synapse and the step); ``delay`` < 0: individual delays ``d``."""
    for s in range(s0, s1):
        if unit_at(seed, s, step) < p[s]:
            ring[(step + (delay if delay >= 0 else d[s])) & mask, receptor, base + post[s]] += w[s]
