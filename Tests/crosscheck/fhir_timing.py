#!/usr/bin/env python3
"""FHIR Timing read independently and compared with the imported plan's schedule.

For each FHIR resource in the folders given (HL7's R4 examples, the NHS Dose Syntax guide's),
this script reads every dosage's Timing itself (python-dateutil's rrule for the days, plain
arithmetic for the doses in a day), without looking at what the importer wrote, and compares the
doses it expects with `regimen simulate --format json` of `regimen import --fhir` of the file:

- an order that is not active (stopped, completed, on hold, ...) gives no plan (exit status 1);
- as-needed dosages give no scheduled dose;
- a dosage with no dose, no timing, a dose per kg or per m2, a later sequence step without a start
  date, or several doses on a weekday without their times cannot be scheduled without guessing,
  so it gives no dose;
- every other dosage gives, on each day its Timing covers, its number of doses (frequency over
  period, in days, weeks, months, hours or minutes; dayOfWeek; count; boundsPeriod), each of its
  dose amount, at its timeOfDay when given, and doses an interval apart equally spaced.

Each imported plan is also exported with `regimen export --fhir` and imported again: the doses
must be the same, at the same times.

It prints one line per resource and closes with `fhir timing: N passed, M failed`; it exits non-zero
on a failure. CROSSCHECK_SABOTAGE=1 expects one dose too many on every scheduled day, to prove it
can fail.
"""
import collections
import datetime as dt
import json
import os
import pathlib
import subprocess
import sys
import tempfile

from dateutil import rrule

INACTIVE = {"stopped", "cancelled", "entered-in-error", "completed", "draft", "not-taken", "on-hold"}
# A dose's unit as the simulator's JSON names it, from the FHIR code or unit.
UNITS = {"mg": "mg", "g": "g", "mcg": "mcg", "ug": "mcg", "mL": "mL", "ml": "mL", "U": "units", "[iU]": "IU",
         "TAB": "tablet", "Tab": "tablet", "tab": "tablet", "VAGTAB": "tablet", "CAP": "capsule", "drop": "drop",
         "OPDROP": "drop", "patch": "patch", "ea": "each", "mEq": "mEq", "tablet": "tablet", "capsule": "capsule",
         "milligram": "mg",
         # SNOMED CT dose-form units, as the NHS Dose Syntax guide writes them.
         "428673006": "tablet", "732937005": "capsule"}
WEEKDAYS = {"mon": rrule.MO, "tue": rrule.TU, "wed": rrule.WE, "thu": rrule.TH, "fri": rrule.FR, "sat": rrule.SA, "sun": rrule.SU}
# A plan without dates starts today, and so does its course (`for 7 days`): the window starts there too.
DEFAULT_START = dt.date.today()


def quantity(dosage):
    """The dose as (value, unit), the upper end of a range; None when there is no dose or it is per kg or m2."""
    dar = (dosage.get("doseAndRate") or [{}])[0]
    q = dar.get("doseQuantity") or (dar.get("doseRange") or {}).get("high")
    if not q or "value" not in q:
        return None
    code = q.get("code") or q.get("unit") or ""
    if code.endswith("/kg") or code.endswith("/m2"):
        return None
    return (float(q["value"]), UNITS.get(code) or UNITS.get(q.get("unit", ""), code))


def schedulable(dosage, index, dosages):
    """Why a dosage gives no scheduled dose, or None when it does."""
    if dosage.get("asNeededBoolean") or "asNeededCodeableConcept" in dosage:
        return "as needed"
    if quantity(dosage) is None:
        return "no dose that can be given without the patient's measurements"
    timing = dosage.get("timing") or {}
    rep = timing.get("repeat") or {}
    if not rep and not timing.get("code") and not timing.get("event"):
        return "no timing"
    has_sequences = len(dosages) > 1 and all("sequence" in d for d in dosages) and len({d["sequence"] for d in dosages}) == len(dosages)
    paced = any(key in rep for key in ("period", "periodUnit", "dayOfWeek", "timeOfDay", "when"))
    if not paced and ("frequency" in rep or "count" in rep) and not (rep.get("count") == 1 and "frequency" not in rep):
        return "how many times, but not how often"
    if has_sequences and index > 0 and not (rep.get("boundsPeriod") or {}).get("start") and step_start(dosages, index) is None:
        return "a later step without a start date"
    if rep.get("dayOfWeek") and rep.get("frequency", 1) > 1 and len(rep.get("timeOfDay", [])) != rep["frequency"]:
        return "several doses on a weekday without their times"
    return None


def step_start(dosages, index):
    """The day offset a sequence step starts at when every earlier step lasts a number of days, else None."""
    ordered = sorted(dosages, key=lambda d: d.get("sequence", 0))
    offset = 0
    for earlier in ordered[:index]:
        length = (earlier.get("timing", {}).get("repeat", {}) or {}).get("boundsDuration") or {}
        if length.get("code", length.get("unit")) not in ("d", "day", "days") or "boundsPeriod" in earlier["timing"]["repeat"]:
            return None
        offset += int(length["value"])
    return offset


