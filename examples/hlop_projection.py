"""
Hebbian orthogonal projection in a spiking network, in three tasks
==================================================================

A small LIF network learns three permuted-digit tasks one after another.  Fine-tuning
overwrites the first task; HLOP keeps it: lateral "subspace neurons" learn, by Oja's
Hebbian rule, the directions the first task's activity uses, and later weight changes are
computed from traces with those directions removed.

Run:  python examples/hlop_projection.py
"""
import numpy as np

from neuromem.studies.datasets import permuted_digits
from neuromem.studies.hlop import subspace_agreement
from neuromem.studies.protocols import continual_learning
from neuromem.models.hlop import ContinualSpikingNetwork

tasks = permuted_digits(3, seed=1)
for method in ("finetune", "hlop"):
    net = ContinualSpikingNetwork((64, 128, 10), method=method, steps=4, epochs=2, subspace=((40, 60), (6, 20)),
                                  seed=2)
    res = continual_learning(net, tasks)
    print(f"{method:9s} accuracy on task 1, 2, 3 (columns) after each task (rows):")
    for row in res.matrix:
        print("          " + "  ".join(f"{v:.2f}" for v in row))
    print(f"          ACC {res.accuracy:.1%}   BWT {res.backward_transfer:+.1%}")
    if method == "hlop":
        print(f"          share of the last task's weight change inside the stored subspace: {net.last_update_leak:.1e}")
        _, _, traces = net.net.run(tasks[0].x_train, np.random.default_rng(0), keep_traces=True)
        first = net.subspace[0][0]
        print(f"          the first {first} input-layer subspace neurons vs the top {first} SVD directions of task 1's "
              f"input traces: agreement {subspace_agreement(net.projections[0][:first], traces[0]):.2f} (1 = same)")
