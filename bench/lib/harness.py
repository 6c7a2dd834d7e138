"""Benchmark harness shared by the stages: timed subprocesses with peak RSS, medians, tables, JSON lines.

Standard library only, so the Tenure side is timed without the venv; stages may import numpy/pandas themselves.
Peak RSS comes from os.wait4's rusage (ru_maxrss, KiB on Linux): the same kernel figure /usr/bin/time -v
reports as "Maximum resident set size", for the child process alone.
"""
import datetime
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field


@dataclass
class Run:
    seconds: float
    peak_rss: int          # bytes
    stderr: str
    cpu_seconds: float = 0.0   # user + system CPU time of the child (ru_utime + ru_stime)


@dataclass
class Measurement:
    tool: str
    runs: list = field(default_factory=list)   # [Run]

    @property
    def median_seconds(self):
        return statistics.median(r.seconds for r in self.runs)

    @property
    def min_seconds(self):
        return min(r.seconds for r in self.runs)

    @property
    def median_cpu_seconds(self):
        return statistics.median(r.cpu_seconds for r in self.runs)

    @property
    def peak_rss(self):
        """Largest peak RSS over the runs, in bytes."""
        return max(r.peak_rss for r in self.runs)


class CommandFailed(RuntimeError):
    pass


def run_timed(argv, env=None, cwd=None):
    """Runs `argv` to completion; returns a Run (wall seconds, the child's peak RSS, its stderr).

    Wall time spans fork to reap, so it includes interpreter start-up and imports for Python tools.
    stdout is discarded (every tool under test writes its result to a file); stderr is kept for reports.
    """
    err_path = f"/tmp/bench_stderr_{os.getpid()}.txt"
    with open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    with open(err_path, "r", errors="replace") as f:
        stderr = f.read()
    os.unlink(err_path)
    if proc.returncode != 0:
        raise CommandFailed(f"{' '.join(argv)} exited with {proc.returncode}:\n{stderr[-2000:]}")
    return Run(seconds=seconds, peak_rss=usage.ru_maxrss * 1024, stderr=stderr,
               cpu_seconds=usage.ru_utime + usage.ru_stime)


def measure(commands, runs, log=print, before_each=None):
    """Times each (tool, argv) `runs` times, interleaving the tools run by run so load changes on a shared
    machine hit them alike. `before_each()`, if given, runs untimed before every timed run (e.g. to put the
    input back in the page cache). Returns {tool: Measurement} in the order given."""
    results = {tool: Measurement(tool) for tool, _ in commands}
    for i in range(runs):
        for tool, argv in commands:
            if before_each:
                before_each()
            r = run_timed(argv)
            results[tool].runs.append(r)
            log(f"  run {i + 1}/{runs} {tool}: {r.seconds:.2f} s (CPU {r.cpu_seconds:.2f} s), peak RSS {r.peak_rss / 2**20:.0f} MiB")
    return results


def format_table(headers, rows):
    """Plain-text table, numbers right-aligned."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(r):
        return "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths)))

    out = [line(cells[0]), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells[1:]]
    return "\n".join(out)


def comparison_table(measurements, baseline, events):
    """Rows: tool, median s, min s, median CPU s, peak RSS MiB, bytes/event, time ratio over `baseline`."""
    base = measurements[baseline].median_seconds
    rows = []
    for m in measurements.values():
        rows.append([m.tool, f"{m.median_seconds:.2f}", f"{m.min_seconds:.2f}", f"{m.median_cpu_seconds:.2f}",
                     f"{m.peak_rss / 2**20:.0f}",
                     f"{m.peak_rss / events:.1f}", f"{m.median_seconds / base:.2f}x"])
    return format_table(["tool", "median s", "min s", "CPU s", "peak RSS MiB", "RSS bytes/event", f"time / {baseline}"], rows)


def machine():
    return {"cores": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()}


def git_commit(root):
    try:
        return subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def append_results(results_dir, records):
    """Appends one JSON object per line to results/<UTC date>.jsonl; returns the path."""
    os.makedirs(results_dir, exist_ok=True)
    path = os.path.join(results_dir, datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d") + ".jsonl")
    with open(path, "a") as f:
        for r in records:
            f.write(json.dumps(r, sort_keys=True) + "\n")
    return path


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def note(*args):
    print(*args, file=sys.stderr, flush=True)


def stage_module(stem):
    """Another stage's module (bench/stages/STEM.py), for sharing its parameters and helpers."""
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "stages", stem + ".py")
    spec = importlib.util.spec_from_file_location(f"stage_{stem}_shared", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_through(path, block=1 << 24):
    """Reads a file once and discards it (untimed): afterwards it is in the page cache, as far as memory allows."""
    with open(path, "rb", buffering=0) as f:
        while f.read(block):
            pass
