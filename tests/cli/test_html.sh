#!/usr/bin/env bash
# test_html.sh — `report --format html`: the default plan's demo store as one
# self-contained page, opened in headless Chromium: no console message (the
# page's policy forbids every load and script, and breaking it logs one), a
# screenshot at 1280x900, the burn-up SVG with a point per elapsed week, a
# readiness row per member, a heatmap cell per domain x member, print to PDF;
# tidy finds no error; under 200 KB. Hostile notes and titles stay text in
# the HTML (checked in the DOM) and in the markdown (through pandoc).
. "$(dirname "$0")/../lib.sh"
unset CERTBOARD_MEMBER CERTBOARD_TODAY CERTBOARD_STORE CERTBOARD_PLAN
export XDG_DATA_HOME=$TMP/data
DEMO=${BUILD:-$ROOT/build}/tools/demo_store
CHROME=$(command -v chromium || command -v chromium-browser || true)
PLAN=$ROOT/plans/de-professional.yaml
DAY=2026-11-23
[ -x "$DEMO" ] || { skip all "no $DEMO (make test builds it)"; exit 0; }
"$DEMO" "$PLAN" "$TMP/store" exp1 "$DAY" >/dev/null
G="--plan $PLAN --store $TMP/store --today $DAY"
OUT=$TMP/report.html
"$CB" $G report --format html -o "$OUT" >"$TMP/err" 2>&1 && [ -s "$OUT" ] &&
    pass written || fail written "$(cat "$TMP/err")"
ls "$TMP"/report.html.tmp-* >/dev/null 2>&1 && fail no-temp-left "a temp file remains" || pass no-temp-left

size=$(wc -c <"$OUT")
[ "$size" -lt 204800 ] && pass "size-${size}-bytes" || fail size "$size bytes (limit 200 KB)"
if grep -Eiq '<script|https?://|url\(|<img|<link|<iframe|src=' "$OUT"; then
    fail self-contained "$(grep -Eio '<script|https?://[^"]*|url\([^)]*|<img|<link|<iframe|src=[^ ]*' "$OUT" | head -3)"
else
    pass self-contained
fi

if command -v tidy >/dev/null 2>&1; then
    tidy -errors -q "$OUT" >"$TMP/tidy" 2>&1
    rc=$?
    [ $rc -lt 2 ] && pass "tidy-no-error" || fail tidy "exit $rc: $(head -5 "$TMP/tidy")"
else
    skip tidy "tidy is not installed (sh scripts/deps.sh test)"
fi

chrome() { timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --no-first-run \
    --user-data-dir="$TMP/chrome" --enable-logging=stderr --v=0 "$@"; }
if [ -z "$CHROME" ]; then
    skip chromium "chromium is not installed (sh scripts/deps.sh test)"
else
    chrome --dump-dom "file://$OUT" >"$TMP/dom.html" 2>"$TMP/chrome.log"
    if grep -q "CONSOLE" "$TMP/chrome.log"; then
        fail no-console-message "$(grep CONSOLE "$TMP/chrome.log" | head -3 | cut -c1-300)"
    else
        pass no-console-message
    fi
    chrome --screenshot="$TMP/shot.png" --window-size=1280,900 "file://$OUT" >/dev/null 2>&1
    [ "$(head -c 4 "$TMP/shot.png" | tail -c 3)" = PNG ] && pass screenshot-1280x900 ||
        fail screenshot-1280x900 "no PNG written"
    chrome --print-to-pdf="$TMP/report.pdf" --no-pdf-header-footer "file://$OUT" >/dev/null 2>&1
    pages=$(python3 -c 'import re,sys; print(len(re.findall(rb"/Type\s*/Page[^s]", open(sys.argv[1],"rb").read())))' "$TMP/report.pdf" 2>/dev/null)
    [ "${pages:-0}" -ge 1 ] && pass "pdf-${pages}-pages" || fail pdf "no pages in $TMP/report.pdf"
    "$CB" $G report --format json >"$TMP/report.json"
    if python3 - "$TMP/dom.html" "$TMP/report.json" >"$TMP/py" 2>&1 <<'PY'; then pass dom; else fail dom "$(cat "$TMP/py")"; fi
