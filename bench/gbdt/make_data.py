#!/usr/bin/env python3
"""Synthetic binary-classification matrix for the GBDT speed/accuracy comparison.

Usage: make_data.py OUTDIR [--rows 500000] [--test-rows 100000] [--cols 30] [--seed 0]

Writes OUTDIR/{train,test}_{x,y}.f64 (little-endian float64; x row-major rows×cols) and meta.txt.
Features: normals, uniforms, a few low-cardinality integers, 5% NaN in four columns; the logit mixes
linear terms, thresholds, an interaction and a sine, so trees have something to find.
"""
import argparse
import os

import numpy as np


def make(rng, n, cols):
    x = rng.normal(size=(n, cols))
    x[:, 10:15] = rng.uniform(0, 1, size=(n, 5))
    x[:, 15:18] = rng.integers(0, 6, size=(n, 3))
    z = (0.8 * x[:, 0] - 0.6 * x[:, 1] + 0.5 * x[:, 2] * x[:, 3] + 1.2 * (x[:, 4] > 0.5)
         + np.sin(3 * x[:, 10]) + 0.4 * x[:, 15] - 0.3 * np.abs(x[:, 5]) + 0.3 * x[:, 6] - 1.0)
    for c in (1, 6, 20, 21):
        miss = rng.uniform(size=n) < 0.05
        x[miss, c] = np.nan
    z += np.where(np.isnan(x[:, 20]), 0.7, 0.0)
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-z))).astype(np.float64)
    return x, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--rows", type=int, default=500_000)
    ap.add_argument("--test-rows", type=int, default=100_000)
    ap.add_argument("--cols", type=int, default=30)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    rng = np.random.default_rng(a.seed)
    for name, n in (("train", a.rows), ("test", a.test_rows)):
        x, y = make(rng, n, a.cols)
        x.astype("<f8").tofile(os.path.join(a.outdir, f"{name}_x.f64"))
        y.astype("<f8").tofile(os.path.join(a.outdir, f"{name}_y.f64"))
    with open(os.path.join(a.outdir, "meta.txt"), "w") as f:
        f.write(f"rows={a.rows}\ntest_rows={a.test_rows}\ncols={a.cols}\n")


if __name__ == "__main__":
    main()
