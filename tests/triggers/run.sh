#!/usr/bin/env bash
# The trigger index must never change a result: every article the tests have, read with the
# triggers (the default) and with every rule tried at every word start (EVENTCAL_NO_PREFILTER=1),
# gives byte-identical temporal expressions and events.
set -u
EVENTCAL="${EVENTCAL:-build/eventcal}"
case "$EVENTCAL" in /*) ;; */*) EVENTCAL="$PWD/$EVENTCAL" ;; esac # the script may cd
SRCDIR="${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
ARGS=(--rules "$SRCDIR/rules" --timezone Europe/London --now 2024-03-01T00:00:00Z -q)
pass=0 fail=0
inputs=("$SRCDIR"/samples/*.txt "$SRCDIR"/tests/golden/cases/*/input* "$SRCDIR"/tests/update/day*.txt)
for f in "${inputs[@]}"; do
  [ -f "$f" ] || continue
  for fmt in timex json; do
    "$EVENTCAL" "${ARGS[@]}" -f "$fmt" "$f" > "$W/with" 2>&1
    EVENTCAL_NO_PREFILTER=1 "$EVENTCAL" "${ARGS[@]}" -f "$fmt" "$f" > "$W/without" 2>&1
    if cmp -s "$W/with" "$W/without"; then
      pass=$((pass + 1))
    else
      echo "FAIL: ${f#"$SRCDIR"/} (-f $fmt): the triggers change the result:"
      diff -u "$W/without" "$W/with" | head -20
      fail=$((fail + 1))
    fi
  done
done
# every rule's example texts, one article each: they reach the rules' rarer alternatives and
# starting words, which the articles above may not
/usr/bin/python3 - "$SRCDIR/rules" > "$W/examples.jsonl" <<'PY'
import glob, json, re, sys
n = 0
for f in sorted(glob.glob(sys.argv[1] + '/*.rules')):
    for line in open(f, encoding='utf-8'):
        m = re.match(r'\s+example\s+"((?:[^"\\]|\\.)*)"', line)
        if m:
            n += 1
            print(json.dumps({'id': f'{f.rsplit("/", 1)[1]}:{n}', 'text': m.group(1).replace('\\"', '"')}))
PY
for fmt in timex jsonl; do
  "$EVENTCAL" "${ARGS[@]}" -i jsonl -f "$fmt" "$W/examples.jsonl" > "$W/with" 2>&1
  EVENTCAL_NO_PREFILTER=1 "$EVENTCAL" "${ARGS[@]}" -i jsonl -f "$fmt" "$W/examples.jsonl" > "$W/without" 2>&1
  if [ "$(wc -l < "$W/examples.jsonl")" -gt 400 ] && cmp -s "$W/with" "$W/without"; then
    pass=$((pass + 1))
  else
    echo "FAIL: the rules' $(wc -l < "$W/examples.jsonl") example texts (-f $fmt): the triggers change the result:"
    diff -u "$W/without" "$W/with" | head -20
    fail=$((fail + 1))
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
