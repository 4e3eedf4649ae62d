"""The time loop: one call advances the whole network over many steps, on one thread or several.

Calling a kernel per step from Python would cost more than the step itself, so
the loop over steps lives here and calls the small kernels of
:mod:`.neurons`, :mod:`.propagation` and :mod:`.plasticity`, which Numba
inlines.  Order within step ``k`` (its spikes are stamped ``T = k + 1``):

1. record state, load injected currents;
2. update neurons population by population (sources replay their events);
3. plasticity: potentiation for post spikes reaching synapses at ``T``,
   depression for pre spikes at ``T``, then the traces;
4. transmission: each spike adds its weights to ring slot ``k + delay``, read
   by the targets on that step, so the current flows from ``T + delay``;
5. three-factor weight updates on their interval.

:func:`run_steps` runs the phases on one thread; :func:`run_steps_parallel` splits the neuron
updates over chunks of each population and the transmission over ranges of target neurons.  Each
chunk's spikes are gathered in neuron order and each target receives its inputs in the serial
order (projection, spike, synapse), so the result is bit-identical for any number of threads.
:func:`run_steps_epochs` does the same with one fork and join per epoch of steps instead of two per
step, for networks without plasticity whose delays are all at least two steps (NEST's min-delay
communication interval; a spike source's projection onto cells that no neuron projects to does not count, as its
spikes are known before the step): each thread owns its neurons both as updater and as target.
"""
import numpy as np
from numba import njit, prange

from . import inner
from .neurons import (EIF_COND, EIF_COND_ALPHA, HH_COND, IZH_EULER, IZHIKEVICH, LIF, LIF_ALPHA, LIF_ARRIVAL, LIF_COND,
                      LIF_COND_ALPHA, LIF_COND_SFA_RR, LIF_DELTA, alpha_step, cond_alpha_step, cond_sfa_rr_step,
                      cond_step, delta_step, eif_step, hh_step, is_neuron, izh_step, lif_step, lif_step_arrival)
from .plasticity import (A_M, A_P, EVERY, STDP, TAU_M, TAU_P, ZERO_LAG_DEPRESS, depress, eligibility_gain, potentiate,
                         three_factor_update, trace_at)
from ...random import unit_at
from .propagation import TM_U, deliver_dense, deliver_row, deliver_row_delays, deliver_row_stochastic, deliver_row_tm



@inner
def add_post_traces(hist, hist_n, arr, post_lo, n_post, off, km_val, km_t, stamp, dt, tau):
    """Add 1 to the post trace of each post spike reaching the synapses at ``stamp``."""
    for q in range(hist_n[arr]):
        i = hist[arr, q] - post_lo
        if i < 0 or i >= n_post:
            continue
        x = off + i
        km_val[x] = trace_at(km_val[x], km_t[x], stamp, dt, tau) + 1.0
        km_t[x] = stamp


@inner
def update_population(kind, lo, hi, dt, st, par, refr, refr_steps, icur, has_current, uniform, in_e, in_i, spikes,
                      n_sp):
    """Advance neurons ``lo..hi-1`` of one population (of cell kind ``kind``); returns the spike count."""
    if kind == LIF:
        return lif_step(lo, hi, st, par, refr, refr_steps, icur, has_current, uniform, in_e, in_i, spikes, n_sp)
    if kind == LIF_ARRIVAL:
        return lif_step_arrival(lo, hi, st, par, refr, refr_steps, icur, has_current, uniform, in_e, in_i, spikes,
                                n_sp)
    if kind == IZHIKEVICH or kind == IZH_EULER:
        return izh_step(lo, hi, dt, st, par, icur, in_e, in_i, spikes, n_sp, kind == IZH_EULER)
    if kind == LIF_COND_SFA_RR:
        return cond_sfa_rr_step(lo, hi, dt, st, par, refr, refr_steps, icur, in_e, in_i, spikes, n_sp)
    if kind == LIF_ALPHA:
        return alpha_step(lo, hi, dt, st, par, refr, refr_steps, icur, in_e, in_i, spikes, n_sp)
    if kind == HH_COND:
        return hh_step(lo, hi, dt, st, par, refr, refr_steps, icur, in_e, in_i, spikes, n_sp)
    if kind == EIF_COND or kind == EIF_COND_ALPHA:
        return eif_step(lo, hi, dt, st, par, refr, refr_steps, icur, in_e, in_i, spikes, n_sp, kind == EIF_COND_ALPHA)
    if kind == LIF_DELTA:
        return delta_step(lo, hi, st, par, refr, refr_steps, icur, in_e, in_i, spikes, n_sp)
    if kind == LIF_COND_ALPHA:
        return cond_alpha_step(lo, hi, dt, st, par, refr, refr_steps, icur, in_e, in_i, spikes, n_sp)
    if kind == LIF_COND:
        return cond_step(lo, hi, dt, st, par, refr, refr_steps, icur, has_current, uniform, in_e, in_i, spikes,
                         n_sp)
    return n_sp


