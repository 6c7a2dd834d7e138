#!/usr/bin/env python3
"""Reference values for Tests/EvaluationTests/UpliftCurvesTests.swift from scikit-uplift's own metrics.

The test data are drawn with SplitMix64 (the tests' TestSupport.SplitMix64), reproduced here bit for bit: per
row, u1 → treated (u1 < 0.5), u2 → the predicted uplift rounded to 1/`levels` (so scores tie), u3 → the outcome
(u3 < 0.3 + signal · uplift · treated). Prints one Swift tuple per case. Needs scikit-uplift and numpy.
"""
import warnings
import numpy as np
from sklift.metrics import qini_auc_score, uplift_auc_score, uplift_at_k

warnings.simplefilter("ignore", FutureWarning)  # scikit-uplift calls a deprecated scikit-learn helper

MASK = (1 << 64) - 1

class SplitMix64:
    def __init__(self, seed): self.state = seed
    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)
    def uniform(self): return (self.next() >> 11) * 2.0**-53

def draw(seed, n, levels, signal):
    g = SplitMix64(seed)
    t, s, y = [], [], []
    for _ in range(n):
        u1, u2, u3 = g.uniform(), g.uniform(), g.uniform()
        treated = u1 < 0.5
        score = round(u2 * levels) / levels
        t.append(1 if treated else 0); s.append(score)
        y.append(1 if u3 < 0.3 + signal * score * (1 if treated else 0) else 0)
    return np.array(y), np.array(s), np.array(t)

CASES = [(1, 400, 20, 0.4), (2, 1000, 7, 0.0), (3, 150, 1000, 0.6), (4, 60, 3, -0.3)]
for seed, n, levels, signal in CASES:
    y, s, t = draw(seed, n, levels, signal)
    q = qini_auc_score(y, s, t)
    a = uplift_auc_score(y, s, t)
    ks = [uplift_at_k(y, s, t, strategy="overall", k=k) for k in (0.1, 0.2, 0.3)]
    print(f"({seed}, {n}, {levels}, {signal}, {q!r}, {a!r}, [{', '.join(repr(float(k)) for k in ks)}]),")
