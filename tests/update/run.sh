#!/usr/bin/env bash
# Calendars that live: --update, merge, --check and reading calendars back.  day1.txt and
# day2.txt are two days of (made-up) local news: day 2 moves the vigil to 7pm, cancels the
# meeting and announces a march.  Whole outputs are compared with tests/update/expected
# (UPDATE=1 rewrites them); the rest are properties checked one by one.
set -u
EVENTCAL="${EVENTCAL:-build/eventcal}"
case "$EVENTCAL" in /*) ;; */*) EVENTCAL="$PWD/$EVENTCAL" ;; esac # the script may cd
SRCDIR="${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
T="$SRCDIR/tests/update"
EXP="$T/expected"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
# a helper misspelt or used before it is defined would otherwise pass unnoticed
command_not_found_handle() { echo "FAIL: $1: command not found" >&2; echo "$1" >> "$W/not-found"; return 127; }
B=(--timezone Europe/London --rules "$SRCDIR/rules" -q)
pass=0 fail=0

ok() { # name, command...
  local name="$1"; shift
  if "$@"; then pass=$((pass + 1)); else echo "FAIL: $name"; fail=$((fail + 1)); fi
}
golden() { # expected-name, file
  [ "${UPDATE:-0}" = 1 ] && mkdir -p "$EXP" && cp "$2" "$EXP/$1"
  if cmp -s "$2" "$EXP/$1"; then pass=$((pass + 1)); else
    echo "FAIL: $1 differs from tests/update/expected/$1:"; diff -u "$EXP/$1" "$2" | head -40; fail=$((fail + 1)); fi
}
# prop FILE UID NAME: the NAME line(s) of the VEVENT with that UID
prop() {
  awk -v uid="$2" -v name="$3" '
    { sub(/\r$/, "") }
    /^BEGIN:VEVENT/ { n = 0; mine = 0 }
    { lines[n++] = $0 }
    $0 == "UID:" uid { mine = 1 }
    /^END:VEVENT/ && mine { for (i = 0; i < n; i++) if (index(lines[i], name ":") == 1 || index(lines[i], name ";") == 1) print lines[i] }
  ' "$1"
}
eq() { [ "$1" = "$2" ] || { echo "  got '$1', want '$2'"; return 1; }; }
contains() { # haystack-file needle-file: each component of the needle appears byte for byte
  /usr/bin/python3 - "$1" "$2" <<'PY'
import re, sys
hay, needle = (open(p, "rb").read() for p in sys.argv[1:3])
comps = [m.group(0) for m in re.finditer(rb"^BEGIN:(\S+)\r\n.*?^END:\1\r\n", needle, re.M | re.S)]
missing = [c.split(b"\r\n")[1].decode() for c in comps if c not in hay]
if missing or not comps:
    print("  not kept:", missing)
sys.exit(1 if missing or not comps else 0)
PY
}
uid_of() { awk -F'\t' -v t="$2" '$3 == t { print $9 }' "$1"; }

# ---- yesterday's calendar, then --update with today's news ----
"$EVENTCAL" "${B[@]}" --now 2024-03-05T00:00:00Z -o "$W/day1" "$T/day1.txt"
"$EVENTCAL" "${B[@]}" --now 2024-03-05T00:00:00Z -f tsv "$T/day1.txt" > "$W/day1.tsv"
VIGIL="$(uid_of "$W/day1.tsv" vigil)" MEETING="$(uid_of "$W/day1.tsv" meeting)"
ok "day 1 has a vigil and a meeting" test -n "$VIGIL" -a -n "$MEETING"
mkdir -p "$W/live"
cp "$W/day1/events.ics" "$W/day1/events.json" "$W/live/"
"$EVENTCAL" "${B[@]}" --now 2024-03-08T00:00:00Z --update "$W/live/events.ics" "$T/day2.txt" 2>"$W/err"
ok "--update exits 0" test $? -eq 0 -a ! -s "$W/err"
golden update-day2.ics "$W/live/events.ics"
golden update-day2.json "$W/live/events.json"
L="$W/live/events.ics"
ok "changed time: the vigil keeps its UID and moves to 7pm" eq "$(prop "$L" "$VIGIL" DTSTART)" "DTSTART;TZID=Europe/London:20240309T190000"
ok "changed time: SEQUENCE goes up" eq "$(prop "$L" "$VIGIL" SEQUENCE)" "SEQUENCE:1"
ok "changed time: LAST-MODIFIED is the run's clock" eq "$(prop "$L" "$VIGIL" LAST-MODIFIED)" "LAST-MODIFIED:20240308T000000Z"
ok "changed time: both articles are sources" eq "$(prop "$L" "$VIGIL" X-EVENTCAL-SOURCE | wc -l)" 2
ok "cancelled: STATUS:CANCELLED" eq "$(prop "$L" "$MEETING" STATUS)" "STATUS:CANCELLED"
ok "cancelled: the original date and time are kept" eq "$(prop "$L" "$MEETING" DTSTART)" "DTSTART;TZID=Europe/London:20240314T190000"
ok "cancelled: same UID, SEQUENCE goes up" eq "$(prop "$L" "$MEETING" SEQUENCE)" "SEQUENCE:1"
ok "cancelled: X-EVENTCAL-STATUS" eq "$(prop "$L" "$MEETING" X-EVENTCAL-STATUS)" "X-EVENTCAL-STATUS:cancelled"
ok "the new march is added" eq "$(grep -c '^BEGIN:VEVENT' "$L")" 3
ok "the JSON beside the .ics is updated" grep -q '"status": "cancelled"' "$W/live/events.json"

