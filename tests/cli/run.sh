#!/usr/bin/env bash
# Command-line behaviour and bad input: each case gives the arguments, the expected exit status
# and a pattern the standard error must match ('' for silence).  Exit statuses: 0 ok, 1 some
# input failed, 2 usage or rules error.
set -u
EVENTCAL="${EVENTCAL:-build/eventcal}"
case "$EVENTCAL" in /*) ;; */*) EVENTCAL="$PWD/$EVENTCAL" ;; esac # the script may cd
SRCDIR="${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
# a helper misspelt or used before it is defined would otherwise pass unnoticed
command_not_found_handle() { echo "FAIL: $1: command not found" >&2; echo "$1" >> "$W/not-found"; return 127; }
pass=0 fail=0
export TZ=UTC
BASE=(--rules "$SRCDIR/rules" --timezone Europe/London --now 2024-03-01T00:00:00Z)

# case NAME STATUS STDERR_REGEX [STDIN_FILE] -- ARGS...
case_() {
  local name="$1" want="$2" re="$3" in=/dev/null
  shift 3
  if [ "$1" != "--" ]; then in="$1"; shift; fi
  shift
  "$EVENTCAL" "$@" <"$in" >"$W/out" 2>"$W/err"
  local got=$?
  local ok=1
  [ "$got" -eq "$want" ] || ok=0
  if [ -z "$re" ]; then [ -s "$W/err" ] && ok=0; else grep -Eq -- "$re" "$W/err" || ok=0; fi
  if [ $ok -eq 1 ]; then pass=$((pass + 1)); else
    echo "FAIL: $name: status $got (want $want), stderr:"; head -5 "$W/err"; fail=$((fail + 1))
  fi
}
# out_has NAME REGEX: the last case's standard output matches
out_has() {
  if grep -Eq -- "$2" "$W/out"; then pass=$((pass + 1)); else echo "FAIL: $1: output lacks /$2/"; head -5 "$W/out"; fail=$((fail + 1)); fi
}
ok_eq() { if [ "$2" = "$3" ]; then pass=$((pass + 1)); else echo "FAIL: $1: got '$2', want '$3'"; fail=$((fail + 1)); fi; }

printf 'Published: 2024-02-21\n\nA vigil will be held on Saturday February 24 at 6pm in Bolton.\n' > "$W/good.txt"
: > "$W/empty.txt"
printf '   \n\t\n' > "$W/blank.txt"
# binary data, the same every run (random bytes sometimes start like JSON or HTML)
/usr/bin/python3 -c "import random, sys; random.seed(7); sys.stdout.buffer.write(bytes([0x89]) + bytes(random.randrange(256) for _ in range(8191)))" > "$W/binary.bin"
printf 'Published: 2024-02-21\n\nCaf\xe9 meeting on Saturday February 24.\n' > "$W/latin1.txt"
printf '\xff\xfeA\x00 \x00v\x00' > "$W/utf16.txt"
printf '<html><head><title>Nothing</title><script>var x = "March 3";</script></head><body></body></html>' > "$W/notext.html"
mkfifo "$W/fifo"
{
  echo '{"id":"a","published":"2024-02-21","text":"A rally will take place on Saturday February 24 in Wigan."}'
  echo '{"id":"b", "text": broken'
  echo '{"id":"c","published":"2024-02-21","text":"A march will be held on March 2 in Bolton."}'
} > "$W/mixed.jsonl"
mkdir -p "$W/badrules/vocab"
printf 'kind timex\nrule r\n  match (?<year>\\d{4\n  type DATE\n' > "$W/badrules/bad.rules"

case_ help 0 '' -- --help;                                  out_has help '^usage: eventcal'
case_ version 0 '' -- --version;                            out_has version '^eventcal [0-9]'
case_ unknown-option 2 "unknown option '--frobnicate'" -- --frobnicate
case_ bad-format 2 "unknown format 'pdf'" -- "${BASE[@]}" --format pdf
case_ bad-zone 2 "unknown time zone 'Mars/Olympus'" -- --timezone Mars/Olympus
printf '{"id":"a","published":"2024-02-21","text":"x"}\n{"id":"b","timezone":"Mars/Olympus","published":"2024-02-21","text":"A vigil on May 2."}\n' > "$W/zone.jsonl"
case_ record-zone 0 "zone.jsonl:2: unknown time zone 'Mars/Olympus', using Europe/London" -- "${BASE[@]}" -f tsv "$W/zone.jsonl"
# a warning, not an error: --quiet keeps it to itself and the vigil is still read
case_ record-zone-quiet 0 '' -- "${BASE[@]}" -q -f tsv "$W/zone.jsonl";  out_has record-zone-quiet '^2024-05-02	.*vigil'
case_ bad-published 2 "not a date" -- --published 24/02/2024
case_ missing-argument 2 "option '-o' needs an argument" -- "${BASE[@]}" -o
case_ missing-long-argument 2 "option '--update' needs an argument" -- "${BASE[@]}" --update
case_ nan-confidence 2 "'nan' is not a number from 0 to 1" -- "${BASE[@]}" --min-confidence nan
case_ title-not-utf8 2 "--title: the value is not UTF-8 text" -- "${BASE[@]}" --title $'Caf\xe9' "$W/good.txt"
case_ good 0 '' -- "${BASE[@]}" -f tsv "$W/good.txt";       out_has good $'^2024-02-24T18:00:00\\+00:00\t.*vigil'
case_ stdin 0 '' "$W/good.txt" -- "${BASE[@]}" -f json -;   out_has stdin '"type": "vigil"'
case_ missing 1 "missing.txt: cannot open: No such file" -- "${BASE[@]}" "$W/missing.txt"
# a directory: its article files (a link to one too), in its subdirectories too, in name
# order; nothing else
mkdir -p "$W/dir/b-sub" "$W/dir/.hidden" "$W/dir/empty" "$W/nothing"
cp "$W/good.txt" "$W/dir/a.txt"
printf 'Published: 2024-02-21\n\nA strike will be held on Monday March 4 in Leigh.\n' > "$W/dir/b-sub/c.TXT"
cp "$W/good.txt" "$W/dir/.hidden/h.txt"
cp "$W/binary.bin" "$W/dir/picture.png"
printf '{\n  "name": "a document, not JSON Lines"\n}\n' > "$W/dir/package.json"
ln -s "$W/dir/b-sub" "$W/dir/link-to-sub"
printf 'Published: 2024-02-21\n\nA rally will be held on Friday March 8 in Bury.\n' > "$W/elsewhere.txt"
ln -s "$W/elsewhere.txt" "$W/dir/linked.txt"
mkfifo "$W/dir/pipe.txt"
case_ directory 0 '' -- "${BASE[@]}" -f tsv "$W/dir"
out_has directory-file $'^2024-02-24T18:00:00\\+00:00\t.*vigil'
out_has directory-subdir $'^2024-03-04\t.*strike'
out_has directory-linked-file $'^2024-03-08\t.*rally'
"$EVENTCAL" "${BASE[@]}" -f jsonl "$W/dir" > "$W/lines.out" 2>/dev/null
[ "$(grep -c . "$W/lines.out")" -eq 3 ] && pass=$((pass + 1)) || { echo "FAIL: directory: hidden, linked or non-article files were read"; cat "$W/lines.out"; fail=$((fail + 1)); }
"$EVENTCAL" "${BASE[@]}" -f tsv "$W/dir/a.txt" "$W/dir/b-sub/c.TXT" "$W/dir/linked.txt" > "$W/files.out" 2>/dev/null
cmp -s "$W/out" "$W/files.out" && pass=$((pass + 1)) || { echo "FAIL: directory: differs from its files named one by one"; fail=$((fail + 1)); }
case_ directory-verbose 0 "dir: 4 other files passed over" -- "${BASE[@]}" -v -f tsv "$W/dir"
case_ directory-empty 1 "nothing: no article files in it" -- "${BASE[@]}" "$W/nothing"
case_ empty 0 '' -- "${BASE[@]}" -f json "$W/empty.txt";    out_has empty '"events": \[\]'
case_ whitespace 0 '' -- "${BASE[@]}" -f json "$W/blank.txt"; out_has whitespace '"events": \[\]'
case_ binary 1 "binary.bin: byte [0-9]+: not UTF-8 text" -- "${BASE[@]}" "$W/binary.bin"
# the byte is counted from the file's start, its header included (it was from the text's)
{ printf 'Title: Binary\nPublished: 2024-02-21\n\nok text '; /usr/bin/python3 -c "import sys; sys.stdout.buffer.write(bytes(range(0x80, 0x100)) * 2)"; } > "$W/header-binary.txt"
case_ binary-after-header 1 "header-binary.txt: byte 45: not UTF-8 text" -- "${BASE[@]}" "$W/header-binary.txt"
case_ latin1 0 "1 bytes that are not UTF-8 text were replaced" -- "${BASE[@]}" -f tsv "$W/latin1.txt"
out_has latin1 'meeting'
# offsets count the text as read, each bad byte as its three-byte U+FFFD: "Caf\xe9 owners met. "
# is 19 bytes, and the evidence is the bytes of the span
printf 'Published: 2024-02-21\n\nCaf\xe9 owners met. A vigil will be held on Saturday February 24 at 6pm in Bolton.\n' > "$W/latin1-span.txt"
case_ latin1-span 0 '' -- "${BASE[@]}" -q -f json "$W/latin1-span.txt"
ok_eq latin1-span "$(tr -d ' \n' < "$W/out" | grep -o '"span":\[[0-9,]*')" '"span":[19,81'
case_ utf16 1 "UTF-16 text is not supported" -- "${BASE[@]}" "$W/utf16.txt"
case_ html-no-text 0 '' -- "${BASE[@]}" -f json "$W/notext.html"; out_has html-no-text '"events": \[\]'
case_ fifo 0 '' -- "${BASE[@]}" -f json "$W/fifo" & sleep 0.2; cat "$W/good.txt" > "$W/fifo"; wait
case_ jsonl-bad-line 1 "mixed.jsonl:2:[0-9]*:? ?bad JSON" -- "${BASE[@]}" -f tsv "$W/mixed.jsonl"
out_has jsonl-good-lines-kept 'rally'
out_has jsonl-good-lines-kept-2 'march'
case_ bad-rules 2 "bad.rules:3: " -- --rules "$W/badrules" "$W/good.txt"
case_ no-rules-dir 2 "cannot open rules directory" -- --rules "$W/nowhere" "$W/good.txt"
case_ rules-examples 0 '' -- --rules "$SRCDIR/rules" --test-rules -q

