"""Peer side of stage 08: read a feature CSV with pandas and train, timed end to end by the harness.

usage: peer_train.py lightgbm|sklearn MATRIX THREADS TREES
The columns are the ones `tenure train --features` uses: everything but user_id, cutoff and label.
"""
import os
import sys
import time

kind, path, threads, trees = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
t0 = time.perf_counter()
import numpy as np
import pandas as pd

frame = pd.read_csv(path, na_values=["nan", "NaN"], keep_default_na=False)
y = frame["label"].to_numpy(dtype=np.float64)
x = frame.drop(columns=[c for c in ("user_id", "cutoff", "label") if c in frame.columns]).to_numpy(dtype=np.float64)
t_read = time.perf_counter()
if kind == "lightgbm":
    import lightgbm
    params = {"objective": "binary", "num_leaves": 31, "learning_rate": 0.1, "max_bin": 255, "min_data_in_leaf": 20,
              "min_sum_hessian_in_leaf": 1e-3, "lambda_l2": 0.0, "num_threads": threads, "verbose": -1}
    booster = lightgbm.train(params, lightgbm.Dataset(x, label=y), num_boost_round=trees)
elif kind == "sklearn":
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    n = x.shape[1]
    model = Pipeline([("impute", SimpleImputer(strategy="median", add_indicator=True)),
                      ("scale", ColumnTransformer([("inputs", StandardScaler(), list(range(n)))], remainder="passthrough")),
                      ("fit", LogisticRegression(solver="lbfgs", C=1.0, max_iter=1000))])
    model.fit(x, y)
else:
    sys.exit(f"unknown peer {kind}")
t_fit = time.perf_counter()
print(f"read {t_read - t0:.3f} s, fit {t_fit - t_read:.3f} s, rows {x.shape[0]}, features {x.shape[1]}", file=sys.stderr)