# an unchanged rerun changes nothing but DTSTAMP, with today's article alone or with both
cp "$L" "$W/before.ics"
for args in "$T/day2.txt" "$T/day1.txt $T/day2.txt" "$T/day2.txt $T/day1.txt"; do
  # shellcheck disable=SC2086
  "$EVENTCAL" "${B[@]}" --now 2024-03-09T06:00:00Z --update "$L" $args
  ok "rerun ($args) changes nothing but DTSTAMP" diff <(grep -v '^DTSTAMP' "$W/before.ics") <(grep -v '^DTSTAMP' "$L")
  ok "rerun ($args) renews DTSTAMP" eq "$(grep -c '^DTSTAMP:20240309T060000Z' "$L")" 3
done
# yesterday's article again after today's: an older report does not undo the change
"$EVENTCAL" "${B[@]}" --now 2024-03-09T06:00:00Z --update "$L" "$T/day1.txt"
ok "an older article does not move the vigil back" eq "$(prop "$L" "$VIGIL" DTSTART)" "DTSTART;TZID=Europe/London:20240309T190000"

# an article edited since the calendar read it (same file name, so the same source id) is
# read again: the vigil it now calls off is cancelled; rereading it then changes nothing
mkdir -p "$W/edited"
sed 's/^A vigil will be held outside Bolton Town Hall on Saturday March 9 at 6pm\.$/The vigil outside Bolton Town Hall on Saturday March 9 at 6pm has been cancelled./' "$T/day1.txt" > "$W/edited/day1.txt"
ok "edited: the test article was edited" test "$(cmp -s "$T/day1.txt" "$W/edited/day1.txt"; echo $?)" = 1
cp "$W/day1/events.ics" "$W/edited/events.ics"
"$EVENTCAL" "${B[@]}" --now 2024-03-06T00:00:00Z --update "$W/edited/events.ics" "$W/edited/day1.txt"
ok "edited: a changed sentence of a known article is news" eq "$(prop "$W/edited/events.ics" "$VIGIL" STATUS)" "STATUS:CANCELLED"
ok "edited: the source's sentence is the article's as it is now" grep -q '^X-EVENTCAL-EVIDENCE;X-ID=day1:The vigil outside' "$W/edited/events.ics"
ok "edited: still one source" eq "$(prop "$W/edited/events.ics" "$VIGIL" X-EVENTCAL-SOURCE | wc -l)" 1
cp "$W/edited/events.ics" "$W/edited/before.ics"
"$EVENTCAL" "${B[@]}" --now 2024-03-07T00:00:00Z --update "$W/edited/events.ics" "$W/edited/day1.txt"
ok "edited: reading the edited article again changes nothing but DTSTAMP" diff <(grep -v '^DTSTAMP' "$W/edited/before.ics") <(grep -v '^DTSTAMP' "$W/edited/events.ics")

# ... and one that moves the vigil from 6pm to 7pm, with the same publication date, moves it
sed 's/^A vigil will be held outside Bolton Town Hall on Saturday March 9 at 6pm\.$/A vigil will be held outside Bolton Town Hall on Saturday March 9 at 7pm./' "$T/day1.txt" > "$W/edited/day1.txt"
cp "$W/day1/events.ics" "$W/edited/events.ics"
"$EVENTCAL" "${B[@]}" --now 2024-03-06T00:00:00Z --update "$W/edited/events.ics" "$W/edited/day1.txt"
ok "edited: a time moved in the story moves in the calendar" eq "$(prop "$W/edited/events.ics" "$VIGIL" DTSTART)" "DTSTART;TZID=Europe/London:20240309T190000"
ok "edited: ... as a change" eq "$(prop "$W/edited/events.ics" "$VIGIL" SEQUENCE)" "SEQUENCE:1"

