#!/usr/bin/env bash
# test_hostile_share.sh — files on the share that an adversary (or a broken client)
# could leave in shards/, run through the command line: a FIFO, a 1 GiB junk
# file, a shard whose clock is 2^64-1, a 2M-event shard, one over the event
# budget, a symlink, a directory, an empty file, one cut at a page boundary
# and one of another plan. Checks: every command finishes (nothing waits on
# the FIFO), names every skipped file on stderr exactly once, keeps working
# afterwards and stays under 100 MiB peak RSS; with the four files the issue
# names (FIFO, junk, clock, 2M events) each takes at most twice its usual time
# (medians of 7 runs interleaved with 7 on a clean copy of the store, plus
# 20 ms for the scheduling noise of a shared machine).
. "$(dirname "$0")/../lib.sh"
PLAN="$ROOT/plans/de-professional.yaml"
if [ ! -f "$PLAN" ]; then skip hostile "the default plan is not in this tree"; exit 0; fi
[ -x /usr/bin/time ] || { skip hostile "/usr/bin/time missing (peak RSS)"; exit 0; }
export CERTBOARD_PLAN="$PLAN" CERTBOARD_STORE="$TMP/store" XDG_DATA_HOME="$TMP/data"
MK="$ROOT/tests/store/make_shard.py"
asan=""
nm "$CB" 2>/dev/null | grep -q __asan_init && asan=1
SH="$TMP/store/shards"
now_ns() { date +%s%N; }
# medians_ms CMD...: median wall times (ms) of 7 runs on the clean store and
# 7 on the hostile one, interleaved so that the load of a shared machine
# falls on both alike; prints "CLEAN HOSTILE".
medians_ms() {
    local i t0 a=() b=()
    for i in 1 2 3 4 5 6 7; do
        t0=$(now_ns)
        CERTBOARD_STORE="$TMP/clean" timeout 30 "$CB" "$@" >/dev/null 2>&1
        a+=($((($(now_ns) - t0) / 1000000)))
        t0=$(now_ns)
        timeout 30 "$CB" "$@" >/dev/null 2>&1
        b+=($((($(now_ns) - t0) / 1000000)))
    done
    echo "$(printf '%s\n' "${a[@]}" | sort -n | sed -n 4p) $(printf '%s\n' "${b[@]}" | sort -n | sed -n 4p)"
}

# Honest state: two members' changes.
"$CB" --as exp1 milestone foundations-complete done >/dev/null 2>&1
CERTBOARD_CLIENT=other "$CB" --as exp1 tick p2-teach --member int1 >/dev/null 2>&1
[ -s "$SH/other.db" ] || { fail setup "no shard of client other"; exit 1; }
cmds=("log" "export --format json" "report" "--as exp1 tick p1-teach")
# The same honest state in a clean store, for the usual times.
cp -r "$TMP/store" "$TMP/clean"
CERTBOARD_STORE="$TMP/clean" "$CB" log >/dev/null 2>&1

# The four files of the issue: a FIFO, 1 GiB of junk, a 2^64-1 clock, 2M events.
mkfifo "$SH/fifo.db"
truncate -s 1G "$SH/junk.db"
"$MK" "$SH/forger.db" forger de-professional now:ms/foundations-complete=on-track \
    max:ms/foundations-complete=pending
