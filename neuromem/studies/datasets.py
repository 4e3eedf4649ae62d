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


def permuted_digits(tasks=10, test_fraction=0.3, seed=0, standardize=False) -> list[Task]:
    """Permuted digits: each task applies its own fixed random permutation to the 64 pixels.

    The 8x8 analogue of permuted MNIST (Goodfellow et al. 2013; Kirkpatrick et al. 2017):
    pixel values scaled to [0, 1], one stratified train/test split shared by all tasks.
    With ``standardize`` the pixels are shifted and scaled by the training images' pixel mean
    and standard deviation, as torchvision's ``Normalize`` does in the permuted MNIST of Iyer
    et al. (2022); without it every input has a large positive mean, so a unit's drive has a
    part (its summed weights times that mean) that no permutation changes.
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
    if standardize:
        x = (x - x[~test].mean()) / x[~test].std()
    out = []
    for _ in range(tasks):
        perm = rng.permutation(x.shape[1])
        out.append(Task(x[~test][:, perm], y[~test], x[test][:, perm], y[test], perm))
    return out


_IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def load_idx(path) -> np.ndarray:
    """Read an IDX file (the MNIST format; LeCun et al.), plain or gzip-compressed.

    Layout: two zero bytes, a type code (0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32,
    0x0D float32, 0x0E float64), the number of dimensions, each dimension as a
    big-endian uint32, then the data in C order.
    """
    import gzip
    from pathlib import Path

    from ..errors import FileFormatError
    path = Path(path)
    if not path.is_file():
        raise fail("load_idx", "path", str(path), "expected an existing IDX file (e.g. train-images-idx3-ubyte)")
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_TYPES:
        raise FileFormatError(f"load_idx: '{path}' is not an IDX file (bad magic number {raw[:4]!r})")
    ndim = raw[3]
    header = 4 + 4 * ndim
    dims = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(_IDX_TYPES[raw[2]])
    expected = int(np.prod(dims)) * dtype.itemsize
    if len(raw) - header != expected:
        raise FileFormatError(f"load_idx: '{path}' holds {len(raw) - header} data bytes; its header "
                              f"{dims} of {dtype} needs {expected}")
    return np.frombuffer(raw, dtype=dtype, offset=header).reshape(dims).astype(dtype.newbyteorder("="))


def mnist(directory) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """MNIST from the four IDX files in ``directory`` (``.gz`` or not): x_train, y_train, x_test, y_test.

    Images are flattened to 784 values in [0, 1].  Nothing is downloaded.
    """
    from pathlib import Path
    directory = Path(directory)
    out = []
    for stem in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                 "t10k-labels-idx1-ubyte"):
        found = [p for p in (directory / stem, directory / (stem + ".gz"), directory / stem.replace("-idx", ".idx"))
                 if p.is_file()]
        if not found:
            raise fail("mnist", "directory", str(directory), f"expected the IDX file {stem}[.gz] in it")
        out.append(load_idx(found[0]))
    xtr, ytr, xte, yte = out
    for part, images, labels in (("train", xtr, ytr), ("t10k", xte, yte)):
        if len(images) != len(labels):
            raise fail("mnist", "directory", str(directory), f"expected as many {part} labels as images "
                       f"({len(labels)} labels, {len(images)} images)")
    return (xtr.reshape(len(xtr), -1) / 255.0, ytr.astype(np.int64), xte.reshape(len(xte), -1) / 255.0,
            yte.astype(np.int64))


def permuted_mnist(directory, tasks=10, seed=0) -> list[Task]:
    """Permuted MNIST (Goodfellow et al. 2013) from IDX files the user has: one pixel permutation per task."""
    tasks = check_int("permuted_mnist", "tasks", tasks, low=1)
    xtr, ytr, xte, yte = mnist(directory)
    rng = generator("permuted_mnist", seed)
    out = []
    for _ in range(tasks):
        perm = rng.permutation(xtr.shape[1])
        out.append(Task(xtr[:, perm], ytr, xte[:, perm], yte, perm))
    return out
