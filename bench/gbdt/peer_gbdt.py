#!/usr/bin/env python3
"""One peer's side of stage 02: train on the float64 matrices, predict the holdout, time single rows.

Usage: peer_gbdt.py {lightgbm,xgboost,sklearn} DATADIR RESULT.json [--trees 200] [--leaves 31] [--bins 255]
       [--learning-rate 0.1] [--threads 2] [--single-calls 20000]

Training time includes building the peer's dataset from the in-memory numpy matrix (lightgbm.Dataset,
xgboost.QuantileDMatrix; scikit-learn bins inside fit), as Tenure's includes its binning. Batch prediction
is the median of 3 predictions of the whole holdout matrix. Single-row latency is the median over blocks
of 1,000 calls on one row (Python call overhead included; for LightGBM also its C fast path
LGBM_BoosterPredictForMatSingleRowFast called through ctypes, which still pays ctypes' overhead).
Writes one JSON object to RESULT.json.
"""
import argparse
import ctypes
import json
import os
import statistics
import time

import numpy as np
from sklearn.metrics import roc_auc_score


def load(d, name, cols):
    x = np.fromfile(os.path.join(d, f"{name}_x.f64"), dtype="<f8").reshape(-1, cols)
    y = np.fromfile(os.path.join(d, f"{name}_y.f64"), dtype="<f8")
    return x, y


def latency_us(fn, calls):
    """Median µs per call over blocks of 1,000 calls."""
    per = []
    for _ in range(max(1, calls // 1000)):
        t0 = time.perf_counter()
        for _ in range(1000):
            fn()
        per.append((time.perf_counter() - t0) / 1000 * 1e6)
    return statistics.median(per)


def lightgbm_fast_single_row(booster, row, calls):
    """µs per call of LightGBM's C single-row fast path (LGBM_BoosterPredictForMatSingleRowFast)."""
    import lightgbm as lgb
    lib = lgb.basic._LIB
    cfg = ctypes.c_void_p()
    params = b"num_threads=1"
    rc = lib.LGBM_BoosterPredictForMatSingleRowFastInit(
        booster._handle, ctypes.c_int(0), ctypes.c_int(0), ctypes.c_int(-1),   # normal predict, all iterations
        ctypes.c_int(1), ctypes.c_int32(row.shape[0]),                          # C_API_DTYPE_FLOAT64, ncol
        ctypes.c_char_p(params), ctypes.byref(cfg))
    if rc != 0:
        raise RuntimeError(lib.LGBM_GetLastError().decode())
    data = np.ascontiguousarray(row, dtype=np.float64)
    ptr = data.ctypes.data_as(ctypes.c_void_p)
    out_len = ctypes.c_int64()
    out = np.zeros(1, dtype=np.float64)
    out_ptr = out.ctypes.data_as(ctypes.POINTER(ctypes.c_double))
    fn = lib.LGBM_BoosterPredictForMatSingleRowFast
    fn.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_int64), ctypes.POINTER(ctypes.c_double)]
    call = lambda: fn(cfg, ptr, ctypes.byref(out_len), out_ptr)  # noqa: E731
    us = latency_us(call, calls)
    lib.LGBM_FastConfigFree(cfg)
    return us, float(out[0])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("tool", choices=["lightgbm", "xgboost", "sklearn"])
    ap.add_argument("datadir")
    ap.add_argument("result")
    ap.add_argument("--trees", type=int, default=200)
    ap.add_argument("--leaves", type=int, default=31)
    ap.add_argument("--bins", type=int, default=255)
    ap.add_argument("--learning-rate", type=float, default=0.1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--single-calls", type=int, default=20000)
    a = ap.parse_args()
    meta = dict(line.strip().split("=") for line in open(os.path.join(a.datadir, "meta.txt")))
    cols = int(meta["cols"])
    xtr, ytr = load(a.datadir, "train", cols)
    xte, yte = load(a.datadir, "test", cols)
    res = {"tool": a.tool, "rows": len(ytr), "cols": cols, "test_rows": len(yte), "threads": a.threads}

    t0, c0 = time.perf_counter(), time.process_time()
    if a.tool == "lightgbm":
        import lightgbm as lgb
        res["version"] = lgb.__version__
        params = dict(objective="binary", learning_rate=a.learning_rate, num_leaves=a.leaves, max_bin=a.bins,
                      min_data_in_leaf=20, min_sum_hessian_in_leaf=1e-3, num_threads=a.threads, verbose=-1,
                      seed=42, deterministic=True)
        ds = lgb.Dataset(xtr, label=ytr, params={"max_bin": a.bins, "verbose": -1})
        model = lgb.train(params, ds, num_boost_round=a.trees)
        predict = lambda x: model.predict(x, num_threads=a.threads)  # noqa: E731
    elif a.tool == "xgboost":
        import xgboost as xgb
        res["version"] = xgb.__version__
        params = dict(objective="binary:logistic", tree_method="hist", grow_policy="lossguide", max_leaves=a.leaves,
                      max_depth=0, max_bin=a.bins, eta=a.learning_rate, min_child_weight=1e-3, reg_lambda=0.0,
                      nthread=a.threads, seed=42)
        dtrain = xgb.QuantileDMatrix(xtr, label=ytr, max_bin=a.bins, nthread=a.threads)
        model = xgb.train(params, dtrain, num_boost_round=a.trees)
        predict = lambda x: model.inplace_predict(x)  # noqa: E731
    else:
        import sklearn
        from sklearn.ensemble import HistGradientBoostingClassifier
        res["version"] = sklearn.__version__
        model = HistGradientBoostingClassifier(max_iter=a.trees, max_leaf_nodes=a.leaves, learning_rate=a.learning_rate,
                                               max_bins=a.bins, min_samples_leaf=20, l2_regularization=0.0,
                                               early_stopping=False, random_state=42)
        model.fit(xtr, ytr)
        predict = lambda x: model.predict_proba(x)[:, 1]  # noqa: E731
    res["train_seconds"] = time.perf_counter() - t0
    res["train_cpu_seconds"] = time.process_time() - c0

    times, cpus, p = [], [], None
    for _ in range(3):
        t0, c0 = time.perf_counter(), time.process_time()
        p = predict(xte)
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    res["batch_seconds"] = statistics.median(times)
    res["batch_cpu_seconds"] = statistics.median(cpus)
    res["batch_rows_per_second"] = len(yte) / res["batch_seconds"]
    res["auc"] = float(roc_auc_score(yte, p))

    row = np.ascontiguousarray(xte[:1])
    if a.tool == "lightgbm":
        res["single_row_us"] = latency_us(lambda: model.predict(row, num_threads=1), a.single_calls // 10)
        fast_us, fast_p = lightgbm_fast_single_row(model, xte[0], a.single_calls)
        if abs(fast_p - p[0]) > 1e-12:
            raise RuntimeError(f"LightGBM fast path predicted {fast_p}, batch {p[0]}")
        res["single_row_fast_c_us"] = fast_us
    with open(a.result, "w") as f:
        json.dump(res, f, sort_keys=True)


if __name__ == "__main__":
    main()
