#!/usr/bin/env bash
# test_terminal_prefs.sh — what the dashboard asks of the terminal, read from
# the bytes it writes (tests/tools/pty_bench --raw): mouse capture unless the
# config says "mouse: off" (people who select text with the mouse), and the
# at-risk style as black on yellow, which reads on light and dark backgrounds
# alike (yellow text on a white terminal did not).
. "$(dirname "$0")/../lib.sh"
PTY=${BUILD:-$ROOT/build}/tools/pty_bench
[ -x "$PTY" ] || { skip all "no $PTY (make test builds it)"; exit 0; }
export XDG_DATA_HOME=$TMP/data XDG_CONFIG_HOME=$TMP/config TERM=xterm-256color
unset CERTBOARD_MOUSE NO_COLOR
PLAN=$ROOT/tests/data/report-plan.yaml
G="--plan $PLAN --store $TMP/store --today 2026-02-16 --as lead"
"$CB" --plan "$PLAN" --store "$TMP/store" --as lead milestone assets at-risk >/dev/null 2>&1
run() { "$PTY" --size 100x30 --keys 2 --raw "$TMP/$1.raw" -- "$CB" $G >"$TMP/$1.out" 2>&1; }
has() { LC_ALL=C grep -qaF "$(printf "$2")" "$TMP/$1.raw"; }

run default
has default '\033[?1006;1000h' && pass mouse-on-by-default || fail mouse-on-by-default "no mouse tracking request"
mkdir -p "$XDG_CONFIG_HOME/certboard"
printf 'mouse: off\n' >"$XDG_CONFIG_HOME/certboard/config.yaml"
run config
! has config '1000h' && grep -q "first frame" "$TMP/config.out" && pass mouse-off-in-config ||
    fail mouse-off-in-config "mouse tracking requested: $(head -c 200 "$TMP/config.out")"
rm "$XDG_CONFIG_HOME/certboard/config.yaml"
CERTBOARD_MOUSE=off run env
! has env '1000h' && pass mouse-off-in-env || fail mouse-off-in-env "mouse tracking requested"

# The at-risk milestone is drawn black on yellow.
has default '\033[30m\033[43m' || has default '\033[30;43m' || has default '\033[43m' &&
    pass at-risk-black-on-yellow || fail at-risk-black-on-yellow "no yellow background in the frame"
! has default '\033[33m' && pass no-yellow-text || fail no-yellow-text "yellow text is still drawn"
t_exit
