"""Small real data sets that ship with installed packages (nothing is downloaded)."""
from __future__ import annotations

import numpy as np

from ..errors import BackendUnavailableError


def digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's bundled handwritten digits: images (1797, 64) in 0..16 and labels (1797,).

    8x8 images from the UCI optical digits set (Alpaydin & Kaynak 1995).
    """
    try:
        from sklearn.datasets import load_digits
    except ImportError as exc:  # pragma: no cover - scikit-learn is a dependency
        raise BackendUnavailableError("digits(): scikit-learn is not installed; pip install scikit-learn") from exc
    d = load_digits()
    return d.data.astype(float), d.target.astype(np.int64)
