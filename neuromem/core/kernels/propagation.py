"""Spike propagation: CSR rows of synapses into the delay ring buffer."""
from numba import njit


@njit(cache=True, nogil=True)
def deliver_dense(target, w, s0, n):
    """Add ``w[s0:s0+n]`` to ``target[0:n]``: one row of an all-to-all projection.

    Contiguous, so LLVM vectorises it; no index array is read.
    """
    for t in range(n):
        target[t] += w[s0 + t]


@njit(cache=True, nogil=True)
def deliver_row(target, post, w, s0, s1):
    """Scatter-add one CSR row ``s0..s1-1`` into ``target`` (all one delay)."""
    for s in range(s0, s1):
        target[post[s]] += w[s]


@njit(cache=True, nogil=True)
def deliver_row_delays(ring, receptor, base, step, mask, post, w, d, s0, s1):
    """Scatter-add one CSR row whose synapses have individual delays."""
    for s in range(s0, s1):
        ring[(step + d[s]) & mask, receptor, base + post[s]] += w[s]
