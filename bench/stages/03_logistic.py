"""Stage 03: logistic-regression training — `tenure-bench logistic` against scikit-learn's LogisticRegression.

Both sides read the same raw float64 matrices (500,000 × 30 training rows with a planted signal, correlated and
badly scaled columns and a few NaNs; a 100,000-row holdout from the same distribution), learn median imputation
+ missing indicators + standardisation and an L2 logistic regression of the same strength, with the same
stopping rule, then score the holdout. Both run as subprocesses with 2 threads (OMP/OpenBLAS = 2).
The timed span inside each process is the fit, preprocessing included; process wall time (interpreter start,
imports, file reads) is reported alongside.
Targets: scikit-learn / Tenure median fit time ≥ 3; |AUC difference| ≤ 0.001.

This file is also the scikit-learn side: `python 03_logistic.py sklearn --x ... --result FILE`.
"""
import json
import os
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
import harness  # noqa: E402

ROWS = int(os.environ.get("BENCH_LOGISTIC_ROWS", "500000"))
HOLDOUT_ROWS = 100_000
COLS = 30
FACTORS = 5
SEED = 3
C = 1.0                         # sklearn's default; Tenure gets λ = 1/(C·n)
TOL = float(os.environ.get("BENCH_LOGISTIC_TOL", "1e-4"))   # sklearn's default tol, on both sides
MAX_ITER = 1000                 # enough for lbfgs to converge here (checked: it stops on tol, not the cap)
THREADS = 2
TARGET_RATIO = 3.0
AUC_TOLERANCE = 0.001
MISSING = {4: 0.01, 11: 0.02, 23: 0.05}   # column → share of NaN cells (MCAR), in training and holdout


def generate(n, rng, loadings, beta, shifts, scales, skewed, intercept):
    """Rows from a 5-factor model (so columns correlate), some columns exponentiated (skewed, like counts and
    values), then shifted and scaled by up to 10^3; label ~ Bernoulli(σ(standardised signal))."""
    f = rng.standard_normal((n, FACTORS))
    z = f @ loadings + 0.7 * rng.standard_normal((n, COLS))
    z /= np.sqrt((loadings ** 2).sum(axis=0) + 0.49)          # unit variance per column
    logit = z @ beta + intercept
    x = z.copy()
    x[:, skewed] = np.exp(0.5 * x[:, skewed])
    x = x * scales + shifts
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.float64)
    for j, share in MISSING.items():
        x[rng.random(n) < share, j] = np.nan
    return np.ascontiguousarray(x), y


def make_data(work):
    """Writes train/holdout X and y as float64 files in work/ (cached by parameters); returns their paths."""
    stem = os.path.join(work, f"logistic_r{ROWS}_h{HOLDOUT_ROWS}_c{COLS}_s{SEED}")
    paths = {k: f"{stem}_{k}.f64" for k in ("x", "y", "hx", "hy")}
    if all(os.path.exists(p) for p in paths.values()):
        harness.note(f"reusing {stem}_*.f64")
        return paths
    rng = np.random.default_rng(SEED)
    loadings = rng.normal(0, 1, (FACTORS, COLS))
    beta = np.zeros(COLS)
    beta[rng.choice(COLS, 12, replace=False)] = rng.normal(0, 0.6, 12)
    shifts = rng.uniform(-50, 100, COLS)
    scales = 10 ** rng.uniform(-1, 3, COLS)
    skewed = rng.choice(COLS, 8, replace=False)
    x, y = generate(ROWS, rng, loadings, beta, shifts, scales, skewed, -1.2)
    hx, hy = generate(HOLDOUT_ROWS, rng, loadings, beta, shifts, scales, skewed, -1.2)
    for key, arr in (("x", x), ("y", y), ("hx", hx), ("hy", hy)):
        arr.astype("<f8").tofile(paths[key] + ".tmp")
        os.replace(paths[key] + ".tmp", paths[key])
    harness.note(f"wrote {stem}_*.f64: positive rate {y.mean():.3f}, NaN cells {int(np.isnan(x).sum())}")
    return paths


