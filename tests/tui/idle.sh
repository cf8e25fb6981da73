# tests/tui/idle.sh — what an idle dashboard costs, for tests/tui/test_idle.sh
# and bench/bench_idle.sh; source it after tests/tui/tmux.sh.
#   idle_start W H ARGS...   the dashboard in a tmux window of its own; sets
#                            IDLE_PID; false when no first frame within 20 s
#   idle_syscalls SECONDS    system calls it makes in that time (strace -c -f
#                            on the running process); empty, with the reason
#                            in IDLE_WHY, when strace is missing or cannot attach
#   idle_cpu_us SECONDS      CPU time (µs) it and its helper process use in
#                            that time (/proc/PID/task/*/schedstat: ns, not
#                            clock ticks); empty, with IDLE_WHY, without it
#   idle_stop                q, then waits (bounded) for it to end
IDLE_PID=""
IDLE_WHY=""

idle_start() {
    local w=$1 h=$2; shift 2
    rm -f "$TMP/idle.pid"
    # the shell replaces itself with certboard: its PID is the dashboard's
    tm_start "$w" "$h" "echo \$\$ >$TMP/idle.pid; exec $CB $*"
    wait_for "? help" 200 || return 1
    IDLE_PID=$(cat "$TMP/idle.pid" 2>/dev/null)
    [ -n "$IDLE_PID" ] && kill -0 "$IDLE_PID" 2>/dev/null
}

idle_syscalls() {
    IDLE_WHY=""
    command -v strace >/dev/null 2>&1 || { IDLE_WHY="strace is not installed (sh scripts/deps.sh test)"; return; }
    timeout -s INT "$1" strace -c -f -p "$IDLE_PID" -o "$TMP/idle.strace" 2>"$TMP/idle.strace.err"
    if ! grep -q "attached" "$TMP/idle.strace.err"; then
        IDLE_WHY="strace cannot attach: $(head -c 200 "$TMP/idle.strace.err")"
        return
    fi
    # the "total" line's calls column; no table at all when there was none
    awk '$NF == "total" {n = $4} END {print n + 0}' "$TMP/idle.strace"
}

# The run time (ns) of the dashboard's threads and its children's.
idle_ns() {
    local p pids="$IDLE_PID $(cat /proc/"$IDLE_PID"/task/*/children 2>/dev/null)"
    for p in $pids; do cat /proc/"$p"/task/*/schedstat 2>/dev/null; done |
        awk '{n += $1} END {printf "%.0f\n", n}'
}

idle_cpu_us() {
    local a b
    IDLE_WHY=""
    a=$(idle_ns)
    # it has run (its first frame): nothing counted means no schedstat here
    [ "${a:-0}" -gt 0 ] || { IDLE_WHY="no /proc/PID/task/*/schedstat on this kernel"; return; }
    sleep "$1"
    b=$(idle_ns)
    echo $(((b - a) / 1000))
}

idle_stop() {
    tm send-keys q
    local i
    for i in $(seq 1 50); do kill -0 "$IDLE_PID" 2>/dev/null || break; sleep 0.1; done
    tm kill-server >/dev/null 2>&1
}
