#!/usr/bin/env bash
# bench_store.sh — the store's figures on a simulated network share (sshfs over
# loopback, tests/store/sshfs_env.sh): tick latency, cold load + merge of 100
# shards / 100,000 events, the cost of an idle poll (the beacon) and of a full
# look at every shard, on a caching and a non-caching mount; and the stat
# system calls of a full look counted by strace.
# Prints figures, asserts nothing.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
B="$BUILD/bench/bench_store"
[ -x "$B" ] || { echo "bench_store: skipped: $B not built"; exit 0; }
W=$(mktemp -d "${BENCH_TMP:-/tmp}/bench_share.XXXXXX")
. "$ROOT/tests/store/sshfs_env.sh"
trap 'share_down "$W/share"; rm -rf "$W"' EXIT

# strace: stat-family calls per idle poll (poll N minus poll 0 removes setup).
count_stats() { # DIR N
    strace -f -c -e trace=stat,lstat,newfstatat,statx -o "$W/strace.$2" "$B" poll "$1" "$2" >/dev/null 2>&1
    awk '$NF ~ /stat/ && $4 ~ /^[0-9]+$/ {n += $4} END {print n + 0}' "$W/strace.$2"
}
stat_per_poll() { # LABEL DIR
    if ! command -v strace >/dev/null 2>&1; then echo "$1: strace: skipped: strace missing"; return; fi
    local a b
    a=$(count_stats "$2" 0)
    b=$(count_stats "$2" 200)
    # (bench_store poll N makes N polls of each kind: only the full looks stat)
    echo "$1: stat system calls (strace -c): $(( (b - a) / 200 )) per full look, 100 shards; none for the polls between"
}

BENCH_TMP="$W" BENCH_KEEP=1 "$B" >"$W/local.txt"
local_root=$(sed -n 's/^kept //p' "$W/local.txt")
stat_per_poll "local" "$local_root/merge"

share_up_or_say "$W/share" || exit 0
mv "$local_root/merge" "$W/share/export/merge"
for m in c1 n1; do
    kind=caching; [ "$m" = n1 ] && kind=non-caching
    echo "-- sshfs, $kind mount"
    "$B" tick "$W/share/$m/tick-$m" "$W/local-$m" 200
    "$B" merge "$W/share/$m/merge" 2
    "$B" poll "$W/share/$m/merge" 200
    stat_per_poll "sshfs $kind" "$W/share/$m/merge"
done
