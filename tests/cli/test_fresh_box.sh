#!/usr/bin/env bash
# test_fresh_box.sh — the README's first two commands on a machine without
# make: scripts/deps.sh (which they run first) notices a missing make and
# compiler and installs them as root with apt-get, or, as another user, prints
# the one line to run and fails so `&& make` never runs. apt-get, id and the
# missing tools are simulated with a PATH of stubs; nothing is installed.
# The real run on a debootstrap minbase root is scripts/fresh-box.sh
# (CB_FRESH_BOX=1 runs it here; it needs network and takes minutes).
. "$(dirname "$0")/../lib.sh"

# The README's first two commands, verbatim: deps.sh, then make.
cmds=$(sed -n '/^```sh$/,/^```$/p' "$ROOT/README.md" | sed -n '2,3p' | sed 's/ *#.*//')
first=$(echo "$cmds" | sed -n 1p) second=$(echo "$cmds" | sed -n 2p)
[ "$first" = "sh scripts/deps.sh && make run" ] && [ "$second" = "sh scripts/deps.sh && make test" ] &&
    pass readme-commands-bootstrap || fail readme-commands-bootstrap "README starts with: $cmds"

# A bin directory with only what a minimal box has (sh and coreutils), plus
# stubs: apt-get logs its arguments; id says root or not.
stub="$TMP/bin"
mkdir -p "$stub"
for tool in sh cat grep sed dirname; do
    p=$(command -v "$tool") && ln -s "$p" "$stub/$tool"
done
cat >"$stub/apt-get" <<'STUB'
#!/bin/sh
echo "apt-get $*" >>"$APT_LOG"
exit 0
STUB
chmod +x "$stub/apt-get"
mkid() { printf '#!/bin/sh\n[ "$1" = -u ] && echo %s\n' "$1" >"$stub/id"; chmod +x "$stub/id"; }

export APT_LOG="$TMP/apt.log"
: >"$APT_LOG"
mkid 0
PATH="$stub" sh "$ROOT/scripts/deps.sh" build >"$TMP/out" 2>&1
rc=$?
if [ "$rc" = 0 ] && grep -q "install .*make" "$APT_LOG" && grep -q "install .*build-essential" "$APT_LOG" &&
    grep -q "install .*libyaml-dev" "$APT_LOG" && grep -q "^apt-get update" "$APT_LOG"; then
    pass root-installs-make-and-compiler
else
    fail root-installs-make-and-compiler "exit $rc; apt-get calls: $(cat "$APT_LOG"); $(head -c 300 "$TMP/out")"
fi

: >"$APT_LOG"
mkid 1000
PATH="$stub" sh "$ROOT/scripts/deps.sh" build >"$TMP/out" 2>&1
rc=$?
if [ "$rc" = 1 ] && [ ! -s "$APT_LOG" ] && grep -q "run: sudo apt-get install .*make" "$TMP/out"; then
    pass user-gets-the-one-line
else
    fail user-gets-the-one-line "exit $rc; apt-get calls: $(cat "$APT_LOG"); $(head -c 300 "$TMP/out")"
fi
# ... so the README's `&& make run` does not run (make would be "not found").
PATH="$stub" sh -c "cd '$ROOT' && sh scripts/deps.sh && echo MAKE-RAN" >"$TMP/out" 2>&1
grep -q MAKE-RAN "$TMP/out" && fail user-stops-before-make "make would run without its tools" || pass user-stops-before-make

# Everything present: nothing to do, nothing printed.
: >"$APT_LOG"
PATH="$(dirname "$(command -v cc)"):$PATH" sh "$ROOT/scripts/deps.sh" build >"$TMP/out" 2>&1 &&
    [ ! -s "$TMP/out" ] && pass complete-box-is-quiet || fail complete-box-is-quiet "$(head -c 300 "$TMP/out")"

if [ -n "${CB_FRESH_BOX:-}" ]; then
    if sh "$ROOT/scripts/fresh-box.sh" "$TMP/fresh" >"$TMP/fresh.log" 2>&1; then pass debootstrap-minbase
    else fail debootstrap-minbase "$(tail -20 "$TMP/fresh.log")"; fi
else
    skip debootstrap-minbase "the real fresh-box run needs network and minutes: CB_FRESH_BOX=1 (as root) runs scripts/fresh-box.sh"
fi
t_exit
