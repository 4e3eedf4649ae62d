"""Numba kernels of the spiking engine: typed, nopython, no Python objects.

Layout shared by all kernels (built by :mod:`neuromem.core.compiled`):

* neurons are numbered globally; population ``p`` owns ``[pop_lo[p], pop_hi[p])``;
* ``st[row, i]`` holds state (rows ``V``, ``U``, ``IE``, ``II``), ``par[row, i]``
  per-neuron parameters (meaning depends on the cell type);
* ``ring[slot, receptor, i]`` is the delay ring buffer (``slot = step & mask``);
* ``hist[slot, :hist_n[slot]]`` lists the neurons that spiked on that step,
  kept for the longest delay so plasticity can see back-propagated spikes.
"""
from numba import njit

#: the decorator of the kernels the time loop calls every step (neuron updates, delivery, plasticity): compiled
#: without reference counting, which numba otherwise does on every array argument at each call (an atomic add and
#: subtract per array: measured 0.25 us a call, and worse on two threads, whose atomics on the same counters
#: contend).  Such a kernel must neither allocate nor return an array; the time loops that call them do allocate,
#: and keep it
inner = njit(cache=True, nogil=True, _nrt=False)
