# tests/tui/tmux.sh — drive the real binary in a private tmux server; source it
# after tests/lib.sh. Every wait is bounded; the server is killed at exit.
# Each session gets a server of its own (cbtest-PID-N), all killed at exit.
TM_N=0
TM_SOCK=cbtest-$$-0
tm() { tmux -L "$TM_SOCK" "$@"; }
tm_kill_all() {
    local i
    for i in $(seq 0 "$TM_N"); do
        tmux -L "cbtest-$$-$i" kill-server >/dev/null 2>&1
        rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/cbtest-$$-$i"
    done
}
trap 'tm_kill_all; rm -rf "$TMP"' EXIT

# tm_require: the tests below need tmux; without it, one SKIP line and exit.
tm_require() {
    command -v tmux >/dev/null 2>&1 && return 0
    skip tmux "tmux is not installed (sh scripts/deps.sh test)"
    exit 0
}

# tm_start W H CMD: a shell in a W x H window, then CMD typed into it; the
# shell prints CB-EXIT=<status> when CMD ends.
tm_start() {
    tm kill-server >/dev/null 2>&1
    TM_N=$((TM_N + 1))
    TM_SOCK=cbtest-$$-$TM_N
    tm -f /dev/null new-session -d -x "$1" -y "$2" "env PS1='$ ' bash --norc --noprofile"
    tm set-option -g status off >/dev/null
    tm send-keys "$3; echo CB-EXIT=\$?" Enter
}
screen() { tm capture-pane -p; }
# wait_for TEXT [TENTHS]: polls the screen until it contains TEXT (default 5 s).
wait_for() {
    local i
    for i in $(seq 1 "${2:-50}"); do
        screen >"$TMP/screen" 2>/dev/null
        grep -qF -- "$1" "$TMP/screen" && return 0
        sleep 0.1
    done
    return 1
}
# wait_gone TEXT [TENTHS]: until the screen no longer contains TEXT.
wait_gone() {
    local i
    for i in $(seq 1 "${2:-50}"); do
        screen >"$TMP/screen" 2>/dev/null
        grep -qF -- "$1" "$TMP/screen" || return 0
        sleep 0.1
    done
    return 1
}
# line_with TEXT: the first screen line containing TEXT.
line_with() { screen | grep -F -m1 -- "$1"; }