# a later article that repeats an event, with a stated end or without one, is a new source of
# it and no change: SEQUENCE stays (the stated end, not the vigil's usual hour, was compared)
mkdir -p "$W/repeat"
for end in "from 2pm to 4pm" "at 2pm"; do
  for day in 04 05; do
    printf 'Published: 2024-03-%sT09:00:00Z\nTimezone: Europe/London\n\nA vigil will be held outside Bolton Town Hall on Saturday March 9 %s.\n' \
      "$day" "$end" > "$W/repeat/day$day.txt"
  done
  rm -f "$W/repeat/events.ics" "$W/repeat/events.json"
  "$EVENTCAL" "${B[@]}" --now 2024-03-04T10:00:00Z -o "$W/repeat" "$W/repeat/day04.txt"
  "$EVENTCAL" "${B[@]}" --now 2024-03-05T10:00:00Z --update "$W/repeat/events.ics" "$W/repeat/day05.txt"
  ok "repeated ($end): one vigil with both sources" eq "$(grep -c '^X-EVENTCAL-SOURCE' "$W/repeat/events.ics")" 2
  ok "repeated ($end): SEQUENCE stays" eq "$(grep -c '^SEQUENCE' "$W/repeat/events.ics")" 0
  ok "repeated ($end): DTEND stays" eq "$(grep '^DTEND' "$W/repeat/events.ics" | tr -d '\r')" \
    "DTEND;TZID=Europe/London:20240309T$([ "$end" = "at 2pm" ] && echo 15 || echo 16)0000"
done

# a missing file is a new calendar
"$EVENTCAL" "${B[@]}" --now 2024-03-05T00:00:00Z --update "$W/new.ics" "$T/day1.txt"
ok "--update on a missing file starts one" cmp -s "$W/new.ics" "$W/day1/events.ics"

"$EVENTCAL" "${B[@]}" --update "$W/live/events.json" "$T/day2.txt" 2>"$W/err"
ok "--update refuses a .json" test $? -eq 2
ok "--update on a .json says why" grep -q "give the .ics" "$W/err"
# ... whatever the case of its name; and CAL.ICS's JSON is CAL.JSON
cp "$W/live/events.json" "$W/upper.JSON"; cp "$W/upper.JSON" "$W/upper.JSON.before"
"$EVENTCAL" "${B[@]}" --update "$W/upper.JSON" "$T/day2.txt" 2>"$W/err"
ok "--update refuses a .JSON" test $? -eq 2
ok "--update leaves the .JSON as it was" cmp -s "$W/upper.JSON" "$W/upper.JSON.before"
cp "$W/day1/events.ics" "$W/upper.ICS"; cp "$W/day1/events.json" "$W/upper.JSON"
"$EVENTCAL" "${B[@]}" --now 2024-03-06T00:00:00Z --update "$W/upper.ICS" "$T/day2.txt"
ok "--update CAL.ICS updates CAL.JSON beside it to the .ics's events" eq "$(grep -c '^BEGIN:VEVENT' "$W/upper.ICS")" "$(grep -c '"uid"' "$W/upper.JSON")"

# the calendar's own lines stand: its name and zone (unless the command line gives others) and
# the properties an app added; a run in another machine zone reads the articles in the file's
mkdir -p "$W/named"
"$EVENTCAL" --rules "$SRCDIR/rules" -q --timezone Europe/London --calname "Bolton, events; all" --now 2024-03-05T00:00:00Z \
  -o "$W/named" "$T/day1.txt"
sed -i 's/^X-PUBLISHED-TTL:PT12H\r$/X-PUBLISHED-TTL:PT12H\r\nX-WR-CALDESC:Demos\\, vigils\r\nCOLOR:teal\r/' "$W/named/events.ics"
cp "$W/named/events.ics" "$W/named-before.ics"
TZ=America/Chicago "$EVENTCAL" --rules "$SRCDIR/rules" -q --now 2024-03-05T00:00:00Z --update "$W/named/events.ics" "$T/day1.txt"
ok "--update keeps the calendar's name, zone and other lines" cmp -s "$W/named/events.ics" "$W/named-before.ics"
"$EVENTCAL" "${B[@]}" --calname Renamed --now 2024-03-05T00:00:00Z --update "$W/named/events.ics" "$T/day1.txt"
ok "... and --calname renames it" grep -q '^X-WR-CALNAME:Renamed' "$W/named/events.ics"
ok "... keeping the other lines" grep -q '^X-WR-CALDESC:Demos\\, vigils' "$W/named/events.ics"

