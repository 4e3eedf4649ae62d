"""Kernels for a sequence memory of cells with dendritic segments (HTM temporal memory).

Segments live in a pool: segment ``g`` belongs to cell ``seg_cell[g]`` and holds
``seg_nsyn[g]`` synapses, packed at the front of ``syn_pre[g]`` (presynaptic
cell) and ``syn_perm[g]`` (permanence).  ``cell_segs[c, :cell_nsegs[c]]`` lists
cell c's segments.  A synapse is *potential* while its permanence is > 0 and
*connected* when it is >= the connected threshold.  The caller guarantees room
for one new segment per active column and step (it grows the pool between calls).

Scalar counters live in ``counters`` (int64): [segments in use, winner cells,
previous winner cells, iteration].

Algorithm: Hawkins & Ahmad, "Why neurons have thousands of synapses", Front.
Neural Circuits 10:23 (2016), and the htm.core TemporalMemory it describes.
"""
import numpy as np
from numba import njit

from ...random import uniform

N_SEG, N_WIN, N_PREV, ITER = 0, 1, 2, 3


@njit(cache=True, nogil=True)
def _remove_synapse(g, j, syn_pre, syn_perm, seg_nsyn):
    last = seg_nsyn[g] - 1
    syn_pre[g, j] = syn_pre[g, last]
    syn_perm[g, j] = syn_perm[g, last]
    syn_pre[g, last] = -1
    seg_nsyn[g] = last


@njit(cache=True, nogil=True)
def adapt_segment(g, prev_active, inc, dec, syn_pre, syn_perm, seg_nsyn):
    """Hebbian update: dp = +inc on synapses from previously active cells, -dec on the others; p <= 0 removes the synapse."""
    j = 0
    while j < seg_nsyn[g]:
        if prev_active[syn_pre[g, j]]:
            syn_perm[g, j] = min(syn_perm[g, j] + inc, 1.0)
        else:
            syn_perm[g, j] -= dec
        if syn_perm[g, j] <= 0.0:
            _remove_synapse(g, j, syn_pre, syn_perm, seg_nsyn)
        else:
            j += 1


@njit(cache=True, nogil=True)
def punish_segment(g, prev_active, dec, syn_pre, syn_perm, seg_nsyn):
    """Anti-Hebbian update of a segment that matched but whose column did not activate: -dec on active synapses."""
    j = 0
    while j < seg_nsyn[g]:
        if prev_active[syn_pre[g, j]]:
            syn_perm[g, j] -= dec
            if syn_perm[g, j] <= 0.0:
                _remove_synapse(g, j, syn_pre, syn_perm, seg_nsyn)
                continue
        j += 1


@njit(cache=True, nogil=True)
def grow_synapses(g, wanted, prev_winners, n_prev, init_perm, syn_pre, syn_perm, seg_nsyn, candidates, state):
    """Add up to ``wanted`` synapses from a random sample of previous winner cells not yet on segment g.

    A full segment first loses its weakest synapses (as htm.core does).
    """
    n_cand = 0
    for k in range(n_prev):
        c = prev_winners[k]
        found = False
        for j in range(seg_nsyn[g]):
            if syn_pre[g, j] == c:
                found = True
                break
        if not found:
            candidates[n_cand] = c
            n_cand += 1
    n_new = min(wanted, n_cand)
    if n_new <= 0:
        return
    overflow = seg_nsyn[g] + n_new - syn_pre.shape[1]
    for _ in range(overflow):
        weakest = 0
        for j in range(1, seg_nsyn[g]):
            if syn_perm[g, j] < syn_perm[g, weakest]:
                weakest = j
        _remove_synapse(g, weakest, syn_pre, syn_perm, seg_nsyn)
    for k in range(n_new):       # partial Fisher-Yates: the first n_new candidates become a random sample
        r = k + int(uniform(state) * (n_cand - k))
        candidates[k], candidates[r] = candidates[r], candidates[k]
        j = seg_nsyn[g]
        syn_pre[g, j] = candidates[k]
        syn_perm[g, j] = init_perm
        seg_nsyn[g] = j + 1


