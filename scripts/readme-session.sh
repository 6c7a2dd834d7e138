#!/usr/bin/env bash
# The README's "A session" block, produced by running it: each command below runs with the built binary as
# `tenure`, in a fresh directory, and its output (stdout and stderr, as a terminal shows them) is shown after it.
#   scripts/readme-session.sh [TENURE]           rewrites the block in README.md (`make readme-session`)
#   scripts/readme-session.sh --check [TENURE]   exit 1 and a diff when README.md's block differs (CI)
# TENURE defaults to .build/release/tenure. Timings vary run to run: they are shown masked ("… s").
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
README=$REPO/README.md
OPEN='<!-- session: written by scripts/readme-session.sh (make readme-session); CI checks it is current -->'
CLOSE='<!-- end session -->'

check=false
if [ "${1:-}" = --check ]; then check=true; shift; fi
TENURE=$(readlink -f "${1:-.build/release/tenure}")
[ -x "$TENURE" ] || { echo "readme-session: no binary at ${1:-.build/release/tenure} (make build)" >&2; exit 1; }

# Lines of `tenure train` worth reading in a README: the per-cutoff counts, progress and calibration become "...".
train_lines() { elide_except '^(training |trained in |trees:|validation|rows |ROC AUC|top k%| +[0-9]+% )'; }

# Prints the lines matching the regex $1, and "..." in place of each run of other lines.
elide_except() {
  awk -v keep="$1" '$0 ~ keep { if (skipped) print "..."; skipped = 0; print; next } { skipped = 1 }
    END { if (skipped) print "..." }'
}

# The session: one command per entry, run by bash; the entry is shown verbatim after "$ ".
# An entry may name a filter for its output after a tab.
COMMANDS=(
  'tenure generate --users 2000 --days 180 --seed 42 --out events.csv'
  'tenure features --events events.csv --cutoff 2026-04-01..2026-05-31/14d --out features.csv'
  $'tenure train --events events.csv --cutoff 2026-02-01..2026-06-14/7d --model gbdt --trees 200 \\\n    --early-stopping-rounds 20 --out churn.tenure\ttrain_lines'
  'tenure score --model churn.tenure --events events.csv --as-of 2026-06-28 --exclude-fake --budget 60 --out tonight/'
  'head -4 tonight/scores.csv | cut -d, -f1-10 | column -s, -t'
  "sed -n 2p tonight/scores.csv | cut -d'\"' -f2      # the first user's first reason"
  'tenure report --model churn.tenure --manifest tonight/manifest.json --out report.html'
)

render() {
  local dir
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' RETURN
  (
    cd "$dir"
    tenure() { "$TENURE" "$@"; }
    first=true
    for entry in "${COMMANDS[@]}"; do
      command=${entry%%$'\t'*}
      filter=cat
      [ "$command" = "$entry" ] || filter=${entry#*$'\t'}
      $first || echo
      first=false
      echo "\$ $command"
      eval "$command" 2>&1 | "$filter"
    done
  ) | sed -E 's/[0-9]+(\.[0-9]+)? (ms|s)\b/… \2/g'
}

block() { printf '%s\n```\n%s\n```\n%s\n' "$OPEN" "$(render)" "$CLOSE"; }

grep -qxF "$OPEN" "$README" && grep -qxF "$CLOSE" "$README" ||
  { echo "readme-session: README.md has no session markers ($OPEN … $CLOSE)" >&2; exit 1; }
new=$(mktemp)
trap 'rm -f "$new"' EXIT
block >"$new.block"
awk -v open="$OPEN" -v closing="$CLOSE" -v blockfile="$new.block" '
  $0 == open { while ((getline line < blockfile) > 0) print line; skipping = 1; next }
  $0 == closing { skipping = 0; next }
  !skipping { print }' "$README" >"$new"
rm -f "$new.block"

if $check; then
  if ! diff -u --label "README.md" --label "scripts/readme-session.sh" "$README" "$new"; then
    echo "readme-session: README.md's session block is stale; run make readme-session" >&2
    exit 1
  fi
  echo "readme-session: README.md's session block is current"
else
  cat "$new" >"$README"
  echo "readme-session: wrote the session block of README.md"
fi