def run(ctx):
    paths = make_data(ctx.work)
    bench_bin = os.environ.get("TENURE_BENCH_BIN", os.path.join(os.path.dirname(ctx.tenure), "tenure-bench"))
    if "TENURE_BENCH_BIN" not in os.environ and os.environ.get("BENCH_SKIP_BUILD", "0") != "1":
        harness.note("bench: swift build -c release --product tenure-bench")
        subprocess.run([os.environ.get("SWIFT", "swift"), "build", "-c", "release", "--product", "tenure-bench"],
                       cwd=ctx.root, check=True, stdout=sys.stderr)
    if not os.path.exists(bench_bin):
        raise harness.CommandFailed(f"no {bench_bin}; build it with `swift build -c release --product tenure-bench`")
    print(f"data: {ROWS:,} × {COLS} training rows, {HOLDOUT_ROWS:,} holdout rows, NaN in columns "
          f"{sorted(MISSING)}; L2 with C = {C:g} (Tenure λ = 1/(C·n) = {1 / (C * ROWS):.3g}), tol {TOL:g}, "
          f"{THREADS} threads")

    saved = {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    for k in saved:
        os.environ[k] = str(THREADS)
    result = {"tenure": os.path.join(ctx.work, "logistic_tenure.json"),
              "sklearn": os.path.join(ctx.work, "logistic_sklearn.json")}
    coef = {"tenure": os.path.join(ctx.work, "logistic_tenure_coef.f64"),
            "sklearn": os.path.join(ctx.work, "logistic_sklearn_coef.f64")}
    common = ["--x", paths["x"], "--y", paths["y"], "--holdout-x", paths["hx"], "--holdout-y", paths["hy"],
              "--cols", str(COLS), "--C", repr(C), "--tol", repr(TOL), "--max-iter", str(MAX_ITER)]
    commands = [
        ("tenure", [bench_bin, "logistic"] + common + ["--coef-out", coef["tenure"], "--result", result["tenure"]]),
        ("sklearn", [ctx.python, os.path.abspath(__file__), "sklearn"] + common
         + ["--coef-out", coef["sklearn"], "--result", result["sklearn"]]),
    ]
    measurements = {tool: harness.Measurement(tool) for tool, _ in commands}
    inner = {tool: [] for tool, _ in commands}
    try:
        for i in range(ctx.runs):            # interleaved, as harness.measure does, keeping each run's JSON
            for tool, argv in commands:
                r = harness.run_timed(argv)
                measurements[tool].runs.append(r)
                with open(result[tool]) as f:
                    inner[tool].append(json.load(f))
                j = inner[tool][-1]
                print(f"  run {i + 1}/{ctx.runs} {tool}: fit {j['seconds']:.3f} s (CPU {j['cpu_seconds']:.2f} s, "
                      f"{j['iterations']} iterations), process {r.seconds:.2f} s, peak RSS {r.peak_rss / 2**20:.0f} MiB",
                      flush=True)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v

    med = {t: float(np.median([j["seconds"] for j in inner[t]])) for t in inner}
    cpu = {t: float(np.median([j["cpu_seconds"] for j in inner[t]])) for t in inner}
    auc = {t: inner[t][-1]["auc"] for t in inner}
    rows = []
    for t, m in measurements.items():
        j = inner[t][-1]
        rows.append([t, f"{med[t]:.3f}", f"{min(x['seconds'] for x in inner[t]):.3f}", f"{cpu[t]:.2f}",
                     str(j["iterations"]), f"{m.median_seconds:.2f}", f"{m.peak_rss / 2**20:.0f}", f"{auc[t]:.5f}",
                     f"{med[t] / med['tenure']:.2f}x"])
    print()
    print(harness.format_table(["tool", "fit median s", "fit min s", "fit CPU s", "iterations", "process s",
                                "peak RSS MiB", "holdout AUC", "fit time / tenure"], rows))
    print(f"tenure: {inner['tenure'][-1]['solver']} solver, {inner['tenure'][-1]['data_passes']:.1f} data passes, "
          f"gradient norm {inner['tenure'][-1]['grad_norm']:.2g}; sklearn: L-BFGS-B, "
          f"gradient norm {inner['sklearn'][-1]['grad_norm']:.2g}, converged {inner['sklearn'][-1]['converged']}")

    a, b = np.fromfile(coef["tenure"]), np.fromfile(coef["sklearn"])
    coef_diff = float(np.max(np.abs(a - b))) if a.shape == b.shape else float("nan")
    ratio = med["sklearn"] / med["tenure"]
    process_ratio = measurements["sklearn"].median_seconds / measurements["tenure"].median_seconds
    auc_diff = abs(auc["tenure"] - auc["sklearn"])
    print()
    print(f"largest coefficient difference (standardised scale, intercept and indicators included): {coef_diff:.2g}")
    print(f"holdout AUC: tenure {auc['tenure']:.5f}, sklearn {auc['sklearn']:.5f}, |diff| {auc_diff:.2g} "
          f"(limit {AUC_TOLERANCE:g}): {'met' if auc_diff <= AUC_TOLERANCE else 'MISSED'}")
    print(f"sklearn / Tenure fit time: {ratio:.2f}x (target ≥ {TARGET_RATIO:g}): "
          f"{'met' if ratio >= TARGET_RATIO else 'MISSED'}; whole process: {process_ratio:.2f}x")

    path = ctx.record("03_logistic", measurements, "tenure", ROWS, {
        "rows": ROWS, "holdout_rows": HOLDOUT_ROWS, "cols": COLS, "seed": SEED, "C": C, "tol": TOL,
        "max_iter": MAX_ITER, "threads": THREADS, "missing": {str(k): v for k, v in MISSING.items()},
        "fit_seconds": {t: [round(j["seconds"], 4) for j in inner[t]] for t in inner},
        "fit_cpu_seconds": {t: [round(j["cpu_seconds"], 3) for j in inner[t]] for t in inner},
        "fit_median_seconds": {t: round(v, 4) for t, v in med.items()}, "fit_ratio": round(ratio, 3),
        "process_ratio": round(process_ratio, 3), "auc": auc, "auc_diff": auc_diff, "coef_max_abs_diff": coef_diff,
        "iterations": {t: inner[t][-1]["iterations"] for t in inner}, "tenure_solver": inner["tenure"][-1]["solver"],
    })
    print(f"\nresults appended to {os.path.relpath(path, ctx.root)}")
    if auc_diff > AUC_TOLERANCE:
        raise harness.CommandFailed(f"AUC differs by {auc_diff:.4g} (> {AUC_TOLERANCE:g})")


def sklearn_main(argv):
    """The scikit-learn side: same files, same preprocessing, same penalty and stopping rule; JSON to --result."""
    opts = dict(zip(argv[0::2], argv[1::2]))
    cols = int(opts["--cols"])
    x = np.fromfile(opts["--x"]).reshape(-1, cols)
    y = np.fromfile(opts["--y"])
    hx = np.fromfile(opts["--holdout-x"]).reshape(-1, cols)
    hy = np.fromfile(opts["--holdout-y"])
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    # Tenure's design: median-imputed inputs standardised (population std), then 0/1 indicators for columns
    # with NaNs left unscaled, then an unpenalised intercept.
    pipe = Pipeline([
        ("impute", SimpleImputer(strategy="median", add_indicator=True)),
        ("scale", ColumnTransformer([("std", StandardScaler(), slice(0, cols))], remainder="passthrough")),
        ("lr", LogisticRegression(solver="lbfgs", C=float(opts["--C"]), tol=float(opts["--tol"]),
                                  max_iter=int(opts["--max-iter"]))),
    ])
    wall0, cpu0 = time.perf_counter(), time.process_time()
    pipe.fit(x, y)
    seconds, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    lr = pipe.named_steps["lr"]
    z = pipe[:-1].transform(x)
    p = lr.predict_proba(z)[:, 1]
    grad = z.T @ (p - y) / len(y) + lr.coef_[0] / (lr.C * len(y))
    n_iter = int(lr.n_iter_[0])
    result = {"tool": "sklearn", "rows": len(y), "cols": cols, "seconds": seconds, "cpu_seconds": cpu,
              "iterations": n_iter, "converged": n_iter < int(opts["--max-iter"]),
              "grad_norm": float(max(np.max(np.abs(grad)), abs(np.mean(p - y)))),
              "auc": float(roc_auc_score(hy, pipe.predict_proba(hx)[:, 1]))}
    np.concatenate([lr.intercept_, lr.coef_[0]]).astype("<f8").tofile(opts["--coef-out"])
    with open(opts["--result"], "w") as f:
        json.dump(result, f)


if __name__ == "__main__" and len(sys.argv) > 1 and sys.argv[1] == "sklearn":
    sklearn_main(sys.argv[2:])
