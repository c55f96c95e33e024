#!/usr/bin/env bash
# Temporal tagging accuracy (issue 3): runs eventcal --format timex through the TimeBank
# (TempEval-3) scorer, for all types and for DATE+TIME, and through chrono's English cases (as
# TIMEX3 values and as --timex-style instant), and prints each scorer's last line, then chrono-node
# and dateparser on the same chrono cases when ../shared/peers is installed.  The data
# and scorers live in ../shared/bench.
# Environment: EVENTCAL (the binary), SRCDIR (the project root), BENCH (default $SRCDIR/../shared/bench).
set -euo pipefail
: "${EVENTCAL:?set EVENTCAL to the eventcal binary}"
: "${SRCDIR:?set SRCDIR to the project root}"
BENCH=${BENCH:-$SRCDIR/../shared/bench}
PY=${PYTHON:-/usr/bin/python3}
if [ ! -f "$BENCH/timebank.jsonl" ] || [ ! -f "$BENCH/chrono_en.tsv" ]; then
    echo "timex bench: no data in $BENCH, skipped" >&2
    exit 77
fi
cmd="$EVENTCAL --rules $SRCDIR/rules --input jsonl --format timex -q -"
echo "timebank all types:  $("$PY" "$BENCH/tools/score_timex.py" "$BENCH/timebank.jsonl" --cmd "$cmd" | tail -n 1)"
echo "timebank DATE+TIME:  $("$PY" "$BENCH/tools/score_timex.py" "$BENCH/timebank.jsonl" --cmd "$cmd" --types DATE,TIME | tail -n 1)"
# chrono's cases follow chrono's conventions (a month is its first day, "next week" the reference
# plus seven days): scored on the TIMEX3 values and on the instants of --timex-style instant
echo "chrono_en (TIMEX3):  $("$PY" "$BENCH/tools/score_phrases.py" "$BENCH/chrono_en.tsv" --cmd "$cmd" --format timex | tail -n 1)"
echo "chrono_en (instant): $("$PY" "$BENCH/tools/score_phrases.py" "$BENCH/chrono_en.tsv" --cmd "$cmd --timex-style instant" --format timex | tail -n 1)"
# the peers on the same cases, in the same run, when ../shared/peers is installed (its README)
PEERS=${PEERS_DIR:-$SRCDIR/../shared/peers}
if command -v node >/dev/null 2>&1 && [ -d "$PEERS/node/node_modules/chrono-node" ]; then
    echo "chrono_en, chrono-node (casual): $("$PY" "$BENCH/tools/score_phrases.py" "$BENCH/chrono_en.tsv" --cmd "node $PEERS/chrono_adapter.mjs" --format peer | tail -n 1)"
else
    echo "chrono_en, chrono-node: not installed ($PEERS/install.sh), skipped"
fi
if /usr/bin/python3 -c 'import dateparser' 2>/dev/null; then
    echo "chrono_en, dateparser:           $("$PY" "$BENCH/tools/score_phrases.py" "$BENCH/chrono_en.tsv" --cmd "/usr/bin/python3 $PEERS/dateparser_adapter.py" --format peer | tail -n 1)"
else
    echo "chrono_en, dateparser: not installed ($PEERS/install.sh), skipped"
fi
