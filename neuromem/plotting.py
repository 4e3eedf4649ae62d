"""Shared figure helpers (matplotlib, Agg backend: works without a display).

Each study's figures live beside it in :mod:`neuromem.studies`; they import ``plt``,
:func:`save` and :func:`raster` from here when they draw, so loading a study does not load matplotlib.
"""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def save(fig, path) -> Path:
    """Write a figure atomically (:func:`neuromem.io.atomic_write`); the format follows the suffix (PNG by default)."""
    from .io import atomic_write
    path = Path(path)
    fmt = path.suffix[1:].lower() or "png"
    try:
        return atomic_write(path, lambda fh: fig.savefig(fh, format=fmt, dpi=120, bbox_inches="tight"))
    finally:
        plt.close(fig)


def raster(ax, recordings, t_max=None, colors=("tab:blue", "tab:red")):
    """Raster of several populations stacked (first at the bottom)."""
    offset = 0
    for rec, color in zip(recordings, colors):
        sel = slice(None) if t_max is None else rec.spike_times <= t_max
        ax.plot(rec.spike_times[sel], rec.spike_ids[sel] + offset, ".", ms=1.0, color=color, label=rec.population)
        offset += rec.size
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("neuron")
    ax.set_ylim(0, offset)
    ax.legend(loc="upper right", markerscale=8, fontsize=8)