# --timex-style: TIMEX3 values by default, the instant meant with 'instant'
printf '{"id":"t","published":"2016-10-07T12:00","text":"Sales rose in September 2012; we meet next month, within 10 days or in 1.5 hours."}\n' > "$W/tx.jsonl"
case_ timex-timeml 0 '' -- "${BASE[@]}" -f timex "$W/tx.jsonl"
out_has timex-timeml-month '"value":"2012-09"'
out_has timex-timeml-next-month '"value":"2016-11"'
out_has timex-timeml-within '"type":"DURATION","value":"P10D"'
case_ timex-instant 0 '' -- "${BASE[@]}" -f timex --timex-style instant "$W/tx.jsonl"
out_has timex-instant-month '"value":"2012-09-01"'
out_has timex-instant-next-month '"value":"2016-11-07T12:00"'
out_has timex-instant-within '"type":"DURATION","value":"2016-10-17T12:00"'
out_has timex-instant-hours '"value":"2016-10-07T13:30"'
case_ timex-bad-style 2 "--timex-style: 'iso' is not timeml or instant" -- --timex-style iso
# numeric dates: month first unless a zone that writes them day first is stated
printf '{"id":"n","published":"2024-01-10","text":"The vote is on 4/3/2024."}\n' > "$W/num.jsonl"
case_ date-order-default 0 '' -- --rules "$SRCDIR/rules" -f timex "$W/num.jsonl"; out_has date-order-default '"2024-04-03"'
case_ date-order-zone 0 '' -- "${BASE[@]}" -f timex "$W/num.jsonl";               out_has date-order-zone '"2024-03-04"'
case_ date-order-forced 0 '' -- "${BASE[@]}" --date-order mdy -f timex "$W/num.jsonl"; out_has date-order-forced '"2024-04-03"'

# the same article read twice is one report: its event is no more certain than from one read
once=$("$EVENTCAL" "${BASE[@]}" -q -f tsv "$W/good.txt" | cut -f7 | tail -n +2)
twice=$("$EVENTCAL" "${BASE[@]}" -q -f tsv "$W/good.txt" "$W/good.txt" | cut -f7 | tail -n +2)
if [ -n "$once" ] && [ "$once" = "$twice" ]; then pass=$((pass + 1));
else echo "FAIL: an article read twice changed the confidence: '$once' -> '$twice'"; fail=$((fail + 1)); fi

# a schedule told in the present is an announcement: its bare weekday is the coming one
printf 'Published: 2024-03-05\n\nThe public meeting is at 7pm on Monday in the Guildhall, Leeds.\n' > "$W/present.txt"
case_ present-schedule 0 '' -- "${BASE[@]}" -q -f tsv "$W/present.txt"
out_has present-schedule-next-monday '^2024-03-11T19:00:00\+00:00		meeting	upcoming'

# a date in a clause about a person is that person's, not the event's: no date, or the other
printf 'Published: 2024-03-05\n\nA vigil will be held in Leeds for the man who died on Sunday.\n' > "$W/who1.txt"
case_ who-clause-only-date 0 '' -- "${BASE[@]}" -q -f tsv "$W/who1.txt"
if [ "$(wc -l < "$W/out")" -eq 1 ]; then pass=$((pass + 1)); else echo "FAIL: who-clause: the death's day became the vigil's"; cat "$W/out"; fail=$((fail + 1)); fi
printf 'Published: 2024-03-05\n\nFriends of a teenager who died on Friday will hold a vigil at Roundhay Park, Leeds on Saturday.\n' > "$W/who2.txt"
case_ who-clause-other-date 0 '' -- "${BASE[@]}" -q -f tsv "$W/who2.txt"
out_has who-clause-saturday '^2024-03-09		vigil	upcoming'
# ... and "died" is a past tense: the Friday before
printf '{"id":"d","published":"2024-03-05","text":"He died on Friday."}\n' > "$W/died.jsonl"
case_ died-past 0 '' -- "${BASE[@]}" -q -f timex "$W/died.jsonl"
out_has died-past-friday '"value":"2024-03-01"'

# a postponement's new day is ahead of the day it was moved from and of the publication day (a
# week on when said on that weekday); -f timex gives both days
printf '{"id":"m","published":"2024-03-04T09:00:00Z","text":"The match has been moved from Saturday to Monday."}\n' > "$W/moved.jsonl"
case_ moved-timex 0 '' -- "${BASE[@]}" -q -f timex "$W/moved.jsonl"
out_has moved-timex-old '"text":"Saturday","type":"DATE"'
out_has moved-timex-new '"text":"Monday","type":"DATE","value":"2024-03-11"'
for c in "has been moved from Saturday to Monday" "was postponed from Saturday to Monday"; do
  printf 'Published: 2024-03-04T09:00:00Z\n\nThe vigil at the library %s.\n' "$c" > "$W/moved.txt"
  case_ "moved-events $c" 0 '' -- "${BASE[@]}" -q -f tsv "$W/moved.txt"
  out_has "moved-events-old $c" '^2024-03-09		vigil	postponed'
  out_has "moved-events-new $c" '^2024-03-11		vigil	upcoming'
done

# "on 14 and 19 March" is two days, not the six from 14 to 19
printf 'Published: 2024-03-05\n\nStrikes will take place on 14 and 19 March in Leeds.\n' > "$W/list.txt"
case_ day-list 0 '' -- "${BASE[@]}" -q -f tsv "$W/list.txt"
if [ "$(cut -f1,2 "$W/out" | tail -n +2 | tr '\n\t' ' ,')" = "2024-03-14, 2024-03-19, " ]; then pass=$((pass + 1));
else echo "FAIL: day-list: not two one-day strikes"; cat "$W/out"; fail=$((fail + 1)); fi

# "the first Monday in April": that Monday, not this week's, and followed by "in Leeds" still
# the event's day
printf 'Published: 2024-03-05\n\nA march will be held on the first Monday in April in Leeds.\n' > "$W/nth.txt"
case_ nth-weekday 0 '' -- "${BASE[@]}" -q -f tsv "$W/nth.txt"
out_has nth-weekday-april '^2024-04-01		march	upcoming'

