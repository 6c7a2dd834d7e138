#!/usr/bin/env python3
"""Cross-check a LightGBM text model written by Tenure against LightGBM itself.

Usage: check_lightgbm_export.py MODEL.txt ROWS.csv [--tol 1e-6]

ROWS.csv has one column per feature (named as in the model, "nan" for missing), a `tenure_prob`
column with Tenure's probabilities, and optionally `shap_0..shap_F` with Tenure's TreeSHAP
contributions (last = bias). Loads the model with lightgbm.Booster(model_file=...) and asserts that
LightGBM's probabilities (and pred_contrib, when present) equal Tenure's within the tolerance.
"""
import argparse
import sys

import lightgbm as lgb
import numpy as np
import pandas as pd


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("rows")
    ap.add_argument("--tol", type=float, default=1e-6)
    args = ap.parse_args()

    booster = lgb.Booster(model_file=args.model)
    df = pd.read_csv(args.rows, na_values=["nan"])
    names = booster.feature_name()
    x = df[names].to_numpy(dtype=np.float64)
    prob = booster.predict(x)
    diff = np.abs(prob - df["tenure_prob"].to_numpy())
    worst = float(diff.max()) if len(diff) else 0.0
    print(f"{args.model}: {len(df)} rows, {booster.num_trees()} trees, max |p_lgb - p_tenure| = {worst:.3e}")
    ok = worst <= args.tol
    shap_cols = [c for c in df.columns if c.startswith("shap_")]
    if shap_cols:
        contrib = booster.predict(x, pred_contrib=True)
        sd = np.abs(contrib - df[shap_cols].to_numpy())
        print(f"  max |shap_lgb - shap_tenure| = {float(sd.max()):.3e}")
        ok = ok and float(sd.max()) <= args.tol
    if not ok:
        print("MISMATCH", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
