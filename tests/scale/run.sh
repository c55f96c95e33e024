#!/usr/bin/env bash
# The cluster shape (issue 6), run locally: split the articles into chunks, map each chunk to a
# calendar with eventcal (as GNU parallel, Hadoop Streaming or Spark's RDD.pipe would, one
# process per chunk), reduce with `eventcal merge`, and check the result against one run over
# everything: the same events with the same UIDs, dates, types, status, titles, places and
# sources.  Also: merge is associative (merging the merged halves gives the same) and
# idempotent (merging a calendar with itself changes nothing), and the JSON Lines map
# (--format jsonl, one line per article) holds every event of the calendar.
set -u
EVENTCAL="${EVENTCAL:-build/eventcal}"
case "$EVENTCAL" in /*) ;; */*) EVENTCAL="$PWD/$EVENTCAL" ;; esac # the script may cd
SRCDIR="${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
export TZ=UTC
BASE=(--rules "$SRCDIR/rules" --timezone Europe/London --now 2024-03-01T00:00:00Z -q)
PY=/usr/bin/python3
pass=0 fail=0
check() { if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); fi; }

# the input: the samples as JSON Lines, then a few hundred generated articles
"$PY" - "$SRCDIR"/samples/*.txt > "$W/all.jsonl" <<'PY'
import json, os, sys
for p in sys.argv[1:]:
    head, _, body = open(p, encoding='utf-8').read().partition('\n\n')
    meta = dict(l.split(': ', 1) for l in head.splitlines() if ': ' in l)
    print(json.dumps({'id': os.path.basename(p)[:-4], 'url': meta.get('URL'), 'title': meta.get('Title'),
                      'published': meta.get('Published'), 'text': body}))
PY
"$PY" "$SRCDIR/tests/scale/gen.py" 400 >> "$W/all.jsonl"
split -l 50 -d "$W/all.jsonl" "$W/chunk-"   # 9 chunks

# single run
"$EVENTCAL" "${BASE[@]}" --input jsonl -f json "$W/all.jsonl" > "$W/single.json" || { echo "FAIL: single run"; exit 1; }
# map: one process per chunk (here in turn; in a cluster, anywhere)
for c in "$W"/chunk-??; do
  "$EVENTCAL" "${BASE[@]}" --input jsonl -f json "$c" > "$c.json" || { echo "FAIL: map $c"; exit 1; }
done
# reduce: all at once, and in two halves merged again (associativity), and twice (idempotence)
"$EVENTCAL" "${BASE[@]}" merge -f json "$W"/chunk-??.json > "$W/merged.json"
"$EVENTCAL" "${BASE[@]}" merge -f json "$W"/chunk-0[0-3].json > "$W/half1.json"
"$EVENTCAL" "${BASE[@]}" merge -f json "$W"/chunk-0[4-8].json > "$W/half2.json"
"$EVENTCAL" "${BASE[@]}" merge -f json "$W/half2.json" "$W/half1.json" > "$W/merged2.json"
"$EVENTCAL" "${BASE[@]}" merge -f json "$W/merged.json" "$W/merged.json" > "$W/merged3.json"
# Hadoop Streaming / Spark RDD.pipe: each map task writes its calendar as one line (newlines
# dropped) into a file named like a part file; merge reads them by content
for c in "$W"/chunk-??; do
  "$EVENTCAL" "${BASE[@]}" --input jsonl -f json < "$c" | tr -d '\n' > "$W/part-000${c##*-}"
done
"$EVENTCAL" "${BASE[@]}" merge -f json "$W"/part-* > "$W/merged-parts.json"
# the JSON Lines map: every article's line, then one calendar from the lines' events
"$EVENTCAL" "${BASE[@]}" --input jsonl -f jsonl "$W/all.jsonl" > "$W/lines.jsonl"

# same A B WHAT: the events of A and B agree (confidence aside: see the note it prints)
same() {
  "$PY" - "$1" "$2" "$3" <<'PY'
import json, sys
a, b, what = sys.argv[1], sys.argv[2], sys.argv[3]
KEYS = ('uid', 'title', 'type', 'status', 'start', 'end', 'all_day', 'precision', 'timezone', 'location', 'organiser')
def load(p):
    evs = {}
    for e in json.load(open(p))['events']:
        srcs = sorted((s.get('id'), s.get('url'), s.get('evidence'), tuple(s.get('span') or ())) for s in e['sources'])
        evs[e['uid']] = ({k: e.get(k) for k in KEYS}, srcs, e.get('confidence'))
    return evs
x, y = load(a), load(b)
bad = 0
for uid in sorted(set(x) | set(y)):
    if uid not in x or uid not in y:
        print(f'FAIL: {what}: event {uid} only in {"the first" if uid in x else "the second"}')
        bad += 1
    elif x[uid][:2] != y[uid][:2]:
        print(f'FAIL: {what}: event {uid} differs:\n  {x[uid][:2]}\n  {y[uid][:2]}')
        bad += 1
conf = sum(1 for u in x if u in y and x[u][2] != y[u][2])
if conf:
    print(f'note: {what}: {conf} of {len(x)} events have another confidence')
if not x:
    print(f'FAIL: {what}: no events')
    bad += 1
sys.exit(1 if bad else 0)
PY
}
check same "$W/single.json" "$W/merged.json" "map-merge vs single run"
check same "$W/merged.json" "$W/merged2.json" "merge associativity"
check same "$W/single.json" "$W/merged-parts.json" "one-line part files vs single run"
check same "$W/merged.json" "$W/merged3.json" "merge idempotence"
check cmp -s "$W/merged.json" "$W/merged3.json"

# every calendar event is in some article's line (by UID)
"$PY" - "$W/lines.jsonl" "$W/single.json" <<'PY' && pass=$((pass + 1)) || fail=$((fail + 1))
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
uids = {e['uid'] for l in lines for e in l.get('events', [])}
cal = {e['uid'] for e in json.load(open(sys.argv[2]))['events']}
n = sum(1 for _ in open(sys.argv[1]))
if not cal <= uids:
    print(f'FAIL: jsonl events: {len(cal - uids)} calendar events in no line')
    sys.exit(1)
print(f'{n} articles, {len(cal)} events')
PY

echo "scale: $pass passed, $fail failed"
[ $fail -eq 0 ]
