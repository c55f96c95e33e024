#!/usr/bin/env bash
# Event accuracy on real announcements (issue 4): runs eventcal over articles_public.jsonl through
# score_events.py and prints precision, recall and F1 at the three levels.
# Environment: EVENTCAL, SRCDIR, BENCH (default $SRCDIR/../shared/bench); VERBOSE=1 lists misses.
set -euo pipefail
: "${EVENTCAL:?set EVENTCAL to the eventcal binary}"
: "${SRCDIR:?set SRCDIR to the project root}"
BENCH=${BENCH:-$SRCDIR/../shared/bench}
PY=${PYTHON:-/usr/bin/python3}
if [ ! -f "$BENCH/articles_public.jsonl" ]; then
    echo "events bench: no data in $BENCH, skipped" >&2
    exit 77
fi
cmd="$EVENTCAL --rules $SRCDIR/rules --input jsonl --format json --timezone Europe/London -q -"
if [ -n "${VERBOSE:-}" ]; then
    # the misses and false alarms come before the figures: keep them all
    "$PY" "$BENCH/tools/score_events.py" "$BENCH/articles_public.jsonl" --cmd "$cmd" -v
else
    "$PY" "$BENCH/tools/score_events.py" "$BENCH/articles_public.jsonl" --cmd "$cmd" | tail -n 6
fi
