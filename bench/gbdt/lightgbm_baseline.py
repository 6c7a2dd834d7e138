#!/usr/bin/env python3
"""LightGBM baseline on the make_data.py matrix: train time (Dataset construction included) and
holdout AUC, with the same settings Tenure uses.

Usage: lightgbm_baseline.py DATADIR [--trees 200] [--leaves 31] [--threads 2] [--repeat 3]
"""
import argparse
import os
import time

import lightgbm as lgb
import numpy as np
from sklearn.metrics import roc_auc_score


def load(d, name, cols):
    x = np.fromfile(os.path.join(d, f"{name}_x.f64"), dtype="<f8").reshape(-1, cols)
    y = np.fromfile(os.path.join(d, f"{name}_y.f64"), dtype="<f8")
    return x, y


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("datadir")
    ap.add_argument("--trees", type=int, default=200)
    ap.add_argument("--leaves", type=int, default=31)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    meta = dict(l.strip().split("=") for l in open(os.path.join(a.datadir, "meta.txt")))
    cols = int(meta["cols"])
    xtr, ytr = load(a.datadir, "train", cols)
    xte, yte = load(a.datadir, "test", cols)
    params = dict(objective="binary", learning_rate=0.1, num_leaves=a.leaves, max_bin=255,
                  min_data_in_leaf=20, min_sum_hessian_in_leaf=1e-3, num_threads=a.threads,
                  verbose=-1, seed=42, deterministic=True)
    times, cpu = [], []
    for _ in range(a.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        ds = lgb.Dataset(xtr, label=ytr, params={"max_bin": 255, "verbose": -1})
        booster = lgb.train(params, ds, num_boost_round=a.trees)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    auc = roc_auc_score(yte, booster.predict(xte))
    t0 = time.perf_counter()
    booster.predict(xte, num_threads=a.threads)
    pt = time.perf_counter() - t0
    print(f"lightgbm {lgb.__version__}: train wall {min(times):.3f}s (runs {', '.join(f'{t:.3f}' for t in times)}) "
          f"cpu {min(cpu):.3f}s, "
          f"holdout AUC {auc:.5f}, predict {len(yte) / pt:,.0f} rows/s")


if __name__ == "__main__":
    main()
