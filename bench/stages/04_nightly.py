"""Stage 04: the nightly job end to end: `tenure score` against DuckDB → LightGBM → pandas.

One log of 1,000,000 users and ≥ 30 M events, one 200-tree churn model, one as-of date (the day after the
log ends). Tenure reads the CSV, builds features, scores, ranks and writes the ranked list; the peer pipeline
(bench/tools/peer_nightly.py, one Python process) does the same with DuckDB features, LightGBM predict (the
model exported by `tenure export --format lightgbm`, so both evaluate the same trees) and pandas rank + CSV.
Both use 2 threads, run as subprocesses timed fork to exit with the child's peak RSS and CPU time.
Cross-check: the same users in the same order with the same probabilities (within 1e-6).
Target: peer / Tenure median time ≥ 2.
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter, OrderedDict
from datetime import date, timedelta

import numpy as np
import pandas as pd

import harness

USERS = 1_000_000
DAYS = int(os.environ.get("BENCH_NIGHTLY_DAYS", "21"))   # 21 days of 1 M users ≈ 36 M events
SEED = 41
MIN_EVENTS = 30_000_000
START = date(2026, 1, 1)                                  # `tenure generate`'s default --start
# The model is trained on a smaller log of the same generator (another sample of the same population, long
# enough for churn labels at several cutoffs); training is not timed.
TRAIN_USERS, TRAIN_DAYS, TRAIN_SEED = 50_000, 120, 8
TRAIN_ARGS = ["--task", "churn", "--cutoff", "2026-02-01..2026-04-15/14d", "--model", "gbdt", "--trees", "200",
              "--early-stopping-rounds", "0", "--threads", "2"]
THREADS = 2
TARGET_RATIO = 2.0
PROBABILITY_TOLERANCE = 1e-6
PERF_HZ = 499


def tenure_score_argv(ctx, model, log, as_of, out):
    """THE Tenure command under test (one place to change it). `--reasons 0`: the peer pipeline computes no
    per-user contributions, so neither side does. `--rank-by risk` (when this build has it): the peer ranks by
    probability, so Tenure must too for the ranked lists to be comparable."""
    argv = [ctx.tenure, "score", "--model", model, "--events", log, "--as-of", as_of, "--out", out,
            "--reasons", "0", "--threads", str(THREADS)]
    if "--rank-by" in score_help(ctx):
        argv += ["--rank-by", "risk"]
    return argv


def peer_argv(ctx, lightgbm_model, lookback_days, log, as_of, out):
    return [ctx.python, ctx.tool("peer_nightly.py"), log, as_of, lightgbm_model, repr(lookback_days), out,
            str(THREADS)]


def run(ctx):
    log, events = ctx.generate(USERS, DAYS, SEED)
    days = DAYS
    if events < MIN_EVENTS:                       # lengthen the log once so it holds at least MIN_EVENTS
        days = int(DAYS * MIN_EVENTS / events * 1.05) + 1
        log, events = ctx.generate(USERS, days, SEED)
    as_of = (START + timedelta(days=days)).isoformat()
    model, lightgbm_model, lookback_days = prepare_model(ctx)
    print(f"log: {os.path.relpath(log, ctx.root)}: {events:,} events, {os.path.getsize(log) / 2**20:.0f} MiB; "
          f"as of {as_of}; model {os.path.relpath(model, ctx.root)} (200 trees, churn lookback {lookback_days:g} d)")

    # The cron form: --out DIR/ writes scores.csv and manifest.json (input hashes, counts, drift), more work
    # than the peers do; the cross-check reads DIR/scores.csv.
    out_tenure = os.path.join(ctx.work, "nightly_tenure") + "/"
    out_peer = os.path.join(ctx.work, "nightly_peer.csv")
    commands = [
        ("tenure", tenure_score_argv(ctx, model, log, as_of, out_tenure)),
        ("duckdb+lightgbm+pandas", peer_argv(ctx, lightgbm_model, lookback_days, log, as_of, out_peer)),
    ]
    print("tenure: " + " ".join(os.path.relpath(a, ctx.root) if a.startswith(ctx.root) else a for a in commands[0][1]))
    results = harness.measure(commands, ctx.runs)
    for line in results["tenure"].runs[-1].stderr.splitlines():
        if "scored" in line:
            print("tenure: " + line.strip())
    print()
    print(harness.comparison_table(results, "tenure", events))
    peer = results["duckdb+lightgbm+pandas"]
    ratio = peer.median_seconds / results["tenure"].median_seconds
    print(f"\npeers / Tenure time: {ratio:.2f}x (target ≥ {TARGET_RATIO:g}): {'met' if ratio >= TARGET_RATIO else 'MISSED'}")
    peer_phases = median_phases([r.stderr for r in peer.runs])
    print("peer phases (median s): " + ", ".join(f"{k} {v:.2f}" for k, v in peer_phases.items()))

    tenure_profile = profile_tenure(ctx, commands[0][1])
    check = cross_check(os.path.join(out_tenure, "scores.csv"), out_peer)
    path = ctx.record("04_nightly", results, "tenure", events,
                      {"users": USERS, "days": days, "seed": SEED, "as_of": as_of, "threads": THREADS,
                       "log_bytes": os.path.getsize(log), "trees": 200, "lookback_days": lookback_days,
                       "train_log": {"users": TRAIN_USERS, "days": TRAIN_DAYS, "seed": TRAIN_SEED},
                       "train_args": TRAIN_ARGS, "tenure_argv": [os.path.basename(a) for a in commands[0][1]],
                       "peer_phases_median_s": peer_phases, "tenure_profile": tenure_profile,
                       "cross_check": check})
    print(f"\nresults appended to {os.path.relpath(path, ctx.root)}")


def score_help(ctx):
    if not hasattr(ctx, "_score_help"):
        ctx._score_help = subprocess.run([ctx.tenure, "score", "--help"], capture_output=True, text=True).stdout
    return ctx._score_help


def prepare_model(ctx):
    """Trains (once, cached in work/ by the training log and arguments) the 200-tree churn model and exports it
    for LightGBM. Returns (tenure model path, LightGBM model path, churn lookback in days)."""
    train_log, train_events = ctx.generate(TRAIN_USERS, TRAIN_DAYS, TRAIN_SEED)
    key = key_hash(os.path.basename(train_log), *TRAIN_ARGS)
    model = os.path.join(ctx.work, f"nightly_model_{key}.tenure")
    if not os.path.exists(model) or os.environ.get("BENCH_RETRAIN") == "1":
        harness.note(f"training {os.path.relpath(model, ctx.root)} on {train_events:,} events (not timed)")
        r = subprocess.run([ctx.tenure, "train", "--events", train_log, *TRAIN_ARGS, "--out", model],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise harness.CommandFailed(f"tenure train failed:\n{r.stderr[-2000:]}")
    lightgbm_model = model[:-len(".tenure")] + ".lightgbm.txt"
    r = subprocess.run([ctx.tenure, "export", "--model", model, "--format", "lightgbm", "--out", lightgbm_model],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise harness.CommandFailed(f"tenure export failed:\n{r.stderr[-2000:]}")
    with open(model, "rb") as f:
        f.readline()                              # TENURE-MODEL header line, then the JSON body
        body = json.load(f)
    trees = len(body["gbdt"]["trees"])
    if trees != 200:
        raise harness.CommandFailed(f"{model} has {trees} trees, the stage needs 200")
    lookback = body["label"].get("lookback")
    return model, lightgbm_model, duration_days(lookback) if lookback else float("inf")


def key_hash(*parts):
    return hashlib.sha1("\0".join(parts).encode()).hexdigest()[:10]


def duration_days(text):
    m = re.fullmatch(r"(\d+)([smhdw])", text)
    if not m:
        raise harness.CommandFailed(f"unexpected lookback '{text}' in the model file")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}[m.group(2)]
    return int(m.group(1)) * seconds / 86400


def median_phases(stderrs):
    """`phase NAME SECONDS` lines of peer_nightly.py, median over runs, in pipeline order."""
    per = OrderedDict()
    for err in stderrs:
        for name, secs in re.findall(r"^phase (\S+) ([\d.]+)$", err, re.M):
            per.setdefault(name, []).append(float(secs))
    return {k: round(float(np.median(v)), 3) for k, v in per.items()}


# Tenure's phases from a sampling profile: each sample is put in the phase of the innermost frame of its call
# chain that names one (Swift mangled names contain the module and type names), checked in this order.
PHASE_RULES = [
    ("write", ["writeCSV", "writeJSONL", "AtomicOutput", "Manifest"]),
    ("rank", ["rank13probabilities", "Targeting"]),
    ("predict", ["PackedForest", "scoreBatch", "probabilities"]),
    ("features", ["ExtractorLayout", "TrainingSetBuilder", "FeaturePlan"]),
    ("read", ["EventLog", "readStore"]),
    ("model load", ["ModelFile", "ModelFormat", "Decod"]),
]
PHASE_ORDER = ["model load", "read", "features", "predict", "rank", "write", "other"]


def profile_tenure(ctx, argv):
    """One extra, untimed Tenure run under `perf record -g`; per phase: CPU seconds (samples / rate) and the
    wall span in which the phase holds most samples. Skipped without perf or with BENCH_PROFILE=0."""
    if os.environ.get("BENCH_PROFILE", "1") == "0" or not shutil.which("perf"):
        print("\n(tenure phase profile skipped: no perf or BENCH_PROFILE=0)")
        return None
    data = os.path.join(ctx.work, "nightly_perf.data")
    r = subprocess.run(["perf", "record", "-q", "-F", str(PERF_HZ), "-g", "-o", data, "--", *argv],
                       capture_output=True, text=True)
    if r.returncode != 0:
        print(f"\n(tenure phase profile skipped: perf record failed: {r.stderr.strip()[-300:]})")
        return None
    script = subprocess.run(["perf", "script", "-i", data, "-F", "tid,time,ip,sym"], capture_output=True,
                            text=True).stdout
    samples = []
    for block in script.split("\n\n"):
        lines = block.strip().splitlines()
        m = re.match(r"\s*(\d+)\s+([\d.]+):", lines[0]) if lines else None
        if m:
            frames = [ln.strip().split(None, 1)[-1] for ln in lines[1:]]
            samples.append((float(m.group(2)), classify(frames)))
    os.unlink(data)
    if not samples:
        return None
    samples.sort()
    t0, t1 = samples[0][0], samples[-1][0]
    # Wall spans: 0.25 s buckets, each given to its most common phase; a phase's span is its buckets' total.
    buckets = {}
    for t, phase in samples:
        buckets.setdefault(int((t - t0) / 0.25), Counter())[phase] += 1
    wall = Counter()
    for c in buckets.values():
        wall[c.most_common(1)[0][0]] += 0.25
    cpu = Counter(p for _, p in samples)
    profile = {p: {"cpu_s": round(cpu[p] / PERF_HZ, 2), "wall_s": round(wall[p], 2),
                   "cpu_share": round(cpu[p] / len(samples), 3)} for p in PHASE_ORDER if cpu[p]}
    rows = [[p, f"{v['wall_s']:.2f}", f"{v['cpu_s']:.2f}", f"{100 * v['cpu_share']:.1f}%"] for p, v in profile.items()]
    print(f"\ntenure phases (perf, 1 untimed run: {t1 - t0:.2f} s wall, {len(samples) / PERF_HZ:.2f} CPU s, "
          f"load {os.getloadavg()[0]:.1f}):")
    print(harness.format_table(["phase", "wall s", "CPU s", "CPU share"], rows))
    return {"wall_s": round(t1 - t0, 2), "phases": profile}


def classify(frames):
    for frame in frames:
        for phase, keys in PHASE_RULES:
            if any(k in frame for k in keys):
                return phase
    return "other"


def cross_check(tenure_csv, peer_csv):
    """Same users in the same order with the same probabilities (within 1e-6; Tenure prints 6 decimals).
    Where the two orders differ, the users must be tied within the tolerance (a last-bit difference between
    two summation orders may swap users whose probabilities are equal to 1e-16)."""
    a = pd.read_csv(tenure_csv, usecols=["user_id", "probability", "score", "percentile", "tier"],
                    dtype={"user_id": str})
    b = pd.read_csv(peer_csv, usecols=["user_id", "probability", "score", "percentile", "tier"],
                    dtype={"user_id": str})
    print(f"\ncross-check: tenure {len(a):,} ranked users, peers {len(b):,}")
    same_users = len(a) == len(b) and set(a["user_id"]) == set(b["user_id"])
    result = {"users_tenure": len(a), "users_peer": len(b), "same_users": same_users}
    if not same_users:
        print(f"  user sets differ: {len(set(a['user_id']) - set(b['user_id']))} only in tenure, "
              f"{len(set(b['user_id']) - set(a['user_id']))} only in peers")
        result["agree"] = False
        return result
    pa, pb = a["probability"].to_numpy(float), b["probability"].to_numpy(float)
    rank_diff = float(np.max(np.abs(pa - pb)))          # k-th probability of each list
    m = a.merge(b, on="user_id", suffixes=("_t", "_p"))
    user_diff = np.abs(m["probability_t"].to_numpy(float) - m["probability_p"].to_numpy(float))
    moved = a["user_id"].to_numpy() != b["user_id"].to_numpy()
    moved_untied = int(np.sum(moved & (np.abs(pa - pb) > PROBABILITY_TOLERANCE)))
    tiers_differ = int((m["tier_t"] != m["tier_p"]).sum())
    pct_diff = float(np.max(np.abs(m["percentile_t"].to_numpy(float) - m["percentile_p"].to_numpy(float))))
    agree = user_diff.max() <= PROBABILITY_TOLERANCE and rank_diff <= PROBABILITY_TOLERANCE and moved_untied == 0
    result.update({"max_abs_probability_diff": float(user_diff.max()), "rank_positions_differing": int(moved.sum()),
                   "positions_differing_beyond_ties": moved_untied, "tiers_differing": tiers_differ,
                   "max_abs_percentile_diff": pct_diff, "agree": bool(agree)})
    print(f"  same {len(a):,} users; max |Δ probability| per user {user_diff.max():.2e}, per rank {rank_diff:.2e} "
          f"(tolerance {PROBABILITY_TOLERANCE:g}); rank positions with another user: {int(moved.sum())} "
          f"({moved_untied} not explained by ties); tiers differing: {tiers_differ}; max |Δ percentile| {pct_diff:g}")
    print(f"  {'AGREE' if agree else 'DISAGREE'}")
    return result


if __name__ == "__main__":
    sys.exit("run through bench/run 04")
