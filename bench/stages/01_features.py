"""Stage 01: point-in-time features from a CSV event log, end to end — `tenure features` against DuckDB SQL.

Both tools read the same ≥ 10 M-event CSV, compute the default feature set at one cutoff and write a CSV; both
run as subprocesses on 2 threads, timed fork to exit with the child's peak RSS. Then the two outputs are
joined on user_id and compared column by column.
Targets: DuckDB / Tenure median time ≥ 2; Tenure peak RSS < 40 bytes per event.
"""
import os

import numpy as np
import pandas as pd

import harness

USERS = int(os.environ.get("BENCH_FEATURES_USERS", "60000"))
DAYS = 180
SEED = 7
MIN_EVENTS = 10_000_000
CUTOFF = "2026-06-01"          # the log spans 2026-01-01 .. 2026-06-30 (plus spill-over)
THREADS = 2
TARGET_RATIO = 2.0
TARGET_BYTES_PER_EVENT = 40.0
# Columns the brief names; the check compares every shared column, these are printed always.
KEY_COLUMNS = ["events_7d", "active_days_30d", "sessions_30d", "value_30d", "recency_days", "tenure_days",
               "gap_max_days"]
TOLERANCE = 1e-9               # absolute; counts must match exactly, day fractions to rounding


def run(ctx):
    users = USERS
    log, events = ctx.generate(users, DAYS, SEED)
    if events < MIN_EVENTS:                       # scale up once so the log holds at least MIN_EVENTS
        users = int(users * MIN_EVENTS / events * 1.05) + 1
        log, events = ctx.generate(users, DAYS, SEED)
    print(f"log: {os.path.relpath(log, ctx.root)}: {events:,} events, {os.path.getsize(log) / 2**20:.0f} MiB, "
          f"cutoff {CUTOFF}")

    out_tenure = os.path.join(ctx.work, "features_tenure.csv")
    out_duckdb = os.path.join(ctx.work, "features_duckdb.csv")
    commands = [
        ("tenure", [ctx.tenure, "features", "--events", log, "--cutoff", CUTOFF, "--task", "none",
                    "--threads", str(THREADS), "--out", out_tenure]),
        ("duckdb", [ctx.python, ctx.tool("duckdb_features.py"), log, CUTOFF, out_duckdb, str(THREADS)]),
    ]
    results = harness.measure(commands, ctx.runs)
    summary = [line for line in results["tenure"].runs[-1].stderr.splitlines() if "rows" in line]
    for line in summary:
        print("tenure: " + line)
    print()
    print(harness.comparison_table(results, "tenure", events))

    ratio = results["duckdb"].median_seconds / results["tenure"].median_seconds
    bpe = results["tenure"].peak_rss / events
    print()
    print(f"DuckDB / Tenure time: {ratio:.2f}x (target ≥ {TARGET_RATIO:g}): {'met' if ratio >= TARGET_RATIO else 'MISSED'}")
    print(f"Tenure peak RSS: {bpe:.1f} bytes/event (target < {TARGET_BYTES_PER_EVENT:g}): "
          f"{'met' if bpe < TARGET_BYTES_PER_EVENT else 'MISSED'}")

    check = cross_check(out_tenure, out_duckdb)
    path = ctx.record("01_features", results, "tenure", events,
                      {"users": users, "days": DAYS, "seed": SEED, "cutoff": CUTOFF, "threads": THREADS,
                       "log_bytes": os.path.getsize(log), "cross_check": check})
    print(f"\nresults appended to {os.path.relpath(path, ctx.root)}")


def cross_check(tenure_csv, duckdb_csv):
    """Joins both outputs on user_id; returns a JSON-able summary and prints the per-column differences."""
    a = pd.read_csv(tenure_csv)
    b = pd.read_csv(duckdb_csv)
    print(f"\ncross-check: tenure {len(a):,} rows × {a.shape[1] - 2} features, duckdb {len(b):,} rows × {b.shape[1] - 2}")
    only_a = sorted(set(a.columns) - set(b.columns))
    only_b = sorted(set(b.columns) - set(a.columns))
    if only_a or only_b:
        print(f"  columns only in tenure: {only_a}; only in duckdb: {only_b}")
    m = a.merge(b, on="user_id", how="outer", suffixes=("_t", "_d"), indicator=True)
    users_only_t = int((m["_merge"] == "left_only").sum())
    users_only_d = int((m["_merge"] == "right_only").sum())
    m = m[m["_merge"] == "both"]
    shared = [c for c in a.columns[2:] if c in b.columns]
    rows, bad = [], {}
    for col in shared:
        x = m[col + "_t"].to_numpy(dtype=float)
        y = m[col + "_d"].to_numpy(dtype=float)
        nan_mismatch = np.isnan(x) != np.isnan(y)
        both = ~np.isnan(x) & ~np.isnan(y)
        diff = np.zeros_like(x)
        diff[both] = np.abs(x[both] - y[both])
        worst = float(diff.max()) if len(diff) else 0.0
        differing = int((diff > TOLERANCE).sum() + nan_mismatch.sum())
        if differing:
            i = int(np.argmax(np.where(nan_mismatch, np.inf, diff)))
            bad[col] = {"rows": differing, "max_abs_diff": worst, "nan_mismatch": int(nan_mismatch.sum()),
                        "example": {"user_id": str(m["user_id"].iloc[i]), "tenure": float(x[i]), "duckdb": float(y[i])}}
        if col in KEY_COLUMNS or differing:
            rows.append([col, f"{worst:.3g}", int(nan_mismatch.sum()), differing])
    print(harness.format_table(["column", "max |diff|", "NaN mismatches", f"rows off > {TOLERANCE:g}"], rows))
    agree = not bad and not users_only_t and not users_only_d and not only_a and not only_b
    print(f"  users only in tenure: {users_only_t}, only in duckdb: {users_only_d}; "
          f"{len(shared)} shared columns compared: {'ALL AGREE' if agree else f'{len(bad)} DISAGREE'}")
    for col, info in bad.items():
        print(f"  {col}: {info}")
    key_max = {c: float(np.nanmax(np.abs(m[c + '_t'].to_numpy(float) - m[c + '_d'].to_numpy(float)), initial=0))
               for c in KEY_COLUMNS if c in shared}
    return {"agree": agree, "columns_compared": len(shared), "users_compared": int(len(m)),
            "users_only_tenure": users_only_t, "users_only_duckdb": users_only_d, "disagreeing": bad,
            "key_max_abs_diff": key_max}