# a bare hour takes the part of day its day has: "at 7 o'clock on Friday evening" is 19:00
printf "Published: 2024-03-05\n\nThe protest will begin at 7 o'clock on Friday evening outside the Town Hall in Leeds.\n" > "$W/pod.txt"
case_ hour-pod 0 '' -- "${BASE[@]}" -q -f tsv "$W/pod.txt"
out_has hour-pod-evening '^2024-03-08T19:00:00\+00:00		protest'
# the part of the day next to the hour says which 7, for a kind of event with no evening of its own
for c in "tomorrow night at 7|2024-03-05T19:00" "on Friday night at 9|2024-03-08T21:00" "at 8 this evening|2024-03-04T20:00" \
  "tonight at 8|2024-03-04T20:00" "at 7.30 tomorrow evening|2024-03-05T19:30"; do
  printf 'Published: 2024-03-04T09:00:00Z\n\nResidents will hold a protest outside the library %s.\n' "${c%|*}" > "$W/pod2.txt"
  case_ "hour-day-pod $c" 0 '' -- "${BASE[@]}" -q -f tsv "$W/pod2.txt"
  out_has "hour-day-pod $c" "^${c#*|}:00\+00:00		protest"
done
# twelve at night is the midnight that ends the day named, as "midnight tonight" is
for c in "at 12 tonight|2024-03-05T00:00" "at 12 o'clock tonight|2024-03-05T00:00" "at midnight tonight|2024-03-05T00:00" \
  "tonight at midnight|2024-03-05T00:00" "on Friday night at 12|2024-03-09T00:00" "at midnight on Friday night|2024-03-09T00:00"; do
  printf 'Published: 2024-03-04T09:00:00Z\n\nResidents will hold a protest outside the library %s.\n' "${c%|*}" > "$W/pod2.txt"
  case_ "midnight $c" 0 '' -- "${BASE[@]}" -q -f tsv "$W/pod2.txt"
  out_has "midnight $c" "^${c#*|}:00\+00:00		protest"
done
# ... and a time said for another part of that day is not lent to an event of tonight
printf 'Published: 2024-03-04T09:00:00Z\n\nTonight, residents will hold a protest outside the library.\n\nThe council offices will close at 1:45 this afternoon.\n' > "$W/pod3.txt"
case_ hour-day-pod-other 0 '' -- "${BASE[@]}" -q -f tsv "$W/pod3.txt"
out_has hour-day-pod-other '^2024-03-04		protest'
# a time and the part of the day written next to it are one TIME in -f timex
for c in "at twenty to nine this evening|twenty to nine this evening|2024-03-04T20:40" \
  "at quarter past seven tonight|quarter past seven tonight|2024-03-04T19:15" \
  "at half six this evening|half six this evening|2024-03-04T18:30" \
  "at midnight tonight|midnight tonight|2024-03-05T00:00" "tonight at midnight|tonight at midnight|2024-03-05T00:00" \
  "at 6.30 this morning|6.30 this morning|2024-03-04T06:30"; do
  IFS='|' read -r words text value <<< "$c"
  printf '{"id":"p","published":"2024-03-04T09:00:00Z","text":"The vigil will start %s."}\n' "$words" > "$W/pod.jsonl"
  case_ "time-pod $words" 0 '' -- "${BASE[@]}" -q -f timex "$W/pod.jsonl"
  out_has "time-pod $words" "^\{\"id\":\"p\",\"timex\":\[\{[^{}]*\"text\":\"$text\",\"type\":\"TIME\",\"value\":\"$value\"[^{}]*\}\]\}$"
done
# minutes told in words before or past the hour; a bare hour as for "at 7" (a vigil's is the evening)
for c in "at a quarter to eight|2024-03-05T19:45" "at twenty to nine|2024-03-05T20:40" "at ten past seven|2024-03-05T19:10" \
  "at twenty-five past six|2024-03-05T18:25"; do
  printf 'Published: 2024-03-04T09:00:00Z\n\nA vigil will be held outside the library tomorrow %s.\n' "${c%|*}" > "$W/clock.txt"
  case_ "clock-words $c" 0 '' -- "${BASE[@]}" -q -f tsv "$W/clock.txt"
  out_has "clock-words $c" "^${c#*|}:00\+00:00		vigil"
done
printf 'Published: 2024-03-04T09:00:00Z\n\nCouncillors voted twenty to nine to hold a vigil outside the library tomorrow.\n' > "$W/clock.txt"
case_ clock-words-score 0 '' -- "${BASE[@]}" -q -f tsv "$W/clock.txt"
out_has clock-words-score '^2024-03-05		vigil'
# a weekday told in the present by the verb before it is the coming one ("The rally is in
# Leeds on Friday"); a present verb after it, in another clause, says nothing of it
for c in "The rally is in Leeds on Friday.|2024-03-08		rally	upcoming" \
  "The concert is at the town hall on Friday at 8pm.|2024-03-08T20:00:00\+00:00		festival	upcoming" \
  "Protesters held a rally in Leeds on Friday and the council is now reviewing its policy.|2024-03-01		[a-z]*	past"; do
  printf 'Published: 2024-03-04T09:00:00Z\n\n%s\n' "${c%|*}" > "$W/present.txt"
  case_ "present-weekday ${c%%|*}" 0 '' -- "${BASE[@]}" -q -f tsv "$W/present.txt"
  out_has "present-weekday ${c%%|*}" "^${c#*|}"
done
# hours after a list of days are each day's: two fairs of 10am-4pm, not one from Saturday
# 10am to Sunday 4pm nor a weekend with no hours; without hours the days are one festival
printf 'Published: 2024-03-04T09:00:00Z\n\nThe fair will be held in Abbey Grounds on Saturday and Sunday from 10am to 4pm.\n' > "$W/hours.txt"
case_ list-hours 0 '' -- "${BASE[@]}" -q -f tsv "$W/hours.txt"
ok_eq list-hours "$(cut -f1,2 "$W/out" | tail -n +2 | tr '\n\t' ' ,')" \
  "2024-03-09T10:00:00+00:00,2024-03-09T16:00:00+00:00 2024-03-10T10:00:00+00:00,2024-03-10T16:00:00+00:00 "
printf 'Published: 2024-03-04T09:00:00Z\n\nThe fair will be held in Abbey Grounds on Saturday and Sunday.\n' > "$W/hours.txt"
case_ list-no-hours 0 '' -- "${BASE[@]}" -q -f tsv "$W/hours.txt"
ok_eq list-no-hours "$(cut -f1,2 "$W/out" | tail -n +2 | tr '\n\t' ' ,')" "2024-03-09,2024-03-10 "
# the doors' time is the start only when no other is given
for c in "Doors open at 6.30pm for the concert in the town hall on Friday; the show starts at 7.30pm.|2024-03-08T19:30" \
  "Doors will open at 6.30pm for the concert in the town hall on Friday.|2024-03-08T18:30"; do
  printf 'Published: 2024-03-04T09:00:00Z\n\n%s\n' "${c%|*}" > "$W/doors.txt"
  case_ "doors ${c#*|}" 0 '' -- "${BASE[@]}" -q -f tsv "$W/doors.txt"
  out_has "doors ${c#*|}" "^${c#*|}:00\+00:00		festival"
done
# British "half six" is 6:30 (the afternoon as "at 6.30" is); "half six-year-olds" is no time
printf 'Published: 2024-03-04T09:00:00Z\n\nResidents will hold a protest outside the library tomorrow at half six.\n' > "$W/half.txt"
case_ half-hour 0 '' -- "${BASE[@]}" -q -f tsv "$W/half.txt"
out_has half-hour '^2024-03-05T18:30:00\+00:00		protest'
printf 'Published: 2024-03-04T09:00:00Z\n\nA vigil will be held outside the library at half seven on Saturday.\n' > "$W/half.txt"
case_ half-hour-day 0 '' -- "${BASE[@]}" -q -f tsv "$W/half.txt"
out_has half-hour-day '^2024-03-09T19:30:00\+00:00		vigil'
printf 'Published: 2024-03-04T09:00:00Z\n\nHalf six-year-olds will join a march at the park on Saturday.\n' > "$W/half.txt"
case_ half-hour-not 0 '' -- "${BASE[@]}" -q -f tsv "$W/half.txt"
out_has half-hour-not '^2024-03-09		march'
# a range of weekdays alone runs to the first such day after its start; opening days are none
for c in "from Monday until Friday next week|2024-03-11	2024-03-15" "from Tuesday to Thursday|2024-03-05	2024-03-07" \
  "Monday to Friday this week|2024-03-04	2024-03-08"; do
  printf 'Published: 2024-03-04T09:00:00Z\n\nThe strike at the hospital will run %s.\n' "${c%|*}" > "$W/span.txt"
  case_ "weekday-span ${c%|*}" 0 '' -- "${BASE[@]}" -q -f tsv "$W/span.txt"
  out_has "weekday-span ${c%|*}" "^${c#*|}	strike"
