#!/usr/bin/env bash
# The browser test on real output: runs eventcal over samples/ into out/ (as the README's first
# command does) and opens the sample page on it in headless Chromium.
set -u
EVENTCAL="${EVENTCAL:-build/eventcal}"
case "$EVENTCAL" in /*) ;; */*) EVENTCAL="$PWD/$EVENTCAL" ;; esac # the script may cd
SRCDIR="${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}"
cd "$SRCDIR" || exit 1
mkdir -p out
"$EVENTCAL" --timezone Europe/London --now 2024-02-21T12:00:00Z --rules "$SRCDIR/rules" -q -o out samples/*.txt || {
  echo "FAIL: eventcal could not write out/"; echo "0 passed, 1 failed"; exit 1; }
exec bash tests/web/run.sh out/
