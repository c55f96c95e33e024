#!/usr/bin/env bash
# Injection (issue 7): article text and metadata end up inside iCalendar properties and in JSON
# that pages embed in <script type="application/ld+json">.  For articles whose sentence, title,
# URL and organiser carry "\r\nBEGIN:VEVENT", "</script><script>", control characters, bidi
# overrides and a very long word, this proves with python3-icalendar and python's own JSON and
# HTML parsers that no component or property is added, that the JSON-LD cannot end the script
# element, and that the text is still there, as text.  (The fuzz_extract target checks the
# same of the calendar with libical on every input, and in the fuzz-regress suite.)
set -u
EVENTCAL="${EVENTCAL:-build/eventcal}"
case "$EVENTCAL" in /*) ;; */*) EVENTCAL="$PWD/$EVENTCAL" ;; esac # the script may cd
SRCDIR="${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
export TZ=UTC
BASE=(--rules "$SRCDIR/rules" --timezone Europe/London --now 2024-03-01T00:00:00Z)
pass=0 fail=0

# A text article: the evil text inside the sentence that makes the event (so it lands in the
# evidence), and in the header.  The header cannot hold a line break; JSON Lines can.
/usr/bin/python3 - "$W" <<'EOF'
import json, sys
d = sys.argv[1]
evil = ('</script><script>alert(1)</script> <!--<script> ctl:\x01\x02\x1b[31m\x7f bidi:\u202eevil\u202c '
        + 'Pneumono' + '\u00e9' * 3000 + 'ultra')
text = ('Published: 2024-02-21\nTitle: Evil </script><script>alert(1)</script> \x01\x1b title\n'
        'URL: https://example.org/a"><b>\n\n'
        'A protest ' + evil + ' will be held in Bolton on Saturday February 24 at 1pm, organised by Evil Group.\n'
        'BEGIN:VEVENT\r\nSUMMARY:evil\r\nEND:VEVENT\r\n')
open(d + '/evil.txt', 'wb').write(text.encode())
crlf = '\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:evil\r\nX-INJECTED:1\r\n'
rec = {'id': 'evil' + crlf, 'url': 'https://example.org/a' + crlf, 'title': 'T' + crlf + evil,
       'published': '2024-02-21',
       'text': 'A protest will be held in Bolton on Saturday February 24 at 1pm ' + evil
               + ' organised by Evil' + crlf + ' Group.'}
open(d + '/evil.jsonl', 'w').write(json.dumps(rec) + '\n')
EOF

for input in evil.txt evil.jsonl; do
  rm -rf "$W/out"
  "$EVENTCAL" "${BASE[@]}" -o "$W/out" "$W/$input" 2>"$W/err"
  rc=$?
  if [ $rc -ne 0 ]; then echo "FAIL: $input: status $rc"; cat "$W/err"; fail=$((fail + 1)); continue; fi
  # the checker prints one line per failed proof and exits with their number
  /usr/bin/python3 - "$W/out" "$input" <<'EOF'
import html.parser, json, re, sys
import icalendar

d, name = sys.argv[1], sys.argv[2]
fails = []
def ok(cond, what):
    if not cond:
        fails.append(what)

raw = open(d + '/events.ics', 'rb').read()
# the raw file: only eventcal's components begin, no control byte but CR LF, lines folded
begins = re.findall(rb'^BEGIN:([A-Z-]+)\r$', raw, re.M)
ok(begins.count(b'VEVENT') == 1, 'one BEGIN:VEVENT line in the file (got %d)' % begins.count(b'VEVENT'))
ok(set(begins) <= {b'VCALENDAR', b'VTIMEZONE', b'STANDARD', b'DAYLIGHT', b'VEVENT'}, 'only known components begin')
ok(not re.search(rb'^(SUMMARY:evil|X-INJECTED)', raw, re.M), 'no injected property line')
ok(not re.search(rb'[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]', raw), 'no control bytes in the calendar')
ok(all(len(l) <= 75 for l in raw.split(b'\r\n')), 'lines folded at 75 octets')
ok(b'\n' not in raw.replace(b'\r\n', b''), 'every line ends in CR LF')

