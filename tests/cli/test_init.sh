#!/usr/bin/env bash
# test_init.sh — `certboard init`: plans for teams of 1, 4, 6 and 13 from each
# bundled template validate with no warning; for Alice, Bob, Chen and Dana the
# mentor pairs, pods and sessions name only them, every member has a
# non-empty checklist, the exam is on a weekday, and a declared break moves the
# dates of the weeks after it.
. "$(dirname "$0")/../lib.sh"
export CERTBOARD_STORE="$TMP/store" XDG_DATA_HOME="$TMP/data"
names="Alice Smith:experienced,Bob Jones:intermediate,Chen Li:novice,Dana Ng:novice,Eve:novice,Femi:intermediate,Gus:experienced,Hana,Ivo,Jun,Kai,Lea,Max"
templates="de-professional ml-associate certification-roadmap"
for t in $templates; do
    if [ ! -f "$ROOT/plans/$t.yaml" ]; then skip init "template $t is not in this tree"; exit 0; fi
done

# weekday DATE: 1 (Monday) .. 7 (Sunday)
weekday() { date -u -d "$1" +%u; }

for t in $templates; do
    for n in 1 4 6 13; do
        f="$TMP/$t-$n.yaml"
        m=$(echo "$names" | cut -d, -f1-"$n")
        if ! "$CB" init --template "$ROOT/plans/$t.yaml" --members "$m" --start 2026-12-07 -o "$f" >"$TMP/init.out" 2>&1; then
            fail "$t-$n/init" "$(head -c 400 "$TMP/init.out")"; continue
        fi
        "$CB" validate "$f" >"$TMP/v.out" 2>&1
        rc=$?
        if [ "$rc" = 0 ] && [ "$(cat "$TMP/v.out")" = "$f: ok" ]; then pass "$t-$n/validates-without-warning"
        else fail "$t-$n/validates-without-warning" "exit $rc: $(head -c 400 "$TMP/v.out")"; fi
        "$CB" show "$f" >"$TMP/show" 2>&1
        # members listed in the plan: exactly n
        got=$(sed -n 's/^Members (\([0-9]*\)):$/\1/p' "$TMP/show")
        [ "$got" = "$n" ] && pass "$t-$n/members" || fail "$t-$n/members" "show says '$got' members"
        # every member has a non-empty checklist
        counts=$(sed -n '/items per member:/,$p' "$TMP/show" | tail -n +2 | awk '{print $2}')
        lines=$(echo "$counts" | grep -c '^[1-9][0-9]*$')
        [ "$lines" = "$n" ] && pass "$t-$n/every-member-has-items" ||
            fail "$t-$n/every-member-has-items" "$(sed -n '/items per member:/,$p' "$TMP/show" | head -20)"
        exam=$(sed -n 's/^Exam: *\([0-9-]*\),.*/\1/p' "$TMP/show")
        # a roadmap: the last exam, the one init places in the new calendar
        [ -n "$exam" ] || exam=$(sed -n 's/^  [a-z0-9-]* *week [0-9]* *\([0-9-]*\),.*/\1/p' "$TMP/show" | tail -1)
        wd=$(weekday "$exam")
        [ -n "$exam" ] && [ "$wd" -le 5 ] && pass "$t-$n/exam-on-weekday" ||
            fail "$t-$n/exam-on-weekday" "exam '$exam' (weekday $wd)"
    done
done

# The four-person team of the issue, in detail.
f="$TMP/team.yaml"
"$CB" init --template de-professional --members "Alice Smith:experienced,Bob Jones:intermediate,Chen Li:novice,Dana Ng:novice" \
    --start 2026-12-07 --lead alice -o "$f" >"$TMP/init.out" 2>&1 ||
    fail team/init "$(head -c 400 "$TMP/init.out")"
"$CB" show "$f" >"$TMP/show" 2>&1
ids="alice|bob|chen|dana"
pairs=$(sed -n '/^Mentor pairs/,/^$/p' "$TMP/show" | tail -n +2 | grep .)
if [ -n "$pairs" ] && ! echo "$pairs" | grep -Evq "^  ($ids) -> ($ids),"; then pass team/mentor-pairs-name-only-them
else fail team/mentor-pairs-name-only-them "$pairs"; fi
# each mentor is more experienced than their mentee
bad=""
while read -r mentor _ mentee _; do
    lm=$(sed -n "s/^  $mentor  *\([a-z]*\) .*/\1/p" "$TMP/show"); le=$(sed -n "s/^  ${mentee%,}  *\([a-z]*\) .*/\1/p" "$TMP/show")
    rank() { case $1 in novice) echo 0 ;; intermediate) echo 1 ;; experienced) echo 2 ;; *) echo 9 ;; esac; }
    [ "$(rank "$lm")" -gt "$(rank "$le")" ] || bad="$bad $mentor($lm)->${mentee%,}($le)"
