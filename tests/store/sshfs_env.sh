# sshfs_env.sh — a simulated network share for the store tests and benchmarks;
# source it. Two "machines" are two sshfs mounts of one directory, served by a
# throwaway sshd on 127.0.0.1 (DESIGN.md section 4):
#   share_why_not          prints why this cannot run here (empty when it can)
#   share_up DIR           starts sshd, mounts DIR/export at DIR/c1 DIR/c2
#                          (caching clients) and DIR/n1 DIR/n2 (caching off)
#   share_down DIR         unmounts and stops sshd (by its PidFile); idempotent
#   share_up_or_say DIR    share_up, or prints "sshfs share: skipped: why"
#                          and fails (for the benchmarks)
# With SHARE_SFTP_LOG=DEBUG3 the server logs every SFTP request it answers
# ("request N: open" ...) in DIR/sshd.log: what a benchmark counts.
# Every wait is bounded. Call share_down from an EXIT trap.

share_why_not() {
    [ "$(id -u)" = 0 ] || { echo "not root"; return; }
    [ -c /dev/fuse ] || { echo "no /dev/fuse"; return; }
    command -v sshfs >/dev/null 2>&1 || { echo "sshfs missing"; return; }
    command -v fusermount3 >/dev/null 2>&1 || { echo "fusermount3 missing"; return; }
    [ -x /usr/sbin/sshd ] || { echo "sshd missing"; return; }
    command -v ssh-keygen >/dev/null 2>&1 || { echo "ssh-keygen missing"; return; }
}

share_mount() { # DIR MNT [extra sshfs options...]
    local d=$1 mnt=$2; shift 2
    mkdir -p "$mnt"
    timeout 20 sshfs "root@127.0.0.1:$d/export" "$mnt" -p "$(cat "$d/port")" \
        -o IdentityFile="$d/id" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
        -o BatchMode=yes -o LogLevel=ERROR "$@" || return 1
    mountpoint -q "$mnt"
}

share_up() {
    local d=$1 port i
    mkdir -p "$d/export" /run/sshd
    ssh-keygen -q -t ed25519 -N '' -f "$d/host_key" || return 1
    ssh-keygen -q -t ed25519 -N '' -f "$d/id" || return 1
    cp "$d/id.pub" "$d/authorized_keys"
    for i in 1 2 3 4 5; do
        port=$((20000 + RANDOM % 30000))
        cat >"$d/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $d/host_key
PidFile $d/sshd.pid
AuthorizedKeysFile $d/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
Subsystem sftp internal-sftp${SHARE_SFTP_LOG:+ -l $SHARE_SFTP_LOG}
${SHARE_SFTP_LOG:+LogLevel $SHARE_SFTP_LOG}
CONF
        /usr/sbin/sshd -f "$d/sshd_config" -E "$d/sshd.log" || continue
        local t
        for t in $(seq 1 50); do [ -s "$d/sshd.pid" ] && break; sleep 0.1; done
        [ -s "$d/sshd.pid" ] && break
    done
    [ -s "$d/sshd.pid" ] || return 1
    echo "$port" >"$d/port"
    share_mount "$d" "$d/c1" || return 1
    share_mount "$d" "$d/c2" || return 1
    local nc=(-o direct_io -o dir_cache=no -o entry_timeout=0 -o attr_timeout=0 -o negative_timeout=0)
    share_mount "$d" "$d/n1" "${nc[@]}" || return 1
    share_mount "$d" "$d/n2" "${nc[@]}" || return 1
}

share_down() {
    local d=$1 m
    for m in c1 c2 n1 n2; do
        mountpoint -q "$d/$m" 2>/dev/null && { fusermount3 -u "$d/$m" 2>/dev/null || fusermount3 -uz "$d/$m"; }
    done
    if [ -s "$d/sshd.pid" ]; then
        kill "$(cat "$d/sshd.pid")" 2>/dev/null
        rm -f "$d/sshd.pid"
    fi
    return 0
}

share_up_or_say() {
    local why
    why=$(share_why_not)
    [ -z "$why" ] || { echo "sshfs share: skipped: $why"; return 1; }
    share_up "$1" || { echo "sshfs share: skipped: could not start sshd or mount"; return 1; }
}
