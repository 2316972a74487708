#!/usr/bin/env python3
"""Cross-checks `regimen simulate` against independent implementations.

1. Expansion: for generated plans, the dates and times of every item's doses must equal what
   python-dateutil's rrule computes for the same recurrence, course and time zone.
2. iCalendar: the .ics output must parse with the `icalendar` package, and expanding each
   VEVENT's RRULE with dateutil must give back exactly the doses of the JSON timeline.

Usage: crosscheck.py PATH_TO_REGIMEN_BINARY [CASES]
Prints one line per failure and closes with "crosscheck: N passed, M failed".
"""
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
from zoneinfo import ZoneInfo

from dateutil import rrule
import icalendar

ZONES = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "UTC", "Asia/Kolkata"]
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
ANCHORS = {"breakfast": (7, 30), "lunch": (12, 30), "dinner": (18, 30), "bed": (22, 30), "wake": (7, 0)}


def generate(rng):
    """A plan of items that interact with nothing, and the rrule each item's doses must follow."""
    zone = rng.choice(ZONES)
    start = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(0, 700))
    days = rng.randrange(5, 60)
    items, expected = [], []
    names = ["vitamin b12 1000mcg", "melatonin 1mg", "pyridostigmine 60mg", "vitamin d3 1000 IU", "furosemide 20mg"]
    for index, name in enumerate(rng.sample(names, k=rng.randrange(1, 5))):
        kind = rng.choice(["daily", "every n days", "weekdays", "every n hours", "times"])
        first = start + dt.timedelta(days=rng.randrange(0, 5))
        course = rng.choice([None, rng.randrange(1, 30)])
        hour, minute = rng.randrange(0, 24), rng.choice([0, 15, 30, 45])
        clause = f"at {hour:02d}:{minute:02d}"
        rule = dict(dtstart=dt.datetime(first.year, first.month, first.day, hour, minute))
        if kind == "daily":
            text = f"{name} daily {clause}"
            rule.update(freq=rrule.DAILY)
        elif kind == "every n days":
            n = rng.randrange(2, 8)
            text = f"{name} every {n} days {clause}"
            rule.update(freq=rrule.DAILY, interval=n)
        elif kind == "weekdays":
            chosen = sorted(rng.sample(range(7), k=rng.randrange(1, 4)))
            text = f"{name} on {', '.join(WEEKDAYS[d] for d in chosen)} {clause}"
            rule.update(freq=rrule.DAILY, byweekday=chosen)
        elif kind == "every n hours":
            n = rng.choice([4, 6, 8, 12, 5, 7])
            text = f"{name} every {n}h, {clause}"
            rule.update(freq=rrule.HOURLY, interval=n)
        else:
            times = sorted(rng.sample(range(6, 23), k=2))
            text = f"{name} at {times[0]:02d}:00 and {times[1]:02d}:30"
            rule.update(freq=rrule.DAILY, byhour=times, byminute=[0, 30])
            rule["dtstart"] = dt.datetime(first.year, first.month, first.day, 0, 0)
            rule["slots"] = [(times[0], 0), (times[1], 30)]
        text += f", from {first.isoformat()}"
        last = start + dt.timedelta(days=days - 1)
        if course:
            text += f", for {course} days"
            last = min(last, first + dt.timedelta(days=course - 1))
        items.append(text)
        expected.append((index, kind, rule, last))
    plan = "patient:\n  age 50\n" + f'  timezone "{zone}"\n' + f'plan "generated" from {start.isoformat()}:\n'
    plan += "".join(f"  {line}\n" for line in items)
    return plan, zone, start, days, expected