done <<<"$pairs"
[ -z "$bad" ] && pass team/mentor-more-experienced || fail team/mentor-more-experienced "$bad"
pods=$(sed -n '/^Pods/,/^$/p' "$TMP/show" | grep 'lead ')
if [ "$(echo "$pods" | wc -l)" = 3 ] && ! echo "$pods" | sed 's/.*lead \([^;]*\);.*/\1/; s/, members / /; s/,/ /g' | tr ' ' '\n' | grep . | grep -Evq "^($ids)$"; then
    pass team/pods-name-only-them
else fail team/pods-name-only-them "$pods"; fi
# Sessions: owners are the team, a pod, a track or one of them; mentor syncs name them.
sessions=$(sed -n '/^sessions:/,$p' "$f")
owners=$(echo "$sessions" | grep -o "owner: '\?member:[a-z0-9-]*" | sed "s/.*member://" | sort -u)
syncs=$(echo "$sessions" | grep -c "Mentor sync: ")
if [ -n "$owners" ] && ! echo "$owners" | grep -Evq "^($ids)$" && [ "$syncs" -ge 2 ] &&
    ! echo "$sessions" | grep -Eq "Novice|Intermediate [12]|Experienced [12]|exp[12]|nov[12]|int[12]"; then
    pass team/sessions-name-only-them
else fail team/sessions-name-only-them "owners: $owners; syncs $syncs"; fi
# No archetype is left anywhere in the plan body (the header comment says who stands for whom).
if grep -v '^#' "$f" | grep -Eq "\b(exp|nov|int)[12]\b|(Novice|Intermediate|Experienced) [12]\b"; then
    fail team/no-archetypes-left "$(grep -v '^#' "$f" | grep -Em3 "\b(exp|nov|int)[12]\b|(Novice|Intermediate|Experienced) [12]\b")"
else pass team/no-archetypes-left; fi
grep -q "four-person team" "$f" && ! grep -q "six-person" "$f" && pass team/prose-fixed ||
    fail team/prose-fixed "$(grep -m2 -- '-person' "$f")"
grep -q "^Lead: *alice$" "$TMP/show" && pass team/lead || fail team/lead "$(grep '^Lead' "$TMP/show")"
# Mentor sync items follow the pairs: each mentor and mentee has their own.
for who in $(echo "$pairs" | awk '{print $1, $3}' | tr -d ,); do
    grep -q "owner: member:$who\|owner: 'member:$who'" <(sed -n '/^checklists:/,/^sessions:/p' "$f") || bad="$bad $who"
done
[ -z "$bad" ] && pass team/sync-items-follow-pairs || fail team/sync-items-follow-pairs "no sync checklist for:$bad"
"$CB" --plan "$f" --as dana tick "$(grep -o 'sync-mentee-w1-dana' "$f" | head -1)" >"$TMP/o" 2>&1 &&
    pass team/mentee-ticks-own-sync || fail team/mentee-ticks-own-sync "$(cat "$TMP/o")"

# A declared break moves the dates of the weeks after it, not before.
"$CB" init --members "Alice:experienced,Bob:novice" --start 2026-12-07 -o "$TMP/nobreak.yaml" >/dev/null 2>&1
"$CB" init --members "Alice:experienced,Bob:novice" --start 2026-12-07 --skip-weeks 2026-12-23 -o "$TMP/break.yaml" >/dev/null 2>&1
grep -q "breaks: \[2026-12-21\]" "$TMP/break.yaml" && pass break/declared || fail break/declared "$(grep -m1 breaks "$TMP/break.yaml")"
week_line() { "$CB" --plan "$1" --today "$2" dump standup --size 100x30 2>&1 | grep -o "This week: week [0-9]*, [0-9-]* to [0-9-]*"; }
a=$(week_line "$TMP/nobreak.yaml" 2026-12-14) b=$(week_line "$TMP/break.yaml" 2026-12-14)
[ "$a" = "This week: week 2, 2026-12-14 to 2026-12-20" ] && [ "$a" = "$b" ] && pass break/earlier-weeks-unchanged ||
    fail break/earlier-weeks-unchanged "'$a' vs '$b'"
a=$(week_line "$TMP/nobreak.yaml" 2026-12-21) b=$(week_line "$TMP/break.yaml" 2026-12-28)
[ "$a" = "This week: week 3, 2026-12-21 to 2026-12-27" ] && [ "$b" = "This week: week 3, 2026-12-28 to 2027-01-03" ] &&
    pass break/later-weeks-move || fail break/later-weeks-move "'$a' vs '$b'"
ea=$("$CB" show "$TMP/nobreak.yaml" | sed -n 's/^Exam: *\([0-9-]*\),.*/\1/p') eb=$("$CB" show "$TMP/break.yaml" | sed -n 's/^Exam: *\([0-9-]*\),.*/\1/p')
[ -n "$ea" ] && [ "$(date -u -d "$ea + 7 days" +%F)" = "$eb" ] && [ "$(weekday "$eb")" -le 5 ] && pass break/exam-moves ||
    fail break/exam-moves "$ea -> $eb"
"$CB" validate "$TMP/break.yaml" >"$TMP/v" 2>&1 && [ "$(cat "$TMP/v")" = "$TMP/break.yaml: ok" ] && pass break/validates ||
    fail break/validates "$(cat "$TMP/v")"

