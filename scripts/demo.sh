#!/usr/bin/env bash
# The main job on the bundled demo log: train a churn model, show its validation metrics, run the nightly
# scoring job as of the end of the log, and print the top of tonight's recall list; then close the loop on a
# generated log with three randomized campaigns (measure them, train an uplift model, score by incremental value
# with a control group). Outputs go to .demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
TENURE=${1:-.build/release/tenure}
EVENTS=datasets/demo/events.csv.gz
mkdir -p .demo

echo "== train: churn (no event in the 14 days after each weekly cutoff), logistic regression =="
"$TENURE" train --events "$EVENTS" --task churn --cutoff 2026-02-01..2026-06-14/7d \
  --model logistic --out .demo/churn-logistic.tenure

echo
echo "== train: the same with gradient-boosted trees =="
"$TENURE" train --events "$EVENTS" --task churn --cutoff 2026-02-01..2026-06-14/7d \
  --model gbdt --trees 200 --early-stopping-rounds 20 --out .demo/churn-gbdt.tenure | grep -E "AUC|trees|validation"

echo
echo "== tonight's list: every user active in the last 30 days, as of 2026-06-28, budget 60 =="
"$TENURE" score --model .demo/churn-gbdt.tenure --events "$EVENTS" --as-of 2026-06-28 \
  --exclude-fake --budget 60 --out .demo/tonight/
echo
echo "top 10 of .demo/tonight/scores.csv (manifest: .demo/tonight/manifest.json):"
head -11 .demo/tonight/scores.csv | cut -d, -f1,3,5,6,7,8,9,10 | column -s, -t
echo
echo "why the first one:"
sed -n 2p .demo/tonight/scores.csv | awk -F'"' '{print "  " $2}'

echo
echo "== retention watch: weekly signup cohorts =="
"$TENURE" retention --events "$EVENTS" --cohort week --signup-event signup | tail -8

echo
echo "== the model report, with tonight's run =="
"$TENURE" report --model .demo/churn-gbdt.tenure --events "$EVENTS" --cutoff 2026-05-31,2026-06-14 \
  --signup-event signup --manifest .demo/tonight/manifest.json --out .demo/report.html
echo "open .demo/report.html in a browser"

echo
echo "== close the loop: a log with three randomized recall campaigns (half held out at random) =="
LOOP=.demo/loop
mkdir -p "$LOOP"
"$TENURE" generate --users 12000 --days 120 --seed 42 --campaigns 3 \
  --out "$LOOP/events.csv" --contacts-out "$LOOP/contacts.csv"

echo
echo "== did they work? tenure measure, treated against control, 14 days after each contact =="
"$TENURE" measure --events "$LOOP/events.csv" --contacts "$LOOP/contacts.csv" --horizon 14d \
  --control-share 0.5 --out "$LOOP/measured/"

echo
echo "== whom does a contact keep? an uplift model (T-learner) on recall-1 and recall-2, judged on recall-3 =="
"$TENURE" train --task uplift --events "$LOOP/events.csv" --contacts "$LOOP/contacts.csv" --horizon 14d \
  --model gbdt --out "$LOOP/uplift.tenure" | grep -E "^(model|trained on|validation|Qini|uplift at)"

echo
echo "== tonight's list by incremental value (uplift × value − step cost), budget 60, 10% held out for recall-4 =="
"$TENURE" score --model "$LOOP/uplift.tenure" --events "$LOOP/events.csv" --as-of 2026-05-01 \
  --exclude-fake --campaign recall-4 --control-share 0.1 --budget 60 --out "$LOOP/tonight/"
echo "groups in $LOOP/tonight/scores.csv (hand both to the CRM; control users get action none):"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "group") g = i; next } { n[$g]++ }
  END { for (k in n) printf "  %-9s %d\n", k, n[k] }' "$LOOP/tonight/scores.csv" | sort
echo "top 5 by incremental value:"
head -6 "$LOOP/tonight/scores.csv" | cut -d, -f1-5 | column -s, -t
