#!/usr/bin/env bash
# test_locale.sh — output does not depend on the locale: under
# LC_ALL=de_DE.UTF-8 (decimal comma) `show`, `report` (text and json) and a
# dumped pane are byte-identical to LC_ALL=C, and a plan's 60.5 reads as 60.5.
# The German locale is generated when missing (root with localedef), else SKIP.
. "$(dirname "$0")/../lib.sh"
LOC=de_DE.UTF-8
has_locale() { locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; }
if ! has_locale && [ "$(id -u)" = 0 ] && command -v localedef >/dev/null 2>&1; then
    localedef -i de_DE -f UTF-8 "$LOC" >/dev/null 2>&1
fi
if ! has_locale && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && [ -n "${CB_TEST_INSTALL:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq locales >/dev/null 2>&1 && localedef -i de_DE -f UTF-8 "$LOC" >/dev/null 2>&1
fi
if ! has_locale; then
    skip locale "locale $LOC is not available (as root: apt-get install locales && localedef -i de_DE -f UTF-8 $LOC)"
    exit 0
fi
# The check itself: the locale really uses a decimal comma here.
[ "$(LC_ALL=$LOC locale decimal_point 2>/dev/null)" = "," ] && pass locale-has-decimal-comma ||
    fail locale-has-decimal-comma "decimal point under $LOC: '$(LC_ALL=$LOC locale decimal_point 2>&1)'"

# A plan with fractional numbers: weights 60.5 and 34.5-44.5, pass 70.5%.
plan="$TMP/frac.yaml"
sed -n '/^```yaml$/,/^```$/p' "$ROOT/docs/plan-format.md" | sed '1d;$d' |
    sed 's/    weight: 60$/    weight: 60.5/; s/weight: "35-45" .*/weight: "34.5-44.5"/; s/passing_score: 70$/passing_score: 70.5/; s/stated_weight: 60 .*/stated_weight: 60.5/' >"$plan"
grep -q "weight: 60.5" "$plan" && grep -q "passing_score: 70.5" "$plan" || { fail fixture "cannot build the plan from docs/plan-format.md"; exit 1; }
export CERTBOARD_STORE="$TMP/store" XDG_DATA_HOME="$TMP/data"
run() { # LOCALE ARGS...
    local l=$1; shift
    LC_ALL=$l LANG=$l "$CB" --plan "$plan" --today 2026-01-20 "$@" 2>&1
}
for named in "show:show $plan" "report:report" "report-json:report --format json" "report-csv:report --format csv" \
    "report-markdown:report --format markdown" "dump-domains:dump domains --size 120x40" "dump-team:dump team --size 120x40"; do
    name=${named%%:*} cmd=${named#*:}
    # shellcheck disable=SC2086
    run C $cmd >"$TMP/c.out"
    # shellcheck disable=SC2086
    run "$LOC" $cmd >"$TMP/de.out"
    same "identical-$name" "$TMP/c.out" "$TMP/de.out"
done
run "$LOC" show "$plan" >"$TMP/show"
grep -q "60.5%" "$TMP/show" && grep -q "pass 70.5%" "$TMP/show" && pass reads-60.5 ||
    fail reads-60.5 "$(grep -E 'queries|Exam' "$TMP/show")"
run "$LOC" dump domains --size 120x40 >"$TMP/dump"
grep -q "60.5%" "$TMP/dump" && ! grep -q "60,5" "$TMP/dump" && pass dump-reads-60.5 ||
    fail dump-reads-60.5 "$(grep -m3 -E 'Writing|60' "$TMP/dump")"
run "$LOC" validate "$plan" >"$TMP/v"
[ "$(cat "$TMP/v")" = "$plan: ok" ] && pass validates-under-locale || fail validates-under-locale "$(cat "$TMP/v")"
t_exit
