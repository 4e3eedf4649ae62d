"""Kernels for Sparsey's Code Selection Algorithm (Rinkus 2010, 2017): one macrocolumn per call.

A mac has Q competitive modules (CMs) of K binary cells; ``weights`` is an
(inputs, Q*K) uint8 matrix of binary bottom-up weights (0 or w_max), one row per
input so that summing the active inputs reads contiguous rows.
"""
import numpy as np
from numba import njit

from ...random import uniform


@njit(cache=True, nogil=True)
def eta_of_g(g, g_minus, gamma, chi, k):
    """Expansivity eta = 1 + [max(0, (G - G-) / (1 - G-))]^gamma * chi * K (CSA step 5)."""
    r = (g - g_minus) / (1.0 - g_minus)
    if r < 0.0:
        r = 0.0
    return 1.0 + r ** gamma * chi * k


@njit(cache=True, nogil=True)
def inflection_of(fill, i_low, i_high, s_high):
    """A cell's sigmoid inflection I: rises linearly from ``i_low`` (no afferent weight set) to
    ``i_high`` when the fraction ``fill`` of its afferent weights that are set reaches ``s_high``.

    A cell whose set weights cover a fraction f of the inputs has V near f for a random input,
    so V is evidence of familiarity only above f: the inflection rises with the cell's fill
    (REFERENCES "Sparsey": the inflection rises as the mac saturates; per cell, so that a cell
    wired to most inputs does not win every draw)."""
    r = fill / s_high
    if r > 1.0:
        r = 1.0
    return i_low + (i_high - i_low) * r


@njit(cache=True, nogil=True)
def support(active, weights, w_max, u, v, first):
    """One input type's support (CSA steps 2-3): ``u_i = sum_j x_j w_ji`` over the active inputs,
    then ``v_i = min(u_i / (n_active w_max), 1)`` for the ``first`` type, ``v_i *= ...`` for the
    others (types multiply).  ``u`` is scratch; it may be ``v`` itself for the first type."""
    n_cells = v.size
    for c in range(n_cells):
        u[c] = 0.0
    for a in range(active.size):
        row = weights[active[a]]
        for c in range(n_cells):
            u[c] += row[c]
    scale = 1.0 / (active.size * w_max)
    for c in range(n_cells):
        x = u[c] * scale
        if x > 1.0:
            x = 1.0
        v[c] = x if first else v[c] * x


@njit(cache=True, nogil=True)
def choose(v, fill, q_cms, k_cells, g_minus, gamma, chi, nu, mu_min, i_low, i_high, s_high, freeze, retrieve, state,
           winners, mu):
    """CSA steps 4-7 (or 9): familiarity G, expansivity eta, the sigmoid mu and one winner per CM,
    drawn with probability mu / sum mu (or argmax V with ``retrieve``); returns G.

    ``fill[c]`` is the fraction of cell c's afferent (U) weights that are set; it places the
    cell's inflection (:func:`inflection_of`), and a cell with ``fill >= freeze`` gets mu_min
    unless it fully supports the input (V = 1, so choosing it sets no new weight): a cell
    wired to nearly every input would otherwise win every draw and tie with the right cell
    at retrieval (its critical period is over)."""
    g = 0.0
    for q in range(q_cms):
        best = 0.0
        for k in range(k_cells):
            if v[q * k_cells + k] > best:
                best = v[q * k_cells + k]
        g += best
    g /= q_cms
    eta = eta_of_g(g, g_minus, gamma, chi, k_cells)
    for q in range(q_cms):
        first = q * k_cells
        if retrieve:
            w = 0
            for k in range(1, k_cells):
                if v[first + k] > v[first + w]:
                    w = k
        else:
            total = 0.0
            for k in range(k_cells):
                c = first + k
                if fill[c] >= freeze and v[c] < 1.0:
                    mu[k] = mu_min          # a frozen cell takes no code that would add weights to it
                else:
                    m = eta / (1.0 + np.exp(-nu * (v[c] - inflection_of(fill[c], i_low, i_high, s_high))))
                    mu[k] = m if m > mu_min else mu_min
                total += mu[k]
            r = uniform(state) * total
            w = k_cells - 1
            acc = 0.0
            for k in range(k_cells):
                acc += mu[k]
                if r < acc:
                    w = k
                    break
        winners[q] = w
    return g


@njit(cache=True, nogil=True)
def store(active, weights, q_cms, k_cells, w_max, winners, cell_set):
    """Single-trial learning (CSA step 8): every (active input, winner) weight becomes w_max;
    ``cell_set[c]`` counts cell c's newly set weights."""
    for a in range(active.size):
        row = weights[active[a]]
        for q in range(q_cms):
            c = q * k_cells + winners[q]
            if row[c] == 0:
                cell_set[c] += 1
            row[c] = w_max


