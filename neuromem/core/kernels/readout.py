"""Readout kernels: presynaptic spike traces and the three-factor readout rule.

The three-factor rule follows the general form of Fremaux & Gerstner (2016),
Front Neural Circuits 9:85: an eligibility built from a presynaptic and a
postsynaptic factor, :math:`\\dot e = -e/\\tau_e + f(\\mathrm{pre})\\, g(\\mathrm{post})`,
turned into a weight change by a third, centred factor, :math:`\\dot w = \\eta\\, e\\, M(t)`.
"""
import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def spike_traces(steps, ids, n_steps, decay, x, out):
    """Presynaptic traces :math:`x_i \\leftarrow d\\, x_i + \\sum_k \\delta(t - t_i^k)`, one row per step.

    ``steps``/``ids``: the spikes (step index sorted, neuron); ``x`` (n,) carries the traces in and out;
    ``out`` (n_steps, n) receives ``x`` after each step.
    """
    n = x.size
    p = 0
    for t in range(n_steps):
        for i in range(n):
            x[i] *= decay
        while p < steps.size and steps[p] == t:
            x[ids[p]] += 1.0
            p += 1
        for i in range(n):
            out[t, i] = x[i]


@njit(cache=True, nogil=True)
def three_factor_readout(x, target, gate, w, bias, elig, elig_bias, eta, elig_decay, gamma, y):
    """One trial of rectified linear readouts trained by the error-modulated, attention-gated rule.

    For readout ``q`` at step ``t``: :math:`y_q = [w_q \\cdot x + b_q]_+`; eligibility
    :math:`e_{iq} \\leftarrow \\lambda_e e_{iq} + x_i (1 + \\gamma y_q)`; inside the attention
    gate ``gate[t] > 0`` the modulator is the outcome centred on the readout's own prediction,
    :math:`M_q = f_q - y_q`; :math:`\\Delta w_{iq} = \\eta\\, g_t M_q e_{iq}`.
    """
    n_steps, n = x.shape
    k = w.shape[1]
    for t in range(n_steps):
        g = gate[t]
        for q in range(k):
            acc = bias[q]
            for i in range(n):
                acc += x[t, i] * w[i, q]
            yq = acc if acc > 0.0 else 0.0
            y[t, q] = yq
            post = 1.0 + gamma * yq
            for i in range(n):
                elig[i, q] = elig_decay * elig[i, q] + x[t, i] * post
            elig_bias[q] = elig_decay * elig_bias[q] + post
            if g > 0.0:
                step = eta * g * (target[t, q] - yq)
                for i in range(n):
                    w[i, q] += step * elig[i, q]
                bias[q] += step * elig_bias[q]
