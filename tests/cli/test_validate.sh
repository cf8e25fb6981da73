#!/usr/bin/env bash
# test_validate.sh — `certboard validate` and `certboard show`: exit statuses
# (0 valid, 1 invalid, 2 usage), the diagnostic format, the per-file summary,
# and every plan shipped in plans/.
. "$(dirname "$0")/../lib.sh"
DATA=$ROOT/tests/data/plans

expect_status valid_exits_0 0 "$CB" validate "$DATA/minimal.yaml"
expect_status invalid_exits_1 1 "$CB" validate "$DATA/several-errors.yaml"
expect_status missing_file_exits_1 1 "$CB" validate "$TMP/nonexistent.yaml"
expect_status unknown_option_exits_2 2 "$CB" validate --frobnicate "$DATA/minimal.yaml"
expect_status one_bad_of_two_exits_1 1 "$CB" validate "$DATA/minimal.yaml" "$DATA/several-errors.yaml"
expect_status configured_plan 0 "$CB" --plan "$DATA/minimal.yaml" validate
expect_status plan_from_environment 1 env CERTBOARD_PLAN="$DATA/several-errors.yaml" "$CB" validate
expect_status dashdash_then_file 0 "$CB" validate -- "$DATA/minimal.yaml"
expect_status help_exits_0 0 "$CB" validate --help
expect_status show_valid 0 "$CB" show "$DATA/minimal.yaml"
expect_status show_invalid 1 "$CB" show "$DATA/several-errors.yaml"
expect_status show_two_files_is_usage 2 "$CB" show "$DATA/minimal.yaml" "$DATA/minimal.yaml"

# Diagnostics: FILE:LINE:COL: error|warning: MESSAGE in the file's order, then the
# summary line.
cd "$ROOT" || exit 1
"$CB" validate tests/data/plans/several-errors.yaml >"$TMP/out" 2>&1
cat >"$TMP/want" <<'WANT'
tests/data/plans/several-errors.yaml:4:10: error: bad date '2026-13-01' for 'start' in 'plan' (expected YYYY-MM-DD)
tests/data/plans/several-errors.yaml:15:5: error: missing required key 'level' in member 'bo'
tests/data/plans/several-errors.yaml:15:5: error: member 'bo' is in no pod
tests/data/plans/several-errors.yaml:17:5: warning: unknown key 'levle' in member (did you mean 'level'?)
tests/data/plans/several-errors.yaml:20:3: error: domain weights sum to 90, not 100
tests/data/plans/several-errors.yaml:30:20: error: unknown member 'nov3' in pod 'p1'
tests/data/plans/several-errors.yaml: invalid (5 errors, 1 warning)
WANT
same diagnostics_format "$TMP/want" "$TMP/out"

"$CB" validate tests/data/plans/minimal.yaml >"$TMP/out" 2>&1
echo "tests/data/plans/minimal.yaml: ok" >"$TMP/want"
same summary_ok "$TMP/want" "$TMP/out"

sed 's/stated_weight: 50/stated_weight: 45/' "$DATA/minimal.yaml" >"$TMP/warn.yaml"
expect_status warnings_still_valid 0 "$CB" validate "$TMP/warn.yaml"
if grep -q "^$TMP/warn.yaml: ok (1 warning)$" "$TMP/out"; then pass summary_warning; else
    fail summary_warning "$(cat "$TMP/out")"; fi

"$CB" show tests/data/plans/minimal.yaml >"$TMP/show" 2>&1
if grep -q "^Plan: *Mini plan (mini)$" "$TMP/show" &&
   grep -q "p1 *weight 50-55%, lead ana, members ana, bo; domains ingest, model" "$TMP/show" &&
   grep -q "Domains (3, total 95-105%)" "$TMP/show"; then
    pass show_summary
else
    fail show_summary "$(head -c 600 "$TMP/show")"
fi

# Every plan in the repository must be valid.
shopt -s nullglob
plans=("$ROOT"/plans/*.yaml)
if [ ${#plans[@]} = 0 ]; then
    skip shipped_plans "no plans/*.yaml in the repository yet"
else
    for p in "${plans[@]}"; do
        expect_status "shipped_plan_$(basename "$p" .yaml)" 0 "$CB" validate "$p"
    done
fi
t_exit