def expected_days(rep, start, end, events=()):
    """The days a Timing's doses fall on in [start, end], and how many doses each."""
    if not rep and events:
        # Only events: one dose on each event's date.
        days = collections.Counter(dt.date.fromisoformat(event[:10]) for event in events)
        return {day: count for day, count in days.items() if start <= day <= end}
    n = rep.get("frequency", 1)
    period = rep.get("period", 1)
    unit = rep.get("periodUnit", "d")
    bounds = rep.get("boundsPeriod") or {}
    if bounds.get("start"):
        start = max(start, dt.date.fromisoformat(bounds["start"][:10]))
    if bounds.get("end"):
        end = min(end, dt.date.fromisoformat(bounds["end"][:10]))
    length = rep.get("boundsDuration") or {}
    if length.get("code", length.get("unit")) in ("d", "day", "days"):
        end = min(end, start + dt.timedelta(days=int(length["value"]) - 1))
    if rep.get("count") == 1 and "frequency" not in rep and "period" not in rep:
        return {start: 1}
    dtstart = dt.datetime.combine(start, dt.time())
    until = dt.datetime.combine(end, dt.time())
    if rep.get("dayOfWeek"):
        days = rrule.rrule(rrule.WEEKLY, byweekday=[WEEKDAYS[d] for d in rep["dayOfWeek"]], dtstart=dtstart, until=until)
        per_day = max(n, len(rep.get("timeOfDay", [])) or 1)
    elif unit == "d":
        days = rrule.rrule(rrule.DAILY, interval=int(period), dtstart=dtstart, until=until)
        per_day = n
    elif unit in ("h", "min"):
        # Doses an interval apart: the count on a day depends on the first dose's time, so they are
        # checked by their gaps and their number from the first dose to the window's end (compare).
        return {"interval": (period * (60 if unit == "h" else 1) / n, start, end)}
    elif unit == "mo":
        days = rrule.rrule(rrule.MONTHLY, interval=int(period), dtstart=dtstart, until=until)
        per_day = n
    elif unit == "wk":
        return {"weekly": (n, int(period), start, end)}
    else:
        raise ValueError(f"unit {unit}")
    out = {d.date(): per_day for d in days}
    if "count" in rep:
        # `count` doses in all: the first days until the count is reached.
        left, capped = rep["count"], {}
        for day in sorted(out):
            if left <= 0:
                break
            capped[day] = min(out[day], left)
            left -= capped[day]
        out = capped
    return out


def check(binary, path):
    resource = json.loads(path.read_text())
    with tempfile.TemporaryDirectory() as tmp:
        plan = pathlib.Path(tmp) / "imported.regimen"
        imported = subprocess.run([binary, "import", "--fhir", str(path), "-o", str(plan)], capture_output=True, text=True)
        if resource.get("status") in INACTIVE:
            return [] if imported.returncode == 1 else [f"status {resource['status']}: expected nothing imported, exit {imported.returncode}"]
        dosages = resource.get("dosageInstruction") or resource.get("dosage") or []
        wanted = [(i, d) for i, d in enumerate(dosages) if schedulable(d, i, dosages) is None]
        dosages_of.update({id(d): dosages for d in dosages})
        if not wanted:
            if imported.returncode == 0 and "\nplan " in plan.read_text():
                events = simulate(binary, plan, DEFAULT_START, 28)
                return [f"no dosage can be scheduled, but the plan has {len(events)} doses"] if events else []
            return []
        if imported.returncode != 0:
            return [f"import failed (exit {imported.returncode}): {imported.stderr.strip()[:200]}"]
        starts = [dt.date.fromisoformat(d["timing"]["repeat"]["boundsPeriod"]["start"][:10])
                  for _, d in wanted if (d["timing"].get("repeat", {}).get("boundsPeriod") or {}).get("start")]
        starts += [dt.date.fromisoformat(e[:10]) for _, d in wanted if not d["timing"].get("repeat") for e in d["timing"].get("event", [])]
        start = min(starts) if starts else DEFAULT_START
        days = 92 if any(d["timing"].get("repeat", {}).get("periodUnit") == "mo" or d["timing"].get("event") for _, d in wanted) else 28
        end = start + dt.timedelta(days=days - 1)
        events = simulate(binary, plan, start, days)
        return compare(wanted, events, start, end) + round_trip(binary, plan, pathlib.Path(tmp), events, start, days)


def round_trip(binary, plan, tmp, events, start, days):
    """The imported plan exported to FHIR and imported again gives the same doses at the same times."""
    bundle, again = tmp / "exported.json", tmp / "again.regimen"
    exported = subprocess.run([binary, "export", "--fhir", str(plan), "-o", str(bundle)], capture_output=True, text=True)
    if exported.returncode not in (0, 1):
        return [f"export failed: {exported.stderr.strip()[:200]}"]
    reimported = subprocess.run([binary, "import", "--fhir", str(bundle), "-o", str(again)], capture_output=True, text=True)
    if reimported.returncode != 0:
        return [f"the export did not import again: {reimported.stderr.strip()[:200]}"]
    key = lambda e: (e["date"], e["time"], e["name"], float(e["dose"]["value"]), e["dose"]["unit"])
    first, second = sorted(map(key, events)), sorted(map(key, simulate(binary, again, start, days)))
    if first != second:
        differ = sorted(set(first) ^ set(second))[:3]
        return [f"round trip through FHIR changes the schedule: {len(first)} doses before, {len(second)} after; e.g. {differ}"]
    return []


