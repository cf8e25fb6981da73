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

# Exam results: the title bar and the stand-up name the team's next exam and
# move on once every member passed it.
title() { "$CB" --as lrn1 --today "$1" dump standup --size 120x40 | head -1; }
case "$(title 2026-09-22)" in *"GenAI Associate in 5 days │"*) pass title-first-exam ;;
    *) fail title-first-exam "$(title 2026-09-22)" ;; esac
out --as lrn2 --today 2026-09-28 exam result genai passed --date 2026-09-26 --score 81
has result-mine 0 "recorded genai passed for lrn2"
out --as lrn2 --today 2026-09-28 exam result genai passed --member lrn3
has result-not-mine 1 "refused: lrn2 may change only their own exam results; the lead (lrn1) may change anyone's"
out --as lrn1 --today 2026-09-28 exam result genai passed --member lrn3 --date 2026-09-29
has result-in-future 1 "refused: passed on 2026-09-29: the day must not be after today (2026-09-28)"
out --as lrn1 --today 2026-09-28 exam result genai booked --score 70
has result-booked-score 1 "refused: a booked exam has no score yet"
out --as lrn1 --today 2026-09-28 exam result genai won
has result-bad-status 2 "unknown status 'won'"
out --as lrn1 --today 2026-09-28 exam result pro passed
has result-unknown-exam 1 "unknown exam 'pro'"
out --as lrn1 --today 2026-09-28 exam result genai passed --score 101
has result-bad-score 2 "bad score '101'"
out --as lrn1 --today 2026-09-28 exam result genai passed --member lrn1
has result-lead-self 0 "recorded genai passed for lrn1"
case "$(title 2026-09-28)" in *"GenAI Associate was yesterday │"*) pass title-waits-for-everyone ;;
    *) fail title-waits-for-everyone "$(title 2026-09-28)" ;; esac
out --as lrn1 --today 2026-09-28 exam result genai passed --member lrn3 --date 2026-09-27 --score 70
has result-lead-for-other 0 "recorded genai passed for lrn3"
case "$(title 2026-09-28)" in *"DE Associate in 27 days │"*) pass title-moves-on ;;
    *) fail title-moves-on "$(title 2026-09-28)" ;; esac
"$CB" --as lrn1 --today 2026-09-28 dump standup --size 120x80 >"$TMP/su"
grep -q "^ Next exam: Databricks Data Engineer Associate on 2026-10-25 (DE Associate in 27 days)" "$TMP/su" &&
    grep -q "^   Databricks GenAI Associate · passed 3 of 3 · lrn1 passed, lrn2 passed, lrn3 passed" "$TMP/su" &&
    grep -q "^ Readiness for DE Associate" "$TMP/su" && pass standup-next-exam ||
    fail standup-next-exam "$(grep -A6 'Next exam' "$TMP/su")"
out --today 2026-09-28 exam results
grep -q "^de-associate (Databricks Data Engineer Associate, 2026-10-25): the team's next exam" "$TMP/o" &&
    grep -q "^  lrn2           passed  2026-09-26 81%" "$TMP/o" && pass results-list ||
    fail results-list "$(cat "$TMP/o")"
out --as lrn1 --today 2026-09-28 log
has log-in-words 0 "lrn1 recorded lrn3 passed exam genai on 2026-09-27 with 70%"
# Clearing a result puts the team back on that exam.
out --as lrn1 --today 2026-09-28 exam result genai none --member lrn3
has result-cleared 0 "cleared the genai result of lrn3"
case "$(title 2026-09-28)" in *"GenAI Associate was yesterday │"*) pass title-back ;;
    *) fail title-back "$(title 2026-09-28)" ;; esac
"$CB" --today 2026-09-28 validate --store >"$TMP/v" 2>&1; rc=$?
[ "$rc" = 0 ] && ! grep -qi "orphan\|unknown" "$TMP/v" && pass results-not-orphans ||
    fail results-not-orphans "exit $rc: $(head -c 400 "$TMP/v")"

