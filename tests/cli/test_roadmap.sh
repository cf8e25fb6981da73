#!/usr/bin/env bash
# test_roadmap.sh — the roadmap plan (several exams): practice attempts name
# their exam (given, or from their domains, or the exam due next), and are
# refused against an exam that has no such domain.
. "$(dirname "$0")/../lib.sh"
PLAN="$ROOT/plans/certification-roadmap.yaml"
if [ ! -f "$PLAN" ]; then skip roadmap "the roadmap plan is not in this tree"; exit 0; fi
export CERTBOARD_PLAN="$PLAN" CERTBOARD_STORE="$TMP/store" XDG_DATA_HOME="$TMP/data"
out() { "$CB" "$@" >"$TMP/o" 2>&1; echo $? >"$TMP/rc"; }
has() { # NAME STATUS TEXT: the last command exited STATUS and printed TEXT
    if [ "$(cat "$TMP/rc")" = "$2" ] && grep -qF -- "$3" "$TMP/o"; then pass "$1"
    else fail "$1" "exit $(cat "$TMP/rc"), want $2 and '$3': $(head -c 400 "$TMP/o")"; fi
}

out --as lrn1 --today 2026-09-23 exam record --id g1 --domain genai-llm=8/10 --domain genai-prompt=6/10
has record-by-domains 0 "recorded exam attempt g1"
out --as lrn2 --today 2026-09-23 exam record --id g2 --total 30/45
has record-totals 0 "recorded exam attempt g2"
out --as lrn2 --today 2026-10-01 exam record --id d1 --total 20/45
has record-after-first-exam 0 "recorded exam attempt d1"
out --as lrn1 --today 2026-09-23 exam record --id m1 --exam ml-associate --total 20/45
has record-named 0 "recorded exam attempt m1"
out --as lrn1 --today 2026-09-23 exam record --exam de-associate --domain genai-llm=1/2
has refuse-domain-of-other-exam 1 "domain 'genai-llm' is not in exam 'de-associate'"
out --as lrn1 --today 2026-09-23 exam record --exam pro --total 1/2
has refuse-unknown-exam 1 "unknown exam 'pro'"
out --as lrn1 --today 2026-09-23 exam record --total 46/46
has refuse-over-exam-length 1 "total: 46 questions asked, the exam has 45"

out --today 2026-10-02 exam list
list=$(awk '{print $1, $NF == "" ? "" : $0}' "$TMP/o" | sed -E 's/^([a-z0-9]+) .*\[([a-z-]+)\].*/\1 \2/' | sort | tr '\n' ' ')
[ "$list" = "d1 de-associate g1 genai g2 genai m1 ml-associate " ] && pass list-names-exams ||
    fail list-names-exams "$list: $(cat "$TMP/o")"
t_exit