@inner
def _first_at_least(post, s0, s1, value):
    """The first synapse of the sorted row ``s0..s1-1`` whose post index is at least ``value``."""
    lo, hi = s0, s1
    while lo < hi:
        mid = (lo + hi) // 2
        if post[mid] < value:
            lo = mid + 1
        else:
            hi = mid
    return lo


@inner
def transmit_step(k, spikes, sp_lo, sp_hi, dt, mask, pop_lo, ring, prj_pre_pop, prj_post_lo, prj_post_n, prj_rec,
                  prj_row_off, prj_dense, prj_delay, rowptr, syn_post, syn_w, syn_d, prj_tm, tm_par, tm_st, tm_last,
                  stoch_seed, t_lo, t_hi, prj_inline, inline):
    """Step 4 for step ``k``: its spikes (population ``p``'s are ``spikes[sp_lo[p]:sp_hi[p]]``) into the ring,
    projection by projection, for the target neurons ``t_lo..t_hi-1`` only (rows are sorted by post, so the
    targets' synapses are one sub-range of each row, and each synapse's short-term state is updated by one
    thread); only the projections whose ``prj_inline`` is ``inline``, or all when ``inline < 0``."""
    for p in range(prj_pre_pop.size):
        if inline >= 0 and prj_inline[p] != inline:
            continue
        pp = prj_pre_pop[p]
        if sp_lo[pp] == sp_hi[pp]:
            continue
        base = prj_post_lo[p]
        n_post = prj_post_n[p]
        a = max(0, t_lo - base)
        b = min(n_post, t_hi - base)
        if a >= b:
            continue
        whole = a == 0 and b == n_post
        pre_lo = pop_lo[pp]
        rec = prj_rec[p]
        d = prj_delay[p]
        roff = prj_row_off[p]
        for q in range(sp_lo[pp], sp_hi[pp]):
            j = spikes[q] - pre_lo
            s0 = rowptr[roff + j]
            s1 = rowptr[roff + j + 1]
            if prj_dense[p] and d >= 0:
                deliver_dense(ring[(k + d) & mask, rec, base + a:base + b], syn_w, s0 + a, b - a)
                continue
            if not whole:
                s0, s1 = _first_at_least(syn_post, s0, s1, a), _first_at_least(syn_post, s0, s1, b)
            if prj_tm[p] == 1:
                deliver_row_tm(ring, rec, base, k, mask, d, syn_post, syn_w, syn_d, s0, s1, (k + 1) * dt, tm_par,
                               tm_st, tm_last)
            elif prj_tm[p] == 2:
                deliver_row_stochastic(ring, rec, base, k, mask, d, syn_post, syn_w, syn_d, s0, s1, stoch_seed,
                                       tm_par[TM_U])
            elif d < 0:
                deliver_row_delays(ring, rec, base, k, mask, syn_post, syn_w, syn_d, s0, s1)
            else:
                deliver_row(ring[(k + d) & mask, rec, base:base + n_post], syn_post, syn_w, s0, s1)


@inner
def transmit(k_lo, k_hi, dt, mask, hist, sp_lo, sp_hi, pop_lo, ring, prj_pre_pop, prj_post_lo, prj_post_n, prj_rec,
             prj_row_off, prj_dense, prj_delay, rowptr, syn_post, syn_w, syn_d, prj_tm, tm_par, tm_st, tm_last,
             stoch_seed, t_lo, t_hi, prj_inline, inline):
    """:func:`transmit_step` for the steps ``k_lo..k_hi-1``, one after the other (step ``k``'s spikes are in
    ``hist[k & mask]``, population ``p``'s from ``sp_lo[k - k_lo, p]`` to ``sp_hi[k - k_lo, p]``)."""
    for k in range(k_lo, k_hi):
        transmit_step(k, hist[k & mask], sp_lo[k - k_lo], sp_hi[k - k_lo], dt, mask, pop_lo, ring, prj_pre_pop,
                      prj_post_lo, prj_post_n, prj_rec, prj_row_off, prj_dense, prj_delay, rowptr, syn_post, syn_w,
                      syn_d, prj_tm, tm_par, tm_st, tm_last, stoch_seed, t_lo, t_hi, prj_inline, inline)


