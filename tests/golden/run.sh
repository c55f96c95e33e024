#!/usr/bin/env bash
# Golden tests: each sample article, and all of them together, must reproduce the checked-in
# .ics and .json byte for byte with the clock fixed.  UPDATE=1 rewrites the expected files.
set -u
EVENTCAL="${EVENTCAL:-build/eventcal}"
case "$EVENTCAL" in /*) ;; */*) EVENTCAL="$PWD/$EVENTCAL" ;; esac # the script may cd
SRCDIR="${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
GOLD="$SRCDIR/tests/golden"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
ARGS=(--timezone Europe/London --now 2024-03-01T00:00:00Z --rules "$SRCDIR/rules" -q)
pass=0 fail=0

check() { # name, inputs...
  local name="$1"; shift
  local out="$WORK/$name"
  mkdir -p "$out"
  if ! "$EVENTCAL" "${ARGS[@]}" -o "$out" "$@" 2>"$out/stderr"; then
    echo "FAIL: $name: eventcal exited with status $?"; cat "$out/stderr"; fail=$((fail + 1)); return
  fi
  for ext in ics json; do
    if [ "${UPDATE:-0}" = 1 ]; then
      cp "$out/events.$ext" "$GOLD/$name.$ext"
    fi
    if cmp -s "$out/events.$ext" "$GOLD/$name.$ext"; then
      pass=$((pass + 1))
    else
      echo "FAIL: $name.$ext differs from tests/golden/$name.$ext:"
      diff -u "$GOLD/$name.$ext" "$out/events.$ext" | head -40
      fail=$((fail + 1))
    fi
  done
}

for f in "$SRCDIR"/samples/*.txt; do
  check "$(basename "$f" .txt)" "$f"
done
check all "$SRCDIR"/samples/*.txt
for d in "$GOLD"/cases/*/; do
  [ -d "$d" ] || continue
  check "case-$(basename "$d")" "$d"input*
done

# Same input, same output: the clock is the only thing that may change, and only DTSTAMP/generated.
"$EVENTCAL" "${ARGS[@]}" -f ics "$SRCDIR"/samples/*.txt > "$WORK/a.ics"
"$EVENTCAL" --timezone Europe/London --now 2025-06-01T10:00:00Z --rules "$SRCDIR/rules" -q -f ics "$SRCDIR"/samples/*.txt > "$WORK/b.ics"
if diff <(grep -v '^DTSTAMP' "$WORK/a.ics") <(grep -v '^DTSTAMP' "$WORK/b.ics") >/dev/null; then
  pass=$((pass + 1))
else
  echo "FAIL: a later clock changed more than DTSTAMP"; fail=$((fail + 1))
fi
# Input order does not change the calendar.
"$EVENTCAL" "${ARGS[@]}" -f ics $(ls "$SRCDIR"/samples/*.txt | sort -r) > "$WORK/c.ics"
if cmp -s "$WORK/a.ics" "$WORK/c.ics"; then pass=$((pass + 1)); else echo "FAIL: input order changed the calendar"; fail=$((fail + 1)); fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
