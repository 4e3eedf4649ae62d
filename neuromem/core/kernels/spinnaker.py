r"""The tick loop of sPyNNaker 7.1.0 in integer arithmetic, behind ``Simulator(timing='spinnaker')``.

Per tick ``t`` (``neuron_impl_standard.h``; ``c_main.c``; ``synapses.c``):

1. ring-buffer slot ``t`` moves into the synaptic state: ``syn += decay_s1615(w16 << shift, init)``
   (exponential and conductance synapses) or ``syn += w16 << shift`` (delta);
2. each neuron: ``v`` and the synaptic inputs are recorded (before the update); the input type
   turns the synaptic state into a current (conductance: ``(g >> 10)(E_rev - v)``; delta: times
   ``1 / dt``); the neuron model updates (LIF closed form ``V = alpha - exp_TC (alpha - V)``,
   ``alpha = I R + V_rest``, or Izhikevich's midpoint step); threshold ``V >= V_thresh``; on a
   spike the reset, the refractory timer and the spike's post-synaptic event for STDP;
   then the synaptic state decays (``decay_s1615(syn, decay)``; delta: to 0);
3. every spike of the tick (sources and neurons) walks its rows: a static synapse adds ``w16`` to
   slot ``t + d`` of its target (16 bits, saturating); a plastic one is first brought up to date
   by pair STDP (deferred: the post events since the row's last presynaptic spike potentiate it,
   the last post event depresses it) and then adds its new weight.
"""
import numpy as np
from numba import njit

from .fixed import decay_s1615, lut_decay, mul_accum_fixed, mul_k, stdp_mul, wrap16, wrap32
from .neurons import IZHIKEVICH, SOURCE_ARRAY, SOURCE_POISSON

EXP, COND, DELTA = 0, 1, 2
FIXED_140, FIXED_5, MAGIC, HALF = 140 << 15, 5 << 15, 1311, 1 << 14
SIMPLE_TQ_OFFSET = 60620
POST_EVENTS = 16


@njit(cache=True, nogil=True, inline='always')
def transfer(n, slot, ring, syn, shift, init, input_kind):
    """Move ring-buffer slot ``slot`` into the synaptic state of neuron ``n`` (sPyNNaker's neuron_transfer and
    add_input functions)."""
    for s in range(2):
        value = ring[slot, s, n]
        if value > 0:
            x = wrap32(value << shift[s, n])
            if input_kind[n] == DELTA:
                syn[s, n] = wrap32(syn[s, n] + x)
            else:
                syn[s, n] = wrap32(syn[s, n] + decay_s1615(x, init[s, n]))
            ring[slot, s, n] = 0


@njit(cache=True, nogil=True, inline='always')
def lif_update(n, V, refract, syn, v_rest, r_mem, exp_tc, i_offset, cur, input_kind, delta_scale, v_rev, rec_g):
    """One LIF update of neuron ``n`` (``neuron_model_lif_impl.h``) with ``cur`` from its current sources;
    ``rec_g`` receives the recorded excitatory and inhibitory input.  Returns the membrane value the
    threshold is compared with."""
    v_before = V[n]
    exc, inh = syn[0, n], syn[1, n]
    kind = input_kind[n]
    if kind == COND:
        exc, inh = exc >> 10, inh >> 10
    rec_g[0], rec_g[1] = exc, inh
    if kind == COND:
        exc = mul_k(exc, wrap32(v_rev[0, n] - v_before))
        inh = mul_k(-inh, wrap32(v_rev[1, n] - v_before))
    elif kind == DELTA:
        exc = mul_k(exc, delta_scale[n])
        inh = mul_k(inh, delta_scale[n])
    if refract[n] <= 0:
        current = wrap32(wrap32(exc - inh) + i_offset[n] + cur)
        alpha = wrap32(mul_k(current, r_mem[n]) + v_rest[n])
        V[n] = wrap32(alpha - mul_k(exp_tc[n], wrap32(alpha - V[n])))
    else:
        refract[n] -= 1
    return V[n]


