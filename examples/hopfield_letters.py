"""
Store letters in Hopfield networks, corrupt them, recall them, and watch the energy descend
===========================================================================================

Run: python examples/hopfield_letters.py   (writes hopfield_letters.png)

Letters are strongly correlated patterns, so plain Hebbian couplings mix them up;
the pseudoinverse rule and a dense (n = 3) network keep them apart.
"""
import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from neuromem.studies.protocols import corrupt
from neuromem.models.hopfield import ClassicalHopfield, DenseHopfield

OUT = Path(os.environ.get("NEUROMEM_EXAMPLE_OUTPUT", "."))

LETTERS = {
    "A": ["..#..", ".#.#.", "#...#", "#...#", "#####", "#...#", "#...#"],
    "E": ["#####", "#....", "#....", "####.", "#....", "#....", "#####"],
    "H": ["#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"],
    "L": ["#....", "#....", "#....", "#....", "#....", "#....", "#####"],
    "T": ["#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."],
}
patterns = np.array([[1.0 if c == "#" else -1.0 for c in "".join(rows)] for rows in LETTERS.values()])

rng = np.random.default_rng(3)
cues = np.array([corrupt(p, 0.15, "flip", rng=rng) for p in patterns])   # 5 of 35 pixels flipped
memories = {"Hebbian": ClassicalHopfield(learning="hebbian"),
            "pseudoinverse": ClassicalHopfield(learning="pseudoinverse"),
            "dense n = 3": DenseHopfield(energy="poly", degree=3)}

fig, axes = plt.subplots(len(patterns), 2 + len(memories) + 1, figsize=(9, 9))
for name, mem in memories.items():
    mem.store(patterns)
for row, (letter, cue) in enumerate(zip(LETTERS, cues)):
    axes[row, 0].imshow(patterns[row].reshape(7, 5), cmap="gray_r")
    axes[row, 1].imshow(cue.reshape(7, 5), cmap="gray_r")
    for col, (name, mem) in enumerate(memories.items(), start=2):
        res = mem.recall(cue, seed=row)
        e0 = mem.energy(cue)   # energy of the cue itself, before any update
        ok = np.array_equal(res.state, patterns[row])
        axes[row, col].imshow(res.state.reshape(7, 5), cmap="gray_r")
        axes[row, col].set_xlabel("exact" if ok else "wrong", fontsize=7)
        print(f"{letter}: {name:14s} {'recalled exactly' if ok else 'recalled wrongly'} "
              f"in {res.sweeps} sweeps, energy {e0:.2f} -> {res.energy:.2f}")
        if name == "pseudoinverse":
            axes[row, -1].plot(np.concatenate(([e0], res.info["energy_trace"])), "o-")
for ax, title in zip(axes[0], ["stored", "cue (15% flipped)", *memories, "energy (pinv)"]):
    ax.set_title(title, fontsize=8)
for ax in axes[:, :-1].ravel():
    ax.set_xticks([])
    ax.set_yticks([])
axes[-1, -1].set_xlabel("sweep")
fig.tight_layout()
fig.savefig(OUT / "hopfield_letters.png", dpi=100)
print("figure written to", OUT / "hopfield_letters.png")
