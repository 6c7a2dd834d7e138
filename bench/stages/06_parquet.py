"""Stage 06: point-in-time features from a zstd Parquet event log — `tenure features` from the Parquet file
against the same from the CSV, and against DuckDB computing the same features from the same Parquet file.

The log is stage 01's (the same generator parameters, so the same cached CSV); DuckDB writes it as Parquet
(ZSTD, its default row groups) from the typed CSV reader its feature script uses. All three run as
subprocesses on 2 threads, timed fork to exit with the child's peak RSS. The Parquet features must equal the
CSV features byte for byte, and DuckDB's must agree with Tenure's by stage 01's column-by-column check.
Targets: CSV / Parquet time ≥ 1.5 and DuckDB-from-Parquet / Tenure-from-Parquet time ≥ 2.
"""
import os
import subprocess

import harness


def _stage01():
    """Stage 01's parameters and cross-check (one copy of each)."""
    return harness.stage_module("01_features")


S01 = _stage01()
TARGET_VS_CSV = 1.5
TARGET_VS_DUCKDB = 2.0


def parquet_copy(ctx, log):
    """The CSV log as zstd Parquet beside it (cached: rewritten only when missing or older than the CSV)."""
    path = os.path.splitext(log)[0] + ".zstd.parquet"
    if os.path.exists(path) and os.path.getmtime(path) >= os.path.getmtime(log):
        harness.note(f"reusing {os.path.relpath(path, ctx.root)}")
        return path
    harness.note(f"writing {os.path.relpath(path, ctx.root)} with DuckDB (ZSTD)")
    # In the bench venv's Python (this process may not have duckdb), through the feature script's own reader.
    tmp = path + ".tmp"
    script = (f"import duckdb, sys; sys.path.insert(0, {os.path.join(ctx.bench, 'tools')!r}); import duckdb_features as d; "
              f"duckdb.connect().execute(\"COPY (SELECT * FROM \" + d.read_log({log!r}) + \") TO \" + d.quote({tmp!r}) + "
              f"\" (FORMAT parquet, COMPRESSION zstd)\")")
    r = subprocess.run([ctx.python, "-c", script], capture_output=True, text=True)
    if r.returncode != 0:
        raise harness.CommandFailed(f"writing the Parquet copy failed:\n{r.stderr}")
    os.replace(tmp, path)
    return path


def run(ctx):
    users = S01.USERS
    log, events = ctx.generate(users, S01.DAYS, S01.SEED)
    if events < S01.MIN_EVENTS:
        users = int(users * S01.MIN_EVENTS / events * 1.05) + 1
        log, events = ctx.generate(users, S01.DAYS, S01.SEED)
    parquet = parquet_copy(ctx, log)
    print(f"log: {os.path.relpath(parquet, ctx.root)}: {events:,} events, {os.path.getsize(parquet) / 2**20:.0f} MiB "
          f"(the CSV: {os.path.getsize(log) / 2**20:.0f} MiB), cutoff {S01.CUTOFF}")

    outs = {name: os.path.join(ctx.work, f"parquet_features_{name}.csv") for name in ["tenure", "tenure_csv", "duckdb"]}
    common = ["features", "--cutoff", S01.CUTOFF, "--task", "none", "--threads", str(S01.THREADS)]
    commands = [
        ("tenure", [ctx.tenure] + common + ["--events", parquet, "--out", outs["tenure"]]),
        ("tenure_csv", [ctx.tenure] + common + ["--events", log, "--out", outs["tenure_csv"]]),
        ("duckdb", [ctx.python, ctx.tool("duckdb_features.py"), parquet, S01.CUTOFF, outs["duckdb"], str(S01.THREADS)]),
    ]
    results = harness.measure(commands, ctx.runs)
    for line in results["tenure"].runs[-1].stderr.splitlines():
        if "rows" in line:
            print("tenure: " + line)
    print()
    print(harness.comparison_table(results, "tenure", events))

    vs_csv = results["tenure_csv"].median_seconds / results["tenure"].median_seconds
    vs_duckdb = results["duckdb"].median_seconds / results["tenure"].median_seconds
    print()
    print(f"Tenure CSV / Tenure Parquet time: {vs_csv:.2f}x (target ≥ {TARGET_VS_CSV:g}): "
          f"{'met' if vs_csv >= TARGET_VS_CSV else 'MISSED'}")
    print(f"DuckDB Parquet / Tenure Parquet time: {vs_duckdb:.2f}x (target ≥ {TARGET_VS_DUCKDB:g}): "
          f"{'met' if vs_duckdb >= TARGET_VS_DUCKDB else 'MISSED'}")
    # On a loaded machine wall times mostly measure the wait for a core; the CPU ratios are printed beside them.
    cpu = {name: results[name].median_cpu_seconds for name in ["tenure", "tenure_csv", "duckdb"]}
    print(f"CPU time: Tenure CSV / Tenure Parquet {cpu['tenure_csv'] / cpu['tenure']:.2f}x, "
          f"DuckDB Parquet / Tenure Parquet {cpu['duckdb'] / cpu['tenure']:.2f}x (load average {os.getloadavg()[0]:.1f})")
    for name in ["tenure", "tenure_csv", "duckdb"]:
        print(f"peak RSS {name}: {results[name].peak_rss / 2**20:.0f} MiB ({results[name].peak_rss / events:.1f} bytes/event)")

    with open(outs["tenure"], "rb") as a, open(outs["tenure_csv"], "rb") as b:
        identical = a.read() == b.read()
    print(f"\nfeatures from Parquet and from CSV: {'byte-identical' if identical else 'DIFFER'}")
    check = S01.cross_check(outs["tenure"], outs["duckdb"])
    path = ctx.record("06_parquet", results, "tenure", events,
                      {"users": users, "days": S01.DAYS, "seed": S01.SEED, "cutoff": S01.CUTOFF, "threads": S01.THREADS,
                       "parquet_bytes": os.path.getsize(parquet), "csv_bytes": os.path.getsize(log),
                       "parquet_equals_csv_features": identical, "cross_check": check})
    print(f"\nresults appended to {os.path.relpath(path, ctx.root)}")
