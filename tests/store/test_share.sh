#!/usr/bin/env bash
# test_share.sh — two clients on two mounts of one simulated network share
# (sshfs over loopback, DESIGN.md section 4), 2 x 500 interleaved changes, for
# each pairing of mounts: both caching, both non-caching, one of each.
# Checks: 0 acknowledged changes missing, 0 corrupt reads (by the clients and
# by a reader looping over the shards), each client sees the other's last
# change within 2 s of its acknowledgement; prints the lag (median, max).
# Debugging: N=100 for a shorter run, ONLY=NAME PAIR="M1 M2" for one pairing,
# KEEP=1 to keep the work files (the mounts are always removed).
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/store/sshfs_env.sh"
STRESS=${BUILD:-$ROOT/build}/tools/cb_stress
N=${N:-500}
why=$(share_why_not)
[ -x "$STRESS" ] || why="cb_stress not built"
if [ -n "$why" ]; then skip share "$why"; exit 0; fi
S="$TMP/share"
mkdir -p "$S"
trap 'share_down "$S"; [ -n "${KEEP:-}" ] || rm -rf "$TMP"' EXIT
if ! share_up "$S"; then
    fail share-setup "could not start sshd or mount: $(tail -3 "$S/sshd.log" 2>/dev/null)"
    exit 1
fi
pass share-setup

run_pair() { # NAME MOUNT_A MOUNT_B
    local name=$1 ma=$2 mb=$3 w="$TMP/$1"
    mkdir -p "$w"
    # A reader on the non-caching mount loads every shard in a loop meanwhile.
    "$STRESS" readloop --store "$S/n1/$name" --ms 100000 >"$w/readloop" 2>"$w/readloop.err" &
    local rl=$!
    "$STRESS" apply --store "$S/$ma/$name" --local "$w/la" --client a --n "$N" --seed 11 \
        --linger-peers 1 >"$w/a" 2>"$w/a.err" &
    local pa=$!
    "$STRESS" apply --store "$S/$mb/$name" --local "$w/lb" --client b --n "$N" --seed 12 \
        --linger-peers 1 >"$w/b" 2>"$w/b.err" &
    local pb=$!
    wait "$pa"; local ra=$?
    wait "$pb"; local rb=$?
    kill "$rl" 2>/dev/null; wait "$rl" 2>/dev/null   # it prints its counts on SIGTERM
    local acked; acked=$(cat "$w/a" "$w/b" | grep -c '^ACK')
    [ "$ra$rb" = 00 ] && [ "$acked" = $((2 * N)) ] && pass "$name/all-acknowledged" ||
        fail "$name/all-acknowledged" "$acked of $((2 * N)); $(head -c 300 "$w/a.err" "$w/b.err")"
    local bad; bad=$(cat "$w/a.err" "$w/b.err" | grep -c 'skipped')
    local inv; inv=$(awk '/^READS/ {r += $2; i += $4; t += $6} END {print r + 0, t + 0, i + 0}' "$w/readloop")
    echo "$name: corrupt reads by the clients: $bad; reader loop: reads/caught-mid-replace-and-retried/invalid: $inv"
    [ "$bad" = 0 ] && [ "${inv##* }" = 0 ] && pass "$name/no-corrupt-reads" ||
        fail "$name/no-corrupt-reads" "$bad by clients, reader: $inv; $(head -3 "$w/readloop.err")"
    # The union is complete on every mount.
    local m
    for m in c1 c2 n1 n2; do
        "$STRESS" dump --store "$S/$m/$name" >"$w/dump.$m" 2>"$w/dump.$m.err"
        /usr/bin/python3 "$ROOT/tests/store/verify_history.py" "$w/dump.$m" "$w/a" "$w/b" >"$w/verify.$m"
        local rc=$?
        echo "$name: via $m: $(tail -1 "$w/verify.$m")"
        [ "$rc" = 0 ] && pass "$name/complete-via-$m" || fail "$name/complete-via-$m" "$(head -3 "$w/verify.$m")"
    done
    local lab lba
    lab=$(/usr/bin/python3 "$ROOT/tests/store/lag.py" "$w/a" "$w/b")
    lba=$(/usr/bin/python3 "$ROOT/tests/store/lag.py" "$w/b" "$w/a")
    echo "$name: a -> b: $lab"
    echo "$name: b -> a: $lba"
    local la lb
    la=$(sed -n 's/.*last_ms=\(-*[0-9]*\).*/\1/p' <<<"$lab")
    lb=$(sed -n 's/.*last_ms=\(-*[0-9]*\).*/\1/p' <<<"$lba")
    if [ "$la" -ge 0 ] && [ "$la" -le 2000 ] && [ "$lb" -ge 0 ] && [ "$lb" -le 2000 ]; then
        pass "$name/last-change-seen-within-2s"
    else
        fail "$name/last-change-seen-within-2s" "a->b ${la} ms, b->a ${lb} ms (-1 = never)"
    fi
}

[ -z "${ONLY:-}" ] || { run_pair "$ONLY" $PAIR; t_exit; exit; }
run_pair caching c1 c2
run_pair noncaching n1 n2
run_pair mixed c1 n2
t_exit
