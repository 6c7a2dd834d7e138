#!/usr/bin/env python3
"""`tenure measure` against an independent computation on the same files.

Generates a log with `tenure generate`, writes a contacts file with two campaigns (a seeded 10% control, two
actions, a segment column), runs `tenure measure`, and recomputes every row with pandas (the arms' counts:
retained = any event in [contacted_at, contacted_at + 14 days)) and statsmodels (Newcombe's interval, method
'newcomb') and scipy (Pearson's chi-squared without continuity correction). Counts must agree exactly, the
interval and p-value to 1e-9. Usage: bench/measure/agreement.py [TENURE_BIN]  (python with pandas, statsmodels)
"""
import os, subprocess, sys, tempfile
import numpy as np, pandas as pd
from scipy.stats import chi2_contingency
from statsmodels.stats.proportion import confint_proportions_2indep

tenure = sys.argv[1] if len(sys.argv) > 1 else ".build/release/tenure"
work = tempfile.mkdtemp(prefix="tenure-measure-")
log = os.path.join(work, "log.csv")
subprocess.run([tenure, "generate", "--users", "4000", "--days", "120", "--seed", "11", "--out", log], check=True)
events = pd.read_csv(log, parse_dates=["timestamp"])
users = np.sort(events.user_id.unique())
rng = np.random.default_rng(5)
rows = []
for campaign, day in [("march", "2026-03-10"), ("april", "2026-04-05T18:00:00Z")]:
    chosen = rng.choice(users, size=1800, replace=False)
    for u in chosen:
        rows.append((u, day, campaign, "control" if rng.random() < 0.1 else "treatment",
                     rng.choice(["in_app_prompt_coupon", "personal_content_agent"]), rng.choice(["fading", "steady", "new"])))
contacts = pd.DataFrame(rows, columns=["user_id", "contacted_at", "campaign", "group", "action", "segment"])
contacts_path = os.path.join(work, "contacts.csv")
contacts.to_csv(contacts_path, index=False)
out = os.path.join(work, "out") + "/"
subprocess.run([tenure, "measure", "--events", log, "--contacts", contacts_path, "--horizon", "14d", "--out", out],
               check=True, stdout=subprocess.DEVNULL)
got = pd.read_csv(os.path.join(out, "measurement.csv"), keep_default_na=False)

contacts["start"] = pd.to_datetime(contacts.contacted_at, utc=True, format="ISO8601")
contacts["end"] = contacts.start + pd.Timedelta(days=14)
joined = contacts.merge(events[["user_id", "timestamp"]], on="user_id", how="left")
joined["hit"] = (joined.timestamp >= joined.start) & (joined.timestamp < joined.end)
retained = joined.groupby(["campaign", "user_id"]).hit.any().rename("retained").reset_index()
contacts = contacts.merge(retained, on=["campaign", "user_id"])

failures = 0
def check(campaign, breakdown, key, part):
    global failures
    t, c = part[part.group == "treatment"], part[part.group == "control"]
    a, n1, b, n2 = int(t.retained.sum()), len(t), int(c.retained.sum()), len(c)
    row = got[(got.campaign == campaign) & (got.breakdown == breakdown) & (got.key == key)]
    if len(row) != 1:
        print(f"MISSING {campaign} {breakdown}={key}"); failures += 1; return
    r = row.iloc[0]
    lo, hi = confint_proportions_2indep(a, n1, b, n2, method="newcomb", compare="diff")
    p = chi2_contingency([[a, n1 - a], [b, n2 - b]], correction=False)[1]
    counts = (int(r.treated), int(r.treated_retained), int(r.control), int(r.control_retained)) == (n1, a, n2, b)
    close = all(abs(float(x) - y) < 1e-9 for x, y in [(r.lift_lower, lo), (r.lift_upper, hi), (r.p_value, p)])
    ok = counts and close
    failures += not ok
    print(f"{'ok  ' if ok else 'FAIL'} {campaign:6} {breakdown + '=' + key:32} treated {a}/{n1} control {b}/{n2} "
          f"interval [{lo:.6f}, {hi:.6f}] tenure [{float(r.lift_lower):.6f}, {float(r.lift_upper):.6f}] p {p:.4g}")

for campaign, part in contacts.groupby("campaign"):
    check(campaign, "all", "all", part)
    for col in ["action", "segment"]:
        for key, sub in part.groupby(col):
            check(campaign, col, key, sub)
expected_rows = sum(1 + part.action.nunique() + part.segment.nunique() for _, part in contacts.groupby("campaign"))
if len(got) != expected_rows:
    print(f"FAIL: tenure wrote {len(got)} rows, expected {expected_rows}"); failures += 1
print("all rows agree" if failures == 0 else f"{failures} disagreements")
sys.exit(1 if failures else 0)