@inner
def source_ranges(src_ids, c, c_end, pop_kind, pop_hi, sp_lo, sp_hi):
    """Each spike source population's events of one step in the step's table ``src_ids[c:c_end]`` (sorted by
    neuron) as ``sp_lo[p]..sp_hi[p]``; empty ranges for neuron populations."""
    for p in range(pop_kind.size):
        sp_lo[p] = c
        if not is_neuron(pop_kind[p]):
            while c < c_end and src_ids[c] < pop_hi[p]:
                c += 1
        sp_hi[p] = c


@inner
def plasticity(k, stamp, dt, mask, spikes, sp_lo, sp_hi, pop_lo, hist, hist_n, prj_pre_pop, prj_post_lo, prj_post_n,
               prj_row_off, prj_delay, rowptr, syn_post, syn_w, rule_kind, rule_par, rule_prj, kp_off, kp_val, kp_t,
               km_off, km_val, km_t, col_off, colptr, colsyn, colpre, elig):
    """Step 3: potentiation for post spikes reaching synapses at ``stamp``, depression for pre spikes, traces."""
    for r in range(rule_kind.size):
        p = rule_prj[r]
        rp = rule_par[r]
        pre_pop = prj_pre_pop[p]
        pre_lo = pop_lo[pre_pop]
        post_lo = prj_post_lo[p]
        n_post = prj_post_n[p]
        roff = prj_row_off[p]
        stdp = rule_kind[r] == STDP
        gain = 1.0 if stdp else eligibility_gain(stamp, dt, rp)
        arr = (k - prj_delay[p]) & mask
        for q in range(hist_n[arr]):
            i = hist[arr, q] - post_lo
            if i < 0 or i >= n_post:
                continue
            for cc in range(colptr[col_off[r] + i], colptr[col_off[r] + i + 1]):
                j = colpre[cc]
                kplus = trace_at(kp_val[kp_off[r] + j], kp_t[kp_off[r] + j], stamp, dt, rp[TAU_P])
                s = colsyn[cc]
                if stdp:
                    syn_w[s] = potentiate(syn_w[s], kplus, rp)
                else:
                    elig[s] += rp[A_P] * kplus * gain
        zero_lag = rp[ZERO_LAG_DEPRESS] > 0.5
        if zero_lag:
            add_post_traces(hist, hist_n, arr, post_lo, n_post, km_off[r], km_val, km_t, stamp, dt, rp[TAU_M])
        for q in range(sp_lo[pre_pop], sp_hi[pre_pop]):
            j = spikes[q] - pre_lo
            for s in range(rowptr[roff + j], rowptr[roff + j + 1]):
                i = syn_post[s]
                kminus = trace_at(km_val[km_off[r] + i], km_t[km_off[r] + i], stamp, dt, rp[TAU_M])
                if stdp:
                    syn_w[s] = depress(syn_w[s], kminus, rp)
                else:
                    elig[s] -= rp[A_M] * kminus * gain
            x = kp_off[r] + j
            kp_val[x] = trace_at(kp_val[x], kp_t[x], stamp, dt, rp[TAU_P]) + 1.0
            kp_t[x] = stamp
        if not zero_lag:
            add_post_traces(hist, hist_n, arr, post_lo, n_post, km_off[r], km_val, km_t, stamp, dt, rp[TAU_M])


@inner
def modulate(stamp, dt, pop_lo, pop_hi, prj_pre_pop, prj_row_off, rowptr, syn_w, rule_kind, rule_par, rule_prj, elig,
             modv, mod_decay):
    """Step 5: modulators decay; three-factor weight updates on their interval."""
    for r in range(rule_kind.size):
        if rule_kind[r] == STDP:
            continue
        modv[r] *= mod_decay[r]
        rp = rule_par[r]
        if stamp % int(rp[EVERY]) == 0:
            p = rule_prj[r]
            n_pre = pop_hi[prj_pre_pop[p]] - pop_lo[prj_pre_pop[p]]
            three_factor_update(syn_w, elig, rowptr[prj_row_off[p]], rowptr[prj_row_off[p] + n_pre], modv[r], dt, rp)