# The report, in every format, and the calendar show every exam.
for f in text markdown csv json html; do
    "$CB" --today 2026-09-28 report --format $f >"$TMP/r.$f" 2>"$TMP/r.err" || fail "report-$f" "$(cat "$TMP/r.err")"
    n=0
    for e in "Databricks GenAI Associate" "Databricks Data Engineer Associate" "Databricks Machine Learning Associate"; do
        grep -qF "$e" "$TMP/r.$f" && n=$((n + 1))
    done
    [ "$n" = 3 ] && grep -q "de-associate" "$TMP/r.$f" && pass "report-$f-every-exam" || fail "report-$f-every-exam" "$n of 3 exams"
done
grep -q '<section id="s-exams">' "$TMP/r.html" && grep -q '<section id="s-exam_readiness">' "$TMP/r.html" &&
    pass report-html-sections || fail report-html-sections "no exam sections"
PY=${PYTHON:-python3}
if "$PY" -c 'import jsonschema' 2>/dev/null; then
    "$PY" - "$ROOT/docs/report-schema.json" "$TMP/r.json" >"$TMP/js.out" 2>&1 <<'PYEOF'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
report = json.load(open(sys.argv[2]))
jsonschema.Draft202012Validator(schema).validate(report)
assert [e["exam"] for e in report["exams"]] == ["genai", "de-associate", "ml-associate"]
assert [e["next"] for e in report["exams"]] == [True, False, False]  # lrn3 cleared above
assert len(report["exam_readiness"]) == 9
r = report["exam_readiness"][1]
assert (r["exam"], r["member"], r["result"], r["result_day"], r["score"]) == ("genai", "lrn2", "passed", "2026-09-26", 81), r
PYEOF
    [ $? = 0 ] && pass report-json-schema || fail report-json-schema "$(head -c 600 "$TMP/js.out")"
else
    skip report-json-schema "no python3-jsonschema"
fi
"$CB" ical >"$TMP/cal.ics"
got=$(awk '/^UID:certification-roadmap-exam-/ { uid = $0 } /^DTSTART;VALUE=DATE:/ && uid { print uid " " $0; uid = "" }' "$TMP/cal.ics" | tr -d '\r' | tr '\n' '|')
want='UID:certification-roadmap-exam-genai@certboard DTSTART;VALUE=DATE:20260927|'
want+='UID:certification-roadmap-exam-de-associate@certboard DTSTART;VALUE=DATE:20261025|'
want+='UID:certification-roadmap-exam-ml-associate@certboard DTSTART;VALUE=DATE:20261129|'
[ "$got" = "$want" ] && pass ical-every-exam || fail ical-every-exam "$got"

# The Timeline marks each exam's week; the Domains pane groups by exam.
"$CB" --today 2026-09-28 dump timeline --size 120x80 >"$TMP/tl"
got=$(awk 'match($0, /^ +[^ ]? *Week +[0-9]+ /) { split(substr($0, RSTART), f, " "); w = (f[1] == "Week" ? f[2] : f[3]) }
    /^     exam: / { print w ": " substr($0, 12) }' "$TMP/tl" | tr '\n' '|')
want='3: Databricks GenAI Associate on 2026-09-27|7: Databricks Data Engineer Associate on 2026-10-25|'
want+='12: Databricks Machine Learning Associate on 2026-11-29|'
[ "$got" = "$want" ] && pass timeline-exam-weeks || fail timeline-exam-weeks "$got"
"$CB" --today 2026-09-28 dump domains --size 120x200 >"$TMP/dom"
got=$(grep -E '^ Databricks .*: domains by weight$|^   [0-9]+%  ' "$TMP/dom" | sed -E 's/^   [0-9]+%  ([A-Za-z ]+):.*/\1/; s/^ Databricks (.*): domains by weight$/[\1]/' | uniq | tr '\n' '|')
want='[GenAI Associate]|GenAI|[Data Engineer Associate]|DE Associate|[Machine Learning Associate]|ML Associate|'
[ "$got" = "$want" ] && pass domains-by-exam || fail domains-by-exam "$got"
t_exit
