"""HLOP experiments: permuted digits (or permuted MNIST from IDX files), four methods, several seeds."""
from __future__ import annotations

import numpy as np

from .._checks import check_names, fail
from ..models.hlop import METHODS, ContinualSpikingNetwork
from . import protocols as P
from .datasets import permuted_digits, permuted_mnist
from . import register

#: the paper's permuted-MNIST network: 784-800-800-10; subspace neurons 80/200/100 at task 1, then
#: 70, 50, 30 and 10 more per layer for each later task (REFERENCES.md, "HLOP")
MNIST_PRESET = {"sizes": (784, 800, 800, 10),
                "subspace": ((80, 200, 100), (70, 70, 70), (50, 50, 50), (30, 30, 30), (10, 10, 10))}


def subspace_agreement(h, traces, k=None) -> float:
    """How well the Hebbian subspace (rows of h) matches the top-k principal subspace of ``traces`` (SVD).

    Returns the mean squared cosine of the principal angles, ||Q_h^T U_k||_F^2 / k, 1 for identical
    subspaces (Oja's subspace rule converges to the span of the top eigenvectors of E[a a^T]).
    """
    k = h.shape[0] if k is None else k
    q, _ = np.linalg.qr(h[:k].T)
    u = np.linalg.svd(traces, full_matrices=False)[2][:k].T
    return float(np.sum((q.T @ u) ** 2) / k)


def captured_energy_ratio(h, traces) -> float:
    """Energy of ``traces`` inside span(h) over the energy inside the best subspace of the same size (top SVD).

    1 means the Hebbian subspace holds as much of the activity as principal components can; unlike the
    principal angles this stays meaningful when the spectrum has no gap at k.
    """
    k = h.shape[0]
    q, _ = np.linalg.qr(h.T)
    sv = np.linalg.svd(traces, compute_uv=False)
    return float(np.sum((traces @ q) ** 2) / np.sum(sv[:k] ** 2))


def continual_snn(tasks=10, methods=METHODS, seeds=(1, 2, 3), mnist=None, sizes=(64, 256, 256, 10), steps=6,
                  encoding="rate", epochs=3, batch=32, learning_rate=0.03, subspace=((64, 80, 80), (0, 16, 16)),
                  oja_rate=1.0, oja_iterations=2, oja_epochs=2, ewc_lambda=1e4, seed=1, report=None) -> dict:
    """Each method learns the tasks in sequence, for each seed; accuracy matrices, ACC and BWT with spread.
    ``report(fraction, 0)`` follows the tasks learned.

    ``mnist``: a directory with the MNIST IDX files switches to permuted MNIST and the
    paper's network (:data:`MNIST_PRESET`).  HLOP's projection is also measured: the share of
    each later task's weight change that falls in the stored subspace, and the agreement of
    the first task's Hebbian subspace with the SVD of its activity.
    """
    check_names("continual_snn", "method", list(methods), METHODS)
    if not len(seeds):
        raise fail("continual_snn", "seeds", seeds, "expected at least one seed")
    if mnist is not None:
        sizes, subspace = MNIST_PRESET["sizes"], MNIST_PRESET["subspace"]
    out = {"tasks": tasks, "methods": list(methods), "seeds": list(seeds), "data": "mnist" if mnist else "digits",
           "matrices": {m: [] for m in methods}, "acc": {}, "bwt": {}, "leak": [], "agreement": None,
           "energy_ratio": None}
    done, total = 0, len(seeds) * len(methods) * tasks
    for s in seeds:
        data = permuted_mnist(mnist, tasks, seed=s) if mnist else permuted_digits(tasks, seed=s)
        for m in methods:
            net = ContinualSpikingNetwork(sizes, method=m, steps=steps, encoding=encoding, epochs=epochs, batch=batch,
                                          learning_rate=learning_rate, subspace=subspace, oja_rate=oja_rate,
                                          oja_iterations=oja_iterations, oja_epochs=oja_epochs,
                                          ewc_lambda=ewc_lambda, seed=np.random.SeedSequence([seed, s]))
            leaks = []
            rows = []
            for i, task in enumerate(data):
                net.learn_task(task.x_train, task.y_train)
                rows.append([net.evaluate(t.x_test, t.y_test) for t in data])
                if m == "hlop" and i == 0 and s == seeds[0]:
                    _, _, traces = net.net.run(task.x_train, np.random.default_rng(0), keep_traces=True)
                    out["agreement"] = [subspace_agreement(h, a) for h, a in zip(net.projections, traces)]
                    out["energy_ratio"] = [captured_energy_ratio(h, a) for h, a in zip(net.projections, traces)]
                if m == "hlop" and i:
                    leaks.append(net.last_update_leak)
                done += 1
                if report is not None:
                    report(done / total, 0.0)
            out["matrices"][m].append(np.array(rows))
            if m == "hlop":
                out["leak"].append(leaks)
    for m in methods:
        res = [P.ContinualResult(r) for r in out["matrices"][m]]
        out["acc"][m] = np.array([r.accuracy for r in res])
        out["bwt"][m] = np.array([r.backward_transfer for r in res])
        out["matrices"][m] = np.array(out["matrices"][m])
    out["leak"] = np.array(out["leak"])
    return out