@inner
def begin_step(row, st, rec_idx, rec_row, rec_buf, icur, cur_idx, cur_val):
    """Step 1: record the state before the step; load the step's injected currents."""
    for j in range(rec_idx.size):
        rec_buf[row, j] = st[rec_row[j], rec_idx[j]]
    for j in range(cur_idx.size):
        icur[cur_idx[j]] = cur_val[row, j]


@inner
def poisson_input(lo, hi, k, seed, pin_lam, pin_p0, pin_w, in_e, in_i):
    r"""Add each neuron's Poisson input of step ``k`` to its inputs: :math:`w\, n`, :math:`n \sim
    \mathrm{Poisson}(\lambda)` drawn by inversion from one uniform keyed by (seed, neuron and receptor, step)
    (``pin_p0`` holds :math:`e^{-\lambda}`)."""
    for n in range(lo, hi):
        for r in range(2):
            lam = pin_lam[r, n]
            if lam <= 0.0:
                continue
            u = unit_at(seed, 2 * n + r, k)
            count = 0
            p = pin_p0[r, n]
            cdf = p
            while u >= cdf and p > 0.0:
                count += 1
                p *= lam / count
                cdf += p
            if r == 0:
                in_e[n] += count * pin_w[r, n]
            else:
                in_i[n] += count * pin_w[r, n]


@inner
def _record_spikes(stamp, spikes, lo, hi, spk_t, spk_id, n_spk):
    n = n_spk[0]
    for q in range(lo, hi):
        spk_t[n] = stamp
        spk_id[n] = spikes[q]
        n += 1
    n_spk[0] = n


@inner
def _replay_sources(hi, src_ids, c, c_end, spikes, n_sp):
    """Source spikes of a population ending at ``hi`` from the step's table; returns (count, next row)."""
    while c < c_end and src_ids[c] < hi:
        spikes[n_sp] = src_ids[c]
        n_sp += 1
        c += 1
    return n_sp, c


@inner
def gather(stamp, spikes, sp_lo, sp_hi, pop_kind, pop_hi, pop_rec_spk, ch_pop, ch_n, ch_buf, src_ids, c, c_end, spk_t,
           spk_id, n_spk):
    """One step's spikes into ``spikes`` in the serial order: population by population, a neuron population's
    chunks (``ch_n[ci]`` spikes in ``ch_buf[ci]`` for chunk ``ci`` of population ``ch_pop[ci]``) in neuron order, a
    source's events from the step's table (``src_ids[c:c_end]``); each population's range in ``sp_lo``,
    ``sp_hi``; recorded ones into the spike record.  Returns the step's spike count."""
    n_sp = 0
    ci = 0
    for p in range(pop_kind.size):
        sp_lo[p] = n_sp
        if is_neuron(pop_kind[p]):
            while ci < ch_pop.size and ch_pop[ci] == p:
                for q in range(ch_n[ci]):
                    spikes[n_sp] = ch_buf[ci, q]
                    n_sp += 1
                ci += 1
        else:
            n_sp, c = _replay_sources(pop_hi[p], src_ids, c, c_end, spikes, n_sp)
        sp_hi[p] = n_sp
        if pop_rec_spk[p]:
            _record_spikes(stamp, spikes, sp_lo[p], n_sp, spk_t, spk_id, n_spk)
    return n_sp


