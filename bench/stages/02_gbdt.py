"""Stage 02: gradient-boosted trees — Tenure against LightGBM, XGBoost (hist) and scikit-learn's
HistGradientBoostingClassifier on the same float64 matrices, 2 threads each.

Every tool runs as its own process (`tenure-bench gbdt`, `bench/gbdt/peer_gbdt.py TOOL`) that loads the raw
matrices, then times training (its dataset/binning construction included), batch prediction of the holdout
and (Tenure, LightGBM) single-row latency, and writes a JSON result; the harness adds the process's peak RSS.
Tools take turns run by run; medians over BENCH_RUNS. Then the interop check: Tenure's LightGBM text export,
loaded by `lightgbm.Booster(model_file=...)`, must predict Tenure's holdout probabilities within 1e-6, or the
stage fails. Targets (issue 4): AUC within 0.002 of LightGBM's, training time ≤ LightGBM's, batch prediction
≥ 1,000,000 rows/s, single row ≤ 2 µs.
"""
import json
import os
import statistics
import subprocess

import numpy as np

import harness

ROWS = int(os.environ.get("BENCH_GBDT_ROWS", "500000"))
TEST_ROWS = int(os.environ.get("BENCH_GBDT_TEST_ROWS", "100000"))
COLS = 30
SEED = 0
THREADS = 2
TREES, LEAVES, BINS, LR = 200, 31, 255, 0.1
SINGLE_CALLS = 1_000_000
INTEROP_TOLERANCE = 1e-6
PEERS = ["lightgbm", "xgboost", "sklearn"]
# OpenMP threads of the peers sleep instead of spinning while waiting: on a shared, loaded 2-core machine
# spinning threads steal the core their partner needs (LightGBM measured 55 s instead of ~7 s at load 5).
OMP_WAIT_POLICY = os.environ.get("BENCH_OMP_WAIT_POLICY", "PASSIVE")