@njit(cache=True, nogil=True, inline='always')
def izh_update(n, V, U, this_h, syn, izh, i_offset, cur, rec_g):
    """One Izhikevich update (``neuron_model_izh_impl.h``: ``rk2_kernel_midpoint``, left to right)."""
    exc, inh = syn[0, n], syn[1, n]
    rec_g[0], rec_g[1] = exc, inh
    current = wrap32(wrap32(exc - inh) + i_offset[n] + cur)
    h = this_h[n]
    a, b = izh[0, n], izh[1, n]
    last_v, last_u = V[n], U[n]
    pre_alph = wrap32(wrap32(FIXED_140 + current) - last_u)
    alpha = wrap32(pre_alph + mul_k(wrap32(FIXED_5 + mul_k(MAGIC, last_v)), last_v))
    eta = wrap32(last_v + mul_k(mul_k(h, alpha), HALF))
    beta = mul_k(mul_k(mul_k(h, wrap32(mul_k(b, last_v) - last_u)), a), HALF)
    V[n] = wrap32(last_v + mul_k(h, wrap32(wrap32(pre_alph - beta)
                                           + mul_k(wrap32(FIXED_5 + mul_k(MAGIC, eta)), eta))))
    U[n] = wrap32(last_u + mul_k(mul_k(a, h), wrap32(wrap32(-last_u - beta) + mul_k(b, eta))))
    this_h[n] = izh[4, n]
    return V[n]


@njit(cache=True, nogil=True, inline='always')
def add_post_event(n, t, hist_t, hist_tr, hist_cnt, lut_m):
    """A post-synaptic spike of neuron ``n`` at tick ``t`` into its history (``post_events_add``), with the
    post trace decayed from the last event and increased by 1.0 (``timing_add_post_spike``)."""
    last = hist_cnt[n]
    trace = wrap16(stdp_mul(hist_tr[n, last], lut_decay(t - hist_t[n, last], lut_m)) + 2048)
    if last < POST_EVENTS - 1:
        hist_cnt[n] = last + 1
        hist_t[n, last + 1] = t
        hist_tr[n, last + 1] = trace
    else:
        for e in range(2, POST_EVENTS):
            hist_t[n, e - 1] = hist_t[n, e]
            hist_tr[n, e - 1] = hist_tr[n, e]
        hist_t[n, POST_EVENTS - 1] = t
        hist_tr[n, POST_EVENTS - 1] = trace


@njit(cache=True, nogil=True, inline='always')
def stdp_weight(w16, shift, t, t0, r0, delay, n, hist_t, hist_tr, hist_cnt, lut_p, lut_m, rp):
    """The weight of one plastic synapse brought up to date at a presynaptic spike on tick ``t``
    (``plasticity_update_synapse`` with ``post_events_get_window_delayed``, pair rule, additive or
    multiplicative dependence); ``t0``, ``r0`` are the row's previous spike time and trace."""
    w = wrap32(w16 << shift)
    begin = t0 - delay if t0 >= delay else 0
    end = t - delay if t >= delay else 0
    count = hist_cnt[n] + 1
    idx = count
    end_idx = count
    while True:
        if idx < count and hist_t[n, idx] > end:
            end_idx = idx
        nxt = idx
        idx -= 1
        if not (hist_t[n, idx] > begin and idx != 0):
            break
    prev = idx
    valid = idx != 0
    a2p, a2m, w_min, w_max, mult = rp[0], rp[1], rp[2], rp[3], rp[4]
    for e in range(nxt, end_idx):
        since_pre = (hist_t[n, e] + delay - t0) & 0xFFFFFFFF
        if since_pre > 0:
            decayed = stdp_mul(r0, lut_decay(since_pre, lut_p))
            if mult:
                w = wrap32(w + mul_accum_fixed(mul_k(wrap32(w_max - w), a2p), decayed))
            else:
                w = min(wrap32(w + mul_accum_fixed(a2p, decayed)), w_max)
        prev = e
        valid = True
    if valid:
        since_post = (t - (hist_t[n, prev] + delay)) & 0xFFFFFFFF
        decayed = stdp_mul(hist_tr[n, prev], lut_decay(since_post, lut_m))
        if mult:
            w = wrap32(w - mul_accum_fixed(mul_k(wrap32(w - w_min), a2m), decayed))
        else:
            w = max(wrap32(w - mul_accum_fixed(a2m, decayed)), w_min)
    return (w >> shift) & 0xFFFF


