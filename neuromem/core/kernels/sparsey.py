"""Kernels for Sparsey's Code Selection Algorithm (Rinkus 2010, 2017): one macrocolumn per call.

A mac has Q competitive modules (CMs) of K binary cells; ``weights`` is an
(inputs, Q*K) uint8 matrix of binary bottom-up weights (0 or w_max), one row per
input so that summing the active inputs reads contiguous rows.
"""
import numpy as np
from numba import njit

from .rng import uniform


@njit(cache=True, nogil=True)
def eta_of_g(g, g_minus, gamma, chi, k):
    """Expansivity eta = 1 + [max(0, (G - G-) / (1 - G-))]^gamma * chi * K (CSA step 5)."""
    r = (g - g_minus) / (1.0 - g_minus)
    if r < 0.0:
        r = 0.0
    return 1.0 + r ** gamma * chi * k


@njit(cache=True, nogil=True)
def csa(active, weights, q_cms, k_cells, w_max, g_minus, gamma, chi, nu, mu_min, inflection, learn, retrieve,
        state, winners, v_out):
    """One frame of the Code Selection Algorithm on one mac; returns the familiarity G.

    u_i = sum_j x_j w_ji; V_i = min(u_i / (n_active w_max), 1); G = mean over CMs of max V;
    mu_i = max(eta / (1 + exp(-nu (V_i - I))), mu_min); in each CM the winner is drawn with
    probability mu_i / sum mu (or, with ``retrieve``, is argmax V); with ``learn`` every
    (active input, winner) weight becomes w_max (single-trial learning).
    """
    n_cells = q_cms * k_cells
    for c in range(n_cells):
        v_out[c] = 0.0
    for a in range(active.size):
        row = weights[active[a]]
        for c in range(n_cells):
            v_out[c] += row[c]
    scale = 1.0 / (active.size * w_max)
    g = 0.0
    for q in range(q_cms):
        best = 0.0
        for k in range(k_cells):
            c = q * k_cells + k
            v = v_out[c] * scale
            if v > 1.0:
                v = 1.0
            v_out[c] = v
            if v > best:
                best = v
        g += best
    g /= q_cms
    eta = eta_of_g(g, g_minus, gamma, chi, k_cells)
    mu = np.empty(k_cells)
    for q in range(q_cms):
        first = q * k_cells
        if retrieve:
            w = 0
            for k in range(1, k_cells):
                if v_out[first + k] > v_out[first + w]:
                    w = k
        else:
            total = 0.0
            for k in range(k_cells):
                m = eta / (1.0 + np.exp(-nu * (v_out[first + k] - inflection)))
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
    if learn:
        for a in range(active.size):
            row = weights[active[a]]
            for q in range(q_cms):
                row[q * k_cells + winners[q]] = w_max
    return g
