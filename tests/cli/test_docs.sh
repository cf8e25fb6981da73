#!/usr/bin/env bash
# test_docs.sh — the docs hold together: every relative link in README.md and
# docs/*.md names a file that exists (anchors and web addresses aside), and
# every command `certboard --help` lists is in the man page, when there is one.
. "$(dirname "$0")/../lib.sh"
bad=""
for md in "$ROOT"/README.md "$ROOT"/docs/*.md; do
    dir=$(dirname "$md")
    for target in $(grep -o '](\([^)#]*\)' "$md" | sed 's/^](//' | grep -v '^[a-z]*:' | sort -u); do
        [ -e "$dir/$target" ] || bad="$bad ${md#"$ROOT"/} -> $target;"
    done
done
[ -z "$bad" ] && pass links-resolve || fail links-resolve "$bad"

# Paths of the repository named in the text (`docs/x.md`, tests/..., src/...)
bad=""
for md in "$ROOT"/README.md "$ROOT"/docs/*.md; do
    for path in $(grep -o '\b\(docs\|tests\|src\|include\|scripts\|plans\|bench\|fuzz\)/[A-Za-z0-9_./*-]*[A-Za-z0-9_*]' "$md" | sort -u); do
        case $path in *'*'*) continue ;; esac # a pattern, e.g. src/cmd_*.c
        # a built tool is named by its source (tests/tools/gen_store: gen_store.c)
        [ -e "$ROOT/$path" ] || [ -e "$ROOT/$path.c" ] || bad="$bad ${md#"$ROOT"/}: $path;"
    done
done
[ -z "$bad" ] && pass paths-exist || fail paths-exist "$bad"

MAN=$ROOT/docs/certboard.1
if [ ! -f "$MAN" ]; then
    skip man-covers-help "no man page at docs/certboard.1"
else
    missing=""
    for cmd in $("$CB" --help | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p'); do
        grep -Eq "^\.B[IR]? \"?$cmd( |\"|\$)" "$MAN" || missing="$missing $cmd"
    done
    [ -z "$missing" ] && pass man-covers-help || fail man-covers-help "not in the man page:$missing"
fi
t_exit
