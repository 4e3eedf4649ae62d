"""HLOP: Oja's subspace rule, orthogonal updates, continual learning, IDX files."""
import subprocess
import sys

import numpy as np
import pytest

from neuromem import ValidationError
from neuromem.models.hlop import _kernels as sk
from neuromem.errors import FileFormatError
from neuromem.studies import hlop as H
from neuromem.studies import protocols as P
from neuromem.studies.datasets import load_idx, mnist, permuted_digits, permuted_mnist
from neuromem.models.hlop import ContinualSpikingNetwork, SpikingMLP

from conftest import write_idx


def test_oja_subspace_rule_finds_the_principal_subspace():
    # Oja (1989): the rows converge to an orthonormal basis of the top-k eigenvectors of E[x x^T]
    rng = np.random.default_rng(0)
    basis = np.linalg.qr(rng.normal(size=(30, 30)))[0]
    x = (rng.normal(size=(4000, 30)) * np.r_[np.full(4, 3.0), np.full(26, 0.3)]) @ basis.T
    h = rng.normal(0, 0.1, (4, 30))
    for _ in range(200):
        sk.oja_subspace(h, x[rng.choice(4000, 200)], 0, 0.5 / np.mean(np.sum(x * x, 1)), 1)
    assert H.subspace_agreement(h, x) > 0.99
    assert np.allclose(h @ h.T, np.eye(4), atol=0.05)
    # new rows with the first two fixed learn what the fixed rows do not span
    h2 = np.vstack([basis[:, :2].T, rng.normal(0, 0.1, (2, 30))])
    for _ in range(200):
        sk.oja_subspace(h2, x[rng.choice(4000, 200)], 2, 0.5 / np.mean(np.sum(x * x, 1)), 1)
    assert np.allclose(h2[:2], basis[:, :2].T)
    assert H.subspace_agreement(h2, x) > 0.99


def test_lif_step_and_trace_match_numpy():
    rng = np.random.default_rng(1)
    u, s, cur = rng.normal(size=(5, 7)), (rng.random((5, 7)) < 0.3).astype(float), rng.normal(size=(5, 7))
    u_ref = 0.5 * u * (1 - s) + cur
    sg = np.zeros_like(u)
    sk.surrogate_layer_step(u, s, cur, 0.5, 1.0, 4.0, sg)
    assert np.allclose(u, u_ref) and np.array_equal(s, (u_ref >= 1).astype(float))
    assert np.allclose(sg, 1 / (1 + 4 * np.abs(u_ref - 1)) ** 2)
    a = rng.random((3, 4))
    spikes = rng.random((3, 4))
    ref = 0.5 * a + spikes
    sk.trace_step(a, spikes, 0.5)
    assert np.allclose(a, ref)


def small(method, **kw):
    return ContinualSpikingNetwork((64, 96, 10), method=method, steps=4, epochs=2,
                                   subspace=((40, 48), (6, 12)), seed=3, **kw)


def test_updates_are_orthogonal_to_the_stored_subspace():
    data = permuted_digits(2, seed=1)
    net = small("hlop")
    net.learn_task(data[0].x_train, data[0].y_train)
    stored = [h.copy() for h in net.projections]
    assert all(np.allclose(h @ h.T, np.eye(len(h)), atol=1e-10) for h in stored)
    before = [w.copy() for w in net.net.weights]
    net.learn_task(data[1].x_train, data[1].y_train)
    assert net.update_leak(before, stored) < 1e-10          # projected traces: exactly orthogonal
    plain = small("finetune")
    plain.learn_task(data[0].x_train, data[0].y_train)
    w0 = [w.copy() for w in plain.net.weights]
    plain.learn_task(data[1].x_train, data[1].y_train)
    assert plain.update_leak(w0, stored) > 0.3               # without projection a large share falls inside


def test_hlop_forgets_less_than_finetuning():
    data = permuted_digits(3, seed=2)
    res = {m: P.continual_learning(small(m), data) for m in ("hlop", "finetune")}
    assert res["finetune"].backward_transfer < -0.2
    assert res["hlop"].backward_transfer > res["finetune"].backward_transfer + 0.15


