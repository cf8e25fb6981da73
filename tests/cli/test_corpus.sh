#!/usr/bin/env bash
# test_corpus.sh — `certboard validate` on every input of the YAML test suite:
# no crash (status 0 or 1 only; a sanitizer report or a signal fails), no hang
# (5 s each), and every rejected input's output carries a :LINE:COL: position.
. "$(dirname "$0")/../lib.sh"
# YAML_TEST_SUITE overrides where the suite is (e.g. from a git worktree).
CORPUS=${YAML_TEST_SUITE:-$ROOT/../shared/corpora/yaml-test-suite}
if [ ! -d "$CORPUS" ]; then
    skip corpus "no YAML test suite at $CORPUS (set YAML_TEST_SUITE)"
    exit 0
fi
mapfile -d '' inputs < <(find "$CORPUS" -name in.yaml -print0 | sort -z)
if [ ${#inputs[@]} = 0 ]; then
    skip corpus "no in.yaml files under $CORPUS"
    exit 0
fi
accepted=0 rejected=0 crashed=0 unpositioned=0 first_bad=""
for f in "${inputs[@]}"; do
    timeout -k 2 5 "$CB" validate "$f" >"$TMP/out" 2>&1
    rc=$?
    # Sanitizers exit with status 1 too: their report is what tells.
    if grep -q -e 'Sanitizer' -e 'runtime error:' "$TMP/out"; then rc=99; fi
    case $rc in
    0) accepted=$((accepted + 1)) ;;
    1)
        rejected=$((rejected + 1))
        if ! grep -q ':[0-9][0-9]*:[0-9][0-9]*: error: ' "$TMP/out"; then
            unpositioned=$((unpositioned + 1))
            [ -n "$first_bad" ] || first_bad="$f: $(head -c 300 "$TMP/out")"
        fi
        ;;
    *)
        crashed=$((crashed + 1))
        [ -n "$first_bad" ] || first_bad="$f: exit $rc: $(head -c 300 "$TMP/out")"
        ;;
    esac
done
echo "corpus: ${#inputs[@]} inputs, $accepted accepted, $rejected rejected"
if [ "$crashed" = 0 ]; then pass no_crash_no_hang; else
    fail no_crash_no_hang "$crashed inputs crashed or hung; first: $first_bad"; fi
if [ "$unpositioned" = 0 ]; then pass rejections_have_positions; else
    fail rejections_have_positions "$unpositioned without LINE:COL; first: $first_bad"; fi
t_exit
