#!/usr/bin/env bash
# Throughput (issue 6): in one run, on the same input, times eventcal over the peers' corpus
# (JSON Lines in, JSON out), a bare `grep -cP` pass with an alternation of month, weekday,
# clock-time and year patterns, and chrono-node casual when it is installed; prints MB/s (10^6
# bytes of article text per second) and the ratios.  Then start-up, the cost of an empty
# article, -j 2, and linearity (time per MB for 1, 10 and 100 MB inputs, and for articles of
# 1 KB, 10 KB and 1 MB), the same articles as nested JSON records and as HTML pages, the
# calendar's growth (time, and the peak memory of writing it), and last where the corpus
# run's time goes (--stats).  The inputs are
# generated once into $BUILDDIR/bench-throughput/.
# Wall times are medians of REPS runs (default 3); the machine may be shared, so the ratios,
# measured side by side, mean more than the absolute figures.
#   tests/bench/throughput.sh            (meson test -C build --benchmark throughput)
# Environment: EVENTCAL, SRCDIR, BUILDDIR, REPS, PEERS_DIR (default $SRCDIR/../shared/peers),
# SEEDS_DIR (default $SRCDIR/../shared/seeds: a third of the corpus is the news seeds).
set -euo pipefail
SRCDIR="${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
BUILDDIR="${BUILDDIR:-$SRCDIR/build}"
EVENTCAL="${EVENTCAL:-$BUILDDIR/eventcal}"
case "$EVENTCAL" in /*) ;; */*) EVENTCAL="$PWD/$EVENTCAL" ;; esac # the script may cd
PEERS_DIR="${PEERS_DIR:-$SRCDIR/../shared/peers}"
SEEDS_DIR="${SEEDS_DIR:-$SRCDIR/../shared/seeds}"
REPS="${REPS:-3}"
PY=/usr/bin/python3
D="$BUILDDIR/bench-throughput"
mkdir -p "$D"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT

EC=("$EVENTCAL" --rules "$SRCDIR/rules" --timezone Europe/London --now 2024-03-01T00:00:00Z -q)
# the compiled patterns are kept between runs, as they are for a user (eventcal(1)); the
# start-up is also timed without them
export EVENTCAL_CACHE="$W/cache"
"${EC[@]}" -f json /dev/null > /dev/null