cal = icalendar.Calendar.from_ical(raw)
events = list(cal.walk('VEVENT'))
ok(len(events) == 1, 'one VEVENT after parsing (got %d)' % len(events))
allowed = {'UID', 'DTSTAMP', 'DTSTART', 'DTEND', 'SUMMARY', 'LOCATION', 'DESCRIPTION', 'URL', 'CATEGORIES',
           'STATUS', 'TRANSP', 'SEQUENCE', 'LAST-MODIFIED'}
if events:
    ev = events[0]
    ok(not ev.subcomponents, 'the VEVENT has no subcomponents')
    for key in ev.keys():
        ok(key in allowed or key.startswith('X-EVENTCAL-'), 'property %s is one eventcal writes' % key)
    for key in ('UID', 'SUMMARY', 'DESCRIPTION', 'LOCATION', 'URL'):
        ok(not isinstance(ev.get(key), list), '%s appears at most once' % key)
    ok(str(ev.get('SUMMARY')) == 'Protest, Bolton', 'SUMMARY is eventcal\'s title (got %r)' % str(ev.get('SUMMARY')))
    desc = str(ev.get('DESCRIPTION', ''))
    ok('</script><script>alert(1)</script>' in desc, 'the script text is in DESCRIPTION, as text')
    ok('\u202eevil\u202c' in desc, 'the bidi override is kept as text')
    ok('Pneumono' + '\u00e9' * 3000 + 'ultra' in desc, 'the long word survives folding intact')
    if name.endswith('.jsonl'):
        ok('BEGIN:VEVENT\nSUMMARY:evil' in desc, 'the line breaks from the title are text in DESCRIPTION')
        ok('URL' not in ev, 'a URL with a line break is not written as URL')
    else:
        ok(str(ev.get('URL', '')) == '', 'a URL with quotes is not written as URL')

# JSON-LD: pasted into a script element, it must stay one element holding the same JSON
ld = open(d + '/events.jsonld', encoding='utf-8').read()
ok('</' not in ld, 'no "</" in the JSON-LD')
ok('<' not in ld, 'no "<" at all in the JSON-LD ("<!--<script>" would keep the element open)')
class Scripts(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.n, self.data, self.inside = 0, '', False
    def handle_starttag(self, tag, attrs):
        if tag == 'script':
            self.n += 1
            self.inside = True
    def handle_endtag(self, tag):
        if tag == 'script':
            self.inside = False
    def handle_data(self, data):
        if self.inside:
            self.data += data
p = Scripts()
p.feed('<html><body><script type="application/ld+json">' + ld + '</script><p>after</p></body></html>')
ok(p.n == 1, 'one script element in the page (got %d)' % p.n)
try:
    embedded = json.loads(p.data)
    ok(embedded == json.loads(ld), 'the script element holds the whole JSON-LD')
    ok(len(embedded) == 1, 'one Event in the JSON-LD')
    ok('</script><script>alert(1)</script>' in embedded[0].get('description', ''),
       'the script text is in the description, as text')
except ValueError as e:
    ok(False, 'the script element holds JSON (%s)' % e)

# JSON: parses, one event, the evidence holds the text
j = json.load(open(d + '/events.json', encoding='utf-8'))
evs = j.get('events', [])
ok(len(evs) == 1, 'one event in the JSON')
ok('</script><script>alert(1)</script>' in json.dumps(j, ensure_ascii=False), 'the JSON keeps the text')

for f in fails:
    print('FAIL: %s: %s' % (name, f))
print('%s: %d failed' % (name, len(fails)), file=sys.stderr)
sys.exit(len(fails))
EOF
  n=$?
  fail=$((fail + n))
  pass=$((pass + 1))
done

echo "$pass inputs checked, $fail failed proofs"
[ "$fail" -eq 0 ]
