#!/usr/bin/env bash
# -j N (issue 6): the output of -j 2, -j 3 and -j 0 (a thread per processor) equals that of -j 1
# byte for byte, standard error included, on the samples (several files) and on a few hundred
# generated articles (JSON Lines on standard input, and the same articles as separate files),
# for the calendar and the per-article formats, and on records of a few MB among small ones.
set -u
EVENTCAL="${EVENTCAL:-build/eventcal}"
case "$EVENTCAL" in /*) ;; */*) EVENTCAL="$PWD/$EVENTCAL" ;; esac # the script may cd
SRCDIR="${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
export TZ=UTC
BASE=(--rules "$SRCDIR/rules" --timezone Europe/London --now 2024-03-01T00:00:00Z)
pass=0 fail=0

/usr/bin/python3 "$SRCDIR/tests/scale/gen.py" 300 > "$W/gen.jsonl"
mkdir "$W/files"
/usr/bin/python3 - "$W/gen.jsonl" "$W/files" <<'PY'
import json, sys
for l in open(sys.argv[1]):
    a = json.loads(l)
    with open(f'{sys.argv[2]}/{a["id"]}.txt', 'w') as o:
        o.write(f'Title: {a["title"]}\nURL: {a["url"]}\nPublished: {a["published"]}\n\n{a["text"]}\n')
PY
# an unparsable line in the middle: its error must come out in the same place
sed -i '150a {"id": broken' "$W/gen.jsonl"

# same NAME STDIN ARGS...: -j 1, -j 2, -j 3 and -j 0 give the same stdout and stderr
same() {
  local name="$1" in="$2"
  shift 2
  "$EVENTCAL" "${BASE[@]}" -j 1 "$@" <"$in" >"$W/out1" 2>"$W/err1"
  local st1=$?
  for j in 2 3 0; do
    "$EVENTCAL" "${BASE[@]}" -j $j "$@" <"$in" >"$W/outj" 2>"$W/errj"
    local stj=$?
    if [ $st1 -eq $stj ] && cmp -s "$W/out1" "$W/outj" && cmp -s "$W/err1" "$W/errj" && [ -s "$W/out1" ]; then
      pass=$((pass + 1))
    else
      echo "FAIL: $name: -j $j differs from -j 1 (status $stj vs $st1)"
      diff "$W/out1" "$W/outj" | head -5
      diff "$W/err1" "$W/errj" | head -5
      fail=$((fail + 1))
    fi
  done
}

same samples-ics /dev/null "$SRCDIR"/samples/*.txt
same samples-json /dev/null -f json "$SRCDIR"/samples/*.txt
same samples-tsv /dev/null -v -f tsv "$SRCDIR"/samples/*.txt
same jsonl-json "$W/gen.jsonl" --input jsonl -f json
same jsonl-jsonl "$W/gen.jsonl" --input jsonl -f jsonl
same jsonl-timex "$W/gen.jsonl" --input jsonl -f timex
same jsonl-verbose "$W/gen.jsonl" -v --input jsonl -f ics
same files-json /dev/null -f json "$W"/files/*.txt "$W/missing.txt"
same directory-json /dev/null -f json "$W/files"
# records of 3 MB among small ones: the queue holds at most 4 MB a worker, so it waits on bytes
# rather than on slots, and every worker still gets an article
/usr/bin/python3 - "$W/gen.jsonl" "$W/big.jsonl" <<'PY'
import json, sys
lines = [l for l in open(sys.argv[1]) if l.startswith('{"id": "')]
filler = 'Prices rose again in the market on Tuesday, traders said. ' * 50000
with open(sys.argv[2], 'w') as o:
    for i, l in enumerate(lines[:40]):
        a = json.loads(l)
        if i % 4 == 1:
            a['text'] = filler + a['text']
        o.write(json.dumps(a) + '\n')
PY
same big-records "$W/big.jsonl" --input jsonl -f jsonl

echo "jobs: $pass passed, $fail failed"
[ $fail -eq 0 ]
