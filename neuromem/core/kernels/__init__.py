"""Numba kernels of the spiking engine: typed, nopython, no Python objects.

Layout shared by all kernels (built by :mod:`neuromem.core.compiled`):

* neurons are numbered globally; population ``p`` owns ``[pop_lo[p], pop_hi[p])``;
* ``st[row, i]`` holds state (rows ``V``, ``U``, ``IE``, ``II``), ``par[row, i]``
  per-neuron parameters (meaning depends on the cell type);
* ``ring[slot, receptor, i]`` is the delay ring buffer (``slot = step & mask``);
* ``hist[slot, :hist_n[slot]]`` lists the neurons that spiked on that step,
  kept for the longest delay so plasticity can see back-propagated spikes.
"""