# -- measures and figures ----------------------------------------------------------------------

def _measure_hlop(d):
    out = {}
    for m in d["methods"]:
        out[f"ACC_{m}"] = float(d["acc"][m].mean())
        out[f"ACC_{m}_sd"] = float(d["acc"][m].std())
        out[f"BWT_{m}"] = float(d["bwt"][m].mean())
    if "hlop" in d["methods"] and "multitask" in d["methods"]:
        out["ACC_gap_to_multitask"] = float(d["acc"]["multitask"].mean() - d["acc"]["hlop"].mean())
    if "hlop" in d["methods"] and "finetune" in d["methods"] and d["bwt"]["finetune"].mean() < 0:
        # the share of fine-tuning's forgetting that HLOP still suffers
        out["forgetting_vs_finetune"] = float(d["bwt"]["hlop"].mean() / d["bwt"]["finetune"].mean())
    m = d["matrices"][d["methods"][0]]
    out[f"last_task_learned_{d['methods'][0]}"] = float(m[:, -1, -1].mean())   # plasticity left at the end
    if len(d["leak"]):
        out["update_share_in_old_subspace"] = float(np.mean(d["leak"]))
    if d["agreement"] is not None:     # the first hidden layer's input: the input layer may be fully spanned
        layer = min(1, len(d["agreement"]) - 1)
        out["subspace_vs_svd_hidden1"] = float(d["agreement"][layer])
        out["captured_energy_vs_svd_hidden1"] = float(d["energy_ratio"][layer])
    return out, {}

def continual_snn_figure(data, path, title=""):
    """Accuracy matrix heat maps (first seed) per method, and the first task's accuracy along the sequence."""
    from ..plotting import plt, save
    methods = data["methods"]
    fig, axes = plt.subplots(1, len(methods) + 1, figsize=(4 * (len(methods) + 1), 4))
    tasks = np.arange(1, data["tasks"] + 1)
    for ax, m in zip(axes, methods):
        mat = data["matrices"][m][0]
        im = ax.imshow(mat, vmin=0, vmax=1, cmap="viridis", origin="upper")
        ax.set_xticks(range(data["tasks"]), tasks, fontsize=7)
        ax.set_yticks(range(data["tasks"]), tasks, fontsize=7)
        ax.set_xlabel("tested on task j")
        ax.set_ylabel("after training task i")
        ax.set_title(f"{m}: ACC {data['acc'][m].mean():.1%}, BWT {data['bwt'][m].mean():+.1%}", fontsize=9)
    fig.subplots_adjust(wspace=0.5, right=0.93)
    bar = fig.add_axes([0.945, 0.2, 0.01, 0.6])       # its own axes: the label cannot collide with a panel
    fig.colorbar(im, cax=bar, label="accuracy")
    ax = axes[-1]
    for m in methods:
        first = data["matrices"][m][:, :, 0]           # (seeds, after task i)
        ax.errorbar(tasks, first.mean(0), yerr=first.std(0), marker="o", ms=3, capsize=2, label=m)
    ax.set_xlabel("tasks learned")
    ax.set_ylabel("accuracy on task 1")
    ax.set_ylim(0, 1)
    ax.set_title("task 1 across the sequence (mean, sd over seeds)", fontsize=9)
    ax.legend(fontsize=8)
    fig.suptitle(title or "Continual learning in a spiking network")
    return save(fig, path)


# -- registration ------------------------------------------------------------------------------

register('hlop_permuted', continual_snn, _measure_hlop, continual_snn_figure,
         description='HLOP (Xiao et al. 2024): permuted-digits continual learning in a spiking network')
