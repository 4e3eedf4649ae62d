"""FORCE learning kernels: the recursive-least-squares step and a spiking FORCE network.

Sussillo & Abbott (2009), Neuron 63:544: with error :math:`e = z - f`,
:math:`P \\leftarrow P - \\frac{P r r^T P}{1 + r^T P r}`, :math:`w \\leftarrow w - e\\, P r`.
Nicola & Clopath (2017), Nat Commun 8:2208: the same rule trains the decoders of a
network of Izhikevich neurons whose output is fed back through fixed encoders.

Readout kernels: presynaptic spike traces and the three-factor readout rule, of the
general form of Fremaux & Gerstner (2016), Front Neural Circuits 9:85: an eligibility
built from a presynaptic and a postsynaptic factor,
:math:`\\dot e = -e/\\tau_e + f(\\mathrm{pre})\\, g(\\mathrm{post})`, turned into a weight
change by a third, centred factor, :math:`\\dot w = \\eta\\, e\\, M(t)`.
"""
import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def rls_update(P, w, r, err, pr):
    """One RLS step in place: ``P`` (n, n) symmetric, ``w`` (n, k) decoders, ``r`` (n,) rates,
    ``err`` (k,) output minus target; ``pr`` (n,) scratch.  Returns ``r^T P r``."""
    n = r.size
    for i in range(n):
        acc = 0.0
        for j in range(n):
            acc += P[i, j] * r[j]
        pr[i] = acc
    rpr = 0.0
    for i in range(n):
        rpr += r[i] * pr[i]
    c = 1.0 / (1.0 + rpr)
    for i in range(n):
        ci = pr[i] * c
        for j in range(n):
            P[i, j] -= ci * pr[j]
    # decoders move along P_new r = c P r
    for i in range(n):
        g = pr[i] * c
        for q in range(w.shape[1]):
            w[i, q] -= err[q] * g
    return rpr


@njit(cache=True, nogil=True)
def izhikevich_force(v, u, omega_t, encoders, w, P, target, dt, c_m, k_gain, v_r, v_t, a, b, d, v_peak, v_reset,
                     bias, tau_r, tau_d, train_from, train_to, every, z_out, spike_count):
    """Run a FORCE-trained Izhikevich network (Nicola & Clopath 2017) for ``target.shape[0]`` steps.

    .. math::
        C \\dot v = k (v - v_r)(v - v_t) - u + I,\\quad \\dot u = a (b (v - v_r) - u),\\quad
        I = s + E z + I_{bias}

    with ``v >= v_peak``: ``v <- v_reset, u <- u + d``; ``s`` the double-exponential
    synaptic current of the static weights (``omega_t[j]`` holds neuron j's outgoing
    weights) and ``r`` the double-exponential filtered spike trains; the output
    ``z = w^T r`` is fed back through the encoders ``E``.  RLS updates every
    ``every`` steps for ``train_from <= step < train_to``.  ``z_out`` receives z.
    """
    n = v.size
    k = w.shape[1]
    ipsc = np.zeros(n)
    h = np.zeros(n)
    r = np.zeros(n)
    hr = np.zeros(n)
    jd = np.zeros(n)
    z = np.zeros(k)
    err = np.zeros(k)
    pr = np.zeros(n)
    er = np.exp(-dt / tau_r)
    ed = np.exp(-dt / tau_d)
    scale = 1.0 / (tau_r * tau_d)
    for step in range(target.shape[0]):
        for i in range(n):
            fb = 0.0
            for q in range(k):
                fb += encoders[i, q] * z[q]
            current = ipsc[i] + fb + bias
            v[i] += dt * (k_gain * (v[i] - v_r) * (v[i] - v_t) - u[i] + current) / c_m
            u[i] += dt * a * (b * (v[i] - v_r) - u[i])
        for i in range(n):
            jd[i] = 0.0
        fired = 0
        for j in range(n):
            if v[j] >= v_peak:
                fired += 1
                for i in range(n):
                    jd[i] += omega_t[j, i]
        spike_count[0] += fired
        for i in range(n):
            ipsc[i] = ipsc[i] * er + h[i] * dt
            h[i] = h[i] * ed + jd[i] * scale
            spiked = 1.0 if v[i] >= v_peak else 0.0
            r[i] = r[i] * er + hr[i] * dt
            hr[i] = hr[i] * ed + spiked * scale
        for q in range(k):
            acc = 0.0
            for i in range(n):
                acc += w[i, q] * r[i]
            z[q] = acc
            z_out[step, q] = acc
        if train_from <= step < train_to and (step - train_from) % every == 0:
            for q in range(k):
                err[q] = z[q] - target[step, q]
            rls_update(P, w, r, err, pr)
        for i in range(n):
            if v[i] >= v_peak:
                u[i] += d
                v[i] = v_reset


@njit(cache=True, nogil=True)
def rls_trial(x, target, P, w, every, y, pr):
    """Outputs ``y[t] = w^T x[t]`` over a trial, with an RLS step (:func:`rls_update`) every
    ``every`` steps (the first at step 0) toward ``target[t]``; ``pr`` (n,) scratch."""
    n_steps, n = x.shape
    k = w.shape[1]
    err = np.zeros(k)
    for t in range(n_steps):
        for q in range(k):
            acc = 0.0
            for i in range(n):
                acc += x[t, i] * w[i, q]
            y[t, q] = acc
            err[q] = acc - target[t, q]
        if t % every == 0:
            rls_update(P, w, np.ascontiguousarray(x[t]), err, pr)

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
