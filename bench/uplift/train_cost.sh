#!/usr/bin/env bash
# Cost of an uplift model against one churn model on the same rows (issue 15: at most 2.5×).
#
# A generated log, two monthly campaigns derived from it (every user the churn population holds at each
# campaign night, arms by a hash of the id, the planted effect of Tests/CLITests/UpliftCLITests.swift), then:
#   churn:  tenure train --cutoff <night 1>,<night 2>  (the later night held out, as the uplift model's campaign)
#   uplift: tenure train --task uplift --learner t|x    (the later campaign held out)
# Both fit on the first night's users with the same GBDT settings. Prints each command's wall time and the
# fit time it reports ("trained in"), and the ratios. Usage: bench/uplift/train_cost.sh [TENURE_BIN] [USERS]
set -euo pipefail
tenure=${1:-.build/release/tenure}
users=${2:-20000}
work=$(mktemp -d /tmp/tenure-uplift-cost.XXXXXX)
trap 'rm -rf "$work"' EXIT
first=2026-04-01; second=2026-05-01

"$tenure" generate --users "$users" --days 150 --seed 11 --out "$work/log.csv" 2>/dev/null
"$tenure" features --events "$work/log.csv" --cutoff "$first,$second" --horizon 14d --out "$work/features.csv" 2>/dev/null
python3 - "$work" "$first" <<'PY'
import csv, sys
work, first = sys.argv[1], sys.argv[2]
def treated(u):  # FNV-1a, as the CLI test assigns arms
    h = 0xcbf29ce484222325
    for b in u.encode(): h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h % 2 == 0
with open(f"{work}/contacts.csv", "w") as out:
    out.write("user_id,contacted_at,campaign,group\n")
    for r in csv.DictReader(open(f"{work}/features.csv")):
        t, day = treated(r["user_id"]), r["cutoff"][:10]
        buyer = float(r["count_purchase_30d"]) > 0
        idle = not buyer and float(r["active_days_7d"]) == 0
        if (buyer and t and r["label"] == "1") or (idle and t and r["label"] == "0"): continue
        out.write(f"{r['user_id']},{day}T09:30:00Z,{'april' if day == first else 'may'},{'treatment' if t else 'control'}\n")
PY

run() {  # name, args…: wall seconds and the reported fit seconds
    local name=$1; shift
    local start end
    start=$(date +%s.%N)
    "$tenure" "$@" 2>"$work/$name.err" >"$work/$name.out"
    end=$(date +%s.%N)
    local fit
    fit=$(grep -o 'trained in [0-9.]* s' "$work/$name.err" | grep -o '[0-9.]*' | head -1)
    local rows
    rows=$(grep -o 'on [0-9]* \(rows\|contacted users\)' "$work/$name.err" | head -1 | grep -o '[0-9]*')
    echo "$name $(echo "$end - $start" | bc) $fit $rows"
}
# The uplift models' GBDT defaults (UpliftSettings.gbdtDefaults), given to both so each fits the same settings.
common=(--events "$work/log.csv" --horizon 14d --model gbdt --trees 200 --learning-rate 0.05 --num-leaves 15 --min-data-in-leaf 50)
{
  run churn train "${common[@]}" --cutoff "$first,$second" --out "$work/churn.tenure"
  run uplift-t train --task uplift --learner t --contacts "$work/contacts.csv" "${common[@]}" --out "$work/t.tenure"
  run uplift-x train --task uplift --learner x --contacts "$work/contacts.csv" "${common[@]}" --out "$work/x.tenure"
} > "$work/times"
awk 'NR == 1 { cw = $2; cf = $3 }
     { printf "%-9s %6d training rows  wall %7.2f s (%.2f× churn)  fit %7.2f s (%.2f× churn)\n", $1, $4, $2, $2 / cw, $3, $3 / cf }' "$work/times"
for l in t x; do echo "uplift-$l held out: $(grep -h "Qini coefficient" "$work/uplift-$l.out")"; done