import json, sys
from html.parser import HTMLParser
rep = json.load(open(sys.argv[2]))
class P(HTMLParser):
    def __init__(s):
        super().__init__(); s.stack = []; s.points = 0; s.rows = {}; s.cells = 0; s.svg = 0
    def handle_starttag(s, tag, attrs):
        a = dict(attrs); s.stack.append((tag, a.get("id")))
        ids = [i for _, i in s.stack if i]
        if tag == "svg" and a.get("id") == "burnup-chart": s.svg += 1
        if tag == "circle" and "burnup-chart" in ids and "done" in (a.get("class") or ""): s.points += 1
        if tag == "tr" and ids and "thead" not in [t for t, _ in s.stack]:
            s.rows[ids[-1]] = s.rows.get(ids[-1], 0) + 1
        if tag == "td" and "heatmap-grid" in ids and "cell" in (a.get("class") or ""): s.cells += 1
    def handle_endtag(s, tag):
        while s.stack and s.stack.pop()[0] != tag: pass
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
elapsed = sum(1 for b in rep["burnup"] if b["done"] is not None)
members = len(rep["progress"]); domains = len({h["domain"] for h in rep["heatmap"]})
bad = []
if p.svg != 1: bad.append(f"{p.svg} burn-up charts")
if p.points != elapsed: bad.append(f"{p.points} points, {elapsed} elapsed weeks")
if p.rows.get("readiness") != members: bad.append(f"readiness rows {p.rows.get('readiness')}, members {members}")
if p.cells != domains * members: bad.append(f"heatmap cells {p.cells}, want {domains} x {members}")
print(f"points {p.points}, readiness rows {p.rows.get('readiness')}, heatmap cells {p.cells}")
print("\n".join(bad)); sys.exit(1 if bad else 0)
PY
fi

# Hostile text: a note and plan titles holding a script, quotes, ampersands
# and a bidi override are text in the HTML and in the markdown.
HP=$TMP/hostile.yaml
sed -e 's|^  title: .*|  title: "Plan <script>alert(1)</script> \\"q\\" \x27s \&amp; \&lt;b\&gt; \\u202Egnp.exe"|' "$ROOT/tests/data/report-plan.yaml" >"$HP"
# (a bidi override in a note is refused at input; the title above carries one)
NOTE='<script>alert("x")</script><img src=x onerror=alert(1)> "quoted" & '"'"'single'"'"' end'
"$CB" --plan "$HP" --store "$TMP/h" --as lead milestone assets at-risk --note "$NOTE" >/dev/null 2>&1 ||
    fail hostile-note "the note was refused"
"$CB" --plan "$HP" --store "$TMP/h" --today 2026-02-16 report --format html >"$TMP/h.html"
"$CB" --plan "$HP" --store "$TMP/h" --today 2026-02-16 report --format markdown >"$TMP/h.md"
if grep -qi '<script\|<img' "$TMP/h.html"; then
    fail hostile-html "raw tag: $(grep -io '<script[^>]*>\|<img[^>]*>' "$TMP/h.html" | head -2)"
elif ! grep -q '&lt;script&gt;alert(&quot;x&quot;)' "$TMP/h.html"; then
    fail hostile-html "the note is not there as text"
else
    pass hostile-html
fi
if [ -n "$CHROME" ]; then
    chrome --dump-dom "file://$TMP/h.html" >"$TMP/hdom.html" 2>"$TMP/h.log"
    n=$(grep -o '<script' "$TMP/hdom.html" | wc -l)
    [ "$n" = 0 ] && grep -q 'alert("x")' "$TMP/hdom.html" && ! grep -q CONSOLE "$TMP/h.log" &&
        pass hostile-dom-inert || fail hostile-dom-inert "$n script elements; $(grep CONSOLE "$TMP/h.log" | head -2)"
fi
if command -v pandoc >/dev/null 2>&1; then
    pandoc -f gfm -t html "$TMP/h.md" >"$TMP/h.md.html" 2>/dev/null
    if grep -qi '<script\|<img' "$TMP/h.md.html"; then
        fail hostile-markdown "raw tag through pandoc: $(grep -io '<script[^>]*>\|<img[^>]*>' "$TMP/h.md.html" | head -2)"
    else
        grep -q 'alert' "$TMP/h.md.html" && pass hostile-markdown || fail hostile-markdown "the note is gone"
    fi
else
    skip hostile-markdown "pandoc is not installed (sh scripts/deps.sh test)"
fi
t_exit
