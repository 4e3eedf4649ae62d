"""Kernels for dendritic segments: Monte Carlo of random segments, and segment activation.

Segments are stored as a (S, s) matrix of presynaptic cell indices (``synapses``,
-1 for an empty slot) and, for event-driven activation, its transpose as CSR:
``cell_ptr`` / ``cell_seg`` list the segments each cell reaches.
"""
import numpy as np
from numba import njit, prange

from ...random import uniform


@njit(cache=True, nogil=True)
def random_subset(n, k, state, mark, stamp):
    """Mark k distinct cells of n with ``stamp`` in ``mark`` (Floyd's algorithm); returns nothing."""
    for j in range(n - k, n):
        t = int(uniform(state) * (j + 1))
        if mark[t] == stamp:
            mark[j] = stamp
        else:
            mark[t] = stamp


@njit(cache=True, nogil=True)
def mc_false_match(n, a, s, theta, trials, state):
    """Fraction of trials in which a random a-of-n pattern puts >= theta active cells on a random s-synapse segment.

    Each trial draws both sets afresh (Floyd's algorithm), as Ahmad & Hawkins' simulation does.
    """
    active = np.zeros(n, dtype=np.int64)
    seg = np.zeros(n, dtype=np.int64)
    hits = 0
    for t in range(1, trials + 1):
        random_subset(n, a, state, active, t)
        random_subset(n, s, state, seg, t)
        overlap = 0
        for i in range(n):
            if seg[i] == t and active[i] == t:
                overlap += 1
        if overlap >= theta:
            hits += 1
    return hits / trials


@njit(cache=True, nogil=True)
def mc_false_negative(a, s, theta, v, trials, state):
    """Fraction of trials in which replacing v of a pattern's a cells leaves fewer than theta of s synapses active.

    The segment's s synapses sit on s of the a active cells; the v replaced cells
    are a random subset of the a (the replacements are outside the segment).
    """
    seg = np.zeros(a, dtype=np.int64)
    gone = np.zeros(a, dtype=np.int64)
    fails = 0
    for t in range(1, trials + 1):
        random_subset(a, s, state, seg, t)
        random_subset(a, v, state, gone, t)
        kept = 0
        for i in range(a):
            if seg[i] == t and gone[i] != t:
                kept += 1
        if kept < theta:
            fails += 1
    return fails / trials


@njit(cache=True, nogil=True)
def mc_union_false_match(n, a, s, theta, patterns, trials, state):
    """Fraction of random a-of-n probes matching a segment that stored ``patterns`` random s-subsets (union)."""
    seg = np.zeros(n, dtype=np.int64)
    probe = np.zeros(n, dtype=np.int64)
    hits = 0
    for t in range(1, trials + 1):
        for i in range(n):
            seg[i] = 0
        for p in range(patterns):
            random_subset(n, s, state, probe, -1 - p)   # temporary stamps, folded into seg below
            for i in range(n):
                if probe[i] == -1 - p:
                    seg[i] = 1
                    probe[i] = 0
        random_subset(n, a, state, probe, t)
        overlap = 0
        for i in range(n):
            if seg[i] == 1 and probe[i] == t:
                overlap += 1
        if overlap >= theta:
            hits += 1
    return hits / trials


@njit(cache=True, nogil=True, parallel=True)
def segment_overlaps_gather(synapses, active_mask, out):
    """out[g] = number of segment g's synapses on active cells: a gather per synapse (S x s reads)."""
    for g in prange(synapses.shape[0]):
        c = 0
        row = synapses[g]
        for j in range(row.size):
            if row[j] >= 0 and active_mask[row[j]]:
                c += 1
        out[g] = c


@njit(cache=True, nogil=True)
def segment_overlaps_events(active_cells, cell_ptr, cell_seg, out):
    """out[g] = number of segment g's synapses on active cells, visiting only the active cells' segments.

    With 2% of cells active this touches 2% of the synapses (event-driven, as HTM implementations do).
    """
    out[:] = 0
    for k in range(active_cells.size):
        c = active_cells[k]
        for e in range(cell_ptr[c], cell_ptr[c + 1]):
            out[cell_seg[e]] += 1


@njit(cache=True, nogil=True)
def cell_index(synapses, n_cells):
    """CSR transpose of a (S, s) synapse matrix: for each cell, the segments it reaches (once per synapse)."""
    ptr = np.zeros(n_cells + 1, dtype=np.int64)
    for g in range(synapses.shape[0]):
        for j in range(synapses.shape[1]):
            if synapses[g, j] >= 0:
                ptr[synapses[g, j] + 1] += 1
    for c in range(n_cells):
        ptr[c + 1] += ptr[c]
    fill = ptr[:-1].copy()
    seg = np.empty(ptr[n_cells], dtype=np.int64)
    for g in range(synapses.shape[0]):
        for j in range(synapses.shape[1]):
            c = synapses[g, j]
            if c >= 0:
                seg[fill[c]] = g
                fill[c] += 1
    return ptr, seg
