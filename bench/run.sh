#!/usr/bin/env bash
# bench/run.sh BUILD — runs every benchmark (BUILD/bench/bench_* and
# bench/bench_*.sh) and prints their figures. Benchmarks assert nothing.
set -u
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
export ROOT BUILD CB="$BUILD/certboard"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/cbbench.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" HOME="$scratch/home" BENCH_TMP="$scratch"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$HOME"
unset CERTBOARD_PLAN CERTBOARD_STORE CERTBOARD_MEMBER CERTBOARD_TODAY
for b in "$BUILD"/bench/bench_* "$ROOT"/bench/bench_*.sh; do
    [ -f "$b" ] || continue
    case "$b" in *.d) continue ;; esac
    echo "== $(basename "$b")"
    case "$b" in *.sh) timeout 900 bash "$b" ;; *) timeout 900 "$b" ;; esac
    echo
done
