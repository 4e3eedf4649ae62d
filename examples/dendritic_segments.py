"""
Dendritic segments in three steps: theory, one segment, a sequence memory
=========================================================================

1. How likely is a random sparse pattern to fool a segment?  Exact theory vs. sampling.
2. One segment stores the union of several patterns and still rejects random ones.
3. Columns of such neurons learn two sequences that share their middle ("high-order"):
   A B C D E and X B C D Y.  After the shared part only the first symbol says whether
   E or Y comes next; a first-order memory cannot know, the dendritic memory learns it.

Run:  python examples/dendritic_segments.py
"""
import numpy as np

from neuromem.models.dendrites._segments import mc_false_match
from neuromem.studies.protocols import sequence_prediction
from neuromem.models import DendriticSegment, FirstOrderSequenceMemory, SequenceMemory
from neuromem.theory.dendrites import false_match_probability, union_false_match_probability

# 1. n cells, a active, a segment with s synapses fires at theta active synapses (Ahmad & Hawkins 2016)
n, a, s, theta = 1000, 40, 20, 4
p = false_match_probability(n, a, s, theta)
mc = mc_false_match(n, a, s, theta, 200_000, np.array([7], dtype=np.uint64))
print(f"1. P(false match), n={n}, a={a}, s={s}, theta={theta}: theory {p:.2e}, simulation {mc:.2e}")
for big in (10_000, 100_000):
    print(f"   n={big}: {false_match_probability(big, a, s, theta):.2e} (sparser codes, rarer mistakes)")

# 2. a segment holding the union of M patterns
rng = np.random.default_rng(1)
n, a, s, theta, m = 2048, 40, 20, 10, 8
patterns = np.zeros((m + 1000, n))
for row in patterns:
    row[rng.choice(n, a, replace=False)] = 1
seg = DendriticSegment(n, s, theta, seed=2)
seg.store(patterns[:m])
stored = np.mean([seg.recognize(x) >= 1 for x in patterns[:m]])
false = np.mean([seg.recognize(x) >= 1 for x in patterns[m:]])
print(f"2. one segment, {m} patterns: recognises {stored:.0%} of them; random probes match {false:.2%} "
      f"(theory {union_false_match_probability(n, a, s, theta, m):.2%})")

# 3. high-order sequences
seqs = [list("ABCDE"), list("XBCDY")]
tm = SequenceMemory(sorted(set("ABCDEXY")), predicted_segment_decrement=0.05, seed=3)
fo = FirstOrderSequenceMemory()
acc_tm = sequence_prediction(tm, seqs, 30, seed=4).accuracy
acc_fo = sequence_prediction(fo, seqs, 30, seed=4).accuracy
print(f"3. accuracy over presentations  dendritic: {np.round(acc_tm[::5], 2)}  first order: {np.round(acc_fo[::5], 2)}")
for seq in seqs:
    predicted = tm.present(seq, learn=False)
    print(f"   {''.join(seq)}: after {''.join(seq[:-1])} the memory predicts {sorted(predicted[-2])}")
