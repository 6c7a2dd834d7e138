"""Stage 05: reading events from PostgreSQL against the server's own binary COPY into /dev/null.

The 01_features log (60,000 users over 180 days: 11.2 M events) is loaded once into a table of a throwaway
cluster (scripts/pg-cluster.sh; or BENCH_PG_URI's server, where the table is replaced, or with BENCH_PG_REUSE=1
kept when it already holds the log's row count: the rows are then assumed to be the log's). BENCH_PG_USERS sets
the users instead: 180000 gives the issue's 33 M events (about 1.3 GiB of CSV and as much of table; the
generated log is cached in bench/work/ like the others). Then, turn by turn:

- tenure:    `tenure retention --events URI --table bench_events --threads 2`: connect, describe, binary COPY
             of the four columns, decode, intern and build the store, then the (cheap) cohort table on stdout,
             which the harness discards. Retention is the command that does the least after reading.
- psql COPY: `psql URI -c "COPY (SELECT user_id, timestamp, event, value FROM bench_events) TO STDOUT
             (FORMAT binary)" > /dev/null` through the shell: the same rows, server and socket, nothing decoded.
- tenure CSV: the same command on the CSV file the table was loaded from, for scale (not part of the target).

Target (issue 16): tenure / psql COPY median time ≤ 1.3.
"""
import os
import shlex
import subprocess
import tempfile

import harness

USERS = int(os.environ.get("BENCH_PG_USERS", "60000"))   # 60000: the 01_features log; 180000: 33 M events
DAYS, SEED = 180, 7
THREADS = 2
TARGET_RATIO = 1.3
TABLE = "bench_events"
COLUMNS = "user_id, timestamp, event, value"


def psql(uri, *args, stdin=None):
    r = subprocess.run(["psql", uri, "-X", "-q", "-v", "ON_ERROR_STOP=1", *args], capture_output=True, text=True,
                       stdin=stdin)
    if r.returncode != 0:
        raise harness.CommandFailed(f"psql {' '.join(args)}: {r.stderr[-2000:]}")
    return r.stdout


def start_cluster(ctx):
    """(uri, directory to stop) of a throwaway cluster, or BENCH_PG_URI's server (nothing to stop)."""
    given = os.environ.get("BENCH_PG_URI")
    if given:
        return given, None
    directory = tempfile.mkdtemp(prefix="tenure-bench-pg-")
    os.rmdir(directory)                            # pg-cluster.sh makes it
    # The server the script leaves running keeps no pipe of ours open: its output goes to files.
    with open(directory + ".uri", "w") as out, open(directory + ".log", "w") as err:
        r = subprocess.run([os.path.join(ctx.root, "scripts", "pg-cluster.sh"), "start", directory],
                           stdout=out, stderr=err, stdin=subprocess.DEVNULL)
    with open(directory + ".uri") as f:
        uri = f.read().strip()
    if r.returncode != 0:
        with open(directory + ".log") as f:
            raise harness.CommandFailed(f"scripts/pg-cluster.sh start failed: {f.read()[-2000:]}")
    return uri, directory


def stop_cluster(ctx, directory):
    if directory:
        subprocess.run([os.path.join(ctx.root, "scripts", "pg-cluster.sh"), "stop", directory],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        for suffix in (".uri", ".log"):
            if os.path.exists(directory + suffix):
                os.unlink(directory + suffix)


def existing_rows(uri):
    """Rows of an existing TABLE on the server (None when there is none), so a rerun can skip the 33 M-row load."""
    found = psql(uri, "-A", "-t", "-c", f"SELECT to_regclass('{TABLE}') IS NOT NULL").strip()
    return int(psql(uri, "-A", "-t", "-c", f"SELECT count(*) FROM {TABLE}").strip()) if found == "t" else None


def run(ctx):
    log, events = ctx.generate(USERS, DAYS, SEED)
    uri, directory = start_cluster(ctx)
    try:
        if directory is None and os.environ.get("BENCH_PG_REUSE") == "1" and existing_rows(uri) == events:
            harness.note(f"reusing {TABLE} on BENCH_PG_URI's server ({events:,} rows, BENCH_PG_REUSE=1)")
        else:
            harness.note(f"loading {os.path.relpath(log, ctx.root)} into {TABLE} (not timed)")
            psql(uri, "-c", f"DROP TABLE IF EXISTS {TABLE}")
            psql(uri, "-c", f"CREATE UNLOGGED TABLE {TABLE} (user_id text, timestamp timestamptz, event text, value float8)")
            with open(log) as f:
                psql(uri, "-c", f"COPY {TABLE} FROM STDIN WITH (FORMAT csv, HEADER)", stdin=f)
            psql(uri, "-c", f"VACUUM ANALYZE {TABLE}")
        rows = int(psql(uri, "-A", "-t", "-c", f"SELECT count(*) FROM {TABLE}").strip())
        size = psql(uri, "-A", "-t", "-c", f"SELECT pg_size_pretty(pg_table_size('{TABLE}'))").strip()
        print(f"table {TABLE}: {rows:,} rows ({size}) from {os.path.relpath(log, ctx.root)}")
        if rows != events:
            raise harness.CommandFailed(f"{TABLE} holds {rows:,} rows, the log {events:,} events")

        copy = f"COPY (SELECT {COLUMNS} FROM {TABLE}) TO STDOUT (FORMAT binary)"
        commands = [
            ("tenure", [ctx.tenure, "retention", "--events", uri, "--table", TABLE, "--threads", str(THREADS)]),
            ("psql COPY", ["sh", "-c", f"psql {shlex.quote(uri)} -X -q -c {shlex.quote(copy)} > /dev/null"]),
            ("tenure CSV", [ctx.tenure, "retention", "--events", log, "--threads", str(THREADS)]),
        ]
        results = harness.measure(commands, ctx.runs)
        summary = [ln for ln in results["tenure"].runs[-1].stderr.splitlines() if "rows read" in ln]
        print("tenure: " + (summary[0].strip() if summary else "(no summary line)") + "\n")
        print(harness.comparison_table(results, "tenure", events))
        ratio = results["tenure"].median_seconds / results["psql COPY"].median_seconds
        print(f"\ntenure / psql COPY time: {ratio:.2f}x (target ≤ {TARGET_RATIO:g}): "
              f"{'met' if ratio <= TARGET_RATIO else 'MISSED'}")
        path = ctx.record("05_postgres", results, "psql COPY", events,
                          {"users": USERS, "days": DAYS, "seed": SEED, "threads": THREADS, "table": TABLE,
                           "table_size": size, "copy": copy, "tenure_over_psql": round(ratio, 3),
                           "target_ratio": TARGET_RATIO})
        print(f"\nresults appended to {os.path.relpath(path, ctx.root)}")
    finally:
        stop_cluster(ctx, directory)
