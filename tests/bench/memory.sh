#!/usr/bin/env bash
# Memory while streaming JSON Lines (issue 7): generates SIZE bytes of articles on the fly (no
# file), pipes them through `eventcal --input jsonl --format jsonl -` and reports the peak RSS
# from /usr/bin/time -v.  Not run by `meson test`; takes minutes for the default 1 GB.
#   tests/bench/memory.sh [SIZE_MB]        (default 1024)
# Environment: EVENTCAL (default build/eventcal), SRCDIR (default: this checkout), JOBS (-j,
# default 1: with more, the articles in flight, up to 32 and 4 MB per thread, add to the peak).
set -euo pipefail
SIZE_MB="${1:-1024}"
EVENTCAL="${EVENTCAL:-build/eventcal}"
case "$EVENTCAL" in /*) ;; */*) EVENTCAL="$PWD/$EVENTCAL" ;; esac # the script may cd
SRCDIR="${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
JOBS="${JOBS:-1}"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT

# Articles vary in place, day and kind, so events merge only sometimes; each is about 1.5 KB.
gen() {
  /usr/bin/python3 - "$1" <<'PY'
import json, sys
limit = int(sys.argv[1]) << 20
places = ['Bolton', 'Wigan', 'Bury', 'Leigh', 'Salford', 'Oldham', 'Rochdale', 'Stockport']
kinds = ['protest', 'vigil', 'rally', 'march', 'strike', 'meeting']
months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
filler = ('Residents said the decision had been a long time coming and that the council had not listened. '
          'A spokesperson declined to comment further on the matter when asked on Tuesday. ') * 6
out = sys.stdout
n = written = 0
lines = []
while written < limit:
    i = n
    rec = {'id': 'a%d' % n, 'url': 'https://example.org/news/%d' % n, 'title': 'Story %d' % n,
           'published': '2024-%02d-%02d' % (i % 12 + 1, i % 27 + 1),
           'text': 'A %s will be held in %s on %d %s at %dpm. %s' % (
               kinds[i % 6], places[(i // 6) % 8], (i // 48) % 28 + 1, months[(i // 7) % 12], i % 11 + 1, filler)}
    s = json.dumps(rec) + '\n'
    out.write(s)
    written += len(s)
    n += 1
PY
}

gen "$SIZE_MB" | /usr/bin/time -v "$EVENTCAL" --rules "$SRCDIR/rules" --timezone Europe/London \
  --now 2024-03-01T00:00:00Z -q -j "$JOBS" --input jsonl --format jsonl - 2>"$W/time" | wc -l >"$W/lines"
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$W/time")
secs=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$W/time")
echo "streamed ${SIZE_MB} MB of JSON Lines ($(cat "$W/lines") articles, -j $JOBS) in ${secs}: peak RSS ${rss} KB"
