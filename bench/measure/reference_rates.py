#!/usr/bin/env python3
"""Independent reference values for Tests/EvaluationTests/RateComparisonTests.swift.

Newcombe's hybrid score interval for a difference of proportions (statsmodels' confint_proportions_2indep,
method='newcomb'), Pearson's chi-squared on the 2x2 table without continuity correction (scipy), and the
sample-ratio-mismatch goodness-of-fit test (scipy.stats.chisquare). Rerun to regenerate the table the test
pins: BENCH_PYTHON=… bench/measure/reference_rates.py (needs statsmodels and scipy).
"""
from scipy.stats import chi2_contingency, chisquare
from statsmodels.stats.proportion import confint_proportions_2indep

CASES = [(56, 70, 48, 80), (9, 10, 3, 10), (6, 7, 2, 7), (5, 56, 0, 29), (10, 10, 0, 20), (412, 3600, 35, 400)]
SRM = [(4950, 500, 0.1), (9000, 1200, 0.1), (450, 50, 0.1)]

for a, n1, b, n2 in CASES:
    lo, hi = confint_proportions_2indep(a, n1, b, n2, method="newcomb", compare="diff")
    p = chi2_contingency([[a, n1 - a], [b, n2 - b]], correction=False)[1]
    print(f"({a}, {n1}, {b}, {n2}, {lo:.12f}, {hi:.12f}, {p:.12g}),")
for t, c, s in SRM:
    n = t + c
    stat, p = chisquare([t, c], [n * (1 - s), n * s])
    print(f"({t}, {c}, {s}, {stat:.12g}, {p:.12g}),")
