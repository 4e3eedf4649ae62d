"""Optimiser kernels: in-place parameter updates fused into one pass over memory."""
import numpy as np
from numba import njit


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
