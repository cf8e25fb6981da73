#!/usr/bin/env bash
# screens.sh — regenerates docs/screens.md: every pane of the default plan as
# `certboard dump` prints it, on a store that tests/tools/demo_store fills
# with a plausible week-12 history. Run after `make test` (which builds both):
#   bash scripts/screens.sh [BUILD_DIR]   (default: build)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
CB=$BUILD/certboard
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cbscreens.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export XDG_DATA_HOME=$TMP/data XDG_CONFIG_HOME=$TMP/config
unset CERTBOARD_PLAN CERTBOARD_STORE CERTBOARD_MEMBER CERTBOARD_TODAY
PLAN=$ROOT/plans/de-professional.yaml
TODAY=2026-11-23
"$BUILD/tools/demo_store" "$PLAN" "$TMP/store" exp1 "$TODAY" >&2
G="--plan $PLAN --store $TMP/store --today $TODAY --as exp1"

# shot TITLE DUMP-ARGS...: a section with the dump in a code block.
shot() {
    local title=$1
    shift
    printf '## %s\n\n```\n' "$title"
    "$CB" $G dump "$@" | sed 's/[[:space:]]*$//'
    printf '```\n\n'
}

NL=$'\n'
{
    cat <<EOF
# Screens

The dashboard's six panes as \`certboard dump\` prints them: the same drawing
code as the terminal, without colors. Taken at 100x30 on the default plan
(\`plans/de-professional.yaml\`) on Monday of week 12, as the team lead (\`exp1\`),
with a store holding eleven weeks of ticks, three milestone statuses, the last
stand-up marked held, two blockers and one practice exam per member (written by \`tests/tools/demo_store\`). Regenerate
this page with \`bash scripts/screens.sh\` after \`make test\`; one pane, for
example:

    certboard --plan plans/de-professional.yaml --store DIR --today $TODAY \\
        --as exp1 dump timeline --size 100x30

\`dump\` also takes \`--member M\`, \`--filter week|overdue|all\`, \`--ascii\` and
\`--keys K\` (keys pressed before printing, e.g. \`--keys '/Readiness'\$'\\n'\`).

In the terminal: \`1\`-\`6\` or Tab switch panes, arrows or \`hjkl\` move, \`Enter\`
shows the whole text of a row, \`/\` searches (then \`n\`/\`N\`), Space ticks, \`b\`
blocks an item with a note (or unblocks it), \`s\` opens the status picker (then
\`p\`, \`o\`, \`a\` with a note, or \`d\`: one change), \`e\` writes a note on a
milestone, \`H\` marks the stand-up held (the lead), \`u\` undoes and says what,
\`r\` re-reads the store, \`?\` lists every key, \`q\` quits. The dashboard opens
on the Stand-up pane for the lead and on My week for a member (\`home:\` in the
config file or \`CERTBOARD_HOME\` names another pane). The title bar shows the
week and phase, the days to the exam, who you are, the store's state and the
time of the last refresh.

EOF
    shot "1. Timeline" timeline --size 100x30
    shot "2. Team" team --size 100x30
    shot "2. Team, further down: the plan and its schedule" team --size 100x30 --keys "/The plan$NL"
    shot "3. Checklists (Novice 1, filter: overdue)" checklists --size 100x30 --member nov1 --filter overdue
    shot "4. Domains: practice-exam heatmap and team hit list first" domains --size 100x30
    shot "4. Domains, further down: each domain's weight, resources and items" domains --size 100x30 --keys "/Exam domains$NL"
    shot "4. Domains, pod view (p): one pod's results, items, teach sessions and library" domains --size 100x30 --keys "p"
    shot "5. Stand-up (the lead's home): blockers, this week, who is behind, at risk" standup --size 100x30
    shot "5. Stand-up, further down: the changes since the last stand-up, by member" standup --size 100x30 --keys "/Changes since$NL"
    shot "5. Stand-up, further down: overdue, readiness, burn-up" standup --size 100x30 --keys "/Readiness (projected$NL"
    shot "5. Stand-up: the status picker (s on a milestone)" standup --size 100x30 --keys "s"
    printf '## %s\n\n```\n' "6. My week (a member's home; here Novice 2, who is blocked)"
    "$CB" --plan "$PLAN" --store "$TMP/store" --today "$TODAY" --as nov2 dump myweek --size 100x30 |
        sed 's/[[:space:]]*$//'
    printf '```\n\n'
    shot "Details of a row (Enter), here a member in the stand-up" standup --size 100x30 --keys "/Readiness${NL}j$NL"
    shot "Help (?)" timeline --size 100x30 --keys "?"
    shot "80x24: Domains" domains --size 80x24
    shot "80x24: Stand-up" standup --size 80x24
    shot "80x24, ASCII only (--ascii; CERTBOARD_ASCII=1 in the terminal)" checklists --size 80x24 --ascii --filter all
} >"$TMP/screens.md"
sed -i '$ d' "$TMP/screens.md" # no blank line at the end
cp "$TMP/screens.md" "$ROOT/docs/screens.md"
echo "wrote docs/screens.md" >&2
