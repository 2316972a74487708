#!/usr/bin/env python3
"""Imports the .ics of two plans and of an edited copy of the first (one item added) into the
`icalendar` package, and checks what a calendar application relies on:

- UIDs are unique within a calendar and never collide across the two plans;
- every UID of the first plan survives the added item (a re-import updates, never duplicates);
- every event has a VALARM with ACTION:DISPLAY and a TRIGGER, and --remind moves it;
- each calendar's expansion (RRULE through dateutil) equals the simulated doses (JSON);
- DTSTAMP is SOURCE_DATE_EPOCH when it is set.

Usage: ics_identity.py PATH_TO_REGIMEN_BINARY
Closes with "ics: N passed, M failed".
"""
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile

import icalendar

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crosscheck import ics_doses  # noqa: E402  the expansion the main cross-check uses

EPOCH = 1795000000
ADDED = "  vitamin b12 1000mcg daily with lunch\n"


def simulate(binary, path, *arguments):
    result = subprocess.run([binary, "simulate", path, *arguments], capture_output=True, text=True,
                            env={**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH)})
    if result.returncode not in (0, 1):
        raise RuntimeError(f"regimen exited {result.returncode}: {result.stderr}")
    return result.stdout


def main():
    binary = sys.argv[1]
    passed = failed = 0

    def report(ok, message):
        nonlocal passed, failed
        if os.environ.get("CROSSCHECK_SABOTAGE"):  # proves each check can fail
            ok = not ok
        if ok:
            passed += 1
        else:
            failed += 1
            print("FAIL: " + message)

    with tempfile.TemporaryDirectory() as folder:
        shutil.copytree("examples", os.path.join(folder, "examples"))
        first = os.path.join(folder, "examples", "ms-hashimoto.regimen")
        second = os.path.join(folder, "examples", "cipro-course.regimen")
        edited = os.path.join(folder, "examples", "ms-hashimoto-edited.regimen")
        with open(first) as handle, open(edited, "w") as out:
            out.write(handle.read().rstrip("\n") + "\n" + ADDED)
        calendars, uids = {}, {}
        for name, path in (("first", first), ("second", second), ("edited", edited)):
            text = simulate(binary, path, "--format", "ics")
            calendar = icalendar.Calendar.from_ical(text)
            events = list(calendar.walk("VEVENT"))
            calendars[name] = (text, events)
            uids[name] = [str(e["UID"]) for e in events]
            report(len(set(uids[name])) == len(uids[name]), f"{name}: duplicate UIDs {uids[name]}")
            alarms = [e for e in events if any(a.get("ACTION") == "DISPLAY" and a.get("TRIGGER") is not None for a in e.walk("VALARM"))]
            report(len(alarms) == len(events) and events, f"{name}: {len(events) - len(alarms)} of {len(events)} events without a display alarm")
            stamps = {e.decoded("DTSTAMP") for e in events}
            report(stamps == {dt.datetime.fromtimestamp(EPOCH, dt.timezone.utc)}, f"{name}: DTSTAMP {stamps} is not SOURCE_DATE_EPOCH")
            timeline = json.loads(simulate(binary, path, "--format", "json"))
            from_json = {(e["date"], e["time"], f'{e["name"]} {e["dose"]["value"]:g} {e["dose"]["unit"]}') for e in timeline["events"]}
            from_ics = ics_doses(text)
            report(from_ics == from_json, f"{name}: expansion differs: missing {sorted(from_json - from_ics)[:3]}, extra {sorted(from_ics - from_json)[:3]}")
        report(not set(uids["first"]) & set(uids["second"]), "UIDs collide across plans")
        report(set(uids["first"]) <= set(uids["edited"]), f"UIDs lost by adding an item: {sorted(set(uids['first']) - set(uids['edited']))}")
        report(len(uids["edited"]) == len(uids["first"]) + 1, "the added item is not exactly one new event")
        reminded = icalendar.Calendar.from_ical(simulate(binary, first, "--format", "ics", "--remind", "10min"))
        triggers = {a.decoded("TRIGGER") for a in reminded.walk("VALARM")}
        report(triggers == {dt.timedelta(minutes=-10)}, f"--remind 10min gives triggers {triggers}")
        descriptions = [str(e["DESCRIPTION"]) for e in calendars["first"][1]]
        report(any("Take magnesium at least 4 hours after levothyroxine." in d for d in descriptions),
               "no event says the levothyroxine rule in plain words")
    print(f"ics: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
