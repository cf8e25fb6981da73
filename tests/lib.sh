# tests/lib.sh — helpers for shell tests; source it. Each check prints one
# "PASS: name", "FAIL: name: why" or "SKIP: name: why" line for tests/run.sh.
#   CB       the certboard binary under test
#   ROOT     the repository root
#   TMP      a fresh temp dir, removed at exit
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
CB=${CB:-$ROOT/build/certboard}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cbtest.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
t_name=$(basename "$0" .sh)
t_fails=0

pass() { echo "PASS: $t_name/$1"; }
fail() { echo "FAIL: $t_name/$1: $2"; t_fails=$((t_fails + 1)); }
skip() { echo "SKIP: $t_name/$1: $2"; }

# check NAME CMD...: passes when CMD exits 0.
check() { n=$1; shift; if "$@" >"$TMP/out" 2>&1; then pass "$n"; else fail "$n" "$(head -c 400 "$TMP/out")"; fi; }
# expect_status NAME STATUS CMD...: passes when CMD exits with STATUS.
expect_status() {
    n=$1 want=$2; shift 2
    "$@" >"$TMP/out" 2>&1; got=$?
    if [ "$got" = "$want" ]; then pass "$n"; else fail "$n" "exit $got, want $want: $(head -c 400 "$TMP/out")"; fi
}
# same NAME EXPECTED_FILE ACTUAL_FILE: passes when equal (diff shown otherwise).
same() {
    if diff -u "$2" "$3" >"$TMP/diff" 2>&1; then pass "$1"; else fail "$1" "differs from $2:
$(head -n 40 "$TMP/diff")"; fi
}
t_exit() { [ "$t_fails" = 0 ]; }