done
# ... and without "from" or a week where the sentence announces something (on a Wednesday: the
# coming days); habitual days (opening, working) stay no range
for c in "The strike at the hospital will run Monday to Friday." "Nurses at the hospital will strike Monday to Friday." \
  "The strike at the hospital runs from Monday to Friday."; do
  printf 'Published: 2024-03-06T09:00:00Z\n\n%s\n' "$c" > "$W/span.txt"
  case_ "weekday-span-announced $c" 0 '' -- "${BASE[@]}" -q -f tsv "$W/span.txt"
  out_has "weekday-span-announced $c" "^2024-03-11	2024-03-15	strike"
done
for c in "Lessons run from Monday to Friday." "Lessons have been cancelled Monday to Friday." \
  "The library will be closed Monday to Friday."; do
  printf '{"id":"s","published":"2024-03-06T09:00:00Z","text":"%s"}\n' "$c" > "$W/span.jsonl"
  case_ "weekday-span-timex $c" 0 '' -- "${BASE[@]}" -q -f timex "$W/span.jsonl"
  out_has "weekday-span-timex $c" '"text":"Monday to Friday","type":"DATE","value":"2024-03-11"'
done
for c in "The library is open Monday to Friday." "She works Monday to Friday." "The shop opens Monday to Friday." \
  "The museum is closed Monday to Friday." "Staff will be at work Monday to Friday."; do
  printf '{"id":"s","published":"2024-03-06T09:00:00Z","text":"%s"}\n' "$c" > "$W/span.jsonl"
  case_ "weekday-span-habitual $c" 0 '' -- "${BASE[@]}" -q -f timex "$W/span.jsonl"
  if grep -q '"text":"Monday to Friday"' "$W/out"; then echo "FAIL: weekday-span-habitual: $c is a range"; fail=$((fail + 1));
  else pass=$((pass + 1)); fi
done
printf 'Published: 2024-03-04T09:00:00Z\n\nThe library, open Monday to Friday, will host a protest on Saturday.\n' > "$W/span.txt"
case_ weekday-span-opening 0 '' -- "${BASE[@]}" -q -f tsv "$W/span.txt"
out_has weekday-span-opening '^2024-03-09		protest'

# output that cannot be written fails, even --help's; an empty argument is named
for opt in --help --version; do
  "$EVENTCAL" "$opt" > /dev/full 2> "$W/err"
  if [ $? -eq 1 ] && grep -q "cannot write to standard output" "$W/err"; then pass=$((pass + 1));
  else echo "FAIL: $opt > /dev/full did not fail"; fail=$((fail + 1)); fi
done
case_ empty-arg 1 "'': an empty argument is no file name" -- "${BASE[@]}" -q -f tsv ""

# "this weekend": the Saturday and the Sunday, all day
printf 'Published: 2024-03-05\n\nThe festival returns to Roundhay Park, Leeds this weekend.\n' > "$W/weekend.txt"
case_ weekend 0 '' -- "${BASE[@]}" -q -f tsv "$W/weekend.txt"
out_has weekend-sat-sun '^2024-03-09	2024-03-10	festival	upcoming'

# a headline's day for a text that gives only the time, in the direction the text's tense says
printf 'Title: Library closure protest on Saturday\nPublished: 2024-03-05T09:00:00Z\n\nCampaigners will gather outside the building at 11am to protest against the closure.\n' > "$W/headline.txt"
case_ headline-day 0 '' -- "${BASE[@]}" -q -f tsv "$W/headline.txt"
out_has headline-day-saturday '^2024-03-09T11:00:00\+00:00		protest	upcoming'

# a failed run never replaces an existing calendar
mkdir -p "$W/out1"; echo OLD > "$W/out1/events.ics"
case_ keep-old-on-rules-error 2 "bad.rules" -- --rules "$W/badrules" -o "$W/out1" "$W/good.txt"
if [ "$(cat "$W/out1/events.ics")" = OLD ]; then pass=$((pass + 1)); else echo "FAIL: old calendar replaced"; fail=$((fail + 1)); fi
case_ writes-output 0 '' -- "${BASE[@]}" -o "$W/out1" "$W/good.txt"
if grep -q '^BEGIN:VEVENT' "$W/out1/events.ics" && ! ls "$W/out1"/.events* >/dev/null 2>&1; then pass=$((pass + 1));
else echo "FAIL: -o did not leave exactly the new files"; fail=$((fail + 1)); fi
# ... nor does a run with a missing input, an empty directory or a feed of bad lines: a
# mistyped feed must not empty a published calendar; a new directory gets what was read
cp "$W/out1/events.ics" "$W/out1.keep"
mkdir -p "$W/emptydir"
printf 'not json\n' > "$W/allbad.jsonl"
for bad in "$W/typo.txt" "$W/emptydir" "$W/allbad.jsonl"; do
  case_ "keep-old-on-input-error-${bad##*/}" 1 "out1: not replaced: 1 input failed, and the calendar there is kept" -- \
    "${BASE[@]}" -o "$W/out1" "$bad"
  if cmp -s "$W/out1/events.ics" "$W/out1.keep"; then pass=$((pass + 1));
  else echo "FAIL: ${bad##*/}: the calendar in out1 was replaced"; fail=$((fail + 1)); fi
done
case_ new-dir-on-input-error 1 "typo.txt" -- "${BASE[@]}" -o "$W/out2" "$W/good.txt" "$W/typo.txt"
if grep -q '^BEGIN:VEVENT' "$W/out2/events.ics" 2>/dev/null; then pass=$((pass + 1));
else echo "FAIL: a new -o directory did not get the events read"; fail=$((fail + 1)); fi

# 200 MB in one file is refused with the limit named, quickly and without a crash
yes 'A protest will be held on Saturday February 24 in Bolton.' | head -c 200000000 > "$W/huge.txt"
case_ huge 1 "larger than the 64 MB limit" -- "${BASE[@]}" "$W/huge.txt"
rm -f "$W/huge.txt"
# a calendar over --max-size is refused too, by merge, --check and --update, and the calendar
# to update is left as it was
"$EVENTCAL" "${BASE[@]}" -q -f ics "$W/good.txt" > "$W/small.ics"
/usr/bin/python3 - "$W/small.ics" "$W/big.ics" <<'PY'
import sys
s = open(sys.argv[1], newline='').read()
head, rest = s.split('BEGIN:VEVENT', 1)
ev = 'BEGIN:VEVENT' + rest.rsplit('END:VCALENDAR', 1)[0]
out, i = [head], 0
while sum(map(len, out)) < 1100000:
    out.append(ev.replace('@eventcal', '-%d@eventcal' % i)); i += 1
open(sys.argv[2], 'w', newline='').write(''.join(out) + 'END:VCALENDAR\r\n')
PY
cp "$W/big.ics" "$W/big.keep"
case_ big-calendar-merge 1 "big.ics: larger than the 1 MB limit" -- "${BASE[@]}" --max-size 1 merge "$W/small.ics" "$W/big.ics"
case_ big-calendar-check 1 "big.ics: larger than the 1 MB limit" -- "${BASE[@]}" --max-size 1 --check "$W/big.ics"
case_ big-calendar-update 1 "big.ics: not updated" -- "${BASE[@]}" --max-size 1 --update "$W/big.ics" "$W/good.txt"
if cmp -s "$W/big.ics" "$W/big.keep"; then pass=$((pass + 1)); else echo "FAIL: --update changed a calendar it refused"; fail=$((fail + 1)); fi
case_ big-calendar-limit-raised 0 '' -- "${BASE[@]}" --max-size 2 --check "$W/big.ics"

# -j: a count of threads, or 0 for one per processor
case_ jobs-negative 2 "^eventcal: --jobs: '-1' is not a number of threads \(1\.\.256, or 0 for one per processor\)" -- "${BASE[@]}" -j -1 "$W/good.txt"
case_ jobs-word 2 "--jobs: 'all' is not a number of threads" -- "${BASE[@]}" -j all "$W/good.txt"
case_ jobs-zero 0 '' -- "${BASE[@]}" -q -j 0 -f tsv "$W/good.txt"
out_has jobs-zero-events 'vigil'

