"""Runs benchmark stages: `python bench/lib/main.py [STAGE...]` (called by bench/run with the bench venv).

A stage is bench/stages/NN_name.py with `run(ctx)`; STAGE selects by number ("01"), name ("features") or file
stem ("01_features"); none = all, in file order. Environment: BENCH_RUNS (timed runs per tool, default 3),
TENURE_BIN (default .build/release/tenure).
"""
import glob
import hashlib
import importlib.util
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(BENCH)


class Context:
    """What a stage gets: paths, the Tenure binary, the venv Python, run count, data cache and result log."""

    def __init__(self):
        self.root = ROOT
        self.bench = BENCH
        self.work = os.path.join(BENCH, "work")
        self.results_dir = os.path.join(BENCH, "results")
        self.tenure = os.environ.get("TENURE_BIN", os.path.join(ROOT, ".build", "release", "tenure"))
        self.python = sys.executable
        self.runs = max(1, int(os.environ.get("BENCH_RUNS", "3")))
        self.commit = harness.git_commit(ROOT)
        self.machine = harness.machine()
        self.load_before = os.getloadavg()[0]
        os.makedirs(self.work, exist_ok=True)

    def tool(self, name):
        """Path of a helper script in bench/tools."""
        return os.path.join(self.bench, "tools", name)

    def generator_fingerprint(self):
        """Hash of the generator's sources, so a changed generator never reuses a stale cached log."""
        h = hashlib.sha1()
        files = sorted(glob.glob(os.path.join(ROOT, "Sources", "Synthetic", "*.swift")))
        files.append(os.path.join(ROOT, "Sources", "TenureCLI", "GenerateCommand.swift"))
        for path in files:
            if os.path.exists(path):
                with open(path, "rb") as f:
                    h.update(f.read())
        return h.hexdigest()[:10]

    def generate(self, users, days, seed):
        """A synthetic log from `tenure generate`, cached in work/ by parameters; returns (path, event count)."""
        stem = f"log_u{users}_d{days}_s{seed}_{self.generator_fingerprint()}"
        path = os.path.join(self.work, stem + ".csv")
        meta_path = os.path.join(self.work, stem + ".json")
        if os.path.exists(path) and os.path.exists(meta_path):
            with open(meta_path) as f:
                meta = json.load(f)
            harness.note(f"reusing {os.path.relpath(path, ROOT)} ({meta['events']:,} events)")
            return path, meta["events"]
        tmp = path + ".tmp"
        harness.note(f"generating {os.path.relpath(path, ROOT)} (--users {users} --days {days} --seed {seed})")
        r = subprocess.run([self.tenure, "generate", "--users", str(users), "--days", str(days), "--seed", str(seed),
                            "--out", tmp], capture_output=True, text=True)
        if r.returncode != 0:
            raise harness.CommandFailed(f"tenure generate failed:\n{r.stderr}")
        m = re.search(r"(\d+) events", r.stderr)
        events = int(m.group(1)) if m else count_rows(tmp)
        os.replace(tmp, path)
        with open(meta_path, "w") as f:
            json.dump({"users": users, "days": days, "seed": seed, "events": events, "bytes": os.path.getsize(path)}, f)
        return path, events

    def record(self, stage, measurements, baseline, events, params):
        """One JSON line per tool: timings, peak RSS, bytes/event, ratio to the baseline tool, parameters."""
        base = measurements[baseline].median_seconds
        records = []
        for m in measurements.values():
            records.append({
                "time": harness.now_iso(), "stage": stage, "tool": m.tool, "commit": self.commit,
                "machine": self.machine, "runs": len(m.runs), "seconds": [round(r.seconds, 4) for r in m.runs],
                "median_seconds": round(m.median_seconds, 4),
                "cpu_seconds": [round(r.cpu_seconds, 3) for r in m.runs], "peak_rss_bytes": m.peak_rss, "events": events,
                "rss_bytes_per_event": round(m.peak_rss / events, 2),
                "ratio_to_" + baseline: round(m.median_seconds / base, 3), "params": params,
                "load_avg_1m_before": round(self.load_before, 2), "load_avg_1m_after": round(os.getloadavg()[0], 2),
            })
        return harness.append_results(self.results_dir, records)


def count_rows(path):
    n = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 24):
            n += chunk.count(b"\n")
    return n - 1  # header


def discover():
    stages = []
    for path in sorted(glob.glob(os.path.join(BENCH, "stages", "[0-9][0-9]_*.py"))):
        stem = os.path.splitext(os.path.basename(path))[0]
        stages.append((stem, path))
    return stages


def select(stages, wanted):
    if not wanted:
        return stages
    chosen = []
    for w in wanted:
        hits = [(s, p) for s, p in stages if w in (s, s[:2], s[3:])]
        if not hits:
            sys.exit(f"bench: no stage '{w}'; stages: {', '.join(s for s, _ in stages)}")
        chosen += [h for h in hits if h not in chosen]
    return chosen


def main(argv):
    ctx = Context()
    failed = []
    for stem, path in select(discover(), argv):
        spec = importlib.util.spec_from_file_location(f"stage_{stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        ctx.load_before = os.getloadavg()[0]
        print(f"\n=== stage {stem} ({ctx.runs} runs per tool, {ctx.machine['cores']} cores, "
              f"load average {ctx.load_before:.1f}) ===", flush=True)
        try:
            module.run(ctx)
        except harness.CommandFailed as e:
            print(f"stage {stem} FAILED: {e}", flush=True)
            failed.append(stem)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
