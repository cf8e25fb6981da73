#!/usr/bin/env bash
# bench_report.sh — `certboard report` end to end (plan load + store merge +
# readiness + rendering) on a generated 100 members x 100 items plan with
# 100,000 history events. The generator is tests/tools/gen_store.c (from the
# dashboard work); without it this prints why and stops. The report's own
# cost, without loading, is measured by bench_report (the C one).
set -u
GEN="$BUILD/tools/gen_store"
if [ ! -x "$GEN" ]; then
    echo "skipped: no $GEN (tests/tools/gen_store.c is not in this tree)"
    exit 0
fi
dir="$BENCH_TMP/report-e2e"
mkdir -p "$dir"
if ! "$GEN" "$dir/plan.yaml" "$dir/store" --members 100 --items 100 --events 100000 >"$dir/gen.out" 2>&1; then
    echo "skipped: gen_store failed: $(head -c 300 "$dir/gen.out")"
    exit 0
fi
. "$ROOT/bench/median.sh"
ms() { echo $(( $(date +%s%N) / 1000 )); }
for f in text markdown csv json html; do
    v=()
    for _ in 1 2 3 4 5 6 7; do
        t0=$(ms)
        "$CB" --plan "$dir/plan.yaml" --store "$dir/store" --as m0 --today 2026-11-04 \
            report --format "$f" >"$dir/out.$f" 2>"$dir/err" || { echo "report failed: $(head -c 300 "$dir/err")"; exit 0; }
        v+=("$(awk -v d=$(( $(ms) - t0 )) 'BEGIN {printf "%.1f", d / 1000}')")
    done
    printf 'certboard report --format %-8s end to end: %s, %d bytes\n' \
        "$f" "$(summary "${v[@]}")" "$(wc -c <"$dir/out.$f")"
done