# one run is the merge of its articles' calendars: the same events, UIDs, times and places as
# `merge` over one calendar per article (a moved vigil: a later report's time and place win;
# a month mention and the day it turns out to be: one event), in any input order
mkdir -p "$W/mm"
printf 'Published: 2024-02-20T09:00:00Z\n\nA vigil will be held at Queens Park gates in Bolton on Saturday 2 March at 6pm.\n' > "$W/mm/a1.txt"
printf 'Published: 2024-02-22T09:00:00Z\n\nThe vigil will now be held at Queens Park in Bolton on Saturday 2 March at 7pm.\n' > "$W/mm/a2.txt"
printf 'Published: 2024-02-21T09:00:00Z\n\nA strike is planned in Wigan in March, the union said.\n' > "$W/mm/a3.txt"
printf 'Published: 2024-02-23T09:00:00Z\n\nThe strike in Wigan will be held on 12 March, the union said.\n' > "$W/mm/a4.txt"
for f in "$W"/mm/a?.txt; do "$EVENTCAL" "${BASE[@]}" -q -f json "$f" > "$f.json"; done
case_ one-run-is-merge 0 '' -- "${BASE[@]}" -q -f tsv "$W"/mm/a1.txt "$W"/mm/a2.txt "$W"/mm/a3.txt "$W"/mm/a4.txt
cut -f1-6,8,9 "$W/out" > "$W/mm/one.tsv" # the confidence aside: merge adds no bonus for independent reports
out_has one-run-moved-vigil '^2024-03-02T19:00:00\+00:00	.*Queens Park, Bolton	'
ok_eq one-run-one-vigil "$(grep -c vigil "$W/mm/one.tsv")" 1
case_ merged-articles 0 '' -- "${BASE[@]}" -q merge -f tsv "$W"/mm/a?.txt.json
cut -f1-6,8,9 "$W/out" > "$W/mm/merged.tsv"
if cmp -s "$W/mm/one.tsv" "$W/mm/merged.tsv"; then pass=$((pass + 1)); else
  echo "FAIL: one run differs from the merge of its articles' calendars:"; diff "$W/mm/one.tsv" "$W/mm/merged.tsv"; fail=$((fail + 1)); fi
"$EVENTCAL" "${BASE[@]}" -q -f json "$W"/mm/a1.txt "$W"/mm/a2.txt "$W"/mm/a3.txt "$W"/mm/a4.txt > "$W/mm/fwd.json"
"$EVENTCAL" "${BASE[@]}" -q -f json "$W"/mm/a4.txt "$W"/mm/a3.txt "$W"/mm/a2.txt "$W"/mm/a1.txt > "$W/mm/rev.json"
if cmp -s "$W/mm/fwd.json" "$W/mm/rev.json"; then pass=$((pass + 1)); else echo "FAIL: a run depends on the order of its inputs"; fail=$((fail + 1)); fi

# a rule's own length (set minutes=180): a fun run or a concert lasts an evening or a morning,
# the festival kind's 360 minutes a day
printf 'Published: 2024-02-21T09:00:00Z\n\nA charity fun run will be held in Queens Park, Bolton on Sunday 3 March at 10am.\nA concert will take place in Bolton on Saturday 9 March at 7.30pm.\nThe town festival will open in Bolton on Saturday 16 March at 11am.\n' > "$W/lengths.txt"
case_ rule-minutes 0 '' -- "${BASE[@]}" -q -f ics "$W/lengths.txt"
out_has fun-run-3h 'DTEND;TZID=Europe/London:20240303T130000'
out_has concert-3h 'DTEND;TZID=Europe/London:20240309T223000'
out_has festival-6h 'DTEND;TZID=Europe/London:20240316T170000'

# --test-rules warns when punctuation triggers would make every text's trigger pass slower
cp -r "$SRCDIR/rules" "$W/symrules"
for c in ';' '!' '?'; do printf '\nrule extra_%d\n  triggers %s\n  match \\%s\n  type other\n' "$(printf '%d' "'$c")" "$c" "$c" >> "$W/symrules/events.rules"; done
case_ many-symbol-triggers 0 "warning: [0-9]+ punctuation triggers \(.*;.*\): more than the trigger pass compares at once" -- --rules "$W/symrules" --test-rules
case_ few-symbol-triggers 0 '' -- --rules "$SRCDIR/rules" --test-rules

# --stats: the stages and the costliest rules on stderr, the same events on stdout, with one
# thread and with two (each worker's counts are added)
for j in 1 2; do
  case_ "stats-j$j" 0 '^stats: 2 articles, [0-9.]+ ms in the pipeline' -- "${BASE[@]}" -q --stats -j "$j" -f tsv "$W/good.txt" "$W/good.txt"
  out_has "stats-j$j-events" 'vigil'
  for re in '^  event triggers +[0-9.]+ ms$' '^  the trigger pass +[0-9.]+ ms  \(part of' '^  cues and dates +[0-9.]+ ms$' \
            '^  0 of them named no kind of event; dates were read in 0\.0 of 0\.0 MB of text$' \
            '^  rules: [1-9][0-9]* attempts, [1-9][0-9]* matched' '^  timex +date_[a-z_]+ +[1-9][0-9]* +[0-9]+ +[0-9.]+$' \
            '^stats: [0-9.]+ ms in all: [0-9.]+ loading the rules \([0-9]+ of [1-9][0-9]* patterns from the cache\), [0-9.]+ reading and extracting, [0-9.]+ writing the outputs$'; do
    if grep -Eq -- "$re" "$W/err"; then pass=$((pass + 1)); else echo "FAIL: stats-j$j: stderr lacks /$re/"; cat "$W/err"; fail=$((fail + 1)); fi
  done
done
"$EVENTCAL" "${BASE[@]}" -q -f tsv "$W/good.txt" "$W/good.txt" > "$W/plain" 2>&1
if cmp -s "$W/plain" "$W/out"; then pass=$((pass + 1)); else echo "FAIL: --stats changes the output"; fail=$((fail + 1)); fi
# --explain: the rules behind each event, every article's (a run keeps them only when asked),
# with one thread and with two; the events themselves are what a plain run writes
cp "$W/good.txt" "$W/good2.txt"
for j in 1 2; do
  case_ "explain-j$j" 0 '^2024-02-24T18:00:00\+00:00  Vigil, Bolton  \[upcoming' -- "${BASE[@]}" -q --explain -j "$j" -f tsv "$W/good.txt" "$W/good2.txt"
  for re in '^  trigger  good bytes 2-7 "vigil"  <- ev_vigil \(' '^  date     good bytes 24-51 "Saturday February 24 at 6pm"  <- time_' \
            '^  cue      good2 bytes 8-20 "will be held"  <- cue_future'; do
    if grep -Eq -- "$re" "$W/err"; then pass=$((pass + 1)); else echo "FAIL: explain-j$j: stderr lacks /$re/"; cat "$W/err"; fail=$((fail + 1)); fi
  done
  "$EVENTCAL" "${BASE[@]}" -q -j "$j" -f tsv "$W/good.txt" "$W/good2.txt" > "$W/plain" 2>&1
  if cmp -s "$W/plain" "$W/out"; then pass=$((pass + 1)); else echo "FAIL: --explain changes the output"; fail=$((fail + 1)); fi
done
# the compiled patterns are kept between runs (EVENTCAL_CACHE): a first run writes the cache,
# a second takes every pattern from it and extracts the same; "off" keeps none, and a cache
# that cannot be written is no error
for m in first second; do
  EVENTCAL_CACHE="$W/cache" "$EVENTCAL" "${BASE[@]}" -q --stats -f tsv "$W/good.txt" > "$W/cache-$m" 2> "$W/err"
  grep -Eo '\(([0-9]+) of ([0-9]+) patterns from the cache\)' "$W/err" > "$W/counts-$m" || true
done
if grep -Eq '^\(0 of [1-9][0-9]+ patterns' "$W/counts-first" && ls "$W/cache"/rules-*.pcache >/dev/null 2>&1 &&
   grep -Eq '^\(([0-9]+) of \1 patterns' "$W/counts-second" && cmp -s "$W/cache-first" "$W/cache-second" &&
   grep -q vigil "$W/cache-first"; then
  pass=$((pass + 1))
else
  echo "FAIL: cache: first run $(cat "$W/counts-first"), second $(cat "$W/counts-second"), or outputs differ"; fail=$((fail + 1))
fi
rm -rf "$W/cache-off"
EVENTCAL_CACHE=off "$EVENTCAL" "${BASE[@]}" -q --stats -f tsv "$W/good.txt" > "$W/cache-off" 2> "$W/err"
if grep -Eq '\(0 of [1-9][0-9]+ patterns from the cache\)' "$W/err" && cmp -s "$W/cache-off" "$W/cache-first"; then
  pass=$((pass + 1)); else echo "FAIL: EVENTCAL_CACHE=off"; cat "$W/err"; fail=$((fail + 1)); fi