@njit(cache=True, nogil=True)
def create_segment(cell, counters, seg_cell, seg_nsyn, seg_last, syn_pre, cell_segs, cell_nsegs, conn_count,
                   pot_count):
    """A new empty segment on ``cell``; a cell at its segment limit recycles its least recently used one."""
    if cell_nsegs[cell] >= cell_segs.shape[1]:
        g = cell_segs[cell, 0]
        for k in range(1, cell_nsegs[cell]):
            if seg_last[cell_segs[cell, k]] < seg_last[g]:
                g = cell_segs[cell, k]
        for j in range(seg_nsyn[g]):
            syn_pre[g, j] = -1
        seg_nsyn[g] = 0
    else:
        g = counters[N_SEG]
        counters[N_SEG] += 1
        seg_cell[g] = cell
        cell_segs[cell, cell_nsegs[cell]] = g
        cell_nsegs[cell] += 1
    seg_last[g] = counters[ITER]
    conn_count[g] = 0
    pot_count[g] = 0
    return g


@njit(cache=True, nogil=True)
def segment_activity(n_seg, active, conn_perm, syn_pre, syn_perm, seg_nsyn, conn_count, pot_count):
    """conn_count[g] / pot_count[g] = connected / potential synapses of segment g on active cells."""
    for g in range(n_seg):
        c = 0
        p = 0
        for j in range(seg_nsyn[g]):
            if active[syn_pre[g, j]]:
                p += 1
                if syn_perm[g, j] >= conn_perm:
                    c += 1
        conn_count[g] = c
        pot_count[g] = p


