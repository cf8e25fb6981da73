#!/usr/bin/env bash
# bench_idle.sh — what an open dashboard costs while nobody types and nothing
# changes: system calls in 10 s (strace -c on the running process), CPU per
# minute (its threads' and its helper's run time, /proc/PID/task/*/schedstat)
# and, on a share, the SFTP requests the sshfs client sends the server per
# second (strace on the sshfs process: its writes to the ssh socket, in
# windows of 10 s) with the CPU over the same time: 60 s at 6 shards, 130 s
# at 1,000 (which holds the full look at every shard, every 120 s). At 6
# shards (the default plan, a change from each of six machines) and 1,000 shards
# (gen_store: 20,000 events, and one client's publish), on a local store and on the sshfs test mounts
# (tests/store/sshfs_env.sh: caching and non-caching). Each figure is the
# median with min-max of IDLE_RUNS windows (default 3) of IDLE_SECONDS
# (default 10; CPU scaled to a minute), printed beside the figure it replaces
# (issue 15's measurements of the 250 ms timer loop). With OLD_CB=BINARY the
# same windows are also measured for that binary, one after the other.
# Prints figures, asserts nothing.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
CB=${CB:-$BUILD/certboard}
GEN=$BUILD/tools/gen_store
RUNS=${IDLE_RUNS:-3}
SECS=${IDLE_SECONDS:-10}
command -v tmux >/dev/null 2>&1 || { echo "bench_idle: skipped: tmux missing"; exit 0; }
TMP=$(mktemp -d "${BENCH_TMP:-/tmp}/bench_idle.XXXXXX")
. "$ROOT/tests/tui/tmux.sh" # its EXIT trap kills the tmux servers and removes $TMP
. "$ROOT/tests/tui/idle.sh"
. "$ROOT/tests/store/sshfs_env.sh"
. "$ROOT/bench/median.sh"
bench_need bench_idle "$GEN" "$CB"
trap 'tm_kill_all; share_down "$TMP/share"; rm -rf "$TMP"' EXIT
export XDG_DATA_HOME=$TMP/data
PLAN=$ROOT/plans/de-professional.yaml
G="--today 2026-11-02"
mkdir -p "$TMP/share/export"

# make_stores DIR: DIR/small (6 shards) and DIR/large (1,000 shards).
make_stores() {
    local i verb
    mkdir -p "$1/small" "$1/large"
    for i in 1 2 3 4 5 6; do # six machines: six shards
        verb=tick; [ $((i % 2)) = 0 ] && verb=untick
        CERTBOARD_CLIENT="bench-$i" "$CB" --plan "$PLAN" --store "$1/small" --as nov2 "$verb" cap-ingestion >/dev/null
    done
    "$GEN" "$TMP/large.yaml" "$1/large" --members 100 --items 100 --events 20000 --clients 1000 >/dev/null
    # one client publishes as clients do (gen_store writes the shards directly): the beacon
    CERTBOARD_CLIENT=bench-1 "$CB" --plan "$TMP/large.yaml" --store "$1/large" --as m2 tick it0 >/dev/null
}

# SFTP requests per second the sshfs client of mount M sends, over S seconds
# in windows of 10 s: "median N (min-max A-B, K runs); mean M".
sftp_requests() { # MOUNT SECONDS
    local pid w=$(($2 / 10))
    pid=$(pgrep -f "sshfs root@127.0.0.1:$TMP/share/export $1( |\$)" | head -1)
    [ -n "$pid" ] || { echo "skipped (no sshfs process)"; return; }
    timeout -s INT "$2" strace -f -y -ttt -e trace=write,writev,sendmsg -p "$pid" -o "$TMP/sftp.trace" 2>/dev/null
    local v
    v=$(grep -v /dev/fuse "$TMP/sftp.trace" | grep 'socket:' | awk -v w="$w" -v t0="$(head -1 "$TMP/sftp.trace" | awk '{print $2}')" \
        '{i = int(($2 - t0) / 10); if (i < w) n[i]++} END {for (i = 0; i < w; i++) print (n[i] + 0) / 10}')
    echo "$(summary $v | sed 's/ ms//g'); mean $(awk '{s += $1} END {printf "%.1f", s / NR}' <<<"$v")"
}