: > "$W/not-a-dir"
if EVENTCAL_CACHE="$W/not-a-dir/cache" "$EVENTCAL" "${BASE[@]}" -q -f tsv "$W/good.txt" > "$W/cache-blocked" 2> "$W/err" &&
   ! [ -s "$W/err" ] && cmp -s "$W/cache-blocked" "$W/cache-first"; then
  pass=$((pass + 1)); else echo "FAIL: a cache that cannot be written"; cat "$W/err"; fail=$((fail + 1)); fi
# cache files of other rules directories unused for 30 days, and temporary files left by a
# write cut short, go when a cache is written; recent ones and other files stay; reading a
# cache marks it used (once a day)
mkdir -p "$W/prune"
for f in rules-0000000000000001.pcache .rules-0000000000000003.pcache.AbCdEf notes.txt; do
  : > "$W/prune/$f"; touch -d '40 days ago' "$W/prune/$f"
done
: > "$W/prune/rules-0000000000000002.pcache"; touch -d '10 days ago' "$W/prune/rules-0000000000000002.pcache"
EVENTCAL_CACHE="$W/prune" "$EVENTCAL" "${BASE[@]}" -q -f tsv "$W/good.txt" > "$W/prune-out" 2> "$W/err"
# what is left: the two kept, and the run's own file (its name is the rules directory's hash)
own=$(cd "$W/prune" && ls -A | grep -vx -e notes.txt -e rules-0000000000000002.pcache)
ok_eq cache-prune "$(cd "$W/prune" && ls -A notes.txt rules-0000000000000002.pcache 2>&1 | tr '\n' ' ')$(echo "$own" | grep -Ec '^rules-[0-9a-f]{16}\.pcache$') $(echo "$own" | wc -l)" \
  "notes.txt rules-0000000000000002.pcache 1 1"
touch -d '3 days ago' "$W/prune/$own"
EVENTCAL_CACHE="$W/prune" "$EVENTCAL" "${BASE[@]}" -q -f tsv "$W/good.txt" > "$W/prune-out2" 2> "$W/err"
ok_eq cache-marked-used "$(find "$W/prune" -name "$own" -mmin -60 | wc -l)" 1
if cmp -s "$W/prune-out" "$W/cache-first" && cmp -s "$W/prune-out2" "$W/cache-first"; then pass=$((pass + 1)); else
  echo "FAIL: cache-prune: outputs differ"; fail=$((fail + 1)); fi
# an article that names no kind of event is counted, and its dates are not read
printf 'Published: 2024-02-21\n\nPrices rose on Tuesday.\n' > "$W/no-event.txt"
# SOURCE_DATE_EPOCH fixes the clock unless it lies past 2999 (as --now), where libical would
# write DTSTAMP:00000000T000000
SOURCE_DATE_EPOCH=1709251200 case_ source-date-epoch 0 '' -- --rules "$SRCDIR/rules" -q -f ics "$W/good.txt"
out_has source-date-epoch-stamp '^DTSTAMP:20240301T000000Z'
SOURCE_DATE_EPOCH=48000000000 case_ source-date-epoch-far 0 '' -- --rules "$SRCDIR/rules" -q -f ics "$W/good.txt"
out_has source-date-epoch-far-stamp '^DTSTAMP:(19|20)[0-9]{6}T[0-9]{6}Z'
case_ stats-no-event 0 '^  1 of them named no kind of event; dates were read in 0\.0 of 0\.0 MB' -- "${BASE[@]}" -q --stats -f tsv "$W/good.txt" "$W/no-event.txt"
# how much text was read for dates: up to the paragraph that names the event, all of it when
# the event comes last, and all of it again when the event's date is in a field further on
/usr/bin/python3 - "$W" <<'PY'
import sys
fill = 'Prices rose again in the market on Tuesday, traders said.\n\n' * 5000
ev = 'A vigil will be held on Saturday February 24 at 6pm in Bolton.\n\n'
head = 'Published: 2024-02-21\n\n'
for name, body in (('early', ev + fill), ('late', fill + ev),
                   ('field', 'Join us for a public meeting about the new library.\n\n' + fill +
                    'When: Saturday 24 February, 6pm\n')):
    open(f'{sys.argv[1]}/stats-{name}.txt', 'w').write(head + body)
PY
case_ stats-cut 0 'dates were read in 0\.0 of 0\.3 MB' -- "${BASE[@]}" -q --stats -f tsv "$W/stats-early.txt"
case_ stats-uncut 0 'dates were read in 0\.3 of 0\.3 MB' -- "${BASE[@]}" -q --stats -f tsv "$W/stats-late.txt"
case_ stats-read-again 0 'dates were read in 0\.3 of 0\.3 MB' -- "${BASE[@]}" -q --stats -f tsv "$W/stats-field.txt"
out_has stats-read-again-event $'^2024-02-24T18:00:00\\+00:00\t\tmeeting'

# JSON Lines behind a byte-order mark: read as records (the first had been "bad JSON"); JSON
# that is not read as JSON Lines is refused, not taken for prose
{ printf '\xef\xbb\xbf'; echo '{"id":"bom","published":"2024-02-21","text":"A rally will take place on Saturday February 24 in Wigan."}'; } > "$W/bom.jsonl"
case_ jsonl-bom 0 '' -- "${BASE[@]}" -q -f meta "$W/bom.jsonl";  out_has jsonl-bom '"id":"bom"'
case_ jsonl-bom-stdin 0 '' "$W/bom.jsonl" -- "${BASE[@]}" -q -f meta -i jsonl -;  out_has jsonl-bom-stdin '"id":"bom"'
case_ json-bom-stdin-guessed 0 "" "$W/bom.jsonl" -- "${BASE[@]}" -q -f meta -;  out_has json-bom-stdin-guessed '"id":"bom"'
# a feed: an article written alone into a pipe has its events written before the next comes
# (fread had waited for 64 KB more or the end; with -j the finished results for the next record)
for j in 1 2; do
  out="$W/stream$j.out"; : > "$out"; rm -f "$W/stream$j.flag"
  { echo '{"id":"a","published":"2024-02-21","text":"A rally will take place on Saturday February 24 in Wigan."}'
    for _ in $(seq 150); do grep -q '"id":"a"' "$out" && break; sleep 0.1; done
    grep -q '"id":"a"' "$out" && : > "$W/stream$j.flag"
    echo '{"id":"b","published":"2024-02-21","text":"A march will take place on Sunday February 25 in Leeds."}'
  } | "$EVENTCAL" "${BASE[@]}" -j $j -q -f jsonl - > "$out"
  if [ -e "$W/stream$j.flag" ] && [ "$(grep -c '"id":' "$out")" = 2 ]; then pass=$((pass + 1)); else
    echo "FAIL: stream -j $j: the first article's line came only after the second was written"; fail=$((fail + 1)); fi
done

# standard input left non-blocking by the program that started eventcal (read() says EAGAIN
# while the writer has not written yet): waited for, not "cannot read"
/usr/bin/python3 - "$EVENTCAL" "${BASE[@]}" > "$W/out" 2> "$W/err" <<'PY'
import fcntl, os, subprocess, sys, time
r, w = os.pipe()
fcntl.fcntl(r, fcntl.F_SETFL, fcntl.fcntl(r, fcntl.F_GETFL) | os.O_NONBLOCK)
p = subprocess.Popen(sys.argv[1:] + ["-q", "-f", "jsonl", "-i", "jsonl", "-"], stdin=r)
os.close(r)
time.sleep(0.3)
os.write(w, b'{"id":"a","published":"2024-02-21","text":"A rally will take place on Saturday February 24 in Wigan."}\n')
os.close(w)
sys.exit(p.wait())
PY
ok_eq nonblocking-stdin "$?:$(grep -c '"id":"a"' "$W/out"):$(wc -c < "$W/err")" "0:1:0"

# two files of one name in different directories have one id: said once, the same file twice is not
mkdir -p "$W/d1" "$W/d2"
printf 'Published: 2024-02-21\n\nA vigil will be held on Saturday February 24 at 6pm in Bolton.\n' > "$W/d1/x.txt"
printf 'Published: 2024-02-21\n\nA march will be held on Sunday February 25 at 1pm in Leeds.\n' > "$W/d2/x.txt"
case_ same-id-two-files 0 "d2/x.txt: its id 'x' is .*d1/x.txt's too" -- "${BASE[@]}" -f tsv "$W/d1/x.txt" "$W/d2/x.txt" "$W/d1/x.txt"
ok_eq same-id-said-once "$(grep -c "its id 'x'" "$W/err")" 1
case_ same-file-twice 0 '' -- "${BASE[@]}" -f tsv "$W/d1/x.txt" "$W/d1/x.txt"

