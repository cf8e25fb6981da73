#!/bin/sh
# deps.sh — make sure what certboard needs is installed (Debian/Ubuntu).
#   sh scripts/deps.sh build   make, compiler, pkg-config, ncursesw, sqlite3, libyaml, libpq
#                              (the README's first command runs this before make,
#                              so a fresh minimal Debian needs nothing installed)
#   sh scripts/deps.sh test    also what the tests use: tmux, strace, sshfs/sshd/fuse3,
#                              python3 with icalendar, chromium, tidy, pandoc,
#                              postgresql (a throwaway server for the store tests)
#                              (tests skip what is missing)
#   sh scripts/deps.sh all     both, plus clang (`make fuzz`, the clang build), cppcheck
#                              and clang-format (`make analyse`, `make format-check`)
# As root with apt-get it installs what is missing; otherwise it prints the one
# command to run and (for `build`) fails.
set -u
profile=${1:-build}

build_pkgs="build-essential pkg-config libncurses-dev libsqlite3-dev libyaml-dev libpq-dev"
test_pkgs="tmux strace openssh-server openssh-client sshfs fuse3 python3 python3-icalendar python3-jsonschema locales man-db chromium tidy pandoc postgresql"
# (test also installs what a minimal system lacks for the tests: see check_test)
fuzz_pkgs="clang libclang-rt-dev cppcheck clang-format"

missing=""
need() { missing="$missing $1"; }

check_build() {
    command -v cc >/dev/null 2>&1 && command -v make >/dev/null 2>&1 || need "build-essential make"
    command -v pkg-config >/dev/null 2>&1 || need pkg-config
    if command -v pkg-config >/dev/null 2>&1; then
        pkg-config --exists ncursesw || need libncurses-dev
        pkg-config --exists sqlite3 || need libsqlite3-dev
        pkg-config --exists yaml-0.1 || need libyaml-dev
        pkg-config --exists libpq || need libpq-dev
    else
        need "libncurses-dev libsqlite3-dev libyaml-dev libpq-dev"
    fi
}

check_test() {
    command -v tmux >/dev/null 2>&1 || need tmux
    command -v strace >/dev/null 2>&1 || need strace
    command -v sshfs >/dev/null 2>&1 || need sshfs
    command -v fusermount3 >/dev/null 2>&1 || need fuse3
    [ -x /usr/sbin/sshd ] || need openssh-server
    command -v ssh-keygen >/dev/null 2>&1 || need openssh-client
    /usr/bin/python3 -c 'import icalendar' >/dev/null 2>&1 || need "python3 python3-icalendar"
    /usr/bin/python3 -c 'import jsonschema' >/dev/null 2>&1 || need python3-jsonschema
    command -v chromium >/dev/null 2>&1 || need chromium
    command -v tidy >/dev/null 2>&1 || need tidy
    command -v pandoc >/dev/null 2>&1 || need pandoc
    command -v localedef >/dev/null 2>&1 && [ -f /usr/share/i18n/locales/de_DE ] || need locales
    command -v man >/dev/null 2>&1 || need man-db
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need postgresql
}

check_fuzz() {
    command -v clang >/dev/null 2>&1 || need "clang libclang-rt-dev"
    command -v cppcheck >/dev/null 2>&1 || need cppcheck
    command -v clang-format >/dev/null 2>&1 || need clang-format
}

case "$profile" in
    build) check_build ;;
    test) check_build; check_test ;;
    all) check_build; check_test; check_fuzz ;;
    *) echo "usage: sh scripts/deps.sh build|test|all" >&2; exit 2 ;;
esac

[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "deps: installing:$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing; } >&2; then
        echo "deps: apt-get failed; run: apt-get install$missing" >&2
        [ "$profile" = build ] && exit 1
    fi
    exit 0
fi

if [ "$profile" = build ]; then
    echo "deps: missing libraries; run: sudo apt-get install$missing" >&2
    exit 1
fi
echo "deps: some tests will be skipped; to run them: sudo apt-get install$missing" >&2
exit 0
