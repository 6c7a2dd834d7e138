#!/usr/bin/env bash
# `make install` end to end, as a packager and a newcomer would use it: installs into a temporary DESTDIR with
# PREFIX=/opt/tenure (so the files do not sit where PREFIX says: only $ORIGIN-relative paths can work), then,
# with a clean environment (no LD_LIBRARY_PATH, no toolchain on PATH):
#   - nothing the installed binary or library loads comes from the toolchain, and nothing is missing;
#   - $PREFIX/bin/tenure --version runs;
#   - examples/c/score_csv.c compiled against the installed header and library scores a shipped model
#     (it checks itself that single-row, batch and threaded scoring agree bit for bit);
# and `make uninstall` leaves no file behind. Run by `make install-check` and .ci/run; a few seconds after a build.
set -euo pipefail
cd "$(dirname "$0")/.."
MAKE=${MAKE:-make}
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
PREFIX=/opt/tenure
ROOT=$STAGE$PREFIX
MODEL=models/demo-churn-gbdt.tenure
fail() { echo "install-check: FAIL: $*" >&2; exit 1; }
clean_env() { env -i PATH=/usr/bin:/bin HOME="$STAGE" "$@"; }

"$MAKE" --no-print-directory install DESTDIR="$STAGE" PREFIX="$PREFIX"
for f in bin/tenure lib/libtenurec.so include/tenure.h; do [ -f "$ROOT/$f" ] || fail "$ROOT/$f was not installed"; done

runtime=$(readlink -m "$(dirname "$(readlink -f "$(command -v swift)")")/../lib/swift/linux")
for object in "$ROOT/bin/tenure" "$ROOT/lib/libtenurec.so"; do
  loads=$(clean_env ldd "$object")
  if grep -q "not found" <<<"$loads"; then fail "$object: $(grep "not found" <<<"$loads" | tr -s ' \t' ' ')"; fi
  if grep -qF "$runtime/" <<<"$loads"; then fail "$object loads from the toolchain: $(grep -F "$runtime/" <<<"$loads" | tr -s ' \t' ' ')"; fi
done

version=$(clean_env "$ROOT/bin/tenure" --version) || fail "$ROOT/bin/tenure --version exited $?"
[[ $version == tenure\ * ]] || fail "tenure --version printed '$version'"

gcc -std=c11 -O2 -I "$ROOT/include" examples/c/score_csv.c -L "$ROOT/lib" -ltenurec \
  -Wl,-rpath,"$ROOT/lib" -lpthread -o "$STAGE/score_csv"
clean_env "$ROOT/bin/tenure" features --events datasets/demo/events.csv.gz --cutoff 2026-06-14 \
  --out "$STAGE/features.csv" 2>"$STAGE/features.log" || { cat "$STAGE/features.log" >&2; fail "tenure features"; }
clean_env "$STAGE/score_csv" "$MODEL" "$STAGE/features.csv" >"$STAGE/scores.csv" || fail "score_csv exited $?"
rows=$(($(wc -l <"$STAGE/features.csv") - 1))
scored=$(($(wc -l <"$STAGE/scores.csv") - 1))
[ "$rows" -gt 0 ] && [ "$scored" = "$rows" ] || fail "score_csv scored $scored of $rows feature rows"

"$MAKE" --no-print-directory uninstall DESTDIR="$STAGE" PREFIX="$PREFIX"
left=$(find "$ROOT" -type f)
[ -z "$left" ] || fail "make uninstall left: $left"
echo "install-check: ok ($version; score_csv scored $scored rows of $MODEL through the installed libtenurec.so)"
