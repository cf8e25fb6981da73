#!/usr/bin/env bash
# test_lazy_history.sh — the dashboard reads the checkpoint's history only
# when it needs it (docs/architecture.md, "The checkpoint"): the first frame
# comes from the lead alone; a tick and its undo read the rest; what the
# dashboard leaves is what a reader without a checkpoint sees; a history
# damaged on disk is never used (the shards are read again) and nothing the
# dashboard did is lost. The trace (CERTBOARD_TRACE) shows which path each
# run took, so no case passes vacuously.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tmux.sh"
tm_require
GEN=$ROOT/build/tools/gen_store
if [ ! -x "$GEN" ]; then skip lazy-history "$GEN is not built (make build/tools/gen_store)"; exit 0; fi
# Events of September: older than the lead's tail, so the history before
# them is read lazily.
"$GEN" "$TMP/plan.yaml" "$TMP/store" --members 12 --items 12 --events 3000 --clients 4 >/dev/null
touch -d '1 hour ago' "$TMP"/store/shards/*.db
G="--plan $TMP/plan.yaml --store $TMP/store --today 2026-11-02 --as m1"
export XDG_DATA_HOME=$TMP/data
traced() { grep -q "$1" "$TMP/trace"; }
at() { grep -n -m1 "$1" "$TMP/trace" | cut -d: -f1; } # its line in the trace
# The trace (written at exit) says the first frame was painted from the
# lead, before any read of the history, which came later.
lead_then_history() {
    local lead frame hist
    lead=$(at "checkpoint lead read") frame=$(at "frame painted") hist=$(at "checkpoint history read")
    [ -n "$lead" ] && [ -n "$frame" ] && [ -n "$hist" ] && [ "$lead" -lt "$frame" ] &&
        [ "$frame" -lt "$hist" ]
}
export_as() { # DATA_DIR OUT: the export a reader with that data dir prints
    XDG_DATA_HOME=$1 "$CB" $G export --format json >"$2" 2>"$2.err"
}

"$CB" $G report --format json >/dev/null 2>&1 # leaves the checkpoint
[ -n "$(ls "$TMP"/data/certboard/local/*/*.ckpt 2>/dev/null)" ] && pass checkpoint-left ||
    fail checkpoint-left "no checkpoint under $TMP/data"

dashboard() { # the dashboard, traced, until its first frame
    rm -f "$TMP/trace"
    tm_start 100 30 "CERTBOARD_TRACE=$TMP/trace $CB $G"
    wait_for "? help" 100
}
tick_and_undo() { # a tick on my checklist, then its undo
    tm send-keys 3 l j Space
    sleep 0.5
    tm send-keys u
    wait_for "undid" 50
}
quit() {
    tm send-keys q
    wait_for "CB-EXIT=0" 50
}

# Warm: the first frame from the lead; the history read for the tick.
if dashboard; then pass first-frame; else fail first-frame "$(screen | head -5)"; fi
if tick_and_undo; then pass undo-says-what; else fail undo-says-what "$(screen | tail -3)"; fi
if quit; then pass quit; else fail quit "$(screen | tail -3)"; fi
lead_then_history && ! traced "did not verify" && pass first-frame-from-the-lead-history-later ||
    fail first-frame-from-the-lead-history-later "$(cat "$TMP/trace")"
export_as "$TMP/data" "$TMP/warm.json"
export_as "$TMP/fresh" "$TMP/fresh.json"
rm -rf "$TMP/fresh"
grep -q '"history"' "$TMP/warm.json" && same export-after-lazy-session "$TMP/fresh.json" "$TMP/warm.json" ||
    fail export-after-lazy-session "$(head -c 300 "$TMP/warm.json.err")"

# The history damaged on disk (its newest event's last byte), the lead intact.
c=$(ls "$TMP"/data/certboard/local/*/*.ckpt | head -1)
size=$(stat -c %s "$c")
printf '\x5a' | dd of="$c" bs=1 seek=$((size - 1)) conv=notrunc 2>/dev/null
if dashboard; then pass damaged/first-frame; else fail damaged/first-frame "$(screen | head -5)"; fi
if tick_and_undo; then pass damaged/undo-says-what; else fail damaged/undo-says-what "$(screen | tail -3)"; fi
if quit; then pass damaged/quit; else fail damaged/quit "$(screen | tail -3)"; fi
lead_then_history && traced "did not verify" && pass damaged/history-not-used ||
    fail damaged/history-not-used "$(cat "$TMP/trace")"
export_as "$TMP/data" "$TMP/warm2.json"
export_as "$TMP/fresh" "$TMP/fresh2.json"
grep -q '"history"' "$TMP/warm2.json" && same damaged/export "$TMP/fresh2.json" "$TMP/warm2.json" ||
    fail damaged/export "$(head -c 300 "$TMP/warm2.json.err")"
# Both sessions' ticks and undos are in it (4 more events than generated).
n=$(grep -c '"client": ' "$TMP/fresh2.json")
[ "$n" -ge 3004 ] && pass nothing-lost || fail nothing-lost "$n events in the export"
t_exit
