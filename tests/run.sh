#!/usr/bin/env bash
# tests/run.sh BUILD — runs every test: unit binaries (BUILD/tests/test_*), then
# the shell tests under tests/{cli,store,tui}/test_*.sh. Each prints PASS/FAIL/
# SKIP lines; this script shows them, counts them and ends with the line
# "certboard: N passed, N failed, N skipped". Exit 1 when anything failed.
set -u
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
export ROOT BUILD CB="$BUILD/certboard"
export TEST_TIMEOUT=${TEST_TIMEOUT:-900}
# Tests never touch the user's own config or data.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/cbrun.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" HOME="$scratch/home"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$HOME"
unset CERTBOARD_PLAN CERTBOARD_STORE CERTBOARD_MEMBER CERTBOARD_TODAY NO_COLOR
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

pass=0 fail=0 skip=0 crashed=""
# count LABEL OUT RC START: shows a test's output and counts its lines.
count() {
    local label=$1 out=$2 rc=$3 start=$4
    cat "$out"
    local p f s
    p=$(grep -c '^PASS: ' "$out"); f=$(grep -c '^FAIL: ' "$out"); s=$(grep -c '^SKIP: ' "$out")
    pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
    # A program that failed without saying which test (crash, sanitizer, timeout)
    # counts as one failure of its own.
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
        echo "FAIL: $label: exited with status $rc"
        fail=$((fail + 1)); crashed="$crashed $label"
    fi
    echo "   ($label: $((SECONDS - start)) s)"
}
run_one() {
    local label=$1; shift
    local start=$SECONDS
    timeout -k 10 "$TEST_TIMEOUT" "$@" >"$scratch/out.txt" 2>&1 </dev/null
    count "$label" "$scratch/out.txt" $? "$start"
}
# Tests that mostly wait (on a network mount's caches, minutes of sleep) run
# beside the others; their output is shown, and counted, at the end.
BACKGROUND=${BACKGROUND-test_visibility}
bg_start=$SECONDS
for b in $BACKGROUND; do
    t=$ROOT/tests/store/$b.sh
    [ -f "$t" ] || continue
    if [ -n "${TESTS:-}" ] && [[ "$t" != *"$TESTS"* ]]; then continue; fi
    (timeout -k 10 "$TEST_TIMEOUT" bash "$t" >"$scratch/bg-$b.txt" 2>&1 </dev/null
     echo $? >"$scratch/bg-$b.rc") &
done

for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    case "$t" in *.d) continue ;; esac
    run_one "$(basename "$t")" "$t"
done
only=${TESTS:-}
for t in "$ROOT"/tests/cli/test_*.sh "$ROOT"/tests/store/test_*.sh "$ROOT"/tests/tui/test_*.sh; do
    [ -f "$t" ] || continue
    if [ -n "$only" ] && [[ "$t" != *"$only"* ]]; then continue; fi
    case " $BACKGROUND " in *" $(basename "$t" .sh) "*) continue ;; esac
    run_one "$(basename "$t" .sh)" bash "$t"
done
wait
for b in $BACKGROUND; do
    [ -f "$scratch/bg-$b.rc" ] && count "$b" "$scratch/bg-$b.txt" "$(cat "$scratch/bg-$b.rc")" "$bg_start"
done

echo
[ -n "$crashed" ] && echo "crashed or timed out:$crashed"
echo "certboard: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
