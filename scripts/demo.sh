#!/usr/bin/env bash
# The main job on the bundled demo log: train a churn model, show its validation metrics, score every
# eligible user as of the end of the log, and print the top of the ranked list. Outputs go to .demo/.
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
echo "== score: every user active in the last 30 days, as of 2026-07-01 =="
"$TENURE" score --model .demo/churn-gbdt.tenure --events "$EVENTS" --as-of 2026-07-01 --out .demo/scores.csv
echo
echo "top 10 of .demo/scores.csv:"
head -11 .demo/scores.csv | cut -d, -f1-8 | column -s, -t
