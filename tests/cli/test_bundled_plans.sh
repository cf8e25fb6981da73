#!/usr/bin/env bash
# test_bundled_plans.sh — the plans shipped in plans/ and the complete example
# in docs/plan-format.md validate with no error and no warning.
. "$(dirname "$0")/../lib.sh"

# validate_clean NAME FILE: exit 0 and nothing on output mentioning a problem.
validate_clean() {
    "$CB" validate "$2" >"$TMP/v.out" 2>&1; rc=$?
    if grep -q 'not available yet' "$TMP/v.out"; then
        skip "$1" "validate is not implemented yet"
    elif [ "$rc" != 0 ] || grep -qE '(error|warning):' "$TMP/v.out"; then
        fail "$1" "exit $rc: $(head -c 400 "$TMP/v.out")"
    else
        pass "$1"
    fi
}

if [ ! -x "$CB" ]; then
    skip all "no binary at $CB"
    exit 0
fi

for f in "$ROOT"/plans/*.yaml; do
    validate_clean "$(basename "$f" .yaml)" "$f"
done

# The first ```yaml block after "## A complete example".
awk '/^## A complete example/ { on = 1 } on && /^```yaml/ { inb = 1; next }
     inb && /^```/ { exit } inb { print }' "$ROOT/docs/plan-format.md" >"$TMP/example.yaml"
if [ -s "$TMP/example.yaml" ]; then
    validate_clean doc-example "$TMP/example.yaml"
else
    fail doc-example "no yaml block under '## A complete example'"
fi
# The roadmap plan: three exams, in weeks 3, 7 and 12, each with its domains.
"$CB" show "$ROOT/plans/certification-roadmap.yaml" >"$TMP/show" 2>&1
exams=$(sed -n '/^Exams (/,/^Lead:/p' "$TMP/show" | grep -A1 -E '^  (genai|de-associate|ml-associate) +week ' |
    sed -E 's/^  ([a-z-]+) +week ([0-9]+) .*/\1 \2/; s/^ +domains /  /' | tr '\n' '|')
want='genai 3|  genai-llm, genai-prompt, genai-vector, genai-mlflow|'
want+='de-associate 7|  de-spark-sql, de-delta, de-etl, de-ingestion, de-transform|'
want+='ml-associate 12|  ml-pipelines, ml-mlflow, ml-features, ml-deployment|'
[ "$(sed -n 's/^Exams (\([0-9]*\)):$/\1/p' "$TMP/show")" = 3 ] && [ "$exams" = "$want" ] &&
    pass roadmap-show-exams || fail roadmap-show-exams "$exams"
t_exit