# A weekend exam date moves to the Friday before; usage errors.
"$CB" init --members "Alice" --start 2026-12-07 --exam-date 2027-02-28 -o "$TMP/x.yaml" >"$TMP/o" 2>&1
grep -q "date: 2027-02-26" "$TMP/x.yaml" && grep -q "exam moved from 2027-02-28" "$TMP/o" && pass exam-date-weekday ||
    fail exam-date-weekday "$(cat "$TMP/o")"
expect_status no-members 2 "$CB" init --start 2026-12-07
expect_status bad-level 2 "$CB" init --member "Alice:guru"
expect_status unknown-lead 2 "$CB" init --member Alice --lead zed
expect_status no-overwrite 1 "$CB" init --member Alice -o "$TMP/x.yaml"
# A members file: one per line, comments and blank lines ignored.
printf '# the team\nAlice Smith: experienced\n\nBob Jones\nChen Li:nov\n' >"$TMP/team.txt"
"$CB" init --members-file "$TMP/team.txt" --start 2026-12-07 -o "$TMP/mf.yaml" >"$TMP/o" 2>&1 &&
    [ "$("$CB" --plan "$TMP/mf.yaml" ids members | tr '\n' ' ')" = "alice bob chen " ] &&
    pass members-file || fail members-file "$(head -c 300 "$TMP/o")"
# --store: the store is created (shards inside) and the config file names
# the plan and the store, so plain `certboard --as bob tick ...` works.
mkdir -p "$TMP/share"
(cd "$TMP" && XDG_CONFIG_HOME="$TMP/cfg" "$CB" init --members "Alice:experienced,Bob:novice" -o own.yaml --store share/team) >"$TMP/o" 2>&1
if [ -d "$TMP/share/team/shards" ] && grep -q "^plan: \"$TMP/own.yaml\"" "$TMP/cfg/certboard/config.yaml" &&
    grep -q "^store: \"$TMP/share/team\"" "$TMP/cfg/certboard/config.yaml" &&
    (cd / && env -u CERTBOARD_STORE XDG_CONFIG_HOME="$TMP/cfg" "$CB" --as bob tick a-workspace) >"$TMP/o2" 2>&1 &&
    [ -n "$(ls "$TMP/share/team/shards")" ]; then
    pass store-and-config
else
    fail store-and-config "$(head -c 300 "$TMP/o") | $(head -c 200 "$TMP/o2")"
fi
(cd "$TMP" && XDG_CONFIG_HOME="$TMP/cfg" "$CB" init --member Alice -o own2.yaml --store share/team) >"$TMP/o" 2>&1
grep -q "plan: \"$TMP/own.yaml\"" "$TMP/cfg/certboard/config.yaml" && grep -q "exists, left alone" "$TMP/o" &&
    pass config-not-overwritten || fail config-not-overwritten "$(head -c 300 "$TMP/o")"
(cd "$TMP" && XDG_CONFIG_HOME="$TMP/cfg2" "$CB" init --member Alice -o own3.yaml --store nowhere/team) >"$TMP/o" 2>&1
rc=$?
[ "$rc" = 1 ] && grep -q "unreachable" "$TMP/o" && [ ! -e "$TMP/cfg2/certboard/config.yaml" ] &&
    pass store-unreachable-fails || fail store-unreachable-fails "exit $rc: $(head -c 300 "$TMP/o")"
# Hostile names are quoted, never break the YAML.
"$CB" init --member "null" --member "Ana 'boss' #1: novice" --member "- x" --member "Zoë [ops]" -o "$TMP/q.yaml" >"$TMP/o" 2>&1 &&
    "$CB" validate "$TMP/q.yaml" >/dev/null 2>&1 && grep -q "Zoë \[ops\]" <("$CB" show "$TMP/q.yaml") &&
    pass quoting || fail quoting "$(head -c 300 "$TMP/o")"
# A roadmap template keeps its exams: the earlier ones by week, the last on
# the exam day of the new calendar; --exam-date moves the last exam and must
# fall after the week of the one before it.
"$CB" init --template certification-roadmap --members "Alice,Bob" --start 2026-12-07 \
    --exam-date 2027-02-26 -o "$TMP/road.yaml" >"$TMP/o" 2>&1 &&
    "$CB" show "$TMP/road.yaml" >"$TMP/show" 2>&1 &&
    grep -q '^  genai  *week 3   2026-12-27,' "$TMP/show" &&
    grep -q '^  de-associate  *week 7   2027-01-24,' "$TMP/show" &&
    grep -q '^  ml-associate  *week 12  2027-02-26,' "$TMP/show" &&
    pass roadmap/exams || fail roadmap/exams "$(head -c 600 "$TMP/o" "$TMP/show")"
expect_status roadmap/exam-date-too-early 2 "$CB" init --template certification-roadmap \
    --members Alice --start 2026-12-07 --exam-date 2027-01-22 -o "$TMP/road2.yaml"
t_exit
