"""The time loop: one call advances the whole network over many steps.

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
"""
import numpy as np
from numba import njit

from .neurons import IZHIKEVICH, LIF, LIF_ARRIVAL, izh_step, lif_step, lif_step_arrival
from .plasticity import (A_M, A_P, EVERY, STDP, TAU_M, TAU_P, ZERO_LAG_DEPRESS, depress, eligibility_gain, potentiate,
                         three_factor_update, trace_at)
from .propagation import deliver_dense, deliver_row, deliver_row_delays



@njit(cache=True, nogil=True)
def add_post_traces(hist, hist_n, arr, post_lo, n_post, off, km_val, km_t, stamp, dt, tau):
    """Add 1 to the post trace of each post spike reaching the synapses at ``stamp``."""
    for q in range(hist_n[arr]):
        i = hist[arr, q] - post_lo
        if i < 0 or i >= n_post:
            continue
        x = off + i
        km_val[x] = trace_at(km_val[x], km_t[x], stamp, dt, tau) + 1.0
        km_t[x] = stamp


@njit(cache=True, nogil=True)
def run_steps(k0, k1, step_base, dt,
              pop_kind, pop_lo, pop_hi, pop_uniform, pop_has_current, pop_rec_spk,
              st, par, refr, refr_steps, icur, cur_idx, cur_val, src_ptr, src_ids,
              ring, hist, hist_n, mask,
              prj_pre_pop, prj_post_lo, prj_post_n, prj_rec, prj_row_off, prj_dense, prj_delay,
              rowptr, syn_post, syn_w, syn_d,
              rule_kind, rule_par, rule_prj, kp_off, kp_val, kp_t, km_off, km_val, km_t,
              col_off, colptr, colsyn, colpre, elig, modv, mod_decay,
              spk_t, spk_id, n_spk, rec_idx, rec_row, rec_buf):
    """Advance from global step ``k0`` to ``k1``; returns the step reached.

    Returns early (before a step) when the spike record has no room for a
    full step of spikes; the caller grows it and calls again.
    """
    n_total = st.shape[1]
    n_pop = pop_kind.size
    n_prj = prj_pre_pop.size
    sp_lo = np.empty(n_pop, np.int64)
    sp_hi = np.empty(n_pop, np.int64)
    for k in range(k0, k1):
        if n_spk[0] + n_total > spk_t.size:
            return k
        slot = k & mask
        row = k - step_base
        stamp = k + 1
        for j in range(rec_idx.size):
            rec_buf[row, j] = st[rec_row[j], rec_idx[j]]
        for j in range(cur_idx.size):
            icur[cur_idx[j]] = cur_val[row, j]

        # 2. neurons
        spikes = hist[slot]
        n_sp = 0
        c = src_ptr[row]
        c_end = src_ptr[row + 1]
        in_e = ring[slot, 0]
        in_i = ring[slot, 1]
        for p in range(n_pop):
            sp_lo[p] = n_sp
            kind = pop_kind[p]
            if kind == LIF:
                n_sp = lif_step(pop_lo[p], pop_hi[p], st, par, refr, refr_steps, icur, pop_has_current[p],
                                pop_uniform[p], in_e, in_i, spikes, n_sp)
            elif kind == LIF_ARRIVAL:
                n_sp = lif_step_arrival(pop_lo[p], pop_hi[p], st, par, refr, refr_steps, icur, pop_has_current[p],
                                        pop_uniform[p], in_e, in_i, spikes, n_sp)
            elif kind == IZHIKEVICH:
                n_sp = izh_step(pop_lo[p], pop_hi[p], dt, st, par, icur, in_e, in_i, spikes, n_sp)
            else:
                while c < c_end and src_ids[c] < pop_hi[p]:
                    spikes[n_sp] = src_ids[c]
                    n_sp += 1
                    c += 1
            sp_hi[p] = n_sp
            if pop_rec_spk[p]:
                n = n_spk[0]
                for q in range(sp_lo[p], n_sp):
                    spk_t[n] = stamp
                    spk_id[n] = spikes[q]
                    n += 1
                n_spk[0] = n
        hist_n[slot] = n_sp

        # 3. plasticity
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

        # 4. transmission
        for p in range(n_prj):
            pp = prj_pre_pop[p]
            if sp_lo[pp] == sp_hi[pp]:
                continue
            pre_lo = pop_lo[pp]
            base = prj_post_lo[p]
            n_post = prj_post_n[p]
            rec = prj_rec[p]
            d = prj_delay[p]
            roff = prj_row_off[p]
            for q in range(sp_lo[pp], sp_hi[pp]):
                j = spikes[q] - pre_lo
                s0 = rowptr[roff + j]
                s1 = rowptr[roff + j + 1]
                if d < 0:
                    deliver_row_delays(ring, rec, base, k, mask, syn_post, syn_w, syn_d, s0, s1)
                elif prj_dense[p]:
                    deliver_dense(ring[(k + d) & mask, rec, base:base + n_post], syn_w, s0, s1 - s0)
                else:
                    deliver_row(ring[(k + d) & mask, rec, base:base + n_post], syn_post, syn_w, s0, s1)

        # 5. modulators and three-factor weight updates
        for r in range(rule_kind.size):
            if rule_kind[r] == STDP:
                continue
            modv[r] *= mod_decay[r]
            rp = rule_par[r]
            if stamp % int(rp[EVERY]) == 0:
                p = rule_prj[r]
                n_pre = pop_hi[prj_pre_pop[p]] - pop_lo[prj_pre_pop[p]]
                three_factor_update(syn_w, elig, rowptr[prj_row_off[p]], rowptr[prj_row_off[p] + n_pre],
                                    modv[r], dt, rp)
    return k1
