#!/usr/bin/env bash
# test_validate_store.sh — `certboard validate --store`: state made with the
# command line, then a plan edit that renames an item and removes a milestone;
# the orphaned state is named in warnings (exit 0), the store is not touched,
# and `export --format json` still has all of it.
. "$(dirname "$0")/../lib.sh"
SRC="$ROOT/plans/de-professional.yaml"
if [ ! -f "$SRC" ]; then skip validate-store "the default plan is not in this tree"; exit 0; fi
PLAN="$TMP/plan.yaml"
cp "$SRC" "$PLAN"
STORE="$TMP/store"
export XDG_DATA_HOME="$TMP/data"
unset CERTBOARD_STORE CERTBOARD_MEMBER
out() { "$CB" "$@" >"$TMP/o" 2>&1; echo $? >"$TMP/rc"; }
has() { # NAME STATUS TEXT: the last command exited STATUS and printed TEXT
    if [ "$(cat "$TMP/rc")" = "$2" ] && grep -qF -- "$3" "$TMP/o"; then pass "$1"
    else fail "$1" "exit $(cat "$TMP/rc"), want $2 and '$3': $(head -c 600 "$TMP/o")"; fi
}
lacks() { # NAME TEXT: the last command did not print TEXT
    if grep -qF -- "$2" "$TMP/o"; then fail "$1" "printed '$2': $(head -c 600 "$TMP/o")"; else pass "$1"; fi
}
# Every file under a directory with its checksum (empty when there is none).
fingerprint() { [ -d "$1" ] && (cd "$1" && find . -type f -exec md5sum {} + | sort); }

# No store yet: said, nothing created, the plan's status is the exit status.
out --plan "$PLAN" --store "$STORE" validate --store
has no-store 0 "STORE: no store at $STORE"
[ ! -e "$STORE" ] && [ ! -e "$TMP/data" ] && pass no-store-creates-nothing ||
    fail no-store-creates-nothing "$(find "$STORE" "$TMP/data" 2>&1 | head)"
out --plan "$PLAN" validate --store
has no-default-store 0 "STORE: no store at $TMP/data/certboard/de-professional"

# State made through the command line.
cb() { "$CB" --plan "$PLAN" --store "$STORE" "$@" >>"$TMP/setup" 2>&1 || fail setup "$*: $(cat "$TMP/setup")"; }
cb --as exp1 tick p1-teach
cb --as exp1 milestone foundations-complete at-risk --note "two behind"
cb --as nov1 tick a-free-edition
cb --as nov1 untick a-free-edition
cb --as nov1 tick a-workspace

out --plan "$PLAN" --store "$STORE" validate --store
has clean-store-ok 0 "$STORE: ok (4 keys, 5 changes; every id is in plan 'de-professional')"
lacks clean-store-no-warning "warning"

# The plan is edited: an item renamed, another removed, a milestone removed.
sed -e 's/{id: p1-teach,/{id: p1-teach-live,/' -e '/{id: foundations-complete,/d' \
    -e '/{id: a-free-edition,/d' "$SRC" >"$PLAN"
before=$(fingerprint "$STORE"; fingerprint "$TMP/data")
out --plan "$PLAN" --store "$STORE" validate --store
has renamed-item 0 "STORE: warning: tick of unknown item 'p1-teach' for exp1 (ticked; last changed "
has removed-milestone 0 "STORE: warning: status of unknown milestone 'foundations-complete' (status at-risk; last changed "
has cleared-tick 0 "STORE: warning: tick of unknown item 'a-free-edition' for nov1 (unticked; last changed "
has state-is-kept 0 "by exp1); the state is kept"
has summary 0 "$STORE: 3 keys whose ids plan 'de-professional' does not have (2 live, 1 cleared; 4 changes in the history); nothing was dropped"
lacks resolved-not-reported "a-workspace"
[ "$(grep -c '^STORE: warning:' "$TMP/o")" = 3 ] && pass one-warning-per-key ||
    fail one-warning-per-key "$(cat "$TMP/o")"
[ "$(fingerprint "$STORE"; fingerprint "$TMP/data")" = "$before" ] && pass store-untouched ||
    fail store-untouched "files under the store or the local data changed"

# The other ways to name the plan and the store.
out --store "$STORE" validate --store "$PLAN"
has plan-as-argument 0 "tick of unknown item 'p1-teach'"
CERTBOARD_STORE="$STORE" out --plan "$PLAN" validate --store
has store-from-environment 0 "status of unknown milestone 'foundations-complete'"
out --plan "$PLAN" --store "$STORE" validate --store "$PLAN" "$PLAN"
has two-plans-is-usage 2 "--store checks one plan at a time"

# A plan error still fails, and the store is not read.
sed 's/^  lead: exp1/  lead: nobody/' "$PLAN" >"$TMP/bad.yaml"
out --store "$STORE" validate --store "$TMP/bad.yaml"
has plan-error-exits-1 1 "invalid"
lacks plan-error-no-store "STORE"

# Nothing was dropped: the export still has every change and lists the orphans.
"$CB" --plan "$PLAN" --store "$STORE" export --format json >"$TMP/export.json" 2>"$TMP/export.err"
/usr/bin/python3 - "$TMP/export.json" >"$TMP/py" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
keys = [e["key"] for e in d["history"]]
assert len(keys) == 5, keys
for k in ("tick/p1-teach/exp1", "ms/foundations-complete", "tick/a-free-edition/nov1"):
    assert k in keys, k
    assert k in d["orphans"], (k, d["orphans"])
items = {i["id"]: i for i in d["items"]}
assert items["a-workspace"]["ticks"]["nov1"] is True
assert items["p1-teach-live"]["ticks"]["exp1"] is False
PY
[ $? = 0 ] && pass export-keeps-orphans || fail export-keeps-orphans "$(cat "$TMP/py")"

# The default store (no --store) is found for the plan's id.
"$CB" --plan "$PLAN" --as exp1 tick p1-teach-live >/dev/null 2>&1
sed 's/{id: p1-teach-live,/{id: p1-teach-final,/' "$PLAN" >"$TMP/plan2.yaml"
out --plan "$TMP/plan2.yaml" validate --store
has default-store 0 "tick of unknown item 'p1-teach-live' for exp1 (ticked"
t_exit
