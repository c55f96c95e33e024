#!/usr/bin/env bash
# A calendar app that imported yesterday's calendar and then imports today's shows every event
# once.  khal, with a throwaway configuration as ../shared/tools/checkcal drives it, imports
# day 1's calendar, then the same calendar after --update with day 2 (the vigil moved to 7pm,
# the meeting cancelled, a march added), and must list each UID once, with the new time.
set -u
EVENTCAL="${EVENTCAL:-build/eventcal}"
case "$EVENTCAL" in /*) ;; */*) EVENTCAL="$PWD/$EVENTCAL" ;; esac # the script may cd
SRCDIR="${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
T="$SRCDIR/tests/update"
if ! command -v khal >/dev/null 2>&1; then
  echo "khal is not installed (apt-get install khal)"; echo "0 passed, 1 failed"; exit 1
fi
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
B=(--timezone Europe/London --rules "$SRCDIR/rules" -q)
pass=0 fail=0
ok() { local name="$1"; shift; if "$@"; then pass=$((pass + 1)); else echo "FAIL: $name"; fail=$((fail + 1)); fi; }

"$EVENTCAL" "${B[@]}" --now 2024-03-05T00:00:00Z -o "$W/yesterday" "$T/day1.txt"
mkdir -p "$W/today"
cp "$W/yesterday/events.ics" "$W/today/events.ics"
"$EVENTCAL" "${B[@]}" --now 2024-03-08T00:00:00Z --update "$W/today/events.ics" "$T/day2.txt"

mkdir -p "$W/cal"
cat > "$W/khal.conf" <<EOF
[calendars]
[[news]]
path = $W/cal
type = calendar
[locale]
local_timezone = Europe/London
default_timezone = Europe/London
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
[sqlite]
path = $W/khal.db
[default]
default_calendar = news
EOF
khal_() {
  HOME="$W" XDG_CONFIG_HOME="$W" XDG_DATA_HOME="$W" XDG_CACHE_HOME="$W" LC_ALL=C.UTF-8 LANG=C.UTF-8 TZ=UTC \
    khal -c "$W/khal.conf" "$@" </dev/null
}
list() { khal_ list --once --format '{uid} {start-time}' --day-format '' 2024-03-01 2024-04-30 | grep -v '^$' | sort; }

khal_ import --batch -a news "$W/yesterday/events.ics" > "$W/log" 2>&1
ok "khal imports yesterday's calendar" test $? -eq 0
list > "$W/day1.list"
ok "khal lists yesterday's 2 events" test "$(wc -l < "$W/day1.list")" -eq 2
khal_ import --batch -a news "$W/today/events.ics" >> "$W/log" 2>&1
ok "khal imports today's calendar over it" test $? -eq 0
list > "$W/day2.list"
ok "no duplicates: 3 events, each UID once" test "$(wc -l < "$W/day2.list")" -eq 3 -a "$(cut -d' ' -f1 "$W/day2.list" | sort -u | wc -l)" -eq 3
ok "the stored calendar holds 3 events" test "$(ls "$W/cal" | grep -c '\.ics$')" -eq 3
ok "the vigil shows its new time" grep -q " 19:00$" "$W/day2.list"
ok "yesterday's UIDs are today's" test -z "$(comm -23 <(cut -d' ' -f1 "$W/day1.list") <(cut -d' ' -f1 "$W/day2.list"))"
if [ "$fail" -ne 0 ]; then
  echo "khal said:"; cat "$W/log"; echo "day 1:"; cat "$W/day1.list"; echo "day 2:"; cat "$W/day2.list"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
