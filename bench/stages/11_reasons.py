"""Stage 11: what per-user reasons cost on the million-user night: `tenure score` with its default reasons
(TreeSHAP for every user with a recall step) against the same run with `--reasons 0`.

The log, the 200-tree churn model and the as-of date are stage 04's (bench/stages/04_nightly.py, cached in
work/), the command is stage 04's Tenure command without `--reasons 0` and `--rank-by risk` (the default night:
ranked by expected loss, reasons for the users with a step), 2 threads, `--out DIR/`. Both runs are timed fork
to exit with peak RSS and CPU time. Cross-check: both lists hold the same users in the same order with the same
probabilities (reasons are the only difference).
Target (issue 17): with reasons ≤ 1.5× the time without them.
"""
import os

import pandas as pd

import harness

TARGET_RATIO = 1.5
THREADS = 2


def run(ctx):
    nightly = harness.stage_module("04_nightly")
    log, events = ctx.generate(nightly.USERS, nightly.DAYS, nightly.SEED)
    days = nightly.DAYS
    if events < nightly.MIN_EVENTS:               # as stage 04: lengthen once to reach MIN_EVENTS
        days = int(nightly.DAYS * nightly.MIN_EVENTS / events * 1.05) + 1
        log, events = ctx.generate(nightly.USERS, days, nightly.SEED)
    as_of = (nightly.START + nightly.timedelta(days=days)).isoformat()
    model, _, _ = nightly.prepare_model(ctx)
    base = [ctx.tenure, "score", "--model", model, "--events", log, "--as-of", as_of, "--threads", str(THREADS)]
    out_with = os.path.join(ctx.work, "reasons_with") + "/"
    out_without = os.path.join(ctx.work, "reasons_without") + "/"
    commands = [
        ("tenure reasons", base + ["--out", out_with]),
        ("tenure --reasons 0", base + ["--out", out_without, "--reasons", "0"]),
    ]
    print(f"log: {os.path.relpath(log, ctx.root)}: {events:,} events; as of {as_of}")
    results = harness.measure(commands, ctx.runs)
    print(harness.comparison_table(results, "tenure --reasons 0", events))
    with_reasons = pd.read_csv(os.path.join(out_with, "scores.csv"), dtype={"user_id": str})
    without = pd.read_csv(os.path.join(out_without, "scores.csv"), dtype={"user_id": str})
    explained = int(with_reasons["reason_1_feature"].notna().sum()) if "reason_1_feature" in with_reasons else 0
    same = (list(with_reasons["user_id"]) == list(without["user_id"])
            and (with_reasons["probability"] == without["probability"]).all())
    ratio = results["tenure reasons"].median_seconds / results["tenure --reasons 0"].median_seconds
    cpu_ratio = results["tenure reasons"].median_cpu_seconds / results["tenure --reasons 0"].median_cpu_seconds
    load = os.getloadavg()[0]
    print(f"\nusers listed {len(with_reasons):,}, with reasons {explained:,}; same users, order and probabilities: "
          f"{'yes' if same else 'NO'}")
    print(f"with / without reasons: {ratio:.2f}x wall, {cpu_ratio:.2f}x CPU (target ≤ {TARGET_RATIO:g}x: "
          f"{'met' if ratio <= TARGET_RATIO else 'MISSED'}); load average {load:.1f}")
    if not same:
        raise harness.CommandFailed("the lists with and without reasons differ in users, order or probabilities")
    path = ctx.record("11_reasons", results, "tenure --reasons 0", events,
                      {"users": nightly.USERS, "days": days, "seed": nightly.SEED, "as_of": as_of, "threads": THREADS,
                       "listed": len(with_reasons), "explained": explained, "ratio_wall": ratio,
                       "ratio_cpu": cpu_ratio, "load_average_1m": load})
    print(f"\nresults appended to {os.path.relpath(path, ctx.root)}")


if __name__ == "__main__":
    import sys
    sys.exit("run through bench/run 11")
