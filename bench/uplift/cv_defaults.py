"""How the uplift models' GBDT defaults (UpliftSettings.gbdtDefaults) were chosen: 2-fold cross-validation inside
the TRAINING campaign (recall-1) of stage 07's logs only, never on recall-2, the campaign the stage judges. The
campaign's users are split by a CRC-32 of the id into two pseudo-campaigns with the same contact time; the
trainer holds out the later by name (fold-b), and each fold swaps the halves. Prints each run's held-out Qini
coefficient and the mean per configuration.
Usage, in a directory holding s<SEED>.csv and s<SEED>_contacts.csv (tenure generate --users 40000 --days 120
--seed SEED --campaigns 2): TENURE=<binary> python3 cv_defaults.py 23,31,47 [config,config…]"""
import json, subprocess, sys, zlib, csv, os, itertools
T = os.environ.get("TENURE", "/tmp/uplift2_tenure_main")
seeds = sys.argv[1].split(",")
configs = {
  "default": ["--trees", "100", "--learning-rate", "0.1", "--num-leaves", "31", "--min-data-in-leaf", "20"],  # GBDTConfig's
  "sklift": ["--trees", "200", "--learning-rate", "0.05", "--num-leaves", "15"],
  "small7": ["--trees", "200", "--learning-rate", "0.05", "--num-leaves", "7", "--min-data-in-leaf", "50"],
  "small15m50": ["--trees", "200", "--learning-rate", "0.05", "--num-leaves", "15", "--min-data-in-leaf", "50"],
  "slow7": ["--trees", "400", "--learning-rate", "0.02", "--num-leaves", "7", "--min-data-in-leaf", "50", "--lambda-l2", "1"],
  "x_small7": ["--learner", "x", "--trees", "200", "--learning-rate", "0.05", "--num-leaves", "7", "--min-data-in-leaf", "50"],
}
if len(sys.argv) > 2: configs = {k: v for k, v in configs.items() if k in sys.argv[2].split(",")}
res = {}
for s in seeds:
    rows = list(csv.reader(open(f"s{s}_contacts.csv")))
    head, body = rows[0], [r for r in rows[1:] if r[2] == "recall-1"]
    for fold in (0, 1):
        path = f"cv_s{s}_f{fold}.csv"
        with open(path, "w", newline="") as f:
            w = csv.writer(f); w.writerow(head)
            for r in body:
                k = zlib.crc32(r[0].encode()) % 2
                w.writerow([r[0], r[1], "fold-b" if k == fold else "fold-a", *r[3:]])
        for name, args in configs.items():
            m = f"cv_{name}_{s}_{fold}.tenure"
            r = subprocess.CompletedProcess([], 0) if os.path.exists(m) else subprocess.run(["nice", "-n", "10", T, "train", "--task", "uplift", "--events", f"s{s}.csv", "--contacts", path,
                                "--horizon", "14d", "--model", "gbdt", "--threads", "2", "--min-arm-rows", "50", *args, "--out", m],
                               capture_output=True, text=True)
            if r.returncode: print(r.stderr); continue
            j = json.loads(subprocess.run([T, "inspect", m, "--json"], capture_output=True, text=True).stdout)
            q = j["uplift"]["validation"]["metrics"]["qiniCoefficient"]
            res.setdefault(name, []).append(q)
            print(s, fold, name, round(q, 4), flush=True)
for name, qs in res.items():
    print(f"{name:12s} mean {sum(qs)/len(qs):.4f}  " + " ".join(f"{q:.4f}" for q in qs))
