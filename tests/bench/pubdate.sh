#!/usr/bin/env bash
# Publication dates from saved pages (issue 8): runs eventcal --format meta over the 197 pages of
# html_pubdate.jsonl through its scorer and prints the summary table and the last line.
# Environment: EVENTCAL, SRCDIR, BENCH (default $SRCDIR/../shared/bench).
set -euo pipefail
: "${EVENTCAL:?set EVENTCAL to the eventcal binary}"
: "${SRCDIR:?set SRCDIR to the project root}"
BENCH=${BENCH:-$SRCDIR/../shared/bench}
PY=${PYTHON:-/usr/bin/python3}
if [ ! -f "$BENCH/html_pubdate.jsonl" ]; then
    echo "pubdate bench: no data in $BENCH, skipped" >&2
    exit 77
fi
cmd="$EVENTCAL --rules $SRCDIR/rules --input jsonl --format meta -q -"
"$PY" "$BENCH/tools/score_pubdate.py" "$BENCH/html_pubdate.jsonl" --cmd "$cmd" | grep -E '^(time|all|lang|pubdate_accuracy)'