# header lines that no blank line ends are text, not a header (they had been both)
printf 'Published: 2024-02-21\nA vigil will be held on Saturday at 6pm in Bolton.\n' > "$W/unended.txt"
case_ header-unended 0 'unended.txt: header lines not ended by a blank line are read as the text' -- "${BASE[@]}" -f meta "$W/unended.txt"
out_has header-unended-meta '"published":null'
printf 'Published: 2024-02-21\n\nA vigil will be held on Saturday at 6pm in Bolton.\n' > "$W/ended.txt"
case_ header-ended 0 '' -- "${BASE[@]}" -f meta "$W/ended.txt"
out_has header-ended-meta '"published":"2024-02-21"'
printf 'Published: 2024-02-21\nTitle: Vigil\n' > "$W/header-only.txt"
case_ header-only 0 '' -- "${BASE[@]}" -q -f meta "$W/header-only.txt"
out_has header-only-meta '"title":"Vigil"'
# a header whose lines end in bare carriage returns (the first value had held the whole file)
printf 'Published: 2024-02-21\rTitle: Vigil\r\rA vigil will be held on Saturday February 24 at 6pm in Bolton.\r' > "$W/mac.txt"
case_ header-bare-cr 0 '' -- "${BASE[@]}" -f meta "$W/mac.txt"
out_has header-bare-cr-meta '"title":"Vigil","published":"2024-02-21"'
case_ header-bare-cr-span 0 '' -- "${BASE[@]}" -f json "$W/mac.txt"
ok_eq header-bare-cr-span "$(tr -d ' \n' < "$W/out" | grep -o '"span":\[[0-9,]*')" '"span":[0,62'

# guessing the format reads nothing away: a text's offsets count its leading blank lines as
# --input text does, and JSON Lines after blank lines are numbered from the file's first line
printf '\n\n  \nA rally will take place on Saturday February 24 in Wigan.\n' > "$W/lead.txt"
"$EVENTCAL" "${BASE[@]}" -q -f json -i text "$W/lead.txt" | tr -d ' \n' | grep -o '"span":\[[0-9,]*' > "$W/lead.want"
case_ lead-blank-auto 0 '' -- "${BASE[@]}" -q -f json "$W/lead.txt"
ok_eq lead-blank-auto-span "$(tr -d ' \n' < "$W/out" | grep -o '"span":\[[0-9,]*')" '"span":[5,62'
ok_eq lead-blank-text-span "$(cat "$W/lead.want")" '"span":[5,62'
case_ lead-blank-stdin 0 '' "$W/lead.txt" -- "${BASE[@]}" -q -f json -
ok_eq lead-blank-stdin-span "$(tr -d ' \n' < "$W/out" | grep -o '"span":\[[0-9,]*')" '"span":[5,62'
printf '\n\n{"id":"x","text":"A march on May 2."}\n{bad\n' > "$W/lead.jsonl"
case_ lead-blank-jsonl-line 1 '^eventcal: -:4:4: bad JSON' "$W/lead.jsonl" -- "${BASE[@]}" -f meta -
printf '[{"id":"x","text":"A march on May 2."}]\n' > "$W/array.json"
case_ json-array 1 "array.json: looks like JSON but is not read as JSON Lines" -- "${BASE[@]}" -f meta "$W/array.json"
# the name first, then the first bytes: a .txt that opens with a brace is text (it had been
# "bad JSON"); on standard input, a brace still means JSON Lines
printf '{Update} A vigil will be held on Saturday February 24 at 6pm in Bolton.\n' > "$W/brace.txt"
case_ brace-txt 0 'no publication date' -- "${BASE[@]}" -f tsv "$W/brace.txt"
out_has brace-txt-event $'^2024-02-24T18:00:00\\+00:00\t.*vigil'
case_ brace-stdin 1 '^eventcal: -:1:[0-9]+: bad JSON' "$W/brace.txt" -- "${BASE[@]}" -f tsv -

# a format that writes a line per article still fills the calendar that -o or --update writes
# (it had written -o's files empty, and added nothing to --update's)
mkdir -p "$W/metaout"
case_ meta-with-o 0 '' -- "${BASE[@]}" -q -f meta -o "$W/metaout" "$W/good.txt"
if grep -q 'SUMMARY:Vigil' "$W/metaout/events.ics"; then pass=$((pass + 1)); else echo "FAIL: -f meta -o wrote no event"; fail=$((fail + 1)); fi
case_ timex-with-update 0 '' -- "${BASE[@]}" -q -f timex --update "$W/timex-up.ics" "$W/good.txt"
if grep -q 'SUMMARY:Vigil' "$W/timex-up.ics"; then pass=$((pass + 1)); else echo "FAIL: -f timex --update added no event"; fail=$((fail + 1)); fi
case_ merge-line-format 2 'merge: -f jsonl writes a line per article' -- "${BASE[@]}" merge -f jsonl "$W/timex-up.ics"
# standard output that cannot be written fails the run, said once
if [ -w /dev/full ]; then
  "$EVENTCAL" "${BASE[@]}" -q -f jsonl "$W/good.txt" "$W/good.txt" > /dev/full 2> "$W/err"
  rc=$?
  if [ "$rc" -eq 1 ] && [ "$(grep -c 'cannot write to standard output' "$W/err")" -eq 1 ]; then pass=$((pass + 1)); else
    echo "FAIL: jsonl to /dev/full: status $rc"; head -3 "$W/err"; fail=$((fail + 1)); fi
fi

# a calendar of many zones: every timed event keeps its own (a cap of 64 had written the rest
# in UTC with their local times unconverted)
/usr/bin/python3 - > "$W/zones.jsonl" <<'PY'
import json, zoneinfo
zs = sorted(z for z in zoneinfo.available_timezones()
            if '/' in z and not z.startswith(('Etc/', 'SystemV', 'US/', 'posix', 'right')))[:80]