# ---- events written by hand are written back untouched ----
mkdir -p "$W/hand"
{ grep -v '^END:VCALENDAR' "$W/day1/events.ics"; cat "$T/hand-written.ics"; printf 'END:VCALENDAR\r\n'; } > "$W/hand/events.ics"
cp "$W/hand/events.ics" "$W/hand-before.ics"
"$EVENTCAL" "${B[@]}" --now 2024-03-08T00:00:00Z --update "$W/hand/events.ics" "$T/day2.txt"
ok "hand-written: --update exits 0" test $? -eq 0
ok "hand-written: events, zone and to-do are kept byte for byte" contains "$W/hand/events.ics" "$T/hand-written.ics"
ok "hand-written: each once" eq "$(grep -c -e '^UID:family-dinner-2024@example.org' -e '^UID:0000000000000001@eventcal' -e '^UID:todo-1@example.org' "$W/hand/events.ics")" 3
ok "hand-written: the extracted events are updated too" eq "$(prop "$W/hand/events.ics" "$VIGIL" SEQUENCE)" "SEQUENCE:1"
"$EVENTCAL" --check "$W/hand/events.ics" > "$W/check.out"
ok "hand-written: --check finds nothing" test $? -eq 0 -a ! -s "$W/check.out"
"$EVENTCAL" "${B[@]}" --now 2024-03-08T00:00:00Z merge "$W/hand/events.ics" "$W/hand/events.ics" -f ics > "$W/hand2.ics"
ok "hand-written: merging the calendar with itself changes nothing" cmp -s "$W/hand2.ics" "$W/hand/events.ics"
cp "$W/hand/events.ics" "$W/hand-updated.ics"   # for tests/conformance
# without a UID (RFC 5545 wants one), a hand-written event is told from another by its text
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nDTSTAMP:20240301T000000Z\r\nDTSTART:20240310T100000Z\r\nSUMMARY:Book club\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTAMP:20240301T000000Z\r\nDTSTART:20240311T100000Z\r\nSUMMARY:Choir\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' > "$W/nouid.ics"
"$EVENTCAL" "${B[@]}" --now 2024-03-08T00:00:00Z merge "$W/nouid.ics" -f ics > "$W/nouid1.ics"
"$EVENTCAL" "${B[@]}" --now 2024-03-08T00:00:00Z merge "$W/nouid.ics" "$W/nouid.ics" -f ics > "$W/nouid2.ics"
ok "no UID: merging a calendar with itself keeps each event once" cmp -s "$W/nouid1.ics" "$W/nouid2.ics"
ok "no UID: two such events stay two" eq "$(grep -c '^BEGIN:VEVENT' "$W/nouid2.ics")" 2

# ---- a corrupt calendar is refused and left as it was ----
mkdir -p "$W/bad"
corrupt() { # name, stderr-regex, maker (writes $W/bad/events.ics from $W/day1/events.ics)
  local name="$1" re="$2"; shift 2
  rm -rf "$W/bad" "$W/bad-out"; mkdir -p "$W/bad"
  "$@"
  cp "$W/bad/events.ics" "$W/bad.orig"
  "$EVENTCAL" "${B[@]}" --now 2024-03-08T00:00:00Z --update "$W/bad/events.ics" "$T/day2.txt" 2>"$W/err"
  ok "corrupt ($name): --update exits 1" test $? -eq 1
  ok "corrupt ($name): says file:line" grep -Eq -- "events\.ics:$re" "$W/err"
  ok "corrupt ($name): the file is untouched" cmp -s "$W/bad/events.ics" "$W/bad.orig"
  ok "corrupt ($name): nothing else is left" eq "$(ls -A "$W/bad")" events.ics
  "$EVENTCAL" "${B[@]}" merge "$W/day1/events.ics" "$W/bad/events.ics" -o "$W/bad-out" 2>"$W/err"
  ok "corrupt ($name): merge exits 1 and writes nothing" test $? -eq 1 -a ! -e "$W/bad-out"
  "$EVENTCAL" --check "$W/bad/events.ics" > "$W/check.out"
  ok "corrupt ($name): --check reports it" test $? -eq 1 -a -s "$W/check.out"
}
D1="$W/day1/events.ics"
# cut inside a property name ("SUMM"), wherever the calendar's content puts it: a fixed byte
# count lands on a line with its colon as the events' text changes, which reads as a missing END
cut_at=$(( $(grep -abo SUMMARY "$D1" | sed -n 2p | cut -d: -f1) + 4 ))
corrupt truncated "[0-9]+: truncated file" sh -c "head -c $cut_at '$D1' > '$W/bad/events.ics'"
corrupt no-end-vcalendar "[0-9]+: missing END:VCALENDAR" sh -c "grep -v '^END:VCALENDAR' '$D1' > '$W/bad/events.ics'"
corrupt garbage-line "52: not an iCalendar content line" sh -c "sed '52i this line is not iCalendar' '$D1' > '$W/bad/events.ics'"
corrupt invalid-utf8 "[0-9]+: invalid UTF-8" sh -c "sed 's/^SUMMARY:Vigil/SUMMARY:Vig\xe9l/' '$D1' > '$W/bad/events.ics'"
corrupt x-lic-error "[0-9]+: X-LIC-ERROR" sh -c "sed 's/^STATUS:CONFIRMED/X-LIC-ERROR:No value for STATUS property/' '$D1' > '$W/bad/events.ics'"
corrupt bad-value "[0-9]+: libical cannot parse" sh -c "sed 's/^DTSTAMP:.*/DTSTAMP:yesterday/' '$D1' > '$W/bad/events.ics'"
corrupt after-end "[0-9]+: content after END:VCALENDAR" sh -c "cat '$D1' '$D1' > '$W/bad/events.ics'"
echo '{"generator": "eventcal 0.1.0", "events": [{"type": "vigil"}]}' > "$W/bad.json"
"$EVENTCAL" "${B[@]}" merge "$W/bad.json" -f ics > /dev/null 2>"$W/err"
ok "merge refuses an events.json without start, naming its line" grep -q "bad.json:1: events\[0\]: an event needs 'type' and 'start'" "$W/err"

