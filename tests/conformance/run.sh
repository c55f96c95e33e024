#!/usr/bin/env bash
# Runs ../shared/tools/check-calendar (two iCalendar parsers, strict RFC 5545 checks, a khal
# import, schema.org checks) on every calendar the tests produce.
set -u
EVENTCAL="${EVENTCAL:-build/eventcal}"
case "$EVENTCAL" in /*) ;; */*) EVENTCAL="$PWD/$EVENTCAL" ;; esac # the script may cd
SRCDIR="${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
CHECK="${CHECK_CALENDAR:-$SRCDIR/../shared/tools/check-calendar}"
if [ ! -x "$CHECK" ]; then
  echo "check-calendar not found at $CHECK (set CHECK_CALENDAR)"; echo "0 passed, 1 failed"; exit 1
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
ARGS=(--timezone Europe/London --now 2024-03-01T00:00:00Z --rules "$SRCDIR/rules" -q)
pass=0 fail=0
# Each check runs two parsers and a calendar client, seconds apiece: CHECK_JOBS of them run at
# once (default: the processors), each leaving its verdict in $WORK/checks for the tally.
JOBS="${CHECK_JOBS:-$(nproc 2>/dev/null || echo 2)}"
mkdir -p "$WORK/checks"
nchecks=0
one_check() { # label, ics, json, verdict file
  local log="$4.log"
  if "$CHECK" "$2" "$3" >"$log" 2>&1; then
    : >"$4.ok"
  else
    { echo "FAIL: $1:"; grep -E '^(FAIL|check-calendar)' "$log" | head -20; tail -1 "$log"; } >"$4.fail"
  fi
}
run_check() { # label, ics, json
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
  nchecks=$((nchecks + 1))
  one_check "$1" "$2" "$3" "$WORK/checks/$(printf '%04d' "$nchecks")" &
}
produce() { # label, eventcal args...
  local label="$1"; shift
  mkdir -p "$WORK/$label"
  if "$EVENTCAL" "${ARGS[@]}" -o "$WORK/$label" "$@" 2>"$WORK/$label.err"; then
    run_check "$label (ics+json-ld)" "$WORK/$label/events.ics" "$WORK/$label/events.jsonld"
    # eventcal's own JSON has no schema.org objects: check-calendar would only parse it again
    if /usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/$label/events.json"; then
      pass=$((pass + 1)); else echo "FAIL: $label: events.json is not JSON"; fail=$((fail + 1)); fi
  else
    echo "FAIL: $label: eventcal failed"; cat "$WORK/$label.err"; fail=$((fail + 1))
  fi
}
for f in "$SRCDIR"/samples/*.txt; do produce "$(basename "$f" .txt)" "$f"; done
produce all "$SRCDIR"/samples/*.txt
# the golden cases two to a calendar: each check costs seconds of two parsers and a calendar
# client, and one per case had grown to most of CI's time; every case's events are still
# checked, beside another case's
cases=("$SRCDIR"/tests/golden/cases/*/)
for ((i = 0; i < ${#cases[@]}; i += 2)); do
  a="${cases[i]}" b="${cases[i + 1]:-}"
  if [ -n "$b" ]; then
    produce "cases-$(basename "$a")+$(basename "$b")" "$a"input* "$b"input*
  else
    produce "case-$(basename "$a")" "$a"input*
  fi
done
# the golden files are what produce() just made (same clock and rules), so they are not checked
# twice; the jCal form of the whole calendar is
"$EVENTCAL" "${ARGS[@]}" -f jcal "$SRCDIR"/samples/*.txt > "$WORK/all.jcal" &&
  run_check "all (ics+jcal)" "$WORK/all/events.ics" "$WORK/all.jcal"
# calendars that live: merged, updated, and updated with events written by hand in them
U="$SRCDIR/tests/update" L="$WORK/living"
mkdir -p "$L/cal" "$L/hand"
if "$EVENTCAL" "${ARGS[@]}" --now 2024-03-05T00:00:00Z -o "$L/day1" "$U/day1.txt" 2>"$L.err" &&
   "$EVENTCAL" "${ARGS[@]}" --now 2024-03-08T00:00:00Z -o "$L/day2" "$U/day2.txt" 2>>"$L.err" &&
   "$EVENTCAL" "${ARGS[@]}" --now 2024-03-10T00:00:00Z merge "$L/day1/events.ics" "$L/day2/events.json" \
     "$WORK/all/events.ics" -o "$L/merged" 2>>"$L.err" &&
   cp "$L/day1/events.ics" "$L/day1/events.json" "$L/cal/" &&
   "$EVENTCAL" "${ARGS[@]}" --now 2024-03-08T00:00:00Z --update "$L/cal/events.ics" "$U/day2.txt" 2>>"$L.err" &&
   { grep -v '^END:VCALENDAR' "$L/day1/events.ics"; cat "$U/hand-written.ics"; printf 'END:VCALENDAR\r\n'; } > "$L/hand/events.ics" &&
   cp "$L/day1/events.json" "$L/hand/" &&
   "$EVENTCAL" "${ARGS[@]}" --now 2024-03-08T00:00:00Z --update "$L/hand/events.ics" "$U/day2.txt" 2>>"$L.err"; then
  run_check "merged (ics+json)" "$L/merged/events.ics" "$L/merged/events.json"
  run_check "merged (ics+json-ld)" "$L/merged/events.ics" "$L/merged/events.jsonld"
  run_check "updated (ics+json)" "$L/cal/events.ics" "$L/cal/events.json"
  run_check "updated with hand-written events (ics+json)" "$L/hand/events.ics" "$L/hand/events.json"
  # jCal is written a component at a time, the kept ones (zones, a VTODO) among them
  if "$EVENTCAL" "${ARGS[@]}" merge "$L/hand/events.ics" -f jcal > "$L/hand.jcal" 2>>"$L.err"; then
    run_check "updated with hand-written events (ics+jcal)" "$L/hand/events.ics" "$L/hand.jcal"
  else
    echo "FAIL: jCal of the hand-written calendar: eventcal failed"; cat "$L.err"; fail=$((fail + 1))
  fi
else
  echo "FAIL: merged and updated calendars: eventcal failed"; cat "$L.err"; fail=$((fail + 1))
fi
wait
for v in "$WORK"/checks/*.ok; do [ -e "$v" ] && pass=$((pass + 1)); done
for v in "$WORK"/checks/*.fail; do [ -e "$v" ] && { cat "$v"; fail=$((fail + 1)); }; done
if [ "$(find "$WORK/checks" -name '*.ok' -o -name '*.fail' | wc -l)" -ne "$nchecks" ]; then
  echo "FAIL: $nchecks checks started, not all of them gave a verdict"; fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