def run(ctx):
    data = os.path.join(ctx.work, f"gbdt_r{ROWS}_t{TEST_ROWS}_c{COLS}_s{SEED}")
    if not os.path.exists(os.path.join(data, "meta.txt")):
        harness.note(f"generating {os.path.relpath(data, ctx.root)}")
        subprocess.run([ctx.python, os.path.join(ctx.bench, "gbdt", "make_data.py"), data, "--rows", str(ROWS),
                        "--test-rows", str(TEST_ROWS), "--cols", str(COLS), "--seed", str(SEED)], check=True)
    bench_bin = os.environ.get("TENURE_BENCH_BIN", os.path.join(ctx.root, ".build", "release", "tenure-bench"))
    if os.environ.get("BENCH_SKIP_BUILD", "0") != "1" and "TENURE_BENCH_BIN" not in os.environ:
        harness.note("swift build -c release --product tenure-bench")
        subprocess.run([os.environ.get("SWIFT", "swift"), "build", "-c", "release", "--product", "tenure-bench"],
                       cwd=ctx.root, check=True, stdout=subprocess.DEVNULL)
    print(f"data: {ROWS:,} train × {COLS} features, {TEST_ROWS:,} holdout rows (bench/gbdt/make_data.py --seed {SEED}); "
          f"{TREES} trees, {LEAVES} leaves, {BINS} bins, learning rate {LR}, {THREADS} threads")

    settings = ["--trees", str(TREES), "--leaves", str(LEAVES), "--bins", str(BINS),
                "--learning-rate", str(LR), "--threads", str(THREADS)]
    lgb_model = os.path.join(ctx.work, "gbdt_tenure_lightgbm.txt")
    tenure_pred = os.path.join(ctx.work, "gbdt_tenure_predictions.f64")
    out = {tool: os.path.join(ctx.work, f"gbdt_result_{tool}.json") for tool in ["tenure"] + PEERS}
    commands = [("tenure", [bench_bin, "gbdt", "--train-x", f"{data}/train_x.f64", "--train-y", f"{data}/train_y.f64",
                            "--test-x", f"{data}/test_x.f64", "--test-y", f"{data}/test_y.f64", "--cols", str(COLS),
                            "--single-calls", str(SINGLE_CALLS), "--lightgbm-out", lgb_model,
                            "--predictions-out", tenure_pred, "--result-out", out["tenure"]] + settings)]
    commands += [(tool, [ctx.python, os.path.join(ctx.bench, "gbdt", "peer_gbdt.py"), tool, data, out[tool]] + settings)
                 for tool in PEERS]
    # scikit-learn's (and any OpenMP peer's) thread count, and how idle OpenMP threads wait.
    env = dict(os.environ, OMP_NUM_THREADS=str(THREADS), OMP_WAIT_POLICY=OMP_WAIT_POLICY)

    runs = {tool: [] for tool, _ in commands}
    for i in range(ctx.runs):
        for tool, argv in commands:
            r = harness.run_timed(argv, env=env)
            with open(out[tool]) as f:
                res = json.load(f)
            res["peak_rss_bytes"] = r.peak_rss
            res["process_seconds"] = r.seconds
            runs[tool].append(res)
            harness.note(f"  run {i + 1}/{ctx.runs} {tool}: train {res['train_seconds']:.2f} s "
                         f"(cpu {res['train_cpu_seconds']:.2f}), AUC {res['auc']:.5f}, "
                         f"batch {res['batch_rows_per_second']:,.0f} rows/s, peak RSS {r.peak_rss / 2**20:.0f} MiB")

    def med(tool, key):
        values = [r[key] for r in runs[tool] if key in r]
        return statistics.median(values) if values else None

    rows = []
    for tool in runs:
        single = med(tool, "single_row_us")
        fast = med(tool, "single_row_fast_c_us")
        rows.append([tool + " " + runs[tool][0].get("version", ""), f"{med(tool, 'train_seconds'):.2f}",
                     f"{min(r['train_seconds'] for r in runs[tool]):.2f}", f"{med(tool, 'train_cpu_seconds'):.2f}",
                     f"{max(r['peak_rss_bytes'] for r in runs[tool]) / 2**20:.0f}", f"{med(tool, 'auc'):.5f}",
                     f"{med(tool, 'batch_rows_per_second'):,.0f}",
                     "-" if single is None else f"{single:.2f}",
                     "-" if fast is None else f"{fast:.2f}"])
    print()
    print(harness.format_table(["tool", "train median s", "min s", "train cpu s", "peak RSS MiB", "holdout AUC",
                                "batch rows/s", "single row µs", "C fast path µs"], rows))
    tenure_extra = med("tenure", "single_row_distinct_us")
    print(f"tenure single row over 1,024 distinct rows in turn: {tenure_extra:.2f} µs")

    # Interop: Tenure's LightGBM export predicts Tenure's probabilities.
    import lightgbm as lgb
    booster = lgb.Booster(model_file=lgb_model)
    xte = np.fromfile(f"{data}/test_x.f64", dtype="<f8").reshape(-1, COLS)
    ours = np.fromfile(tenure_pred, dtype="<f8")
    theirs = booster.predict(xte, num_threads=THREADS)
    interop_diff = float(np.max(np.abs(ours - theirs)))
    print(f"\ninterop: lightgbm.Booster(model_file=Tenure export) on {len(ours):,} holdout rows: "
          f"max |p_lightgbm − p_tenure| = {interop_diff:.3g} (tolerance {INTEROP_TOLERANCE:g})")

    checks = {
        "auc_within_0.002_of_lightgbm": abs(med("tenure", "auc") - med("lightgbm", "auc")) <= 0.002,
        "train_not_slower_than_lightgbm": med("tenure", "train_seconds") <= med("lightgbm", "train_seconds"),
        "batch_at_least_1M_rows_per_s": med("tenure", "batch_rows_per_second") >= 1e6,
        "single_row_at_most_2us": med("tenure", "single_row_us") <= 2.0,
        "interop_within_1e-6": interop_diff <= INTEROP_TOLERANCE,
    }
    print(f"AUC: tenure {med('tenure', 'auc'):.5f} vs lightgbm {med('lightgbm', 'auc'):.5f}; "
          f"train median: tenure {med('tenure', 'train_seconds'):.2f} s vs lightgbm {med('lightgbm', 'train_seconds'):.2f} s")
    for name, ok in checks.items():
        print(f"  {name}: {'met' if ok else 'MISSED'}")

    load_after = os.getloadavg()[0]
    params = {"rows": ROWS, "test_rows": TEST_ROWS, "cols": COLS, "seed": SEED, "threads": THREADS, "trees": TREES,
              "leaves": LEAVES, "bins": BINS, "learning_rate": LR, "single_calls": SINGLE_CALLS,
              "omp_wait_policy": OMP_WAIT_POLICY}
    records = []
    for tool, rs in runs.items():
        records.append({
            "time": harness.now_iso(), "stage": "02_gbdt", "tool": tool, "version": rs[0].get("version"),
            "commit": ctx.commit, "machine": ctx.machine, "runs": len(rs),
            "train_seconds": [round(r["train_seconds"], 4) for r in rs],
            "median_train_seconds": round(med(tool, "train_seconds"), 4),
            "median_train_cpu_seconds": round(med(tool, "train_cpu_seconds"), 4),
            "peak_rss_bytes": max(r["peak_rss_bytes"] for r in rs), "median_auc": med(tool, "auc"),
            "median_batch_rows_per_second": round(med(tool, "batch_rows_per_second")),
            "median_single_row_us": med(tool, "single_row_us"),
            "median_single_row_fast_c_us": med(tool, "single_row_fast_c_us"),
            "median_single_row_distinct_us": med(tool, "single_row_distinct_us"),
            "params": params, "load_avg_1m_before": round(ctx.load_before, 2), "load_avg_1m_after": round(load_after, 2),
            **({"interop_max_abs_diff": interop_diff, "checks": checks} if tool == "tenure" else {}),
        })
    path = harness.append_results(ctx.results_dir, records)
    print(f"\nresults appended to {os.path.relpath(path, ctx.root)}")
    if interop_diff > INTEROP_TOLERANCE:
        raise harness.CommandFailed(f"interop check failed: LightGBM's predictions of Tenure's export differ by "
                                    f"{interop_diff:.3g} > {INTEROP_TOLERANCE:g}")