def test_same_seed_same_matrix_and_bad_input():
    data = permuted_digits(2, seed=1)
    a, b = (P.continual_learning(small("ewc"), data).matrix for _ in range(2))
    assert np.array_equal(a, b)
    net = small("hlop")
    with pytest.raises(ValidationError, match="input size"):
        net.learn_task(np.zeros((4, 63)), [0, 1, 2, 3])
    with pytest.raises(ValidationError, match="method"):
        ContinualSpikingNetwork(method="hlp")
    with pytest.raises(ValidationError, match="tasks"):
        permuted_digits(0)
    too_big = ContinualSpikingNetwork((64, 32, 10), subspace=((60, 40),), seed=1)
    with pytest.raises(ValidationError, match="more than its 32 inputs"):
        too_big.learn_task(data[0].x_train[:10], data[0].y_train[:10])
    with pytest.raises(ValidationError, match="encoding"):
        SpikingMLP(encoding="phase")


def test_idx_loader_and_permuted_mnist(tmp_path):
    rng = np.random.default_rng(0)
    x_tr, x_te = rng.integers(0, 256, (30, 28, 28), dtype=np.uint8), rng.integers(0, 256, (10, 28, 28), dtype=np.uint8)
    y_tr, y_te = rng.integers(0, 10, 30).astype(np.uint8), rng.integers(0, 10, 10).astype(np.uint8)
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", x_tr, gz=True)
    write_idx(tmp_path / "train-labels-idx1-ubyte", y_tr)
    write_idx(tmp_path / "t10k-images-idx3-ubyte", x_te)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", y_te, gz=True)
    assert np.array_equal(load_idx(tmp_path / "train-images-idx3-ubyte.gz"), x_tr)
    ints = np.arange(6, dtype=">i4").reshape(2, 3)
    write_idx(tmp_path / "ints.idx", ints)
    assert np.array_equal(load_idx(tmp_path / "ints.idx"), ints)
    a, b, c, d = mnist(tmp_path)
    assert a.shape == (30, 784) and a.max() <= 1 and np.array_equal(b, y_tr) and np.array_equal(d, y_te)
    tasks = permuted_mnist(tmp_path, 2, seed=1)
    assert np.array_equal(tasks[1].x_train, a[:, tasks[1].permutation])
    (tmp_path / "bad.idx").write_bytes(b"\x01\x02\x08\x01\x00\x00\x00\x05abc")
    with pytest.raises(FileFormatError, match="IDX"):
        load_idx(tmp_path / "bad.idx")
    (tmp_path / "short.idx").write_bytes(bytes([0, 0, 8, 1, 0, 0, 0, 5]) + b"abc")
    with pytest.raises(FileFormatError, match="needs 5"):
        load_idx(tmp_path / "short.idx")
    # the paper's protocol with one flag: the preset network on the user's files
    d = H.continual_snn(tasks=2, methods=("hlop",), seeds=(1,), mnist=tmp_path, epochs=1, steps=2)
    assert d["data"] == "mnist" and d["matrices"]["hlop"].shape == (1, 2, 2)


def test_cli_mnist_flag_only_where_taken(tmp_path):
    r = subprocess.run([sys.executable, "-m", "neuromem.cli", "run", "hopfield_classical", "--mnist", str(tmp_path)],
                       capture_output=True, text=True)
    assert r.returncode != 0 and "does not take MNIST" in r.stderr


def test_complement_form_is_the_same_projection():
    # when the stored subspace holds most dimensions, HLOP keeps its complement instead: C^T C a = a - H^T H a
    from neuromem.models.hlop import _project, _projector
    rng = np.random.default_rng(3)
    h = np.linalg.qr(rng.normal(size=(40, 30)))[0].T          # 30 orthonormal rows in 40 dimensions
    c, keep = _projector(h)
    assert keep and c.shape == (10, 40)
    a = rng.normal(size=(7, 40))
    assert np.allclose(_project(a, c, True), _project(a, h, False), atol=1e-12)
    small, keep_small = _projector(h[:5])
    assert not keep_small and small.shape == (5, 40)