@njit(cache=True, nogil=True)
def deliver(t, spikes, n_sp, pop_of, prj_pre_pop, prj_type, prj_rule, prj_row_off, pop_lo, rowptr, syn_post,
            syn_w, syn_d, ring, mask, shift, saturated, prj_post_pop, prj_delay, prj_full, rule_par, hdr_off, hdr_time,
            hdr_trace,
            lut_plus, lutp_off, lut_minus, lutm_off, post_lut, hist_t, hist_tr, hist_cnt, pop_in):
    """Walk the rows of this tick's spikes into the ring buffers (``process_fixed_synapses``,
    ``synapse_dynamics_process_plastic_synapses``); ``pop_in[slot, population]`` counts the entries."""
    for q in range(n_sp):
        g = spikes[q]
        p_pre = pop_of[g]
        j = g - pop_lo[p_pre]
        for p in range(prj_pre_pop.size):
            if prj_pre_pop[p] != p_pre:
                continue
            s_type = prj_type[p]
            s0 = rowptr[prj_row_off[p] + j]
            s1 = rowptr[prj_row_off[p] + j + 1]
            r = prj_rule[p]
            if r >= 0:
                h = hdr_off[r] + j
                t0, r0 = hdr_time[h], hdr_trace[h]
                lut_p = lut_plus[lutp_off[r]:lutp_off[r + 1]]
                lut_m = lut_minus[lutm_off[r]:lutm_off[r + 1]]
                hdr_time[h] = t
                hdr_trace[h] = wrap16(stdp_mul(r0, lut_decay(t - t0, lut_p)) + 2048)
                rp = rule_par[r]
                for s in range(s0, s1):
                    post = syn_post[s]
                    syn_w[s] = stdp_weight(syn_w[s], shift[s_type, post], t, t0, r0, syn_d[s], post, hist_t,
                                           hist_tr, hist_cnt, lut_p, lut_m, rp)
            q_post = prj_post_pop[p]
            if prj_delay[p] > 0 and prj_full[p]:
                # a full row onto the whole population in order (all-to-all): a vector add
                slot = (t + prj_delay[p]) & mask
                lane = ring[slot, s_type, pop_lo[q_post]:pop_lo[q_post] + s1 - s0]
                w = syn_w[s0:s1]
                over = 0
                for k in range(lane.size):
                    acc = lane[k] + w[k]
                    over += acc > 0xFFFF
                    lane[k] = min(acc, 0xFFFF)
                saturated[q_post] += over
                pop_in[slot, q_post] += s1 - s0
                continue
            if prj_delay[p] > 0:        # one delay for the whole projection: one ring slot
                slot = (t + prj_delay[p]) & mask
                lane = ring[slot, s_type]
                for s in range(s0, s1):
                    post = syn_post[s]
                    acc = lane[post] + syn_w[s]
                    if acc > 0xFFFF:
                        acc = 0xFFFF
                        saturated[q_post] += 1
                    lane[post] = acc
                pop_in[slot, q_post] += s1 - s0
                continue
            for s in range(s0, s1):
                post = syn_post[s]
                slot = (t + syn_d[s]) & mask
                acc = ring[slot, s_type, post] + syn_w[s]
                if acc > 0xFFFF:
                    acc = 0xFFFF
                    saturated[q_post] += 1
                ring[slot, s_type, post] = acc
                pop_in[slot, q_post] += 1


