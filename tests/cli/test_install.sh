#!/usr/bin/env bash
# test_install.sh — install hygiene: `make install`/`uninstall` with DESTDIR
# remove exactly what install wrote (canary files beside survive, also with
# DATADIR set to a shared directory); the man page renders; bash completion
# completes commands and item ids; LICENSE, CHANGELOG with the version; `~`
# and $HOME in the config file's paths.
. "$(dirname "$0")/../lib.sh"
BUILD=${BUILD:-$ROOT/build}

# --- install / uninstall -----------------------------------------------------
if ! command -v make >/dev/null 2>&1; then
    skip install "make is not installed"
else
    for variant in default shared-datadir; do
        stage="$TMP/stage-$variant"
        extra=()
        [ "$variant" = shared-datadir ] && extra=(DATADIR=/usr/local/share)
        mkdir -p "$stage/usr/local/bin" "$stage/usr/local/share/certboard" "$stage/usr/local/share/man/man1"
        echo keep >"$stage/usr/local/bin/canary"
        echo keep >"$stage/usr/local/share/canary"
        echo keep >"$stage/usr/local/share/certboard/canary-beside"
        echo keep >"$stage/usr/local/share/man/man1/other.1"
        (cd "$stage" && find . -type f | sort) >"$TMP/before"
        if ! make -s -C "$ROOT" BUILD="$BUILD" DESTDIR="$stage" PREFIX=/usr/local "${extra[@]}" install >"$TMP/inst" 2>&1; then
            fail "$variant/install" "$(tail -5 "$TMP/inst")"; continue
        fi
        (cd "$stage" && find . -type f | sort) >"$TMP/after-install"
        new=$(comm -13 "$TMP/before" "$TMP/after-install")
        echo "$new" | grep -q '/bin/certboard$' && echo "$new" | grep -q 'man1/certboard.1$' &&
            echo "$new" | grep -q 'completions/certboard$' && echo "$new" | grep -q 'plans/de-professional.yaml$' &&
            echo "$new" | grep -q 'doc/certboard/LICENSE$' && pass "$variant/install-writes-all" ||
            fail "$variant/install-writes-all" "$new"
        "$stage/usr/local/bin/certboard" --version | grep -q "^certboard [0-9]" && pass "$variant/installed-binary-runs" ||
            fail "$variant/installed-binary-runs" "$("$stage/usr/local/bin/certboard" --version 2>&1)"
        make -s -C "$ROOT" BUILD="$BUILD" DESTDIR="$stage" PREFIX=/usr/local "${extra[@]}" uninstall >"$TMP/un" 2>&1 ||
            fail "$variant/uninstall-status" "$(tail -5 "$TMP/un")"
        (cd "$stage" && find . -type f | sort) >"$TMP/after-uninstall"
        same "$variant/uninstall-removes-exactly-what-install-wrote" "$TMP/before" "$TMP/after-uninstall"
        [ ! -e "$stage/usr/local/share/doc/certboard" ] && pass "$variant/own-dirs-removed" ||
            fail "$variant/own-dirs-removed" "$(cd "$stage" && find . -path '*certboard*')"
    done
fi

# --- man page ---------------------------------------------------------------------
if command -v man >/dev/null 2>&1; then
    MANWIDTH=80 man --warnings -l "$ROOT/docs/certboard.1" >"$TMP/man" 2>"$TMP/man.err"
    if grep -q "^NAME" "$TMP/man" && grep -q "certboard - terminal dashboard" "$TMP/man" &&
        grep -q "^SYNOPSIS" "$TMP/man" && grep -q "init  *--member" "$TMP/man" && [ ! -s "$TMP/man.err" ]; then
        pass man-renders
    else
        fail man-renders "$(head -c 300 "$TMP/man.err") $(head -5 "$TMP/man")"
    fi
    # every command of --help is in the man page
    missing=""
    for c in $("$CB" --help | sed -n '/^Commands:/,/^$/p' | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p'); do
        grep -q "^ *$c\b" "$TMP/man" || missing="$missing $c"
    done
    [ -z "$missing" ] && pass man-lists-every-command || fail man-lists-every-command "missing:$missing"
else
    skip man-renders "man is not installed"
fi

# --- bash completion ---------------------------------------------------------------
comp() { # WORDS...: the completions for the last word
    CB_WORDS=("$@") bash -c '
        source "$0"
        COMP_WORDS=("${@}"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        _certboard; printf "%s\n" "${COMPREPLY[@]}"' "$ROOT/scripts/certboard.bash-completion" "$@"
}
PLAN="$ROOT/plans/de-professional.yaml"
[ "$(comp "$CB" ti)" = tick ] && pass completion-command || fail completion-command "$(comp "$CB" ti)"
got=$(comp "$CB" --plan "$PLAN" --as exp1 tick p1-t | sort | tr '\n' ' ')
[ "$got" = "p1-teach " ] && pass completion-item-ids || fail completion-item-ids "'$got'"
n=$(comp "$CB" --plan "$PLAN" untick "" | wc -l)
want=$("$CB" --plan "$PLAN" ids items | wc -l)
[ "$n" = "$want" ] && [ "$n" -gt 50 ] && pass completion-all-items || fail completion-all-items "$n of $want"
got=$(comp "$CB" --plan "$PLAN" --as "" | tr '\n' ' ')
[ "$got" = "nov1 nov2 int1 int2 exp1 exp2 " ] && pass completion-member-ids || fail completion-member-ids "'$got'"
got=$(comp "$CB" --plan "$PLAN" milestone foundations-complete at | tr '\n' ' ')
[ "$got" = "at-risk " ] && pass completion-statuses || fail completion-statuses "'$got'"
got=$(comp "$CB" dump st | tr '\n' ' ')
[ "$got" = "standup " ] && pass completion-panes || fail completion-panes "'$got'"

# --- LICENSE, CHANGELOG --------------------------------------------------------------
grep -q "^MIT License" "$ROOT/LICENSE" && grep -q "Copyright (c) [0-9]* the certboard authors" "$ROOT/LICENSE" &&
    pass license || fail license "$(head -3 "$ROOT/LICENSE")"
version=$("$CB" --version | awk '{print $2}')
grep -q "^## $version\b" "$ROOT/CHANGELOG.md" && pass changelog-has-version || fail changelog-has-version "no '## $version' in CHANGELOG.md"

# --- ~ and $HOME in the config file -----------------------------------------------------
home="$TMP/home"
mkdir -p "$home/cfg/certboard" "$home/plans"
cp "$PLAN" "$home/plans/p.yaml"
for form in '~' '$HOME' '${HOME}'; do
    printf 'plan: %s/plans/p.yaml\nstore: %s/x\n' "$form" "$form" >"$home/cfg/certboard/config.yaml"
    HOME="$home" XDG_CONFIG_HOME="$home/cfg" XDG_DATA_HOME="$home/data" "$CB" --as exp1 tick p1-teach >"$TMP/o" 2>&1
    if [ -d "$home/x/shards" ] && grep -q "ticked p1-teach" "$TMP/o" && [ ! -e "$home/~" ] && [ ! -e "$TMP/~" ] && [ ! -e "$ROOT/~" ]; then
        pass "config-expands-$form"
    else
        fail "config-expands-$form" "$(head -c 300 "$TMP/o")"
    fi
    rm -rf "$home/x" "$home/data"
done
t_exit
