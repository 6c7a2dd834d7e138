#!/usr/bin/env python3
"""Reading throughput against log size: does the event reader keep its pace as the log grows?

Generates (or reuses) synthetic logs of growing user counts at a fixed number of days (so a fixed number of
events per user), times `tenure-bench read` on each, and prints one row per size: MB/s and events/s of wall
time, CPU seconds per million events (the fair figure on a loaded machine), the store's bytes per event, peak
RSS, the reader's phases and the load average. Standard library only.

    bench/tools/read_scale.py [--users 250000,1000000,2500000] [--days 20] [--runs 2] [--work DIR]
        [--tenure PATH] [--bench PATH] [--log FILE ...] [--json-out FILE]

--log adds logs read as they are (e.g. one another stage generated). Binaries default to .build/release.
"""
import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", default="250000,1000000,2500000", help="comma-separated user counts")
    ap.add_argument("--days", type=int, default=20)
    ap.add_argument("--seed", type=int, default=41)
    ap.add_argument("--runs", type=int, default=2, help="reads per log (the table shows the least CPU)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--work", default=os.path.join(ROOT, "bench", "work"))
    ap.add_argument("--tenure", default=os.path.join(ROOT, ".build", "release", "tenure"))
    ap.add_argument("--bench", default=os.path.join(ROOT, ".build", "release", "tenure-bench"))
    ap.add_argument("--log", action="append", default=[], help="an existing log to read as well")
    ap.add_argument("--json-out", help="append every run's JSON line here")
    a = ap.parse_args()

    os.makedirs(a.work, exist_ok=True)
    logs = []
    for users in [int(u) for u in a.users.split(",") if u]:
        path = os.path.join(a.work, f"readscale_u{users}_d{a.days}_s{a.seed}.csv")
        if not os.path.exists(path):
            print(f"generating {path}", file=sys.stderr)
            subprocess.run([a.tenure, "generate", "--users", str(users), "--days", str(a.days),
                            "--seed", str(a.seed), "--out", path], check=True)
        logs.append(path)
    logs += a.log

    header = ("log", "events", "users", "ev/user", "MB", "wall s", "CPU s", "MB/s", "Mev/s", "CPU s/Mev",
              "store B/ev", "RSS MB", "load")
    rows = []
    for path in logs:
        best = None
        for _ in range(a.runs):
            out = subprocess.run([a.bench, "read", "--events", path, "--threads", str(a.threads)],
                                 check=True, capture_output=True, text=True).stdout
            run = json.loads(out.strip().splitlines()[-1])
            if a.json_out:
                with open(a.json_out, "a") as f:
                    f.write(json.dumps(run, sort_keys=True) + "\n")
            if best is None or run["cpu_s"] < best["cpu_s"]:
                best = run
        r = best
        rows.append((os.path.basename(path), r["events"], r["users"], f"{r['events'] / max(1, r['users']):.1f}",
                     f"{r['bytes'] / 1e6:.0f}", f"{r['wall_s']:.1f}", f"{r['cpu_s']:.1f}", f"{r['mb_per_s']:.0f}",
                     f"{r['mevents_per_s']:.2f}", f"{r['cpu_s_per_mevent']:.3f}",
                     f"{r['store_bytes_per_event']:.1f}", f"{r['peak_rss_mb']:.0f}", f"{r['load1']:.1f}"))
        phases = ", ".join(f"{k} {v:.2f}" for k, v in sorted(r["phases"].items()))
        print(f"{os.path.basename(path)} phases (s): {phases}", file=sys.stderr)
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    for row in (header, *rows):
        print("  ".join(str(x).rjust(w) for x, w in zip(row, widths)))


if __name__ == "__main__":
    main()
