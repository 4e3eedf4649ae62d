"""Kernels for training spiking layers online: LIF step with surrogate derivative, traces, Oja's subspace rule.

All work on (batch, units) float64 arrays in place; one pass over memory each,
where NumPy would make several temporaries.
"""
import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def surrogate_layer_step(u, s, current, decay, threshold, slope, surrogate):
    """One step of a layer of discrete-time LIF units with hard reset (the neuron of SNN training, not the
    engine's exactly integrated IF_curr_exp), and the surrogate derivative of the spike.

    u <- decay * u * (1 - s) + I;  s <- H(u - threshold);
    surrogate = 1 / (1 + slope |u - threshold|)^2, the fast-sigmoid surrogate of SuperSpike
    (Zenke & Ganguli 2018) scaled to a peak of 1 like the sigmoid surrogate of OTTT with
    slope 4; no exponential, so it fuses with the update.
    """
    for b in range(u.shape[0]):
        for i in range(u.shape[1]):
            v = decay * u[b, i] * (1.0 - s[b, i]) + current[b, i]
            u[b, i] = v
            s[b, i] = 1.0 if v >= threshold else 0.0
            d = 1.0 + slope * abs(v - threshold)
            surrogate[b, i] = 1.0 / (d * d)


@njit(cache=True, nogil=True)
def trace_step(trace, spikes, decay):
    """Presynaptic trace a <- decay * a + s (OTTT's a-hat)."""
    flat_a = trace.ravel()
    flat_s = spikes.ravel()
    for i in range(flat_a.size):
        flat_a[i] = decay * flat_a[i] + flat_s[i]


@njit(cache=True, nogil=True)
def oja_subspace(h, x, first, rate, iterations):
    """Oja's subspace rule on rows ``first:`` of h, with the rows before fixed (Oja 1989; HLOP, Xiao et al. 2024).

    y = h x;  dh_new = rate (y_new x^T - y_new y^T h) / N, averaged over the N rows of x.
    The anti-Hebbian term uses every row of h, so the new rows learn the principal
    subspace of what the fixed rows do not already span.
    """
    k, n = h.shape
    m = x.shape[0]
    y = np.empty((m, k))
    y[:, :first] = x @ np.ascontiguousarray(h[:first].T)      # the fixed rows' outputs do not change
    for _ in range(iterations):
        y[:, first:] = x @ np.ascontiguousarray(h[first:].T)
        ynt = np.ascontiguousarray(y[:, first:].T)             # (k_new, N)
        hebb = ynt @ x                                         # (k_new, n)
        anti = (ynt @ y) @ h                                   # (k_new, n)
        for r in range(k - first):
            for j in range(n):
                h[first + r, j] += rate * (hebb[r, j] - anti[r, j]) / m
