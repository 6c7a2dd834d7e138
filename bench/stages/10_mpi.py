"""Stage 10: `train --distributed` over Open MPI on one machine: 1, 2 and 4 ranks against a single process.

Data: `tenure generate --users 10000 --days 120 --seed 17` (about 1.9M events). Models: the default GBDT with
50 trees, and logistic regression (Newton, exact allreduced losses, gradients and Hessians). Each rank reads
`--partition r/N` of the one log. Every rank gets max(1, 2 // N) threads, so the 2 cores are shared alike.
The mpirun runs use `--oversubscribe --bind-to none` (and `--allow-run-as-root`, as CI runs as root).

Reported per model: wall time of each run (the mpirun rows include mpirun's start-up; peak RSS is the largest
process of the job as wait4 reports it), the traffic rank 0 reports (`ranks sent N bytes in all (M per kept
tree)`: every rank's payload, one-time gathers included), and whether every model file is byte-identical to the
single-process one trained with the same `--threads` (a model records its settings; the stage fails if not).

This says nothing about speed across machines: on one 2-core machine more ranks only add Open MPI's
busy-waiting and the exchange. Scaling across machines follows from the traffic: a tree's exchange is one
histogram for the root and one for the smaller child of each split (16 bytes per bin per feature; the sibling
is the parent minus it), whatever the rows per rank, while each rank's histogram building shrinks as 1/N of the
rows. LightGBM's data-parallel learner (docs/Features.rst, "Optimization in Parallel Learning", Data Parallel)
uses the same subtraction and a Reduce-Scatter instead of the whole-histogram allreduce, so each worker merges
only its features' histograms and the ranks then agree on the best split: O(0.5 · #feature · #bin) per leaf.
"""
import filecmp
import os
import re
import shutil
import subprocess

import harness

USERS, DAYS, SEED = 10_000, 120, 17
CUTOFF = "2026-02-15..2026-04-01/7d"
CORES = 2
RANKS = (1, 2, 4)
MODELS = {"gbdt": ["--model", "gbdt", "--trees", "50"], "logistic": ["--model", "logistic"]}


def mpirun():
    path = shutil.which("mpirun")
    if path is None:
        raise harness.CommandFailed("mpirun is not installed (make deps installs openmpi-bin)")
    return path


def run(ctx):
    log, events = ctx.generate(USERS, DAYS, SEED)
    launcher = mpirun()
    print(f"log: {os.path.relpath(log, ctx.root)}: {events:,} events; load average {os.getloadavg()[0]:.1f}")
    for model, flags in MODELS.items():
        base = ["train", "--events", log, "--cutoff", CUTOFF] + flags
        outs = {"single process": os.path.join(ctx.work, f"mpi_{model}_single.tenure")}
        commands = [("single process", [ctx.tenure] + base + ["--threads", str(CORES), "--out", outs["single process"]])]
        for n in RANKS:
            tool = f"{n} rank" + ("s" if n > 1 else "")
            outs[tool] = os.path.join(ctx.work, f"mpi_{model}_{n}.tenure")
            commands.append((tool, [launcher, "-np", str(n), "--oversubscribe", "--allow-run-as-root", "--bind-to", "none",
                                    ctx.tenure] + base + ["--distributed", "--threads", str(max(1, CORES // n)),
                                                          "--out", outs[tool]]))
        print(f"\n{model}:")
        results = harness.measure(commands, ctx.runs)
        print(harness.comparison_table(results, "single process", events))
        traffic = {}
        for tool, m in results.items():
            found = re.search(r"ranks sent (\d+) bytes in all(?: \((\d+) per kept tree\))?", m.runs[-1].stderr)
            if found:
                traffic[tool] = {"bytes": int(found.group(1)), "per_tree": int(found.group(2)) if found.group(2) else None}
        # A model file records its settings, --threads among them, so each run is compared with a single process
        # given the same --threads (trained untimed when that is not the timed single process's count).
        threads = {"single process": CORES} | {f"{n} rank" + ("s" if n > 1 else ""): max(1, CORES // n) for n in RANKS}
        references = {CORES: outs["single process"]}
        for t in sorted(set(threads.values()) - {CORES}):
            references[t] = os.path.join(ctx.work, f"mpi_{model}_single_threads{t}.tenure")
            subprocess.run([ctx.tenure] + base + ["--threads", str(t), "--out", references[t]], check=True,
                           capture_output=True)
        identical = {tool: filecmp.cmp(references[threads[tool]], path, shallow=False) for tool, path in outs.items()}
        load = os.getloadavg()[0]
        for tool, t in traffic.items():
            print(f"  {tool}: sent {t['bytes']:,} bytes" + (f", {t['per_tree']:,} per kept tree" if t["per_tree"] else ""))
        print(f"  model files byte-identical to a single process's with the same --threads: "
              + ", ".join(f"{tool} {'yes' if same else 'NO'}" for tool, same in identical.items() if tool != "single process")
              + f"; load average {load:.1f}")
        path = ctx.record("10_mpi", results, "single process", events,
                          {"users": USERS, "days": DAYS, "seed": SEED, "cutoff": CUTOFF, "model": model, "flags": flags,
                           "cores": CORES, "traffic": traffic, "identical": identical, "load_average_1m": load})
        print(f"results appended to {os.path.relpath(path, ctx.root)}")
        if not all(identical.values()):
            raise harness.CommandFailed(f"{model}: a distributed model file differs from the single-process one")


if __name__ == "__main__":
    import sys
    sys.exit("run through bench/run 10")
