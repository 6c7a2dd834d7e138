"""Stage 08: training from a feature CSV, end to end: `tenure train --features` against pandas + LightGBM and
pandas + scikit-learn.

The matrix: `tenure features --task churn` on a generated log (the issue's shape: about 715k rows × 69 features,
about 220 MB). Each tool runs as its own process, timed fork to exit (reading the CSV included), 2 threads.
Tenure: `train --features M --model gbdt --trees 200` (31 leaves, learning rate 0.1, no early stopping) and
`train --features M --model logistic`. Peers: bench/matrix/peer_train.py (pandas.read_csv, then LightGBM with
the same tree parameters, or scikit-learn's median-impute + indicator + standardise + lbfgs LogisticRegression,
the problem stage 03 maps to Tenure's).
Targets (issue 17): Tenure ≤ 0.5× LightGBM's and ≤ 0.15× scikit-learn's end-to-end time.
"""
import os
import subprocess

import harness

USERS, DAYS, SEED = 100_000, 150, 17   # about 725k rows × 73 features (60k users gave 435,938 rows)
CUTOFFS = "2026-02-01..2026-05-15/7d"
THREADS = 2
TREES = 200
TARGETS = {"lightgbm": 0.5, "sklearn": 0.15}


def matrix(ctx):
    log, events = ctx.generate(USERS, DAYS, SEED)
    path = os.path.join(ctx.work, f"matrix_u{USERS}_d{DAYS}_s{SEED}.csv")
    if not os.path.exists(path) or os.path.getmtime(path) < os.path.getmtime(log):
        harness.note(f"writing {os.path.relpath(path, ctx.root)} with tenure features (not timed)")
        r = subprocess.run([ctx.tenure, "features", "--events", log, "--task", "churn", "--cutoff", CUTOFFS,
                            "--threads", str(THREADS), "--out", path + ".tmp"], capture_output=True, text=True)
        if r.returncode != 0:
            raise harness.CommandFailed(f"tenure features failed:\n{r.stderr[-2000:]}")
        os.replace(path + ".tmp", path)
    with open(path) as f:
        columns = f.readline().rstrip("\n").split(",")
    return path, columns


def run(ctx):
    path, columns = matrix(ctx)
    rows = sum(1 for _ in open(path, "rb")) - 1
    features = len([c for c in columns if c not in ("user_id", "cutoff", "label")])
    print(f"matrix: {os.path.relpath(path, ctx.root)}: {rows:,} rows × {features} features, "
          f"{os.path.getsize(path) / 1e6:.0f} MB")
    peer = os.path.join(ctx.root, "bench", "matrix", "peer_train.py")
    env_threads = {"OMP_NUM_THREADS": str(THREADS), "OPENBLAS_NUM_THREADS": str(THREADS), "MKL_NUM_THREADS": str(THREADS),
                   "OMP_WAIT_POLICY": os.environ.get("BENCH_OMP_WAIT_POLICY", "PASSIVE")}
    os.environ.update(env_threads)
    out = os.path.join(ctx.work, "matrix_model.tenure")
    pairs = {
        "lightgbm": [
            ("tenure gbdt", [ctx.tenure, "train", "--features", path, "--model", "gbdt", "--trees", str(TREES),
                             "--early-stopping-rounds", "0", "--threads", str(THREADS), "--out", out]),
            ("pandas+lightgbm", [ctx.python, peer, "lightgbm", path, str(THREADS), str(TREES)]),
        ],
        "sklearn": [
            ("tenure logistic", [ctx.tenure, "train", "--features", path, "--model", "logistic",
                                 "--threads", str(THREADS), "--out", out]),
            ("pandas+sklearn", [ctx.python, peer, "sklearn", path, str(THREADS), str(TREES)]),
        ],
    }
    for peer_name, commands in pairs.items():
        results = harness.measure(commands, ctx.runs)
        tenure, other = commands[0][0], commands[1][0]
        print(harness.comparison_table(results, tenure, rows))
        for line in results[other].runs[-1].stderr.splitlines():
            if line.startswith("read "):
                print(f"  {other}: {line}")
        ratio = results[tenure].median_seconds / results[other].median_seconds
        target = TARGETS[peer_name]
        print(f"  tenure / {other} = {ratio:.2f}x (target ≤ {target}x: {'met' if ratio <= target else 'MISSED'})")
        ctx.record("08_matrix", results, tenure, rows, {"rows": rows, "features": features, "trees": TREES,
                                                        "threads": THREADS, "matrix_bytes": os.path.getsize(path)})