def expected_doses(zone, start, days, expected):
    """Local (date, HH:MM, item line) of every dose, computed with dateutil."""
    tz = ZoneInfo(zone)
    horizon_end = start + dt.timedelta(days=days - 1)
    doses = set()
    for index, kind, rule, last in expected:
        slots = rule.pop("slots", None)
        if kind == "every n hours":
            # Elapsed time: step in UTC from the first dose's instant, then read local times.
            first_local = rule["dtstart"].replace(tzinfo=tz)
            utc = first_local.astimezone(dt.timezone.utc)
            stop = dt.datetime.combine(min(last, horizon_end) + dt.timedelta(days=1), dt.time(0), tz).astimezone(dt.timezone.utc)
            for moment in rrule.rrule(freq=rrule.HOURLY, interval=rule["interval"], dtstart=utc, until=stop - dt.timedelta(seconds=1)):
                local = moment.astimezone(tz)
                if local.date() >= start:
                    doses.add((local.date().isoformat(), local.strftime("%H:%M"), index))
            continue
        until = dt.datetime.combine(min(last, horizon_end), dt.time(23, 59))
        for moment in rrule.rrule(until=until, **rule):
            if slots and (moment.hour, moment.minute) not in slots:
                continue
            if moment.date() < start:
                continue
            local = resolve_local(moment, tz)
            doses.add((local.date().isoformat(), local.strftime("%H:%M"), index))
    return doses


def resolve_local(naive, tz):
    """A wall-clock time as the patient experiences it: a missing time moves forward by the gap,
    a repeated time takes its first occurrence (fold=0)."""
    aware = naive.replace(tzinfo=tz, fold=0)
    roundtrip = aware.astimezone(dt.timezone.utc).astimezone(tz)
    if roundtrip.replace(tzinfo=None) != naive:
        # In a gap: Python's fold=0 reads it with the offset before the change, which lands after it.
        return roundtrip
    return aware


def run(binary, path, *arguments):
    result = subprocess.run([binary, "simulate", path, *arguments], capture_output=True, text=True)
    if result.returncode not in (0, 1):
        raise RuntimeError(f"regimen exited {result.returncode}: {result.stderr}")
    return result.stdout


def ics_doses(text):
    """Expands every VEVENT of the calendar (RRULE with dateutil) into local doses."""
    calendar = icalendar.Calendar.from_ical(text)
    doses = set()
    for event in calendar.walk("VEVENT"):
        start = event.decoded("DTSTART")
        summary = str(event.get("SUMMARY"))
        occurrences = [start]
        if event.get("RRULE"):
            rule = event.get("RRULE").to_ical().decode()
            naive = start.replace(tzinfo=None)
            occurrences = [resolve_local(o, start.tzinfo) for o in rrule.rrulestr(rule, dtstart=naive)]
        for moment in occurrences:
            doses.add((moment.date().isoformat(), moment.strftime("%H:%M"), summary))
    return doses


def main():
    binary = sys.argv[1]
    cases = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    passed = failed = compared = 0
    rng = random.Random(20261122)
    with tempfile.TemporaryDirectory() as folder:
        for case in range(cases):
            plan, zone, start, days, expected = generate(rng)
            path = os.path.join(folder, f"case{case}.regimen")
            with open(path, "w") as handle:
                handle.write(plan)
            timeline = json.loads(run(binary, path, "--start", start.isoformat(), "--days", str(days), "--format", "json"))
            first_item_line = 5
            actual = {(e["date"], e["time"], e["line"] - first_item_line) for e in timeline["events"]}
            wanted = expected_doses(zone, start, days, expected)
            compared += len(wanted)
            if os.environ.get("CROSSCHECK_SABOTAGE"):  # proves the comparison can fail
                wanted = {(d, t, i + 1) for d, t, i in wanted}
            if actual == wanted and (wanted or not timeline["events"]):
                passed += 1
            else:
                failed += 1
                print(f"expansion differs in case {case}:\n{plan}missing: {sorted(wanted - actual)[:5]}\nextra: {sorted(actual - wanted)[:5]}")
            # iCalendar: parse, expand, compare with the JSON doses.
            ics = run(binary, path, "--start", start.isoformat(), "--days", str(days), "--format", "ics")
            from_json = {(e["date"], e["time"], f'{e["name"]} {e["dose"]["value"]:g} {e["dose"]["unit"]}') for e in timeline["events"]}
            try:
                from_ics = ics_doses(ics)
            except Exception as error:  # a parse failure is a failed case, not a crash of the check
                from_ics = {("unparseable", str(error), "")}
            if from_ics == from_json:
                passed += 1
            else:
                failed += 1
                print(f"iCalendar differs in case {case}:\n{plan}missing: {sorted(from_json - from_ics)[:5]}\nextra: {sorted(from_ics - from_json)[:5]}")
    print(f"compared {compared} doses from dateutil with regimen's expansion")
    print(f"crosscheck: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
