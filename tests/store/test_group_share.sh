#!/usr/bin/env bash
# test_group_share.sh — a store on a group folder used by two OS users: the
# share is a setgid 2775 directory of a group both users belong to. The first
# user's run creates the store; both tick, both see both ticks, neither is
# refused; then again with umask 077 for both. Needs root (useradd, setpriv).
. "$(dirname "$0")/../lib.sh"
PLAN="$ROOT/plans/de-professional.yaml"
if [ "$(id -u)" != 0 ]; then skip group-share "not root (needs useradd and setpriv to act as two OS users)"; exit 0; fi
for tool in useradd groupadd userdel groupdel setpriv; do
    if ! command -v "$tool" >/dev/null 2>&1; then skip group-share "$tool is missing"; exit 0; fi
done
if [ ! -f "$PLAN" ]; then skip group-share "the default plan is not in this tree"; exit 0; fi

grp=cbg$$ ua=cba$$ ub=cbb$$
cleanup() {
    userdel "$ua" 2>/dev/null; userdel "$ub" 2>/dev/null; groupdel "$grp" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
if ! groupadd "$grp" || ! useradd -M -N -g "$grp" -s /bin/sh "$ua" || ! useradd -M -N -g "$grp" -s /bin/sh "$ub"; then
    skip group-share "cannot create test users and group"; exit 0
fi
# Each user gets a primary group of its own choosing in real life: here the
# team group is only a supplementary group of both, as on a typical box.
usermod -g users "$ua" 2>/dev/null && usermod -g users "$ub" 2>/dev/null && usermod -aG "$grp" "$ua" && usermod -aG "$grp" "$ub"

chmod 755 "$TMP"
mkdir -p "$TMP/bin"
cp "$CB" "$TMP/bin/certboard" && cp "$PLAN" "$TMP/plan.yaml" && chmod 755 "$TMP/bin/certboard" && chmod 644 "$TMP/plan.yaml"

# as USER UMASK MEMBER ARGS...: certboard as that OS user, with its own home.
as() {
    local user=$1 mask=$2 member=$3; shift 3
    local home="$TMP/home-$user"
    [ -d "$home" ] || { mkdir -p "$home" && chown "$user" "$home" && chmod 700 "$home"; }
    setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups \
        env -i PATH=/usr/bin:/bin HOME="$home" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" \
        ASAN_OPTIONS="${ASAN_OPTIONS:-}" LSAN_OPTIONS="${LSAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
        sh -c 'umask "$1"; shift; exec "$@"' sh "$mask" "$TMP/bin/certboard" --plan "$TMP/plan.yaml" --as "$member" "$@"
}

run_case() { # NAME UMASK
    local name=$1 mask=$2 share="$TMP/share-$1"
    mkdir -p "$share" && chgrp "$grp" "$share" && chmod 2775 "$share"
    local store="$share/certboard"
    as "$ua" "$mask" exp1 --store "$store" tick p1-teach >"$TMP/a1" 2>&1
    local ra=$?
    local beacon_a said_a
    beacon_a=$(stat -c %i "$store/shards/.beacon" 2>/dev/null)
    said_a=$(cat "$store/shards/.beacon" 2>/dev/null)
    as "$ub" "$mask" exp2 --store "$store" tick p1-teach >"$TMP/b1" 2>&1
    local rb=$?
    # The other user rewrote the first one's beacon in place (readers keep it
    # open: a replaced one would be seen only at their next full look).
    local beacon_b
    beacon_b=$(stat -c %i "$store/shards/.beacon" 2>/dev/null)
    [ -n "$beacon_a" ] && [ "$beacon_a" = "$beacon_b" ] && [ "$(cat "$store/shards/.beacon")" != "$said_a" ] &&
        pass "$name/beacon-rewritten-in-place-by-the-other-user" ||
        fail "$name/beacon-rewritten-in-place-by-the-other-user" \
            "inode $beacon_a then $beacon_b, mode $(stat -c %a "$store/shards/.beacon" 2>/dev/null): $(head -c 100 "$store/shards/.beacon" 2>/dev/null)"
    if [ "$ra" = 0 ] && [ "$rb" = 0 ] && ! grep -q "refused\|read-only" "$TMP/a1" "$TMP/b1"; then
        pass "$name/both-tick"
    else
        fail "$name/both-tick" "exit $ra/$rb: $(head -c 300 "$TMP/a1") | $(head -c 300 "$TMP/b1")"
    fi
    # Each sees the other's tick (the log lists both members' changes).
    local who
    for who in "$ua:exp1" "$ub:exp2"; do
        as "${who%%:*}" "$mask" "${who##*:}" --store "$store" log >"$TMP/log" 2>&1
        if grep -q "exp1.*p1-teach\|p1-teach.*exp1" "$TMP/log" && grep -q "exp2.*p1-teach\|p1-teach.*exp2" "$TMP/log" &&
            ! grep -q "read-only" "$TMP/log"; then
            pass "$name/${who##*:}-sees-both"
        else
            fail "$name/${who##*:}-sees-both" "$(head -c 400 "$TMP/log")"
        fi
    done
    # Later changes from the second user are still accepted (not just the first).
    as "$ub" "$mask" exp2 --store "$store" untick p1-teach >"$TMP/b2" 2>&1 &&
        as "$ua" "$mask" exp1 --store "$store" export --format json >"$TMP/j" 2>&1 &&
        grep -q '"state": "shared"' "$TMP/j" && pass "$name/second-change-shared" ||
        fail "$name/second-change-shared" "$(head -c 300 "$TMP/b2") $(grep -m1 '"state"' "$TMP/j")"
    # What was created: group-writable directories in the share's group, setgid
    # kept; shards readable and writable by the group.
    local bad=""
    for d in "$store" "$store/shards"; do
        local m g
        m=$(stat -c %a "$d") g=$(stat -c %G "$d")
        [ "$m" = 2775 ] || [ "$m" = 2770 ] || bad="$bad $d:$m"
        [ "$g" = "$grp" ] || bad="$bad $d:group=$g"
    done
    for f in "$store"/shards/*.db "$store/shards/.beacon"; do
        local m
        m=$(stat -c %a "$f")
        case "$m" in 66?) ;; *) bad="$bad $(basename "$f"):$m" ;; esac
    done
    [ -z "$bad" ] && pass "$name/modes" || fail "$name/modes" "$bad"
}

run_case umask022 022
run_case umask077 077

# A store that really is not writable names the path and the fix.
mkdir -p "$TMP/closed/store/shards" && chmod 755 "$TMP/closed" "$TMP/closed/store" "$TMP/closed/store/shards"
as "$ua" 022 exp1 --store "$TMP/closed/store" tick p1-teach >"$TMP/c" 2>&1
grep -q "chmod -R g+rwX,g+s $TMP/closed/store" "$TMP/c" && pass closed-store-names-fix ||
    fail closed-store-names-fix "$(head -c 300 "$TMP/c")"
# ... also when the store exists but its shards directory does not yet.
mkdir -p "$TMP/closed2/store" && chmod 755 "$TMP/closed2" "$TMP/closed2/store"
as "$ua" 022 exp1 --store "$TMP/closed2/store" tick p1-teach >"$TMP/c" 2>&1
grep -q "chmod -R g+rwX,g+s $TMP/closed2/store" "$TMP/c" && pass closed-store-no-shards-names-fix ||
    fail closed-store-no-shards-names-fix "$(head -c 300 "$TMP/c")"
t_exit