@njit(cache=True, nogil=True)
def run_ticks(t0, t1, tick_base, pop_kind, pop_lo, pop_hi, pop_of, pop_rec_spk, V, U, refract, this_h, syn,
              v_rest, r_mem, exp_tc, i_offset, v_reset, v_thresh, t_refract, decay, init, v_rev, izh, input_kind,
              delta_scale, shift, ring, mask, saturated, src_ptr, src_ids, cur_col, cur_val, prj_pre_pop, prj_type,
              prj_rule, prj_row_off, rowptr, syn_post, syn_w, syn_d, prj_post_pop, prj_delay, prj_full, rule_par, hdr_off, hdr_time,
              hdr_trace, lut_plus, lutp_off, lut_minus, lutm_off, post_lut, hist_t, hist_tr, hist_cnt, spikes,
              spk_t, spk_id, n_spk, rec_flag, rec_idx, rec_row, rec_buf):
    """Advance from tick ``t0`` up to ``t1`` (excluded); returns the tick reached (early when the spike record is full).

    ``cur_val[t - tick_base, cur_col[n]]``: the current sources' offset of neuron ``n`` (s16.15 bits;
    ``cur_col[n] < 0``: none).  Recorded rows: 0 ``v``, 1 excitatory input, 2 inhibitory input, 3 ``u``
    (bits, before the tick's update), for the neurons with ``rec_flag``.

    A LIF neuron whose last update left it unchanged, with no synaptic input, no current source and
    no ring-buffer entry this tick, is at a fixed point of its update and is skipped: the board's
    arithmetic would give the same bits again.
    """
    n_total = V.size
    rec_g = np.zeros(2, np.int64)
    rec_now = np.zeros((4, n_total), np.int64)
    # quiescence: ``still[n]`` (see above); a population with no neuron awake, no ring-buffer entry in
    # this tick's slot and nothing recorded but spikes is skipped whole
    still = np.zeros(n_total, np.bool_)
    awake = pop_hi - pop_lo
    pop_in = np.zeros((ring.shape[0], pop_kind.size), np.int64)
    for slot in range(ring.shape[0]):
        for s in range(2):
            for n in range(n_total):
                if ring[slot, s, n] != 0:
                    pop_in[slot, pop_of[n]] += 1
    watched = np.zeros(pop_kind.size, np.bool_)
    for n in range(n_total):
        if rec_flag[n] or cur_col[n] >= 0:
            watched[pop_of[n]] = True
    for t in range(t0, t1):
        if n_spk[0] + n_total > spk_t.size:
            return t
        slot = t & mask
        row = t - tick_base
        n_sp = 0
        c = src_ptr[row]
        c_end = src_ptr[row + 1]
        for p in range(pop_kind.size):
            kind = pop_kind[p]
            if kind == SOURCE_ARRAY or kind == SOURCE_POISSON:
                while c < c_end and src_ids[c] < pop_hi[p]:
                    spikes[n_sp] = src_ids[c]
                    n_sp += 1
                    c += 1
                continue
            start = n_sp
            if awake[p] == 0 and pop_in[slot, p] == 0 and not watched[p]:
                continue
            pop_in[slot, p] = 0
            for n in range(pop_lo[p], pop_hi[p]):
                if still[n] and ring[slot, 0, n] == 0 and ring[slot, 1, n] == 0:
                    if rec_flag[n]:
                        rec_now[0, n] = V[n]
                        rec_now[1, n] = 0
                        rec_now[2, n] = 0
                        rec_now[3, n] = U[n]
                    continue
                transfer(n, slot, ring, syn, shift, init, input_kind)
                v_before = V[n]
                waiting = refract[n] > 0
                if rec_flag[n]:
                    rec_now[0, n] = v_before
                    rec_now[3, n] = U[n]
                cur = cur_val[row, cur_col[n]] if cur_col[n] >= 0 else 0
                if kind == IZHIKEVICH:
                    v = izh_update(n, V, U, this_h, syn, izh, i_offset, cur, rec_g)
                else:
                    v = lif_update(n, V, refract, syn, v_rest, r_mem, exp_tc, i_offset, cur, input_kind,
                                   delta_scale, v_rev, rec_g)
                if rec_flag[n]:
                    rec_now[1, n], rec_now[2, n] = rec_g[0], rec_g[1]
                fired = v >= v_thresh[n]
                if fired:
                    if kind == IZHIKEVICH:
                        V[n] = izh[2, n]
                        U[n] = wrap32(U[n] + izh[3, n])
                        this_h[n] = mul_k(izh[4, n], SIMPLE_TQ_OFFSET)
                    else:
                        V[n] = v_reset[n]
                        refract[n] = t_refract[n]
                    spikes[n_sp] = n
                    n_sp += 1
                    r = post_lut[n]
                    if r >= 0:
                        add_post_event(n, t, hist_t, hist_tr, hist_cnt, lut_minus[lutm_off[r]:lutm_off[r + 1]])
                for s in range(2):
                    if input_kind[n] == DELTA:
                        syn[s, n] = 0
                    else:
                        syn[s, n] = decay_s1615(syn[s, n], decay[s, n])
                now_still = (kind != IZHIKEVICH and not fired and not waiting and V[n] == v_before
                             and syn[0, n] == 0 and syn[1, n] == 0 and cur_col[n] < 0)
                if now_still != still[n]:
                    awake[p] += -1 if now_still else 1
                    still[n] = now_still
            if pop_rec_spk[p]:
                m = n_spk[0]
                for q in range(start, n_sp):
                    spk_t[m] = t
                    spk_id[m] = spikes[q]
                    m += 1
                n_spk[0] = m
        for j in range(rec_idx.size):
            rec_buf[row, j] = rec_now[rec_row[j], rec_idx[j]]
        deliver(t, spikes, n_sp, pop_of, prj_pre_pop, prj_type, prj_rule, prj_row_off, pop_lo, rowptr, syn_post,
                syn_w, syn_d, ring, mask, shift, saturated, prj_post_pop, prj_delay, prj_full, rule_par, hdr_off, hdr_time,
                hdr_trace,
                lut_plus, lutp_off, lut_minus, lutm_off, post_lut, hist_t, hist_tr, hist_cnt, pop_in)
    return t1
