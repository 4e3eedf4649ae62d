"""Figures (matplotlib, Agg backend: works without a display)."""
from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def save(fig, path) -> Path:
    """Write a figure atomically (temporary name, then rename)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}{path.suffix}")
    fig.savefig(tmp, dpi=120, bbox_inches="tight")
    plt.close(fig)
    os.replace(tmp, path)
    return path


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


def izhikevich2003_figure(data, path, title=""):
    """Raster of the first second (as the paper's Fig. 3) beside the rate spectrum."""
    fig, (a, b) = plt.subplots(1, 2, figsize=(12, 4.5), gridspec_kw={"width_ratios": [2, 1]})
    raster(a, [data["exc"], data["inh"]], t_max=1000.0)
    a.set_xlim(0, 1000)
    a.set_title(title or "Izhikevich 2003 network")
    f, p = data["freqs"], data["power"]
    sel = (f > 0) & (f <= 100)
    b.semilogy(f[sel], p[sel], color="k")
    for lo, hi, name in ((8, 13, "alpha"), (25, 45, "gamma")):
        b.axvspan(lo, hi, alpha=0.15, label=name)
    b.set_xlabel("frequency (Hz)")
    b.set_ylabel("power of population rate")
    b.set_title("population rate spectrum")
    b.legend(fontsize=8)
    return save(fig, path)
