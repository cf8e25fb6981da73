#!/usr/bin/env bash
# test_hostile.sh — hostile text never reaches the terminal raw: a plan full of
# bidi overrides and very long/wide strings, and a milestone note (through the
# store, which the plan loader never sees: another client's shard) holding
# escape sequences and C0/C1 controls. Checked in dumps, in the bytes written to a pseudo-terminal, and on
# a tmux screen.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.sh"
PLAN=$ROOT/tests/data/hostile-plan.yaml
G="--plan $PLAN --store $TMP/store --today 2026-01-05"
PTY=${BUILD:-$ROOT/build}/tools/pty_bench
NOTE=$(printf 'note \033]0;owned\007 \033[2J \302\233 31m \033P1;2q\033\\ \001\177 bad\377byte \342\200\256rev end')

check validate-hostile-plan "$CB" validate "$PLAN"
# Such a note is refused at input; it can still arrive in another client's
# shard (an older release, or anyone who can write the share).
"$CB" --plan "$PLAN" --store "$TMP/store" --as evil milestone m1 at-risk --note "$NOTE" >"$TMP/ms.out" 2>&1
[ $? = 1 ] && grep -q "refused: the note \(contains a control character\|is not valid UTF-8\)" "$TMP/ms.out" &&
    pass note-refused-at-input || fail note-refused-at-input "$(head -c 200 "$TMP/ms.out")"
mkdir -p "$TMP/store/shards"
if ! python3 "$ROOT/tests/store/make_shard.py" --member evil "$TMP/store/shards/other.db" other \
    hostile "now:ms/m1=at-risk|$NOTE" >"$TMP/ms.out" 2>&1; then
    skip note "cannot write a shard with the note: $(head -c 200 "$TMP/ms.out")"
    NOTE_SET=0
else
    NOTE_SET=1
fi

# No control bytes, no C1 controls (UTF-8 C2 80..9F), no bidi controls.
clean() {
    LC_ALL=C grep -q '[[:cntrl:]]' "$1" && return 1
    LC_ALL=C grep -qP '\xc2[\x80-\x9f]|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xd8\x9c' "$1" && return 1
    return 0
}
for pane in timeline team checklists domains standup; do
    for size in 80x24 200x60; do
        "$CB" $G --as evil dump $pane --size $size >"$TMP/d.txt" 2>"$TMP/d.err" ||
            { fail "dump-$pane-$size" "exit $?: $(head -c 200 "$TMP/d.err")"; continue; }
        if clean "$TMP/d.txt" && [ "$(wc -l <"$TMP/d.txt")" = "${size#*x}" ]; then
            pass "dump-$pane-$size"
        else
            fail "dump-$pane-$size" "control or bidi bytes, or wrong size"
        fi
    done
done
if [ $NOTE_SET = 1 ]; then
    "$CB" $G --as evil dump timeline --size 120x40 >"$TMP/t.txt"
    # ESC became U+FFFD; what followed it is plain text
    grep -q $'\xef\xbf\xbd]0;owned\xef\xbf\xbd' "$TMP/t.txt" && pass note-replaced || fail note-replaced "$(grep -a note "$TMP/t.txt")"
fi

# Every other output: log, the report in all four formats, export, the
# calendar. Line ends (CRLF in CSV and iCalendar) aside, no control, C1 or
# bidi byte, and always valid UTF-8; the JSON ones parse.
utf8() { iconv -f UTF-8 -t UTF-8 "$1" >/dev/null 2>&1; }
outputs="log report-text report-markdown report-csv report-json export ical show"
for o in $outputs; do
    case $o in
        log) "$CB" $G log ;;
        report-*) "$CB" $G report --format "${o#report-}" ;;
        export) "$CB" $G export --format json ;;
        ical) "$CB" $G ical ;;
        show) "$CB" show "$PLAN" ;;
    esac >"$TMP/o.raw" 2>"$TMP/o.err" || { fail "$o" "exit $?: $(head -c 200 "$TMP/o.err")"; continue; }
    tr -d '\r' <"$TMP/o.raw" >"$TMP/o.txt"
    if [ $NOTE_SET = 1 ] && [ "$o" != ical ] && [ "$o" != show ] && ! grep -q 'owned' "$TMP/o.txt"; then
        fail "$o" "the note is missing: $(head -c 300 "$TMP/o.txt")"
    elif ! clean "$TMP/o.txt" || ! utf8 "$TMP/o.raw"; then
        fail "$o" "control, C1 or bidi bytes, or invalid UTF-8: $(LC_ALL=C grep -naP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$TMP/o.txt" | cat -v | head -c 300)"
    elif case $o in *json | export) ! python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$TMP/o.raw" 2>/dev/null ;; *) false ;; esac; then
        fail "$o" "not valid JSON"
    else
        pass "$o"
    fi
done

# The bytes the dashboard writes to a terminal: only what curses itself sends.
if [ -x "$PTY" ]; then
    "$PTY" --size 100x30 --keys 4 --raw "$TMP/raw" -- "$CB" $G --as evil >"$TMP/pty.out" 2>&1
    if ! grep -q "first frame" "$TMP/pty.out"; then
        fail pty-run "$(head -c 300 "$TMP/pty.out")"
    elif LC_ALL=C grep -qaP '\x1b\]|\x1bP|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]|[\x01-\x06\x10-\x1a\x1c-\x1f\x7f]' "$TMP/raw"; then
        fail pty-bytes "OSC, DCS, C1, bidi or stray C0 bytes in the terminal output"
    else
        pass pty-bytes
    fi
else
    skip pty-bytes "no $PTY (make builds tests/tools)"
fi

if ! command -v tmux >/dev/null 2>&1; then
    skip tmux "tmux is not installed"
    t_exit
    exit
fi
tm_start 100 30 "$CB $G --as evil"
if wait_for "Milestone" 50; then
    pass tmux-screen
    [ $NOTE_SET = 0 ] || { screen | grep -q ']0;owned' && pass tmux-note-visible || fail tmux-note-visible "$(screen)"; }
    title=$(tm display -p '#{pane_title}')
    [ "$title" != owned ] && pass tmux-title-untouched || fail tmux-title-untouched "pane title is '$title'"
else
    fail tmux-screen "$(screen | head -5)"
fi
tm send-keys q
wait_for "CB-EXIT=0" 50 && pass tmux-quit || fail tmux-quit "$(screen | tail -3)"
t_exit
