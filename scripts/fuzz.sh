#!/usr/bin/env bash
# `make fuzz`: builds the libFuzzer binary (every module FuzzTargets needs, with -sanitize=fuzzer,address, in its
# own scratch path) and runs each target for FUZZ_SECONDS with its seed corpus, regressions and dictionary.
# Prints one line per target (name, executions, result); exits 1 on any crash, leak, timeout or OOM.
# The targets and their -max_len come from the binary (FuzzTarget in Sources/FuzzTargets), not from this file.
# Usage: scripts/fuzz.sh [TARGET...]   (env: FUZZ_SECONDS=60, SWIFT=swift, FUZZ_WORK=.build/fuzz/work)
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
SECONDS_PER_TARGET=${FUZZ_SECONDS:-60}
SCRATCH=.build/fuzz
BIN=$SCRATCH/tenure-fuzz
WORK=${FUZZ_WORK:-$SCRATCH/work}

# 1. The product modules with coverage and ASan (a library target: nothing is linked yet).
$SWIFT build -c release --target FuzzTargets --scratch-path "$SCRATCH" \
    -Xswiftc -sanitize=fuzzer,address 2>&1 | grep -E "error|warning: unre" || true
OBJ=$($SWIFT build -c release --scratch-path "$SCRATCH" --show-bin-path)
[ -f "$OBJ/Modules/FuzzTargets.swiftmodule" ] || { echo "fuzz: building FuzzTargets failed" >&2; exit 1; }
# 2. The entry point linked against those objects and libFuzzer's main (relinked only when something changed).
objects=$(find "$OBJ"/ -path '*.build/*.o' -newer "$BIN" 2>/dev/null | head -1 || true)
if [ ! -x "$BIN" ] || [ -n "$objects" ] || [ fuzz/FuzzMain.swift -nt "$BIN" ]; then
    includes=()
    for shim in Sources/C*/include; do includes+=(-Xcc "-I$shim"); done
    for map in "$OBJ"/C*.build/module.modulemap; do includes+=(-Xcc "-fmodule-map-file=$map"); done
    # The C libraries the shims link, as Package.swift declares them (one list, not a copy here).
    libraries=$(grep -o 'linkedLibrary("[A-Za-z0-9_+-]*")' Package.swift | sed 's/linkedLibrary("\(.*\)")/-l\1/' | sort -u)
    swiftc -O -sanitize=fuzzer,address -parse-as-library fuzz/FuzzMain.swift -I "$OBJ/Modules" "${includes[@]}" \
        $(find "$OBJ"/ -path '*.build/*.o') $libraries -o "$BIN" 2>&1 \
        | { grep -v "Cannot export local symbol" || true; }
fi

# 3. Each target: working corpus in $WORK (never the repository), committed seeds and regressions read-only.
mkdir -p "$WORK"
# The readers take paths: each input is written to a scratch file, in memory when /dev/shm is there.
scratch=$WORK; [ -d /dev/shm ] && [ -w /dev/shm ] && scratch=/dev/shm
export TMPDIR="$scratch" ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/fuzz/lsan.supp}
# Swift's own crash backtracer reads the stack in a way ASan reports as an underflow, hiding the real trap.
export SWIFT_BACKTRACE=enable=no
failed=0
while read -r target maxlen; do
    if [ $# -gt 0 ] && [[ " $* " != *" $target "* ]]; then continue; fi
    mkdir -p "$WORK/corpus/$target" "$WORK/artifacts"
    dirs=("$WORK/corpus/$target" "fuzz/corpus/$target")
    [ -d "fuzz/regressions/$target" ] && dirs+=("fuzz/regressions/$target")
    log="$WORK/$target.log"
    status=0
    TENURE_FUZZ_TARGET=$target "$BIN" -max_total_time="$SECONDS_PER_TARGET" -timeout=5 -rss_limit_mb=2048 \
        -max_len="$maxlen" -dict="fuzz/dict/$target.dict" -artifact_prefix="$WORK/artifacts/$target-" \
        -print_final_stats=1 "${dirs[@]}" >"$log" 2>&1 || status=$?
    execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
    rate=$(grep -o 'exec/s: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
    if [ "$status" = 0 ]; then
        result=ok
    else
        failed=1
        kind=$(grep -oE 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer): [a-z-]+' "$log" | head -1 | sed 's/ERROR: //' || true)
        artifact=$(grep -o "Test unit written to [^ ]*" "$log" | tail -1 | sed 's/Test unit written to //' || true)
        result="FAILED (${kind:-exit $status}) input: ${artifact:-none}, log: $log"
    fi
    printf 'fuzz %-13s %10s execs %7s exec/s  %s\n' "$target" "${execs:-?}" "${rate:-?}" "$result"
done < <(TENURE_FUZZ_LIST=1 "$BIN" 2>/dev/null)
exit $failed