@njit(cache=True, nogil=True)
def fill_of(cell_set, n_inputs, out):
    """Fraction of each cell's ``n_inputs`` afferent weights that are set."""
    for c in range(out.size):
        out[c] = cell_set[c] / n_inputs


@njit(cache=True, nogil=True)
def csa(active, weights, cell_set, q_cms, k_cells, w_max, g_minus, gamma, chi, nu, mu_min, i_low, i_high, s_high,
        freeze, learn, retrieve, state, winners, v_out):
    """One frame of the Code Selection Algorithm on one mac with bottom-up input only; returns G.

    u_i = sum_j x_j w_ji; V_i = min(u_i / (n_active w_max), 1); G = mean over CMs of max V;
    mu_i = max(eta / (1 + exp(-nu (V_i - I_i))), mu_min) with cell i's inflection I_i
    (:func:`inflection_of`); in each CM the winner is drawn with probability mu_i / sum mu
    (or, with ``retrieve``, is argmax V); with ``learn`` every (active input, winner) weight
    becomes w_max (single-trial learning).
    """
    support(active, weights, w_max, v_out, v_out, True)
    fill = np.empty(v_out.size)
    fill_of(cell_set, weights.shape[0], fill)
    g = choose(v_out, fill, q_cms, k_cells, g_minus, gamma, chi, nu, mu_min, i_low, i_high, s_high, freeze, retrieve,
               state, winners, np.empty(k_cells))
    if learn:
        store(active, weights, q_cms, k_cells, w_max, winners, cell_set)
    return g


@njit(cache=True, nogil=True)
def _gather(src, idx, n, out):
    """Local numbers of the active entries among ``src[idx[:n]]``; returns how many."""
    c = 0
    for i in range(n):
        if src[idx[i]]:
            out[c] = i
            c += 1
    return c


@njit(cache=True, nogil=True)
def level_frame(u_src, u_idx, u_len, u_w, h_src, h_idx, h_len, h_w, d_src, d_idx, d_len, d_w, q_cms, k_cells,
                w_max, pi_min, pi_max, g_minus, gamma, chi, nu, mu_min, i_low, i_high, s_high, freeze, cell_set,
                learn, retrieve, state, winners, g_out, on_out):
    """One frame of the CSA over all macs of a level, with bottom-up (U), horizontal (H) and
    top-down (D) inputs.

    Mac ``m`` reads ``*_src[*_idx[m, :*_len[m]]]`` (binary sources: the level below, this level's
    previous frame, the level above's previous frame) through its weights ``*_w[m]``; V is the
    product of the supports of the types with active inputs; the mac is active when its number
    of active U inputs lies in [pi_min, pi_max] and some type has input.  ``cell_set[m, c]`` counts
    cell c's set U weights: their fraction places its sigmoid inflection (:func:`inflection_of`)
    and, from ``freeze`` on, keeps the cell out of new codes (:func:`choose`).
    """
    n_macs = u_idx.shape[0]
    n_cells = q_cms * k_cells
    u = np.empty(n_cells)
    v = np.empty(n_cells)
    mu = np.empty(k_cells)
    fill = np.empty(n_cells)
    scratch = np.zeros(n_cells, dtype=np.int64)
    act_u = np.empty(max(u_idx.shape[1], 1), dtype=np.int64)
    act_h = np.empty(max(h_idx.shape[1], 1), dtype=np.int64)
    act_d = np.empty(max(d_idx.shape[1], 1), dtype=np.int64)
    for m in range(n_macs):
        nu_ = _gather(u_src, u_idx[m], u_len[m], act_u)
        nh = _gather(h_src, h_idx[m], h_len[m], act_h) if h_len[m] > 0 else 0
        nd = _gather(d_src, d_idx[m], d_len[m], act_d) if d_len[m] > 0 else 0
        if nu_ < pi_min or nu_ > pi_max or nu_ + nh + nd == 0:
            on_out[m] = False
            g_out[m] = np.nan
            continue
        on_out[m] = True
        if nu_ > 0:
            support(act_u[:nu_], u_w[m], w_max, u, v, True)
        if nh > 0:
            support(act_h[:nh], h_w[m], w_max, u, v, nu_ == 0)
        if nd > 0:
            support(act_d[:nd], d_w[m], w_max, u, v, nu_ + nh == 0)
        fill_of(cell_set[m], u_len[m], fill)
        g_out[m] = choose(v, fill, q_cms, k_cells, g_minus, gamma, chi, nu, mu_min, i_low, i_high, s_high, freeze,
                          retrieve, state, winners[m], mu)
        if learn:
            store(act_u[:nu_], u_w[m], q_cms, k_cells, w_max, winners[m], cell_set[m])
            store(act_h[:nh], h_w[m], q_cms, k_cells, w_max, winners[m], scratch)
            store(act_d[:nd], d_w[m], q_cms, k_cells, w_max, winners[m], scratch)
