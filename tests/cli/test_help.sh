#!/usr/bin/env bash
# test_help.sh — `certboard --help` lists every command, and each command
# answers `certboard COMMAND --help` (and -h) with its usage on stdout, exit 0,
# without needing a plan, a store or a member.
. "$(dirname "$0")/../lib.sh"

expect_status main-help 0 "$CB" --help
"$CB" --help >"$TMP/help" 2>&1
# The commands, as the help lists them (two spaces, a lower-case word).
cmds=$(sed -n '/^Commands:/,/^$/p' "$TMP/help" | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p')
want="dashboard init validate show tick untick block unblock standup milestone undo log export exam report ical dump db"
missing=
for c in $want; do
    echo "$cmds" | grep -qx "$c" || missing="$missing $c"
done
[ -z "$missing" ] && pass main-help-lists-all || fail main-help-lists-all "not listed:$missing"

# No plan, no store, no member: help must not need them.
NOENV="env -u CERTBOARD_PLAN -u CERTBOARD_STORE -u CERTBOARD_MEMBER"
for c in $cmds; do
    for flag in --help -h; do
        if $NOENV "$CB" --plan "$TMP/none.yaml" "$c" "$flag" >"$TMP/out" 2>"$TMP/err"; then
            if grep -q "^usage: certboard.*$c\|^usage: certboard \[" "$TMP/out" && [ ! -s "$TMP/err" ]; then
                pass "$c$flag"
            else
                fail "$c$flag" "no usage line on stdout: $(head -c 300 "$TMP/out" "$TMP/err")"
            fi
        else
            fail "$c$flag" "exit status $?: $(head -c 300 "$TMP/err")"
        fi
    done
done
for sub in record edit delete list; do
    expect_status "exam-$sub--help" 0 "$CB" exam "$sub" --help
done
expect_status unknown-command 2 "$CB" frobnicate
t_exit
