"""Small real data sets that ship with installed packages (nothing is downloaded)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._checks import check_int, check_scalar, fail
from ..errors import BackendUnavailableError
from ..random import generator


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


@dataclass
class Task:
    """One task of a continual-learning benchmark."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    permutation: np.ndarray


def permuted_digits(tasks=10, test_fraction=0.3, seed=0) -> list[Task]:
    """Permuted digits: each task applies its own fixed random permutation to the 64 pixels.

    The 8x8 analogue of permuted MNIST (Goodfellow et al. 2013; Kirkpatrick et al. 2017):
    pixel values scaled to [0, 1], one stratified train/test split shared by all tasks.
    """
    tasks = check_int("permuted_digits", "tasks", tasks, low=1)
    test_fraction = check_scalar("permuted_digits", "test_fraction", test_fraction, low=0, high=1, low_open=True)
    if test_fraction >= 1:
        raise fail("permuted_digits", "test_fraction", test_fraction, "expected a fraction in (0, 1)")
    x, y = digits()
    x = x / 16.0
    rng = generator("permuted_digits", seed)
    test = np.zeros(len(y), dtype=bool)
    for c in np.unique(y):
        idx = np.flatnonzero(y == c)
        test[rng.choice(idx, int(round(test_fraction * idx.size)), replace=False)] = True
    out = []
    for _ in range(tasks):
        perm = rng.permutation(x.shape[1])
        out.append(Task(x[~test][:, perm], y[~test], x[test][:, perm], y[test], perm))
    return out
