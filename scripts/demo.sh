#!/bin/sh
# demo.sh BUILD [TODAY] — the live demo behind `make demo`: a copy of the
# default plan whose start is moved so that TODAY (default: the real today)
# falls in week 6, a plausible team history written by tests/tools/demo_store
# (ticks, milestone statuses, a note, practice exams) in a temporary store, and
# the dashboard on it as the team lead. Nothing outside the temporary
# directory is touched; it is removed when the dashboard closes.
#   DEMO_DIR=DIR keeps the plan and store in DIR instead (for tests).
#   DEMO_NO_UI=1 prepares everything and prints the command instead of running it.
set -eu
BUILD=${1:-build}
TODAY=${2:-${CERTBOARD_TODAY:-}}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PLAN_SRC=$ROOT/plans/de-professional.yaml
[ -n "$TODAY" ] || TODAY=$(date +%F)
if ! date -d "$TODAY" +%F >/dev/null 2>&1; then
    echo "demo: bad date '$TODAY' (want YYYY-MM-DD)" >&2
    exit 2
fi
# Monday of TODAY's week, then five weeks earlier: TODAY is in week 6.
dow=$(date -u -d "$TODAY" +%u)
start=$(date -u -d "$TODAY -$((dow - 1 + 35)) days" +%F)

if [ -n "${DEMO_DIR:-}" ]; then
    dir=$DEMO_DIR
    mkdir -p "$dir"
else
    dir=$(mktemp -d "${TMPDIR:-/tmp}/certboard-demo.XXXXXX")
    trap 'rm -rf "$dir"' EXIT INT TERM
fi
sed "s/^  start: [0-9-]*/  start: $start/" "$PLAN_SRC" >"$dir/plan.yaml"
grep -q "^  start: $start" "$dir/plan.yaml" || { echo "demo: cannot move the plan's start" >&2; exit 1; }
# The demo's own local database and config: never the user's.
export XDG_DATA_HOME="$dir/data" XDG_CONFIG_HOME="$dir/config"
unset CERTBOARD_PLAN CERTBOARD_STORE CERTBOARD_MEMBER
"$BUILD/tools/demo_store" "$dir/plan.yaml" "$dir/store" exp1 "$TODAY" >&2
set -- "$BUILD/certboard" --plan "$dir/plan.yaml" --store "$dir/store" --as exp1 --today "$TODAY"
if [ -n "${DEMO_NO_UI:-}" ]; then
    echo "$@"
    exit 0
fi
echo "demo: plan started $start, today $TODAY is in week 6; acting as the lead (exp1). q quits." >&2
"$@"