@njit(cache=True, nogil=True)
def run_steps(k0, k1, step_base, dt,
              pop_kind, pop_lo, pop_hi, pop_uniform, pop_has_current, pop_rec_spk,
              st, par, refr, refr_steps, icur, cur_idx, cur_val, src_ptr, src_ids,
              ring, hist, hist_n, mask,
              prj_pre_pop, prj_post_lo, prj_post_n, prj_rec, prj_row_off, prj_dense, prj_delay, prj_inline,
              rowptr, syn_post, syn_w, syn_d, prj_tm, tm_par, tm_st, tm_last, stoch_seed,
              pop_has_pin, pin_lam, pin_p0, pin_w, pin_seed,
              rule_kind, rule_par, rule_prj, kp_off, kp_val, kp_t, km_off, km_val, km_t,
              col_off, colptr, colsyn, colpre, elig, modv, mod_decay,
              spk_t, spk_id, n_spk, rec_idx, rec_row, rec_buf):
    """Advance from global step ``k0`` to ``k1`` on one thread; returns the step reached.

    Returns early (before a step) when the spike record has no room for a
    full step of spikes; the caller grows it and calls again.
    """
    n_total = st.shape[1]
    n_pop = pop_kind.size
    sp_lo = np.empty((1, n_pop), np.int64)     # this step's spikes by population (transmit's form for one step)
    sp_hi = np.empty((1, n_pop), np.int64)
    # the phases a network does not have are not called: a call passes some 30 arrays (reference counts each)
    plastic = rule_kind.size > 0
    for k in range(k0, k1):
        if n_spk[0] + n_total > spk_t.size:
            return k
        slot = k & mask
        row = k - step_base
        stamp = k + 1
        begin_step(row, st, rec_idx, rec_row, rec_buf, icur, cur_idx, cur_val)
        spikes = hist[slot]
        n_sp = 0
        c = src_ptr[row]
        c_end = src_ptr[row + 1]
        in_e = ring[slot, 0]
        in_i = ring[slot, 1]
        for p in range(n_pop):
            sp_lo[0, p] = n_sp
            kind = pop_kind[p]
            if is_neuron(kind):
                if pop_has_pin[p]:
                    poisson_input(pop_lo[p], pop_hi[p], k, pin_seed, pin_lam, pin_p0, pin_w, in_e, in_i)
                n_sp = update_population(kind, pop_lo[p], pop_hi[p], dt, st, par, refr, refr_steps, icur,
                                         pop_has_current[p], pop_uniform[p], in_e, in_i, spikes, n_sp)
            else:
                n_sp, c = _replay_sources(pop_hi[p], src_ids, c, c_end, spikes, n_sp)
            sp_hi[0, p] = n_sp
            if pop_rec_spk[p]:
                _record_spikes(stamp, spikes, sp_lo[0, p], n_sp, spk_t, spk_id, n_spk)
        hist_n[slot] = n_sp
        if plastic:
            plasticity(k, stamp, dt, mask, spikes, sp_lo[0], sp_hi[0], pop_lo, hist, hist_n, prj_pre_pop,
                       prj_post_lo, prj_post_n, prj_row_off, prj_delay, rowptr, syn_post, syn_w, rule_kind, rule_par,
                       rule_prj, kp_off, kp_val, kp_t, km_off, km_val, km_t, col_off, colptr, colsyn, colpre, elig)
        if n_sp:
            transmit(k, k + 1, dt, mask, hist, sp_lo, sp_hi, pop_lo, ring, prj_pre_pop, prj_post_lo, prj_post_n,
                     prj_rec, prj_row_off, prj_dense, prj_delay, rowptr, syn_post, syn_w, syn_d, prj_tm, tm_par, tm_st,
                     tm_last, stoch_seed, 0, n_total, prj_inline, -1)
        if plastic:
            modulate(stamp, dt, pop_lo, pop_hi, prj_pre_pop, prj_row_off, rowptr, syn_w, rule_kind, rule_par,
                     rule_prj, elig, modv, mod_decay)
    return k1