# measure LABEL BINARY STORE PLAN MEMBER [MOUNT]: one line of figures.
measure() {
    local label=$1 store=$3 plan=$4 member=$5 mount=${6:-} i sc=() cpu=() n
    local CB=$2 # what idle_start runs
    if ! idle_start 120 40 --plan "$plan" --store "$store" $G --as "$member"; then
        echo "$label: no first frame: $(screen | head -3 | tr '\n' ' ')"
        return
    fi
    sleep 5 # past start-up and the re-reads of just-written shards
    for ((i = 0; i < RUNS; i++)); do
        n=$(idle_syscalls "$SECS")
        [ -n "$n" ] && sc+=("$n")
        n=$(idle_cpu_us "$SECS")
        [ -n "$n" ] && cpu+=("$(awk -v u="$n" -v s="$SECS" 'BEGIN {printf "%.1f", u / 1000 * 60 / s}')")
    done
    local rq="" long="" a b
    if [ -n "$mount" ]; then
        # Long enough to hold one full look at every shard (every 120 s):
        # the requests, and the CPU over the whole window.
        local secs=60
        [[ "$label" == *"1,000 shards"* ]] && secs=130
        a=$(idle_ns)
        rq=$(sftp_requests "$mount" "$secs")
        b=$(idle_ns)
        long=$(awk -v a="$a" -v b="$b" -v s="$secs" 'BEGIN {printf "%.1f ms (over %d s%s)", (b - a) / 1e6 * 60 / s, s, s >= 120 ? ", one full look" : ""}')
    fi
    idle_stop
    local line="$label: system calls per 10 s: "
    if [ ${#sc[@]} -gt 0 ]; then
        line+=$(summary $(for v in "${sc[@]}"; do awk -v v="$v" -v s="$SECS" 'BEGIN {print v * 10 / s}'; done) | sed 's/ ms//g')
    else
        line+="skipped ($IDLE_WHY)"
    fi
    line+="; CPU per minute: $(summary "${cpu[@]}")"
    [ -n "$mount" ] && line+="; CPU per minute, whole window: $long; SFTP requests per s: $rq"
    echo "$line"
    [ -n "${WAS[$label]:-}" ] && echo "  was: ${WAS[$label]}"
    return 0
}

# What each figure replaces: the previous release (a 250 ms timer loop that
# stat()ed every shard) measured by this script, OLD_CB=..., on this machine.
declare -A WAS=(
    ["local, 6 shards"]="351 system calls per 10 s, 78 ms CPU per minute"
    ["local, 1,000 shards"]="324 system calls per 10 s, 1,669 ms CPU per minute"
    ["sshfs caching mount, 6 shards"]="314-342 system calls per 10 s, 146-155 ms CPU per minute, 14-16 SFTP requests per s"
    ["sshfs caching mount, 1,000 shards"]="254-283 system calls per 10 s, 1,625-1,681 ms CPU per minute, 1-44 SFTP requests per s (attributes cached 20 s)"
    ["sshfs non-caching mount, 6 shards"]="260-293 system calls per 10 s, 149 ms CPU per minute, 62 SFTP requests per s"
    ["sshfs non-caching mount, 1,000 shards"]="1,235 system calls per 10 s, 1,119 ms CPU per minute, 410 SFTP requests per s"
)

# run WHERE DIR [MOUNT]: every figure for the stores under DIR.
run() {
    local where=$1 dir=$2 mount=${3:-} b
    for b in "$CB" ${OLD_CB:+"$OLD_CB"}; do
        local who=""
        [ "$b" != "$CB" ] && who=" (old binary)"
        measure "$where, 6 shards$who" "$b" "$dir/small" "$PLAN" nov1 "$mount"
        measure "$where, 1,000 shards$who" "$b" "$dir/large" "$TMP/large.yaml" m1 "$mount"
    done
}

echo "before (issue 15, the 250 ms timer loop): local: ~195-298 system calls per 10 s; 1,000 shards:"
echo "  ~600 ms CPU per minute; non-caching share, 100 shards: ~1,000 ms CPU per minute in the"
echo "  dashboard (plus ~9 s in sshfs/ssh), 12.6 MB of traffic per minute; \"was:\" lines: the same"
echo "  measurement of the previous binary on this machine"
make_stores "$TMP/local"
run "local" "$TMP/local"

share_up_or_say "$TMP/share" || exit 0
mv "$TMP/local/small" "$TMP/local/large" "$TMP/share/export/"
run "sshfs caching mount" "$TMP/share/c1" "$TMP/share/c1"
run "sshfs non-caching mount" "$TMP/share/n1" "$TMP/share/n1"
