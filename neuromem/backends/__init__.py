"""Other engines: the same network built in Brian2 and NEST (cross-checks,
benchmarks); PyNN and NIR export build on these conventions."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import BackendUnavailableError, ExportError


def require(module: str, extra: str):
    """Import an optional backend or raise :class:`BackendUnavailableError` naming the extra."""
    import importlib
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise BackendUnavailableError(
            f"backend '{module}' is not installed; pip install 'neuromem[{extra}]'") from exc


@dataclass
class SpikeResult:
    """Spikes of one population from another engine, in neuromem's conventions."""

    times: np.ndarray
    ids: np.ndarray


def check_supported(network, owner: str, sources_ok=True) -> None:
    """Raise :class:`ExportError` for anything the cross-check builders do not express."""
    for prj in network.projections:
        if prj.synapse.plastic:
            raise ExportError(f"{owner}: projection '{prj.label}' is plastic; the cross-check builders take "
                              "static synapses only")