@njit(cache=True, nogil=True, parallel=True)
def run_steps_parallel(k0, k1, step_base, dt,
                       pop_kind, pop_lo, pop_hi, pop_uniform, pop_has_current, pop_rec_spk,
                       st, par, refr, refr_steps, icur, cur_idx, cur_val, src_ptr, src_ids,
                       ring, hist, hist_n, mask,
                       prj_pre_pop, prj_post_lo, prj_post_n, prj_rec, prj_row_off, prj_dense, prj_delay, prj_inline,
                       rowptr, syn_post, syn_w, syn_d, prj_tm, tm_par, tm_st, tm_last, stoch_seed,
                       pop_has_pin, pin_lam, pin_p0, pin_w, pin_seed,
                       rule_kind, rule_par, rule_prj, kp_off, kp_val, kp_t, km_off, km_val, km_t,
                       col_off, colptr, colsyn, colpre, elig, modv, mod_decay,
                       spk_t, spk_id, n_spk, rec_idx, rec_row, rec_buf,
                       ch_pop, ch_lo, ch_hi, ch_buf, ch_n, tg_lo, tg_hi):
    """:func:`run_steps` with the neuron updates over chunks ``ch_lo..ch_hi`` (of population ``ch_pop``, in
    population then neuron order) and the transmission over target ranges ``tg_lo..tg_hi``, each in parallel;
    the other phases as there.  Bit-identical to :func:`run_steps`."""
    n_total = st.shape[1]
    n_pop = pop_kind.size
    n_ch = ch_pop.size
    sp_lo = np.empty((1, n_pop), np.int64)     # this step's spikes by population (transmit's form for one step)
    sp_hi = np.empty((1, n_pop), np.int64)
    # the phases a network does not have are not called: a call passes some 30 arrays (reference counts each)
    plastic = rule_kind.size > 0
    for k in range(k0, k1):
        if n_spk[0] + n_total > spk_t.size:
            return k
        slot = k & mask
        row = k - step_base
        stamp = k + 1
        begin_step(row, st, rec_idx, rec_row, rec_buf, icur, cur_idx, cur_val)
        in_e = ring[slot, 0]
        in_i = ring[slot, 1]
        for ci in prange(n_ch):
            p = ch_pop[ci]
            if pop_has_pin[p]:
                poisson_input(ch_lo[ci], ch_hi[ci], k, pin_seed, pin_lam, pin_p0, pin_w, in_e, in_i)
            ch_n[ci, 0] = update_population(pop_kind[p], ch_lo[ci], ch_hi[ci], dt, st, par, refr, refr_steps, icur,
                                            pop_has_current[p], pop_uniform[p], in_e, in_i, ch_buf[ci], 0)
        spikes = hist[slot]
        n_sp = gather(stamp, spikes, sp_lo[0], sp_hi[0], pop_kind, pop_hi, pop_rec_spk, ch_pop, ch_n[:, 0], ch_buf,
                      src_ids, src_ptr[row], src_ptr[row + 1], spk_t, spk_id, n_spk)
        hist_n[slot] = n_sp
        if plastic:
            plasticity(k, stamp, dt, mask, spikes, sp_lo[0], sp_hi[0], pop_lo, hist, hist_n, prj_pre_pop,
                       prj_post_lo, prj_post_n, prj_row_off, prj_delay, rowptr, syn_post, syn_w, rule_kind, rule_par,
                       rule_prj, kp_off, kp_val, kp_t, km_off, km_val, km_t, col_off, colptr, colsyn, colpre, elig)
        if n_sp:
            for t in prange(tg_lo.size):
                transmit(k, k + 1, dt, mask, hist, sp_lo, sp_hi, pop_lo, ring, prj_pre_pop, prj_post_lo, prj_post_n,
                         prj_rec, prj_row_off, prj_dense, prj_delay, rowptr, syn_post, syn_w, syn_d, prj_tm, tm_par,
                         tm_st, tm_last, stoch_seed, tg_lo[t], tg_hi[t], prj_inline, -1)
        if plastic:
            modulate(stamp, dt, pop_lo, pop_hi, prj_pre_pop, prj_row_off, rowptr, syn_w, rule_kind, rule_par,
                     rule_prj, elig, modv, mod_decay)
    return k1


