#!/usr/bin/env bash
# The trigger index must never change a result: every article the tests have, read with the
# triggers (the default) and with every rule tried at every word start (EVENTCAL_NO_PREFILTER=1),
# gives byte-identical temporal expressions and events.
set -u
EVENTCAL="${EVENTCAL:-build/eventcal}"
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
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
