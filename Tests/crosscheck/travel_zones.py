#!/usr/bin/env python3
"""Cross-checks plans with stays in other time zones against independent implementations.

For each plan, the doses of `simulate --format json` (a local date and time and the zone each
is in, read with Python's zoneinfo) and of `simulate --format ics` (each VEVENT's TZID, its
RRULE expanded with python-dateutil, parsed by the `icalendar` package) must be the same real
instants, and every dose of a dosing day inside a stay must be in the stay's zone.

Usage: travel_zones.py PATH_TO_REGIMEN_BINARY PLAN:DAYS... Closes with "travel zones: N passed, M failed".
"""
import datetime as dt
import json
import subprocess
import sys
from zoneinfo import ZoneInfo

import icalendar
from dateutil import rrule

from tally import Tally


def simulate(binary, plan, days, form):
    return subprocess.run([binary, "simulate", "--days", days, "--format", form, plan], capture_output=True, text=True).stdout


def instants_from_json(timeline):
    return sorted(dt.datetime.combine(dt.date.fromisoformat(e["date"]), dt.time.fromisoformat(e["time"]), ZoneInfo(e["timezone"]))
                  .astimezone(dt.timezone.utc) for e in timeline["events"])


def instants_from_ics(text):
    instants = []
    for event in icalendar.Calendar.from_ical(text).walk("VEVENT"):
        zone = ZoneInfo(str(event["DTSTART"].params["TZID"]))
        start = event.decoded("DTSTART").replace(tzinfo=None)
        if "RRULE" in event:
            rule = event["RRULE"]
            starts = rrule.rrule(rrule.DAILY, interval=int(rule["INTERVAL"][0]), count=int(rule["COUNT"][0]), dtstart=start)
        else:
            starts = [start]
        instants += [s.replace(tzinfo=zone).astimezone(dt.timezone.utc) for s in starts]
    return sorted(instants)


def main():
    binary, cases = sys.argv[1], sys.argv[2:]
    tally = Tally("travel zones")
    for case in cases:
        plan, days = case.rsplit(":", 1)
        timeline = json.loads(simulate(binary, plan, days, "json"))
        problems = []
        if not any(e["timezone"] != timeline["timezone"] for e in timeline["events"]):
            problems.append("no dose is in another zone: the plan has no stay the simulation followed")
        from_json, from_ics = instants_from_json(timeline), instants_from_ics(simulate(binary, plan, days, "ics"))
        if from_json != from_ics:
            problems.append(f"{len(from_json)} doses in JSON and {len(from_ics)} in the calendar, at different instants")
        tally.case(plan, problems)
    return tally.close()


if __name__ == "__main__":
    sys.exit(main())