@njit(cache=True, nogil=True, parallel=True)
def run_steps_epochs(k0, k1, step_base, dt,
                     pop_kind, pop_lo, pop_hi, pop_uniform, pop_has_current, pop_rec_spk,
                     st, par, refr, refr_steps, icur, cur_idx, cur_val, src_ptr, src_ids,
                     ring, hist, hist_n, mask,
                     prj_pre_pop, prj_post_lo, prj_post_n, prj_rec, prj_row_off, prj_dense, prj_delay, prj_inline,
                     rowptr, syn_post, syn_w, syn_d, prj_tm, tm_par, tm_st, tm_last, stoch_seed,
                     pop_has_pin, pin_lam, pin_p0, pin_w, pin_seed,
                     spk_t, spk_id, n_spk, rec_idx, rec_row, rec_buf,
                     epoch, ch_pop, ch_lo, ch_hi, ch_buf, ch_n, th_ptr, th_ch, cc_ptr, cc_j, rc_ptr, rc_j):
    """:func:`run_steps` for a network without plasticity whose delays are all at least ``epoch`` steps (but those
    of the projections marked ``prj_inline``), with one fork and join per ``epoch`` steps instead of two per step.

    Each thread owns neuron chunks (thread ``t``: chunks ``th_ch[th_ptr[t]:th_ptr[t + 1]]``; chunk ``ci`` is neurons
    ``ch_lo[ci]..ch_hi[ci]`` of population ``ch_pop[ci]``).  A spike of an epoch arrives after the epoch's end, so in
    one parallel phase each thread first transmits the previous epoch's spikes, step by step, to its own neurons,
    then advances them over this epoch (recording and loading currents for them, ``cc``/``rc``: the table columns
    and record entries of each chunk); then, on one thread, each step's spikes are gathered in the serial order
    (populations, neurons, sources) and recorded.  A projection marked ``prj_inline`` (from a spike source, onto
    a population no neuron projects to) is delivered by the thread that owns its targets, each step right after the
    step's update, from the step's table of source events, so it does not bound the epoch.  Every target sums its
    inputs in the serial order and every
    neuron sees the same inputs at the same step, so the result is bit-identical to :func:`run_steps`.  Returns
    the step reached (early, at an epoch's start, when the spike record could not hold another epoch)."""
    n_total = st.shape[1]
    n_pop = pop_kind.size
    n_th = th_ptr.size - 1
    sp_lo = np.zeros((epoch, n_pop), np.int64)
    sp_hi = np.zeros((epoch, n_pop), np.int64)
    # each thread's view of a step's source events (inline delivery); rows a cache line apart
    in_lo = np.zeros((n_th, n_pop + 8), np.int64)
    in_hi = np.zeros((n_th, n_pop + 8), np.int64)
    inline = prj_inline.size > 0 and prj_inline.max() > 0
    prev_lo = k0
    prev_hi = k0       # the steps whose spikes wait for transmission
    k = k0
    while True:
        # the last pass (no room or no steps left) only delivers the last epoch's spikes, as run_steps leaves them
        e_hi = min(k + epoch, k1) if n_spk[0] + epoch * n_total <= spk_t.size else k
        for t in prange(n_th):
            for x in range(th_ptr[t], th_ptr[t + 1]):
                ci = th_ch[x]
                transmit(prev_lo, prev_hi, dt, mask, hist, sp_lo, sp_hi, pop_lo, ring, prj_pre_pop, prj_post_lo,
                         prj_post_n, prj_rec, prj_row_off, prj_dense, prj_delay, rowptr, syn_post, syn_w, syn_d,
                         prj_tm, tm_par, tm_st, tm_last, stoch_seed, ch_lo[ci], ch_hi[ci], prj_inline, 0)
            for x in range(th_ptr[t], th_ptr[t + 1]):
                ci = th_ch[x]
                p = ch_pop[ci]
                for s in range(k, e_hi):
                    row = s - step_base
                    for q in range(rc_ptr[ci], rc_ptr[ci + 1]):
                        j = rc_j[q]
                        rec_buf[row, j] = st[rec_row[j], rec_idx[j]]
                    for q in range(cc_ptr[ci], cc_ptr[ci + 1]):
                        j = cc_j[q]
                        icur[cur_idx[j]] = cur_val[row, j]
                    in_e = ring[s & mask, 0]
                    in_i = ring[s & mask, 1]
                    if pop_has_pin[p]:
                        poisson_input(ch_lo[ci], ch_hi[ci], s, pin_seed, pin_lam, pin_p0, pin_w, in_e, in_i)
                    ch_n[ci, s - k] = update_population(pop_kind[p], ch_lo[ci], ch_hi[ci], dt, st, par, refr,
                                                        refr_steps, icur, pop_has_current[p], pop_uniform[p], in_e,
                                                        in_i, ch_buf[ci, s - k], 0)
                    if inline:
                        source_ranges(src_ids, src_ptr[row], src_ptr[row + 1], pop_kind, pop_hi, in_lo[t], in_hi[t])
                        transmit_step(s, src_ids, in_lo[t], in_hi[t], dt, mask, pop_lo, ring, prj_pre_pop,
                                      prj_post_lo, prj_post_n, prj_rec, prj_row_off, prj_dense, prj_delay, rowptr,
                                      syn_post, syn_w, syn_d, prj_tm, tm_par, tm_st, tm_last, stoch_seed, ch_lo[ci],
                                      ch_hi[ci], prj_inline, 1)
        for s in range(k, e_hi):
            e = s - k
            hist_n[s & mask] = gather(s + 1, hist[s & mask], sp_lo[e], sp_hi[e], pop_kind, pop_hi, pop_rec_spk,
                                      ch_pop, ch_n[:, e], ch_buf[:, e], src_ids, src_ptr[s - step_base],
                                      src_ptr[s - step_base + 1], spk_t, spk_id, n_spk)
        if e_hi == k:
            return k
        prev_lo = k
        prev_hi = e_hi
        k = e_hi
