#!/usr/bin/python3
"""Property test for `eventcal merge`: for random subsets, orders and groupings of sample
calendars (one per article, as .ics, .json or a mix), merge gives the same calendar, so the same
set of UIDs, and never loses an event: every event of every input is in the result, as an event
of the same kind whose sources include all of the input event's sources.

Usage: property.py [TRIALS]   (EVENTCAL, SRCDIR from the environment; seed fixed)
"""
import glob
import json
import os
import random
import subprocess
import sys
import tempfile

EVENTCAL = os.environ.get("EVENTCAL", "build/eventcal")
SRCDIR = os.environ.get("SRCDIR", os.path.join(os.path.dirname(__file__), "..", ".."))
BASE = ["--timezone", "Europe/London", "--rules", os.path.join(SRCDIR, "rules"), "-q"]
NOW = ["--now", "2024-04-01T00:00:00Z"]


def run(args, out=None):
    r = subprocess.run([EVENTCAL] + BASE + args, capture_output=True)
    if r.returncode != 0:
        raise SystemExit(f"eventcal {' '.join(args)} exited {r.returncode}: {r.stderr.decode()}")
    if out:
        with open(out, "wb") as f:
            f.write(r.stdout)
    return r.stdout


def merge(files, fmt, out=None):
    return run(NOW + ["merge"] + files + ["-f", fmt], out)


def events(json_bytes):
    return json.loads(json_bytes)["events"]


def main():
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    rng = random.Random(20240224)
    articles = sorted(glob.glob(os.path.join(SRCDIR, "samples", "*.txt")) +
                      glob.glob(os.path.join(SRCDIR, "tests", "update", "day*.txt")))
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        cals = {}
        for a in articles:
            name = os.path.splitext(os.path.basename(a))[0]
            d = os.path.join(tmp, name)
            run(NOW + ["-o", d, a])
            cals[name] = {"ics": os.path.join(d, "events.ics"), "json": os.path.join(d, "events.json")}
        names = sorted(cals)

        def check(ok, what):
            nonlocal passed, failed
            if ok:
                passed += 1
            else:
                failed += 1
                print(f"FAIL: {what}")

        for t in range(trials):
            fmt = rng.choice(["ics", "json", "mixed"])
            subset = rng.sample(names, rng.randint(1, len(names)))
            files = [cals[n][fmt if fmt != "mixed" else rng.choice(["ics", "json"])] for n in subset]
            label = f"trial {t} ({fmt}: {' '.join(subset)})"
            a = merge(files, "ics")
            shuffled = files[:]
            rng.shuffle(shuffled)
            b = merge(shuffled, "ics")
            check(a == b, f"{label}: another order gives another calendar")
            # another grouping: merge a prefix first, then the result with the rest.  The
            # intermediate is an .ics: events.json does not carry when each field was
            # reported (X-EVENTCAL-REPORTED) nor the default length, so a merge that goes
            # through a JSON file can lose which of two disagreeing reports was the later.
            if fmt == "ics":
                k = rng.randint(1, len(shuffled))
                part = os.path.join(tmp, f"part{t}.ics")
                merge(shuffled[:k], "ics", part)
                c = merge([part] + shuffled[k:], "ics")
                check(a == c, f"{label}: grouping the first {k} changes the calendar")
            # idempotent: an input merged again changes nothing
            d = merge(files + [rng.choice(files)], "ics")
            check(a == d, f"{label}: merging an input twice changes the calendar")
            # same UIDs, nothing lost
            out = events(merge(files, "json"))
            out_again = events(merge(shuffled, "json"))
            check(sorted(e["uid"] for e in out) == sorted(e["uid"] for e in out_again),
                  f"{label}: another order gives other UIDs")
            check(len({e["uid"] for e in out}) == len(out), f"{label}: duplicate UIDs")
            for f in files:
                src = events(merge([f], "json"))
                for e in src:
                    ids = {s["id"] for s in e["sources"]}
                    found = any(o["type"] == e["type"] and ids <= {s["id"] for s in o["sources"]} for o in out)
                    check(found, f"{label}: lost {e['uid']} ({e['title']}) of {os.path.basename(os.path.dirname(f))}")
                    if fmt == "ics":
                        check(any(o["uid"] == e["uid"] for o in out) or
                              any(o["uid"] < e["uid"] for o in out if o["type"] == e["type"]),
                              f"{label}: {e['uid']} gone without a smaller UID taking its place")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