"$MK" --many "$SH/huge.db" huge de-professional 2000000
names="fifo junk forger huge"
# run_all: each command finishes, names every file in $names exactly once,
# stays under 100 MiB and (with TIMED=1) within twice its usual time.
run_all() {
    local c label rc missing n rss t
    for c in "${cmds[@]}"; do
        label=${c%% *}; [ "$label" = --as ] && label=tick
        label="$label$1"
        /usr/bin/time -o "$TMP/time" -f "%e %M" timeout 30 "$CB" $c >"$TMP/out" 2>"$TMP/err"
        rc=$?
        [ "$rc" = 0 ] && pass "$label/finishes" || fail "$label/finishes" "exit $rc: $(head -c 300 "$TMP/err")"
        missing=""
        for n in $names; do
            [ "$(grep -c "shards/$n.db: warning: \(skipped\|quarantined\)" "$TMP/err")" = 1 ] || missing="$missing $n"
        done
        [ -z "$missing" ] && pass "$label/names-every-skipped-file" ||
            fail "$label/names-every-skipped-file" "not named exactly once:$missing; $(head -c 600 "$TMP/err")"
        rss=$(awk '{print $2}' "$TMP/time")
        if [ -n "$asan" ]; then
            skip "$label/rss-under-100MiB" "AddressSanitizer build (its shadow memory makes RSS meaningless)"
        elif [ "$rss" -lt $((100 * 1024)) ]; then
            pass "$label/rss-under-100MiB"
        else
            fail "$label/rss-under-100MiB" "$rss KiB"
        fi
        if [ -n "${TIMED:-}" ]; then
            read -r u t < <(medians_ms $c)
            echo "$label: usual $u ms, with the hostile files $t ms; peak RSS ${rss} KiB"
            [ "$t" -le $((2 * u + 20)) ] && pass "$label/time-within-2x" ||
                fail "$label/time-within-2x" "$t ms against $u ms"
        else
            echo "$label: peak RSS ${rss} KiB"
        fi
    done
}
TIMED=1 run_all ""

# Every other kind of file a command used to skip silently, or choke on.
"$MK" --many "$SH/many.db" many de-professional 300000
ln -s /dev/zero "$SH/link.db"
mkdir "$SH/dir.db"
: >"$SH/empty.db"
head -c 4096 "$SH/other.db" >"$SH/cut.db"
touch -d "1 minute ago" "$SH/cut.db" # cut long ago: damage, not a publish in progress
cp "$SH/other.db" "$TMP/foreign.db"
python3 - "$TMP/foreign.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE meta SET value='another-plan' WHERE key='plan_id'")
db.execute("UPDATE meta SET value='foreign' WHERE key='client'")
db.commit()
PY
cp "$TMP/foreign.db" "$SH/foreign.db"
names="$names many link dir empty cut foreign"
run_all "+odd-files"
grep -q "quarantined 1 change of client 'forger'" "$TMP/err" && pass forged-clock-named ||
    fail forged-clock-named "$(head -c 300 "$TMP/err")"
grep -q "foreign.db: warning: skipped: it belongs to plan 'another-plan'" "$TMP/err" &&
    pass foreign-plan-named || fail foreign-plan-named "$(grep foreign.db "$TMP/err")"
grep -q "cut.db: warning: skipped: truncated (4096 of 16384 bytes)" "$TMP/err" &&
    pass cut-at-page-boundary-named || fail cut-at-page-boundary-named "$(grep cut.db "$TMP/err")"
grep -q "over budget: 300000 events" "$TMP/err" && pass event-budget-named ||
    fail event-budget-named "$(grep many.db "$TMP/err")"
# The forged clock did not win, and changes made after reading it still order
# by the real clock, also for a fresh reader.
"$CB" --as exp1 milestone foundations-complete at-risk >/dev/null 2>&1
"$CB" export --format json 2>/dev/null >"$TMP/json"
python3 - "$TMP/json" <<'PY' && pass forged-clock-never-wins || fail forged-clock-never-wins "$(head -c 300 "$TMP/json")"
import json, sys
doc = json.load(open(sys.argv[1]))
def find(o):
    if isinstance(o, dict):
        if o.get("id") == "foundations-complete" and "status" in o:
            return o["status"]
        for v in o.values():
            r = find(v)
            if r: return r
    if isinstance(o, list):
        for v in o:
            r = find(v)
            if r: return r
sys.exit(0 if find(doc) == "at-risk" else 1)
PY
t_exit
