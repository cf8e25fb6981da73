#!/usr/bin/env bash
# test_checkpoint.sh — the local checkpoint of the merged state changes
# nothing a command prints: `export --format json` and `report --format json`
# are byte for byte the same with and without it, with every shard unchanged
# since, with one shard changed, and with the checkpoint damaged. The trace
# (CERTBOARD_TRACE) shows which path each run took, so no case passes vacuously.
. "$(dirname "$0")/../lib.sh"
GEN=$ROOT/build/tools/gen_store
if [ ! -x "$GEN" ]; then skip checkpoint "$GEN is not built (make build/tools/gen_store)"; exit 0; fi
"$GEN" "$TMP/plan.yaml" "$TMP/store" --members 12 --items 12 --events 3000 --clients 8 >/dev/null
# Shards written a moment ago are not trusted by identity (their mtime is too
# close to when they are read): age them, as an hour of nobody publishing would.
touch -d '1 hour ago' "$TMP"/store/shards/*.db
G=(--plan "$TMP/plan.yaml" --store "$TMP/store" --today 2026-11-02 --as m1)
run() { # DATA_DIR OUT: export and report with that data dir, traced
    rm -f "$TMP/trace"
    XDG_DATA_HOME=$1 CERTBOARD_TRACE=$TMP/trace "$CB" "${G[@]}" export --format json >"$2.export" 2>"$2.err" &&
        XDG_DATA_HOME=$1 "$CB" "${G[@]}" report --format json >"$2.report" 2>>"$2.err"
}
fresh() { # OUT: what a reader with no checkpoint prints
    rm -rf "$TMP/fresh"
    run "$TMP/fresh" "$1"
}
traced() { grep -q "$1" "$TMP/trace"; }
ckpt() { ls "$TMP"/data/certboard/local/*/*.ckpt 2>/dev/null | head -1; }

run "$TMP/data" "$TMP/cold"
traced "no checkpoint" && [ -n "$(ckpt)" ] && pass cold-start-leaves-a-checkpoint ||
    fail cold-start-leaves-a-checkpoint "$(cat "$TMP/trace" "$TMP/cold.err")"

run "$TMP/data" "$TMP/warm"
traced "checkpoint read" && pass warm-start-reads-it || fail warm-start-reads-it "$(cat "$TMP/trace")"
same export-warm-equals-cold "$TMP/cold.export" "$TMP/warm.export"
same report-warm-equals-cold "$TMP/cold.report" "$TMP/warm.report"

# One shard changed since (another client ticks: its shard is republished).
XDG_DATA_HOME=$TMP/other CERTBOARD_CLIENT=bench-client-03 "$CB" --plan "$TMP/plan.yaml" --store "$TMP/store" --as m1 \
    tick it1 --member m1 >"$TMP/tick.out" 2>&1 || fail one-change "tick as another client failed: $(cat "$TMP/tick.out")"
run "$TMP/data" "$TMP/one"
traced "checkpoint read" || fail one-shard-changed "the run did not read the checkpoint"
# An eighth of the history read afresh: the checkpoint is rewritten on the
# way out, from a history appended onto the checkpoint's own (whose older
# events keep the checkpoint's copy of their client id).
traced "checkpoint written" && pass one-shard-changed-rewrites-the-checkpoint ||
    fail one-shard-changed-rewrites-the-checkpoint "$(cat "$TMP/trace")"
# It grew, no more: its new events were appended onto the checkpoint's
# history in place (the usual warm start).
traced "snapshot merged (appended" && pass one-shard-grown-is-appended ||
    fail one-shard-grown-is-appended "$(cat "$TMP/trace")"
fresh "$TMP/one-fresh"
same export-one-shard-changed "$TMP/one-fresh.export" "$TMP/one.export"
same report-one-shard-changed "$TMP/one-fresh.report" "$TMP/one.report"
cmp -s "$TMP/one.export" "$TMP/warm.export" && fail one-shard-changed-is-seen "the tick is missing" ||
    pass one-shard-changed-is-seen

# A shard deleted: its record has no shard, so no start could append onto
# the checkpoint any more; it is rewritten, and the next start appends again.
rm "$TMP/store/shards/bench-client-05.db"
run "$TMP/data" "$TMP/deleted"
traced "checkpoint written" && pass deleted-shard-rewrites-the-checkpoint ||
    fail deleted-shard-rewrites-the-checkpoint "$(cat "$TMP/trace")"
fresh "$TMP/deleted-fresh"
same export-deleted-shard "$TMP/deleted-fresh.export" "$TMP/deleted.export"
run "$TMP/data" "$TMP/deleted2"
traced "snapshot merged (appended" && pass after-deletion-appends-again ||
    fail after-deletion-appends-again "$(cat "$TMP/trace")"

# A damaged checkpoint is ignored and rebuilt, never trusted: its history
# (read after its lead, when first needed) ...
c=$(ckpt)
size=$(stat -c %s "$c")
printf '\x5a' | dd of="$c" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
run "$TMP/data" "$TMP/damaged"
traced "history did not verify" && traced "snapshot merged (full" &&
    pass damaged-history-is-ignored || fail damaged-history-is-ignored "$(cat "$TMP/trace")"
same export-damaged-history "$TMP/deleted-fresh.export" "$TMP/damaged.export"
# ... and its lead (the head, the shards' records), read at once.
c=$(ckpt)
printf '\x5a' | dd of="$c" bs=1 seek=200 conv=notrunc 2>/dev/null
run "$TMP/data" "$TMP/damaged"
traced "no checkpoint" && pass damaged-checkpoint-is-ignored || fail damaged-checkpoint-is-ignored "$(cat "$TMP/trace")"
same export-damaged-checkpoint "$TMP/deleted-fresh.export" "$TMP/damaged.export"
run "$TMP/data" "$TMP/rebuilt"
traced "checkpoint read" && pass damaged-checkpoint-is-rebuilt || fail damaged-checkpoint-is-rebuilt "$(cat "$TMP/trace")"
same export-rebuilt-checkpoint "$TMP/deleted-fresh.export" "$TMP/rebuilt.export"
: >"$c"
run "$TMP/data" "$TMP/empty"
same export-empty-checkpoint "$TMP/deleted-fresh.export" "$TMP/empty.export"
t_exit
