# bench/median.sh — sourced by the shell benchmarks: `summary V...` prints
# "median M ms (min-max A-B, N runs)" of the numbers given (ms). Medians with
# the range are the honest figure on a noisy machine; a best-of hides it.
# `bench_need NAME FILE...` ends the benchmark NAME with "skipped: why" when
# one of the programs it runs is missing.
bench_need() {
    local name=$1 tool
    shift
    for tool in "$@"; do
        [ -x "$tool" ] || { echo "$name: skipped: $tool is missing (make bench builds it)"; exit 0; }
    done
}
summary() {
    printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {
        if (NR == 0) { print "no runs"; exit }
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "median %.1f ms (min-max %.1f-%.1f, %d runs)\n", m, v[1], v[NR], NR }'
}