def simulate(binary, plan, start, days):
    out = subprocess.run([binary, "simulate", str(plan), "--format", "json", "--start", start.isoformat(), "--days", str(days)],
                         capture_output=True, text=True)
    if out.returncode not in (0, 1):
        raise RuntimeError(f"simulate failed: {out.stderr[:300]}")
    return json.loads(out.stdout)["events"]


dosages_of = {}  # a dosage's id -> all the dosages of its resource, for a sequence step's start


def compare(wanted, events, start, end):
    problems = []
    sabotage = os.environ.get("CROSSCHECK_SABOTAGE") == "1"
    expected = collections.Counter()  # (date, value, unit) -> doses
    weekly = []
    times = collections.defaultdict(set)  # date -> clock times a timeOfDay fixes
    intervals = []
    for index, dosage in wanted:
        rep = dosage["timing"].get("repeat", {})
        value, unit = quantity(dosage)
        offset = step_start(dosages_of[id(dosage)], index) if dosages_of.get(id(dosage)) and index > 0 and not (rep.get("boundsPeriod") or {}).get("start") else 0
        given = dosage["timing"].get("event", [])
        for event in given if not rep else []:
            if len(event) > 10 and (event.endswith("Z") or len(event) == 16):
                times[dt.date.fromisoformat(event[:10])].add(event[11:16])
        for day, count in expected_days(rep, start + dt.timedelta(days=offset or 0), end, given).items():
            if day == "weekly":
                weekly.append((count, value, unit))
                continue
            if day == "interval":
                intervals.append((value, unit) + count)
                continue
            expected[(day, value, unit)] += count + (1 if sabotage else 0)
            for clock in rep.get("timeOfDay", []):
                times[day].add(clock[:5])
    actual = collections.Counter((dt.date.fromisoformat(e["date"]), float(e["dose"]["value"]), e["dose"]["unit"]) for e in events)
    for (n, period, first, last), value, unit in [(w[0], w[1], w[2]) for w in weekly]:
        # n doses in each whole period of weeks from the start: which weekdays is the tool's choice.
        week = first
        while week + dt.timedelta(days=7 * period - 1) <= last:
            got = sum(c for (d, v, u), c in actual.items() if week <= d < week + dt.timedelta(days=7 * period) and (v, u) == (value, unit))
            if got != n + (1 if sabotage else 0):
                problems.append(f"{n} doses of {value:g} {unit} expected in the {7 * period} days from {week}, the plan has {got}")
            week += dt.timedelta(days=7 * period)
        for key in [k for k in actual if (k[1], k[2]) == (value, unit)]:
            del actual[key]
    for value, unit, *_ in intervals:
        for key in [k for k in actual if (k[1], k[2]) == (value, unit)]:
            del actual[key]
    for key in sorted(set(expected) | set(actual)):
        if expected[key] != actual[key]:
            problems.append(f"{key[0]}: {expected[key]} doses of {key[1]:g} {key[2]} expected, the plan has {actual[key]}")
    for day, clocks in times.items():
        got = {e["time"] for e in events if e["date"] == day.isoformat()}
        if not clocks <= got:
            problems.append(f"{day}: doses expected at {sorted(clocks)}, the plan has {sorted(got)}")
    for value, unit, minutes, first, last in intervals:
        stamps = sorted(dt.datetime.fromisoformat(f"{e['date']}T{e['time']}") for e in events
                        if (float(e["dose"]["value"]), e["dose"]["unit"]) == (value, unit))
        if not stamps or stamps[0].date() != first:
            problems.append(f"doses of {value:g} {unit} every {minutes:g} min expected from {first}, the plan's first is {stamps[:1]}")
            continue
        gaps = {(b - a).total_seconds() / 60 for a, b in zip(stamps, stamps[1:])}
        if gaps != {minutes}:
            problems.append(f"doses of {value:g} {unit} expected every {minutes:g} min, the plan's gaps are {sorted(gaps)} min")
        window_end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
        count = int((window_end - stamps[0]).total_seconds() // 60 // minutes) + 1 - (1 if (window_end - stamps[0]).total_seconds() / 60 % minutes == 0 else 0)
        if len(stamps) != count + (1 if sabotage else 0):
            problems.append(f"{count} doses of {value:g} {unit} expected from {stamps[0]} to the end of {last}, the plan has {len(stamps)}")
    return problems[:5]


def main():
    binary, folders = sys.argv[1], [pathlib.Path(folder) for folder in sys.argv[2:]]
    passed = failed = 0
    for path in sorted(path for folder in folders for path in folder.glob("*.json")):
        problems = check(binary, path)
        if problems:
            failed += 1
            print(f"FAIL {path.name}")
            for problem in problems:
                print(f"  {problem}")
        else:
            passed += 1
            print(f"ok   {path.name}")
    print(f"fhir timing: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