for i, z in enumerate(zs):
    day = ('May', 'June', 'July')[i // 28], 1 + i % 28
    print(json.dumps({"id": f"z{i}", "published": "2024-02-21", "timezone": z,
                      "text": f"A vigil will be held on {day[0]} {day[1]} at 1pm."}))
PY
case_ many-zones 0 '' -- "${BASE[@]}" -q -i jsonl "$W/zones.jsonl"
if [ "$(grep -c '^DTSTART;TZID=' "$W/out")" -eq 80 ] && ! grep -q '^DTSTART:.*Z' "$W/out"; then pass=$((pass + 1)); else
  echo "FAIL: 80 zones: $(grep -c '^DTSTART;TZID=' "$W/out") events with their zone"; fail=$((fail + 1)); fi

# clock changes (RFC 5545 3.3.5): a time the clocks skip is read with the offset before the
# change (02:30 is 07:30Z, which New York's clocks show as 03:30 EDT), a time they show twice is
# the first of the two; the .ics says the same instants (a repeated one in UTC, which libical
# and ical.js would read as the second), and an hour's length is an hour
printf 'Published: 2024-02-21\n\nA rally will be held in Albany on Sunday March 10 at 2:30am. A march will be held in Buffalo on Sunday November 3 at 1:30am.\n' > "$W/ny-clocks.txt"
NY=(--rules "$SRCDIR/rules" --timezone America/New_York --now 2024-03-01T00:00:00Z)
case_ clock-skipped 0 '' -- "${NY[@]}" -f tsv "$W/ny-clocks.txt"; out_has clock-skipped $'^2024-03-10T03:30:00-04:00\t\trally'
out_has clock-twice $'^2024-11-03T01:30:00-04:00\t\tmarch'
case_ clock-ics 0 '' -- "${NY[@]}" -q -o "$W/ny-clocks" "$W/ny-clocks.txt"
ok_eq clock-ics-skipped "$(grep -A1 '^DTSTART;TZID=America/New_York:20240310' "$W/ny-clocks/events.ics" | tr -d '\r')" \
  $'DTSTART;TZID=America/New_York:20240310T033000\nDTEND;TZID=America/New_York:20240310T053000'
ok_eq clock-ics-twice "$(grep -A1 '^DTSTART:20241103T[0-9]*Z' "$W/ny-clocks/events.ics" | tr -d '\r')" \
  $'DTSTART:20241103T053000Z\nDTEND:20241103T073000Z'
case_ clock-merge 0 '' -- "${NY[@]}" merge "$W/ny-clocks/events.ics" "$W/ny-clocks/events.ics"
if cmp -s "$W/out" "$W/ny-clocks/events.ics"; then pass=$((pass + 1)); else
  echo "FAIL: a calendar merged with itself changed:"; diff "$W/ny-clocks/events.ics" "$W/out" | head -10; fail=$((fail + 1)); fi
# ... and with its own JSON, which gives no length: the .ics's (a vigil's hour) stays
printf 'Published: 2024-02-21\n\nA vigil will be held in Bolton on Sunday March 31 at 1:30am. A march will be held in Wigan on Sunday October 27 at 1:30am.\n' > "$W/london-clocks.txt"
case_ clock-london 0 '' -- "${BASE[@]}" -q -o "$W/london-clocks" "$W/london-clocks.txt"
case_ clock-merge-json 0 '' -- "${BASE[@]}" merge "$W/london-clocks/events.ics" "$W/london-clocks/events.json"
if cmp -s "$W/out" "$W/london-clocks/events.ics"; then pass=$((pass + 1)); else
  echo "FAIL: a calendar merged with its JSON changed:"; diff "$W/london-clocks/events.ics" "$W/out" | head -10; fail=$((fail + 1)); fi

# a publication instant is the day and time it is where the article is: 22:00Z on 4 March is
# 09:00 on the 5th in Sydney ("today" the 5th), 02:00Z on 5 March 21:00 on the 4th in New York
printf 'Published: 2024-03-04T22:00:00Z\nTimezone: Australia/Sydney\n\nA rally will be held outside Parliament House today at noon. The council will vote tomorrow.\n' > "$W/sydney.txt"
case_ published-utc-sydney 0 '' -- --rules "$SRCDIR/rules" --now 2024-03-01T00:00:00Z -f tsv "$W/sydney.txt"
out_has published-utc-sydney-today $'^2024-03-05T12:00:00\\+11:00\t\trally'
out_has published-utc-sydney-tomorrow $'^2024-03-06\t\tvote'
printf '{"id":"ny","published":"2024-03-05T02:00:00Z","timezone":"America/New_York","text":"The council will hold a public meeting tomorrow at 7pm."}\n' > "$W/new-york.jsonl"
case_ published-utc-new-york 0 '' -- --rules "$SRCDIR/rules" --now 2024-03-01T00:00:00Z -f tsv "$W/new-york.jsonl"
out_has published-utc-new-york $'^2024-03-05T19:00:00-05:00\t\tmeeting'
# ... and with no zone of its own, in the zone --timezone states (04:30 on the 5th in London)
printf 'Published: 2024-03-04T23:30:00-05:00\n\nThe council will hold a public meeting tomorrow at 7pm.\n' > "$W/no-zone.txt"
case_ published-offset-run-zone 0 '' -- "${BASE[@]}" -f tsv "$W/no-zone.txt"
out_has published-offset-run-zone $'^2024-03-06T19:00:00\\+00:00\t\tmeeting'

# a recurring event: its rule in the JSON, read back by merge and --update and written again
# the same; two runs that found it merge into one event
printf 'Published: 2024-05-20\n\nThe craft market is held every Saturday in June at the Corn Exchange, Leeds, from 9am to 1pm.\n' > "$W/weekly.txt"
case_ recur-json 0 '' -- "${BASE[@]}" -f json "$W/weekly.txt"
out_has recur-json-field '"rrule": "FREQ=WEEKLY;UNTIL=20240629T225959Z;BYDAY=SA"'
out_has recur-json-until '"until": "2024-06-29"'
out_has recur-json-start '"start": "2024-06-01T09:00:00\+01:00"'
case_ recur-oneoff-null 0 '' -- "${BASE[@]}" -f json "$W/good.txt"
out_has recur-oneoff-null '"recurrence": null'
case_ recur-run 0 '' -- "${BASE[@]}" -q -o "$W/recur" "$W/weekly.txt"
case_ recur-merge 0 '' -- "${BASE[@]}" merge -q -o "$W/recur-merged" "$W/recur/events.ics" "$W/recur/events.json" "$W/recur/events.ics"
if cmp -s "$W/recur/events.ics" "$W/recur-merged/events.ics" && cmp -s "$W/recur/events.json" "$W/recur-merged/events.json"; then
  pass=$((pass + 1)); else echo "FAIL: a recurring event did not come back the same from merge"; diff "$W/recur/events.ics" "$W/recur-merged/events.ics" | head -5; fail=$((fail + 1)); fi
ok_eq recur-merge-rrule "$(grep -c '^RRULE:FREQ=WEEKLY;UNTIL=20240629T225959Z;BYDAY=SA' "$W/recur-merged/events.ics")" 1
printf 'Published: 2024-05-22\n\nThe craft market is held every Saturday in June at the Corn Exchange in Leeds from 9am to 1pm, organisers said.\n' > "$W/weekly2.txt"
case_ recur-two-runs 0 '' -- "${BASE[@]}" -q -o "$W/recur2" "$W/weekly2.txt"
case_ recur-merge-two 0 '' -- "${BASE[@]}" merge -f tsv "$W/recur/events.ics" "$W/recur2/events.ics"
ok_eq recur-merge-two-one "$(grep -c 'festival' "$W/out")" 1
case_ recur-merge-two-ics 0 '' -- "${BASE[@]}" merge "$W/recur/events.ics" "$W/recur2/events.ics"
ok_eq recur-merge-two-rrule "$(grep -c '^RRULE:FREQ=WEEKLY;UNTIL=20240629T225959Z;BYDAY=SA' "$W/out")" 1
cp "$W/recur/events.ics" "$W/recur-up.ics"
case_ recur-update-same 0 '' -- "${BASE[@]}" -q --update "$W/recur-up.ics" "$W/weekly.txt"
if cmp -s "$W/recur/events.ics" "$W/recur-up.ics"; then pass=$((pass + 1)); else
  echo "FAIL: --update with the same recurring event changed the calendar"; diff "$W/recur/events.ics" "$W/recur-up.ics" | head -5; fail=$((fail + 1)); fi
printf 'Published: 2024-05-27\n\nThe craft market is held every Saturday until 31 August at the Corn Exchange, Leeds, from 9am to 1pm.\n' > "$W/weekly3.txt"
case_ recur-update-until 0 '' -- "${BASE[@]}" -q --update "$W/recur-up.ics" "$W/weekly3.txt"
ok_eq recur-update-one "$(grep -c '^BEGIN:VEVENT' "$W/recur-up.ics")" 1
ok_eq recur-update-rule "$(grep -c '^RRULE:FREQ=WEEKLY;UNTIL=20240831T225959Z;BYDAY=SA' "$W/recur-up.ics")" 1
ok_eq recur-update-sequence "$(grep -c '^SEQUENCE:1' "$W/recur-up.ics")" 1

# the progress line: on a terminal only (script(1) gives one), never in a pipe
if command -v script >/dev/null 2>&1; then
  EVENTCAL_PROGRESS_AFTER=0 script -qec "$EVENTCAL ${BASE[*]} -f tsv $W/mixed.jsonl $W/good.txt" /dev/null > "$W/tty" 2>&1
  if grep -q 'eventcal: [0-9]* articles, [0-9]* events' "$W/tty"; then pass=$((pass + 1)); else
    echo "FAIL: no progress line on a terminal"; head -5 "$W/tty"; fail=$((fail + 1)); fi
  EVENTCAL_PROGRESS_AFTER=0 "$EVENTCAL" "${BASE[@]}" -f tsv "$W/good.txt" 2> "$W/err" > /dev/null
  if grep -q 'articles,' "$W/err"; then echo "FAIL: progress line written to a pipe"; fail=$((fail + 1)); else pass=$((pass + 1)); fi
fi

# every option in --help is documented in the man page, and the other way round
"$EVENTCAL" --help | grep -oE -- '--[a-z-]+' | sort -u > "$W/help-opts"
grep -oE -- '\\-\\-[a-z]+(\\-[a-z]+)*' "$SRCDIR/src/eventcal.1" | sed 's/\\//g' | sort -u > "$W/man-opts"
if diff "$W/help-opts" "$W/man-opts" > "$W/opt-diff"; then pass=$((pass + 1)); else
  echo "FAIL: --help and eventcal.1 disagree (< help, > man):"; cat "$W/opt-diff"; fail=$((fail + 1)); fi

[ -s "$W/not-found" ] && fail=$((fail + $(wc -l < "$W/not-found")))
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
