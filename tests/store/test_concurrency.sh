#!/usr/bin/env bash
# test_concurrency.sh — 8 processes x 250 random changes on one store directory
# at once (each its own client id, watching the others). Every acknowledged
# change must be in the merged history, and the current values must equal a
# sequential replay of that history (tests/store/concurrency.sh).
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/store/concurrency.sh"
if [ ! -x "$STRESS" ]; then skip concurrency "cb_stress not built"; exit 0; fi

concurrency_run "$TMP/store"
grep -q "BAD 0" "$TMP/dump" && pass no-bad-shards || fail no-bad-shards "$(grep SHARDS "$TMP/dump")"
t_exit