@njit(cache=True, nogil=True)
def tm_run(cols_ptr, cols, resets, learn, cells_per_column, activation_threshold, min_threshold, init_perm,
           conn_perm, inc, dec, punish, new_synapses, counters, seg_cell, seg_nsyn, seg_last, syn_pre, syn_perm,
           cell_segs, cell_nsegs, conn_count, pot_count, active, prev_active, winners, prev_winners, dead, state,
           predicted_out, bursting_out):
    """Run the temporal memory over ``len(cols_ptr) - 1`` steps of active columns.

    Each step: an active column with a predictive cell (one with an active segment,
    connected overlap >= activation_threshold) activates only those cells; otherwise
    it bursts (all its cells fire) and its best matching segment (potential overlap
    >= min_threshold) or a new segment on its least used cell learns.  Learning
    segments get dp = +inc / -dec (Hebbian) and grow synapses to the previous winner
    cells up to ``new_synapses`` active ones; matching segments in inactive columns
    are punished by ``punish``.  ``predicted_out[t, col]`` = column predicted for step
    t + 1; ``bursting_out[t]`` = columns that burst at step t.
    """
    n_cells = active.size
    n_cols = n_cells // cells_per_column
    col_active = np.zeros(n_cols, dtype=np.uint8)
    candidates = np.empty(n_cells, dtype=np.int64)
    for t in range(cols_ptr.size - 1):
        counters[ITER] += 1
        if resets[t]:
            active[:] = 0
            counters[N_WIN] = 0
            conn_count[:counters[N_SEG]] = 0
            pot_count[:counters[N_SEG]] = 0
        prev_active[:] = active
        active[:] = 0
        n_prev = counters[N_WIN]
        prev_winners[:n_prev] = winners[:n_prev]
        counters[N_PREV] = n_prev
        n_win = 0
        bursts = 0
        for k in range(cols_ptr[t], cols_ptr[t + 1]):
            col_active[cols[k]] = 1
        for k in range(cols_ptr[t], cols_ptr[t + 1]):
            first = cols[k] * cells_per_column
            predicted = False
            for cell in range(first, first + cells_per_column):
                if dead[cell]:
                    continue
                for q in range(cell_nsegs[cell]):
                    if conn_count[cell_segs[cell, q]] >= activation_threshold:
                        predicted = True
            if predicted:
                for cell in range(first, first + cells_per_column):
                    if dead[cell]:
                        continue
                    has = False
                    for q in range(cell_nsegs[cell]):
                        g = cell_segs[cell, q]
                        if conn_count[g] >= activation_threshold:
                            has = True
                            if learn:
                                adapt_segment(g, prev_active, inc, dec, syn_pre, syn_perm, seg_nsyn)
                                grow_synapses(g, new_synapses - pot_count[g], prev_winners, n_prev, init_perm,
                                              syn_pre, syn_perm, seg_nsyn, candidates, state)
                                seg_last[g] = counters[ITER]
                    if has:
                        active[cell] = 1
                        winners[n_win] = cell
                        n_win += 1
                continue
            bursts += 1
            best = -1
            best_pot = min_threshold - 1
            for cell in range(first, first + cells_per_column):
                if dead[cell]:
                    continue
                active[cell] = 1
                for q in range(cell_nsegs[cell]):
                    g = cell_segs[cell, q]
                    if pot_count[g] > best_pot:
                        best = g
                        best_pot = pot_count[g]
            if best >= 0:
                winner = seg_cell[best]
                if learn:
                    adapt_segment(best, prev_active, inc, dec, syn_pre, syn_perm, seg_nsyn)
                    grow_synapses(best, new_synapses - pot_count[best], prev_winners, n_prev, init_perm, syn_pre,
                                  syn_perm, seg_nsyn, candidates, state)
                    seg_last[best] = counters[ITER]
            else:
                winner = -1
                fewest = 1 << 30
                ties = 0
                for cell in range(first, first + cells_per_column):
                    if dead[cell]:
                        continue
                    if cell_nsegs[cell] < fewest:
                        fewest = cell_nsegs[cell]
                        winner = cell
                        ties = 1
                    elif cell_nsegs[cell] == fewest:
                        ties += 1                      # reservoir sampling: a uniform choice among the least used
                        if uniform(state) * ties < 1.0:
                            winner = cell
                if winner >= 0 and learn and n_prev > 0:
                    g = create_segment(winner, counters, seg_cell, seg_nsyn, seg_last, syn_pre, cell_segs,
                                       cell_nsegs, conn_count, pot_count)
                    grow_synapses(g, new_synapses, prev_winners, n_prev, init_perm, syn_pre, syn_perm, seg_nsyn,
                                  candidates, state)
            if winner >= 0:
                winners[n_win] = winner
                n_win += 1
        if learn and punish > 0.0:
            for g in range(counters[N_SEG]):
                if pot_count[g] >= min_threshold and col_active[seg_cell[g] // cells_per_column] == 0:
                    punish_segment(g, prev_active, punish, syn_pre, syn_perm, seg_nsyn)
        counters[N_WIN] = n_win
        bursting_out[t] = bursts
        for k in range(cols_ptr[t], cols_ptr[t + 1]):
            col_active[cols[k]] = 0
        segment_activity(counters[N_SEG], active, conn_perm, syn_pre, syn_perm, seg_nsyn, conn_count, pot_count)
        for g in range(counters[N_SEG]):
            if conn_count[g] >= activation_threshold and not dead[seg_cell[g]]:
                predicted_out[t, seg_cell[g] // cells_per_column] = 1

@njit(cache=True, nogil=True)
def adam_update(param, grad, m, v, lr, beta1, beta2, eps, step):
    """One Adam step in place (Kingma & Ba 2015, Algorithm 1), on flat (ravelled) arrays.

    m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;
    p <- p - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
    """
    c1 = 1.0 / (1.0 - beta1 ** step)
    c2 = 1.0 / (1.0 - beta2 ** step)
    for i in range(param.size):
        g = grad[i]
        mi = beta1 * m[i] + (1.0 - beta1) * g
        vi = beta2 * v[i] + (1.0 - beta2) * g * g
        m[i] = mi
        v[i] = vi
        param[i] -= lr * (mi * c1) / (np.sqrt(vi * c2) + eps)