# ---- merge ----
"$EVENTCAL" "${B[@]}" --now 2024-03-08T00:00:00Z -o "$W/day2" "$T/day2.txt"
"$EVENTCAL" "${B[@]}" --now 2024-03-01T00:00:00Z -o "$W/samples" "$SRCDIR"/samples/*.txt
M=("${B[@]}" --now 2024-03-10T00:00:00Z)
"$EVENTCAL" "${M[@]}" merge "$W/day1/events.ics" "$W/day2/events.ics" -o "$W/merged"
ok "merge exits 0" test $? -eq 0
golden merge.ics "$W/merged/events.ics"
golden merge.json "$W/merged/events.json"
"$EVENTCAL" "${M[@]}" merge "$W/day2/events.ics" "$W/day1/events.ics" -f ics > "$W/ba.ics"
ok "merge: the order of the inputs does not matter" cmp -s "$W/ba.ics" "$W/merged/events.ics"
# (the JSON does not keep the default length of an event, so compare what it does keep)
"$EVENTCAL" "${M[@]}" merge "$W/day1/events.json" "$W/day2/events.json" -f tsv > "$W/json.tsv"
"$EVENTCAL" "${M[@]}" merge "$W/day1/events.ics" "$W/day2/events.ics" -f tsv > "$W/ics.tsv"
ok "merge: .json inputs give the same events" cmp -s "$W/json.tsv" "$W/ics.tsv"
"$EVENTCAL" "${M[@]}" merge "$W/merged/events.ics" "$W/merged/events.ics" -f ics > "$W/twice.ics"
ok "merge: idempotent (a calendar with itself)" cmp -s "$W/twice.ics" "$W/merged/events.ics"
# a calendar with both reports of the moved vigil (one run: 6pm and 7pm, the second under
# "<hash>-1900") and one with the 7pm report alone (under "<hash>"): the same whichever first
"$EVENTCAL" "${M[@]}" "$T/day1.txt" "$T/day2.txt" > "$W/both.ics"
"$EVENTCAL" "${M[@]}" "$T/day2.txt" > "$W/d2only.ics"
"$EVENTCAL" "${M[@]}" merge "$W/both.ics" "$W/d2only.ics" -f ics > "$W/m-ab.ics"
"$EVENTCAL" "${M[@]}" merge "$W/d2only.ics" "$W/both.ics" -f ics > "$W/m-ba.ics"
ok "merge: commutative where a UID names two times in one input" cmp -s "$W/m-ab.ics" "$W/m-ba.ics"
ok "... and that input's events stay as one run over both made them" \
  eq "$(grep -c '^BEGIN:VEVENT' "$W/m-ab.ics")" "$(grep -c '^BEGIN:VEVENT' "$W/both.ics")"
"$EVENTCAL" "${M[@]}" merge "$W/merged/events.ics" "$W/day2/events.ics" -f ics > "$W/again.ics"
ok "merge: idempotent (an input merged again)" cmp -s "$W/again.ics" "$W/merged/events.ics"
"$EVENTCAL" "${B[@]}" --now 2024-03-05T00:00:00Z merge "$W/day1/events.ics" -f ics > "$W/one.ics"
ok "merge: one calendar reads back to itself" cmp -s "$W/one.ics" "$W/day1/events.ics"
"$EVENTCAL" "${M[@]}" merge "$W/day2/events.ics" "$W/samples/events.ics" -o "$W/bc"
"$EVENTCAL" "${M[@]}" merge "$W/day1/events.ics" "$W/bc/events.ics" -f ics > "$W/a_bc.ics"
"$EVENTCAL" "${M[@]}" merge "$W/merged/events.ics" "$W/samples/events.ics" -f ics > "$W/ab_c.ics"
ok "merge: associative ((a b) c = a (b c))" cmp -s "$W/a_bc.ics" "$W/ab_c.ics"
ok "merge: the moved vigil's UID is day 1's" eq "$(prop "$W/merged/events.ics" "$VIGIL" DTSTART)" "DTSTART;TZID=Europe/London:20240309T190000"
"$EVENTCAL" "${M[@]}" merge 2>"$W/err"
ok "merge without calendars is a usage error" test $? -eq 2
cp "$W/merged/events.ics" "$W/merged.ics"   # for tests/conformance

# ---- --check ----
"$EVENTCAL" --check "$W/day1/events.ics" > "$W/check.out"
ok "--check: a calendar eventcal wrote is clean" test $? -eq 0 -a ! -s "$W/check.out"
(cd "$T" && "$EVENTCAL" --check check-bad.ics) > "$W/check-bad.txt"
ok "--check: exit 1 on problems" test $? -eq 1
golden check-bad.txt "$W/check-bad.txt"
# every file named is checked, not the first alone; options --check would ignore are refused
(cd "$T" && "$EVENTCAL" --check "$W/day1/events.ics" check-bad.ics) > "$W/check-two.txt"
ok "--check A B: exit 1 when B has problems" test $? -eq 1
ok "--check A B: B's problems, as alone" cmp -s "$W/check-two.txt" "$W/check-bad.txt"
"$EVENTCAL" --check "$W/day1/events.ics" -o "$W/nowhere" 2>"$W/err"
ok "--check with -o is a usage error" test $? -eq 2 -a ! -e "$W/nowhere"
"$EVENTCAL" "${M[@]}" merge --update "$W/day1/events.ics" "$W/day1/events.json" 2>"$W/err"
ok "merge with --update is a usage error" test $? -eq 2
ok "... that says what to do" grep -q "merge the calendar in instead" "$W/err"

# a problem quoting a value with a line break is still one line of the report, read safely
# under a long path (the report's line numbers were parsed from text past a line's end)
LONGDIR="$W/$(printf 'd%.0s' $(seq 1 200))"
mkdir -p "$LONGDIR"
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:abc\\nline2\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T100000Z\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:abc\\nline2\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' > "$LONGDIR/dup-uid.ics"
"$EVENTCAL" --check "$LONGDIR/dup-uid.ics" > "$W/check-dup.txt"
ok "--check: a UID with a line break is reported on one line" eq "$(cat "$W/check-dup.txt")" "$LONGDIR/dup-uid.ics:10: duplicate UID 'abc\\x0Aline2' (first on line 5)"

# dates libical takes but no calendar holds: eventcal's own event is refused (its file and
# line named), a hand-written one stays in the .ics and out of the JSON, which reads back
ours() { # DTSTART-line [more lines]: one of eventcal's events
  printf 'BEGIN:VCALENDAR\r\nPRODID:-//eventcal//eventcal 0.1.0//EN\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:0b2c9f8e1a7d3c55@eventcal\r\nDTSTAMP:20240301T000000Z\r\n%s\r\nSUMMARY:P\r\nX-EVENTCAL-TYPE:protest\r\nX-EVENTCAL-STATUS:upcoming\r\n%sEND:VEVENT\r\nEND:VCALENDAR\r\n' "$1" "${2:-}"
}
ours 'DTSTART;VALUE=DATE:20241399' > "$W/baddate.ics"
"$EVENTCAL" --timezone UTC merge -f tsv "$W/baddate.ics" > /dev/null 2> "$W/err"
ok "merge: DTSTART 2024-13-99 refused" test $? -eq 1
ok "merge: ... with file and the property's line" grep -q 'baddate.ics:7: .*DTSTART 2024-13-99 is not a date' "$W/err"
ours 'DTSTART:20240301T100000Z' $'X-EVENTCAL-MINUTES:2000000000\r\n' > "$W/badmin.ics"
"$EVENTCAL" --timezone UTC merge -f tsv "$W/badmin.ics" > /dev/null 2> "$W/err"
ok "merge: a bad X-EVENTCAL property is reported on its own line" grep -q "badmin.ics:11: X-EVENTCAL-MINUTES '2000000000'" "$W/err"
/usr/bin/python3 - "$W/day1/events.json" "$W/badev.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["events"][1]["start"] = "2024-13-45"
open(sys.argv[2], "w").write(json.dumps(d, indent=2))
PY
want="$(grep -n '"start": "2024-13-45"' "$W/badev.json" | cut -d: -f1)"
want="$(head -n "$want" "$W/badev.json" | grep -n '^    {' | tail -1 | cut -d: -f1)"
"$EVENTCAL" merge -f tsv "$W/badev.json" > /dev/null 2> "$W/err"
ok "merge: a bad event of a JSON calendar is named with the line it starts on" grep -q "badev.json:$want: events\[1\]: 'start' '2024-13-45'" "$W/err"
ours 'DTSTART;VALUE=DATE:20240301' $'X-EVENTCAL-END:2024-2147483647-99\r\n' > "$W/badend.ics"
"$EVENTCAL" --timezone UTC merge -f tsv "$W/badend.ics" > /dev/null 2> "$W/err"
ok "merge: X-EVENTCAL-END 2024-2147483647-99 refused" test $? -eq 1
"$EVENTCAL" --check "$W/baddate.ics" > "$W/check-date.txt"
ok "--check: DTSTART 2024-13-99 reported" grep -q ':7: DTSTART is not a date a calendar can hold' "$W/check-date.txt"
ours 'DTSTART:20240301T100000Z' $'X-EVENTCAL-MINUTES:2000000000\r\n' > "$W/bigmin.ics"
"$EVENTCAL" --timezone UTC merge -f ics "$W/bigmin.ics" > /dev/null 2> "$W/err"
ok "merge: X-EVENTCAL-MINUTES of 2000000000 refused (its DTEND would be year 3826)" test $? -eq 1
# written before X-EVENTCAL-MINUTES: the length is DTEND - DTSTART, over a month's end too
ours $'DTSTART:20240131T100000Z\r\nDTEND:20240201T100000Z' $'X-EVENTCAL-PRECISION:minute\r\n' > "$W/dur.ics"
"$EVENTCAL" --timezone UTC merge -f ics "$W/dur.ics" > "$W/dur-out.ics"
ok "merge: a day-long event over a month's end keeps its DTEND" grep -q '^DTEND:20240201T100000Z' "$W/dur-out.ics"
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:nodt@example.org\r\nDTSTAMP:20240101T000000Z\r\nSUMMARY:no date\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:bad@example.org\r\nDTSTAMP:20240101T000000Z\r\nDTSTART;VALUE=DATE:20241399\r\nSUMMARY:bad date\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' > "$W/nodate.ics"
"$EVENTCAL" merge -f ics "$W/nodate.ics" > "$W/nodate-out.ics"
ok "merge: hand-written events without a date stay in the .ics" eq "$(grep -c '^BEGIN:VEVENT' "$W/nodate-out.ics")" 2
"$EVENTCAL" merge -f json "$W/nodate.ics" > "$W/nodate.json"
ok "merge: ... and out of the JSON" eq "$(grep -c '"uid"' "$W/nodate.json")" 0
"$EVENTCAL" merge -f json "$W/nodate.json" > /dev/null
ok "merge: that JSON reads back" test $? -eq 0

# two marches of one day and town share a UID's stem: the 3pm one, alone in another calendar
# (UID "<hash>"), is joined with the 3pm one ("<hash>-1500"), not with the 11am one ("<hash>")
printf 'Published: 2024-02-21\nURL: https://example.org/1\n\nA march will be held in Bolton on Saturday March 2 at 11am.\n\nA second march will be held in Bolton on Saturday March 2 at 3pm.\n' > "$W/two.txt"
printf 'Published: 2024-02-22\nURL: https://example.org/2\n\nA march will be held in Bolton on Saturday March 2 at 3pm.\n' > "$W/one.txt"
"$EVENTCAL" "${B[@]}" --now 2024-03-01T00:00:00Z "$W/two.txt" > "$W/two.ics"
"$EVENTCAL" "${B[@]}" --now 2024-03-01T00:00:00Z "$W/one.txt" > "$W/one.ics"
"$EVENTCAL" "${B[@]}" --now 2024-03-01T00:00:00Z -f tsv "$W/two.txt" "$W/one.txt" | cut -f1,3,9 > "$W/once.tsv"
"$EVENTCAL" "${B[@]}" --now 2024-03-01T00:00:00Z merge -f tsv "$W/two.ics" "$W/one.ics" | cut -f1,3,9 > "$W/merged2.tsv"
ok "merge: two marches of one day stay two, as in one run" cmp -s "$W/once.tsv" "$W/merged2.tsv"
cp "$W/two.ics" "$W/two-up.ics"
"$EVENTCAL" "${B[@]}" --now 2024-03-01T00:00:00Z --update "$W/two-up.ics" "$W/one.txt"
"$EVENTCAL" "${B[@]}" --now 2024-03-01T00:00:00Z merge -f tsv "$W/two-up.ics" | cut -f1,3,9 > "$W/updated2.tsv"
ok "--update: the 11am march is not moved to 3pm" cmp -s "$W/once.tsv" "$W/updated2.tsv"

# a component with a name longer than 31 bytes closes with its own END (a copy of the name
# had been cut there, and the END refused)
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:X-A-VERY-LONG-COMPONENT-NAME-OF-FORTY-CHARS\r\nX-FOO:1\r\nEND:X-A-VERY-LONG-COMPONENT-NAME-OF-FORTY-CHARS\r\nEND:VCALENDAR\r\n' > "$W/longcomp.ics"
"$EVENTCAL" --check "$W/longcomp.ics" > "$W/check-long.txt"
ok "--check: a long X- component name is fine" test $? -eq 0 -a ! -s "$W/check-long.txt"
ok "merge: ... and kept" eq "$("$EVENTCAL" merge "$W/longcomp.ics" | grep -c '^BEGIN:X-A-VERY-LONG-COMPONENT-NAME-OF-FORTY-CHARS')" 1

# a fold inside a character: the unfolded line is UTF-8 (RFC 5545 3.1), and is read so
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:u@example.org\r\nDTSTAMP:20240101T000000Z\r\nDTSTART:20240101T100000Z\r\nSUMMARY:Caf\xc3\r\n \xa9 meeting\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' > "$W/splitchar.ics"
"$EVENTCAL" --check "$W/splitchar.ics" > "$W/check-split.txt"
ok "--check: a character split by a fold is fine" test $? -eq 0 -a ! -s "$W/check-split.txt"
ok "merge: ... and read whole" eq "$("$EVENTCAL" merge -f tsv "$W/splitchar.ics" | cut -f5 | tail -1)" "Café meeting"

# a JSON calendar's start holds a month or a day and nothing after it, and its precision is no
# finer than it (a month start with "minute" had become day 0 in the .ics, which no reader takes)
jcal() { printf '{"generator": "eventcal 0.1.0", "events": [{"uid": "u@eventcal", "type": "meeting", "start": "%s", "precision": "%s"}]}\n' "$1" "$2"; }
jcal '2024-06>>>' month > "$W/badstart.json"
"$EVENTCAL" merge -f ics "$W/badstart.json" > /dev/null 2> "$W/err"
ok "merge: a JSON start with more after the month refused" test $? -eq 1
jcal '2024-06' minute > "$W/badprec.json"
"$EVENTCAL" merge -f ics "$W/badprec.json" > /dev/null 2> "$W/err"
ok "merge: a JSON month start with minute precision refused" grep -q "'precision' 'minute' needs a day" "$W/err"
jcal '2024-06' month > "$W/monthstart.json"
"$EVENTCAL" merge -f json "$W/monthstart.json" > /dev/null
ok "merge: a JSON month start with month precision read" test $? -eq 0

# through a symbolic link: the file it points to is updated (the link stays), and keeps its mode
mkdir -p "$W/pub" "$W/feed" "$W/plain"
cp "$W/day1/events.ics" "$W/pub/cal.ics"
cp "$W/day1/events.ics" "$W/plain/cal.ics"
chmod 640 "$W/pub/cal.ics"
ln -s ../pub/cal.ics "$W/feed/events.ics"
"$EVENTCAL" "${B[@]}" --now 2024-03-08T00:00:00Z --update "$W/feed/events.ics" "$T/day2.txt"
"$EVENTCAL" "${B[@]}" --now 2024-03-08T00:00:00Z --update "$W/plain/cal.ics" "$T/day2.txt"
ok "--update through a link keeps the link" test -L "$W/feed/events.ics"
ok "--update through a link updates its target" cmp -s "$W/pub/cal.ics" "$W/plain/cal.ics"
ok "--update keeps the calendar's mode" eq "$(stat -c %a "$W/pub/cal.ics")" 640

# ---- a byte-order mark, as editors on Windows write, is passed over by every reader ----
mkdir -p "$W/bom"
for f in events.ics events.json; do { printf '\xef\xbb\xbf'; cat "$W/day1/$f"; } > "$W/bom/$f"; done
"$EVENTCAL" "${B[@]}" --now 2024-03-05T00:00:00Z merge "$W/day1/events.ics" -f json > "$W/bom/want.json"
for f in events.ics events.json; do
  "$EVENTCAL" "${B[@]}" --now 2024-03-05T00:00:00Z merge "$W/bom/$f" -f json > "$W/bom/got.json" 2>"$W/err"
  ok "BOM: merge reads $f after a byte-order mark" cmp -s "$W/bom/got.json" "$W/bom/want.json"
done
"$EVENTCAL" --check "$W/bom/events.ics" > "$W/check.out"
ok "BOM: --check finds nothing" test $? -eq 0 -a ! -s "$W/check.out"
cp "$W/bom/events.ics" "$W/bom/live.ics"
"$EVENTCAL" "${B[@]}" --now 2024-03-08T00:00:00Z --update "$W/bom/live.ics" "$T/day2.txt" 2>"$W/err"
ok "BOM: --update reads the calendar and writes it without the mark" test $? -eq 0 -a "$(head -c 15 "$W/bom/live.ics")" = "BEGIN:VCALENDAR"

# calendars for tests/conformance
if [ -n "${KEEP:-}" ]; then
  mkdir -p "$KEEP"
  cp "$W/merged/events.ics" "$KEEP/merged.ics"; cp "$W/merged/events.json" "$KEEP/merged.json"
  cp "$W/live/events.ics" "$KEEP/updated.ics"; cp "$W/live/events.json" "$KEEP/updated.json"
  cp "$W/hand-updated.ics" "$KEEP/hand-updated.ics"
fi

[ -s "$W/not-found" ] && fail=$((fail + $(wc -l < "$W/not-found")))
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