# ---- inputs (cached) ----
if [ ! -s "$D/corpus/articles.jsonl" ] || [ ! -s "$D/corpus/corpus.txt" ]; then
  echo "building the corpus in $D/corpus" >&2
  # without the seeds make_corpus.py only warns, and a corpus of Debian prose alone runs
  # twice as fast: not the corpus the figures are quoted for
  if ! ls "$SEEDS_DIR"/*.txt >/dev/null 2>&1; then
    echo "throughput.sh: no seed articles in $SEEDS_DIR (set SEEDS_DIR)" >&2
    exit 1
  fi
  "$PY" "$PEERS_DIR/make_corpus.py" "$D/corpus" --mb 20 --seeds "$SEEDS_DIR" >&2
fi
CORPUS="$D/corpus/articles.jsonl"
if [ ! -s "$D/sizes.done" ]; then
  echo "generating the linearity inputs in $D" >&2
  "$PY" - "$CORPUS" "$D" <<'PY'
import json, sys
src, d = sys.argv[1], sys.argv[2]
arts = [json.loads(l) for l in open(src, encoding='utf-8')]
def write(name, recs):
    with open(f'{d}/{name}', 'w', encoding='utf-8') as o:
        for r in recs:
            o.write(json.dumps(r, ensure_ascii=False) + '\n')
def take(mb):
    out, n, rep = [], 0, 0
    while n < mb * 10**6:
        for a in arts:
            if n >= mb * 10**6:
                break
            r = dict(a, id=f'{a["id"]}-{rep}')
            out.append(r)
            n += len(a['text'].encode())
        rep += 1
    return out
for mb in (1, 10, 100):
    write(f'in-{mb}mb.jsonl', take(mb))
# articles of a given size, cut from the corpus text at whitespace: 10 MB of each
text = '\n\n'.join(a['text'] for a in arts)
for name, size in (('1kb', 1000), ('10kb', 10000), ('1mb', 10**6)):
    recs, pos, i = [], 0, 0
    while len(recs) * size < 10 * 10**6:
        end = pos + size
        if end >= len(text):
            pos, end = 0, size
        while end < len(text) and not text[end].isspace():
            end += 1
        recs.append({'id': f'{name}-{i}', 'published': '2024-02-21', 'text': text[pos:end]})
        pos, i = end, i + 1
    write(f'art-{name}.jsonl', recs)
write('empty.jsonl', [{'id': f'e{i}', 'published': '2024-02-21', 'text': ''} for i in range(20000)])
# chrono's adapter reads {"id", "text", "reference"}
write('chrono.jsonl', [{'id': a['id'], 'text': a['text'], 'reference': a['published'] + 'T12:00:00'} for a in arts])
PY
  touch "$D/sizes.done"
fi
# the corpus's articles in two other shapes users feed: records that carry nested metadata (as
# news APIs and scrapers write them), and HTML pages in an "html" member (saved pages)
if [ ! -s "$D/shapes.done" ]; then
  "$PY" - "$CORPUS" "$D" <<'PY'
import html, json, sys
src, d = sys.argv[1], sys.argv[2]
arts = [json.loads(l) for l in open(src, encoding='utf-8')]
with open(f'{d}/shape-nested.jsonl', 'w', encoding='utf-8') as o:
    for i, a in enumerate(arts):
        words = a['text'].split()[:40]
        ents = [{'text': w, 'start': k, 'type': 'MISC', 'score': 0.5} for k, w in enumerate(words[::8])]
        meta = {'source': {'name': 'Example News', 'country': 'GB', 'ids': [i, i + 1]},
                'tags': ['news', 'local'], 'words': len(a['text'].split()), 'paywall': False}
        o.write(json.dumps(dict(a, meta=meta, entities=ents), ensure_ascii=False) + '\n')
with open(f'{d}/shape-html.jsonl', 'w', encoding='utf-8') as o:
    for a in arts:
        title = html.escape(str(a.get('title') or a['id']))
        paras = ''.join(f'<p>{html.escape(p)}</p>\n' for p in a['text'].split('\n') if p.strip())
        page = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>' + title + '</title>'
                f'<meta property="article:published_time" content="{a["published"]}T09:00:00Z"></head><body>'
                '<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></header>'
                f'<main><article><h1>{title}</h1>\n{paras}</article></main>'
                '<aside class="related"><h2>Most read</h2><ul><li><a href="/a">One</a></li><li><a href="/b">Two</a></li></ul></aside>'
                '<footer><p>&copy; 2024 Example News</p></footer></body></html>')
        o.write(json.dumps({'id': a['id'], 'url': f'https://example.org/news/{a["id"]}', 'html': page},
                           ensure_ascii=False) + '\n')
PY
  touch "$D/shapes.done"
fi
# announcements of N distinct events (kinds, towns and days all differ), for the cost of the
# calendar as it grows: each new event is looked up among those kept for merging
if [ ! -s "$D/events.done" ]; then
  "$PY" - "$D" <<'PY'
import datetime, json, sys
towns = ['Bolton', 'Wigan', 'Bury', 'Leigh', 'Salford', 'Oldham', 'Rochdale', 'Stockport']
kinds = ['protest', 'vigil', 'rally', 'march', 'strike']
for n in (5000, 20000):
    with open(f'{sys.argv[1]}/events-{n}.jsonl', 'w') as o:
        for i in range(n):
            d = datetime.date(2024, 3, 1) + datetime.timedelta(days=i % 2500)
            town, kind = towns[(i // 2500) % 8], kinds[(i // 20000) % 5]
            text = f'A {kind} will be held in {town} on {d.day} {d:%B} {d.year} at 2pm.'
            o.write(json.dumps({'id': f'ev{i}', 'published': '2024-02-21', 'text': text}) + '\n')
PY
  touch "$D/events.done"
fi

text_bytes() { "$PY" -c 'import json,sys; print(sum(len(json.loads(l)["text"].encode()) for l in open(sys.argv[1], encoding="utf-8")))' "$1"; }
now_ns() { date +%s%N; }
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# N runs of a command (its output in $W/out): prints the median wall time in seconds and
# writes the median CPU time (user + system, of the command alone) to $W/cpu.  Microsecond
# clocks: /usr/bin/time's 10 ms steps were a tenth of the grep pass and all of an empty
# article's cost.
timeit() {
  "$PY" - "$W" "$@" <<'TIMEIT'
import os, resource, subprocess, sys, time
w, n, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
walls, cpus = [], []
for _ in range(n):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    with open(os.path.join(w, 'out'), 'wb') as out:
        rc = subprocess.run(cmd, stdout=out, check=False).returncode
    if rc != 0:
        # a timing of a failed run (a missing input, say) would be printed as a ratio
        sys.exit('throughput.sh: exit status %d from: %s' % (rc, ' '.join(cmd)))
    walls.append(time.perf_counter() - t0)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
med = lambda v: sorted(v)[(len(v) - 1) // 2]
with open(os.path.join(w, 'cpu'), 'w') as f:
    f.write('%.6f\n' % med(cpus))
print('%.6f' % med(walls))
TIMEIT
}
# The peak resident memory of one run of a command, in KB (its output discarded).
peak_kb() {
  "$PY" - "$@" <<'PEAK'
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PEAK
}
mbs() { awk -v b="$1" -v s="$2" 'BEGIN{printf "%.2f", b/1e6/s}'; }

BYTES=$(text_bytes "$CORPUS")
MB=$(awk -v b="$BYTES" 'BEGIN{printf "%.2f", b/1e6}')
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ)  $(nproc) cores  load $(cut -d' ' -f1-3 /proc/loadavg)  median of $REPS runs"
echo "# corpus: $CORPUS ($(wc -l < "$CORPUS") articles, $MB MB of text)"

# ---- side by side ----
GREP_RE='\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?|(?:19|20)\d{2})\b'
t_ec=$(timeit "$REPS" "${EC[@]}" --input jsonl --format json "$CORPUS")
c_ec=$(cat "$W/cpu")
events=$(grep -c '"uid"' "$W/out" || true)
# over the corpus text (one paragraph a line), as the issue measured it
t_grep=$(timeit "$REPS" grep -ciP "$GREP_RE" "$D/corpus/corpus.txt")
c_grep=$(cat "$W/cpu")
printf 'eventcal   %8.3f s  %7s MB/s  cpu %7.3f s %7s MB/s  (--input jsonl --format json, %s calendar entries)\n' "$t_ec" "$(mbs "$BYTES" "$t_ec")" "$c_ec" "$(mbs "$BYTES" "$c_ec")" "$events"
printf 'grep -cP   %8.3f s  %7s MB/s  cpu %7.3f s  (month|weekday|clock time|year alternation, %s lines)\n' "$t_grep" "$(mbs "$BYTES" "$t_grep")" "$c_grep" "$(cat "$W/out")"
if [ -d "$PEERS_DIR/node/node_modules/chrono-node" ] && command -v node >/dev/null; then
  t_ch=$(timeit "$REPS" sh -c 'node "$1/chrono_adapter.mjs" --casual < "$2"' sh "$PEERS_DIR" "$D/chrono.jsonl")
  c_ch=$(cat "$W/cpu")
  printf 'chrono     %8.3f s  %7s MB/s  cpu %7.3f s %7s MB/s  (casual, node %s)\n' "$t_ch" "$(mbs "$BYTES" "$t_ch")" "$c_ch" "$(mbs "$BYTES" "$c_ch")" "$(node --version)"
  awk -v e="$t_ec" -v c="$t_ch" -v ce="$c_ec" -v cc="$c_ch" 'BEGIN{printf "ratio eventcal/chrono-casual speed: %.2fx wall, %.2fx cpu  (target >= 15x)\n", c/e, cc/ce}'
else
  echo "chrono     not installed (cd $PEERS_DIR/node && npm ci): skipped"
fi
awk -v e="$t_ec" -v g="$t_grep" -v ce="$c_ec" -v cg="$c_grep" 'BEGIN{printf "ratio eventcal/grep time:           %.2fx wall, %.2fx cpu  (target <= 2x)\n", e/g, ce/(cg > 0 ? cg : 0.01)}'
t_j2=$(timeit "$REPS" "${EC[@]}" -j 2 --input jsonl --format json "$CORPUS")
awk -v e="$t_ec" -v j="$t_j2" -v b="$BYTES" 'BEGIN{printf "-j 2       %8.3f s  %7.2f MB/s  speed-up %.2fx over -j 1\n", j, b/1e6/j, e/j}'
# the grep target names no core count; grep itself uses one, so this is not the figure above
awk -v j="$t_j2" -v g="$t_grep" 'BEGIN{printf "ratio eventcal -j 2/grep time:      %.2fx wall  (both cores against grep'"'"'s one; for comparison only)\n", j/g}'

# ---- start-up and empty articles ----
t_start=$(timeit 9 "${EC[@]}" --input jsonl --format json /dev/null)
t_cold=$(EVENTCAL_CACHE=off timeit 9 "${EC[@]}" --input jsonl --format json /dev/null)
t_eager=$(EVENTCAL_JIT_EAGER=1 timeit 9 "${EC[@]}" --input jsonl --format json /dev/null)
t_empty=$(timeit 9 "${EC[@]}" --input jsonl --format json "$D/empty.jsonl")
t_bare=$(timeit 9 "$BUILDDIR/tests/bench-linked")
awk -v s="$t_start" 'BEGIN{printf "start-up   %8.1f ms  (rules loaded, compiled patterns from the cache, JIT after 32 attempts; empty input; median of 9; target < 20 ms)\n", s*1000}'
awk -v s="$t_cold" 'BEGIN{printf "start-up   %8.1f ms  (no cache, EVENTCAL_CACHE=off: every pattern compiled; median of 9)\n", s*1000}'
awk -v s="$t_eager" 'BEGIN{printf "start-up   %8.1f ms  (from the cache, every rule JIT-compiled at load, EVENTCAL_JIT_EAGER=1; median of 9)\n", s*1000}'
awk -v s="$t_bare" 'BEGIN{printf "start-up   %8.1f ms  (a program that does nothing, linked with the same libraries: the floor; median of 9)\n", s*1000}'
n_empty=$(wc -l < "$D/empty.jsonl")
awk -v s="$t_start" -v e="$t_empty" -v n="$n_empty" 'BEGIN{printf "empty article %5.2f us  (%d empty articles, start-up subtracted)\n", (e-s)/n*1e6, n}'

# ---- linearity ----
for f in in-1mb in-10mb in-100mb art-1kb art-10kb art-1mb; do
  b=$(text_bytes "$D/$f.jsonl")
  n=$REPS
  [ "$f" = in-100mb ] && n=1
  t=$(timeit "$n" "${EC[@]}" --input jsonl --format json "$D/$f.jsonl")
  awk -v f="$f" -v b="$b" -v t="$t" -v s="$t_start" -v a="$(wc -l < "$D/$f.jsonl")" \
    'BEGIN{printf "linearity %-9s %8.2f MB %6d articles %8.3f s  %6.3f s/MB (start-up subtracted)\n", f, b/1e6, a, t, (t-s)/(b/1e6)}'
done

# ---- input shapes: the same articles as records with nested metadata and as HTML pages
#      (MB/s of the articles' text, as above; the HTML run also extracts the text) ----
for f in nested html; do
  t=$(timeit "$REPS" "${EC[@]}" --input jsonl --format json "$D/shape-$f.jsonl")
  awk -v f="$f" -v b="$BYTES" -v t="$t" -v e="$t_ec" -v z="$(wc -c < "$D/shape-$f.jsonl")" \
    'BEGIN{printf "shape %-7s %8.3f s  %7.2f MB/s of text  %.2fx the flat records'"'"' time  (%.1f MB of input)\n", f, t, b/1e6/t, t/e, z/1e6}'
done
# the pages with two threads: each worker reads its own pages (the reading thread only cuts
# records), so reading HTML gains from -j as the extraction does
t1=$t
t2=$(timeit "$REPS" "${EC[@]}" -j 2 --input jsonl --format json "$D/shape-html.jsonl")
awk -v t="$t2" -v s="$t1" 'BEGIN{printf "shape html -j 2 %7.3f s  speed-up %.2fx over -j 1\n", t, s/t}'

# ---- the calendar's growth: N distinct events, found and kept, then `merge` of the result
#      with itself (the reduce step of a cluster run); the time per 1000 events stays flat ----
for n in 5000 20000; do
  t=$(timeit "$REPS" "${EC[@]}" --input jsonl --format json "$D/events-$n.jsonl")
  cp "$W/out" "$W/events-$n.json"
  kept=$(grep -c '"uid"' "$W/events-$n.json" || true)
  tm=$(timeit "$REPS" "${EC[@]}" merge -f json "$W/events-$n.json" "$W/events-$n.json")
  # the memory a calendar costs: the events kept for merging, and the writing of them
  rj=$(peak_kb "${EC[@]}" --input jsonl --format json "$D/events-$n.jsonl")
  ri=$(peak_kb "${EC[@]}" --input jsonl --format ics "$D/events-$n.jsonl")
  rc=$(peak_kb "${EC[@]}" --input jsonl --format jcal "$D/events-$n.jsonl")
  awk -v n="$n" -v k="$kept" -v t="$t" -v m="$tm" -v s="$t_start" \
    'BEGIN{printf "events    %6d announced %6d kept  run %7.3f s  %.3f s/1000   merge with itself %7.3f s  %.3f s/1000\n", n, k, t, (t-s)/(n/1000), m, (m-s)/(n/1000)}'
  awk -v n="$n" -v j="$rj" -v i="$ri" -v c="$rc" \
    'BEGIN{printf "memory    %6d events  peak RSS %6.1f MB writing them as JSON, %6.1f MB as .ics, %6.1f MB as jCal\n", n, j/1024, i/1024, c/1024}'
  # the same calendar as .ics: merged with itself, and updated with one article (what a
  # newsroom's cron job does to the calendar it keeps)
  "${EC[@]}" --input jsonl --format ics "$D/events-$n.jsonl" > "$W/events-$n.ics"
  ti=$(timeit "$REPS" "${EC[@]}" merge -f ics "$W/events-$n.ics" "$W/events-$n.ics")
  printf 'Published: 2024-02-21\n\nA vigil will be held in Leeds on 3 March 2024 at 6pm.\n' > "$W/one.txt"
  cp "$W/events-$n.ics" "$W/update-$n.ics"
  tu=$(timeit "$REPS" "${EC[@]}" --update "$W/update-$n.ics" "$W/one.txt")
  awk -v n="$n" -v m="$ti" -v u="$tu" -v s="$t_start" \
    'BEGIN{printf "calendar  %6d events (.ics)  merge with itself %7.3f s  %.3f s/1000   --update with one article %7.3f s  %.3f s/1000\n", n, m, (m-s)/(n/1000), u, (u-s)/(n/1000)}'
done

# ---- where the corpus run's time goes: one run with --stats (the clock read around every
#      rule attempt makes it slower than the runs above; compare its lines with each other) ----
echo "where the corpus run's time goes (one run with --stats, the rules JIT-compiled at load):"
EVENTCAL_JIT_EAGER=1 "${EC[@]}" --stats --input jsonl --format json "$CORPUS" 2>&1 >/dev/null

