"""
A spiking content-addressable memory (hippocampal CA3, Casanueva-Morato et al. 2024)
====================================================================================

Five cues, ten content bits: learn three memories, recall them by cue, find them from a
fragment of their content, then relearn one cue and watch its old content disappear.
Every answer is decoded from the output neurons' spikes.  Runs in about a second.

The memory is the paper's own model (its STDP, tau 3 ms and A = 6) on the bit-exact emulation
of the SpiNNaker board it ran on.  The learned weights show what its STDP does besides storing:
pairings between neighbouring operations, inside the 3 ms window, leave small weights onto other
cues' bits (``variant="narrow"`` is neuromem's modification without them).
"""
import numpy as np

from neuromem.models.ca3 import CA3Memory, Learn, Recall, RecallByContent


def bits(*on):
    x = np.zeros(10, dtype=int)
    x[list(on)] = 1
    return x


def show(x):
    return "".join(str(int(b)) for b in x)


mem = CA3Memory(cues=5, bits=10)
print(f"network: {mem.n_internal} internal neurons (3c + 4m + 1), "
      f"{sum(len(p) for p in mem.network.projections)} synapses")

ops = [Learn(0, bits(0, 1, 2, 9)), Learn(1, bits(3, 4, 5)), Learn(2, bits(2, 6, 7)),
       Recall(0), Recall(1), RecallByContent(bits(2)), Learn(0, bits(3, 8)), Recall(0), RecallByContent(bits(9))]
for r in mem.run_operations(ops):
    op = r.op
    if isinstance(op, Learn):
        print(f"{r.start:5.0f} ms  learn   cue {op.cue} <- {show(op.content)}")
    elif isinstance(op, Recall):
        print(f"{r.start:5.0f} ms  recall  cue {op.cue} -> {show(r.content)}")
    else:
        found = ", ".join(f"cue {q}: {show(c)}" for q, c in r.pairs) or "nothing"
        print(f"{r.start:5.0f} ms  which cues hold {show(op.fragment)}?  {found}")

w = mem.weights()["cue_to_content"]
print("learned cue -> content weights (nA), cue 0 after relearning:", w[0].round(1).tolist())
print("what the board would do differently from a float simulator:")
print("\n".join(mem.simulator.board_report().lines()))
assert np.array_equal(mem.recall(0).state, bits(3, 8))
assert mem.recall_by_content(bits(9)) == []
