#!/usr/bin/env python3
"""Hostile plans against the real binary, judged by independent readers (issue #17):

- a note with a raw carriage return, an escaped line feed and property text ("SUMMARY:INJECTED")
  must stay inside its DESCRIPTION: the `icalendar` parser sees one SUMMARY per event and no
  injected property, and no line of the file starts a property the tool did not write;
- product names that are formulas (=, +, -, @) or hold a line break come out of the CSV as one
  field each, neutralised with a leading ', read back by Python's `csv` module;
- `simulate --format json` and `check --format json` parse with `json` for every hostile input;
- `show` and `check` print no control character or bidi control: each is written out as \\u{...}.

Each case writes its own files in a temporary folder. Usage: hostile.py BINARY.
Closes with "hostile: N passed, M failed".
"""
import csv
import io
import json
import os
import subprocess
import sys
import tempfile

from icalendar import Calendar

from tally import Tally

BINARY = os.path.abspath(sys.argv[1])
tally = Tally("hostile")
case = tally.case

# A raw CR, the \n escape of the language, ESC (a colour change), an OSC title sequence, a bell,
# RIGHT-TO-LEFT OVERRIDE and a C1 control (NEL), all in one note.
# A CR followed by the \n escape is CR LF: one `Character` in Swift, which text-wise escaping misses.
HOSTILE_NOTE = 'a\r\\nX-INJECTED:1\rSUMMARY:INJECTED\\nATTACH:http://evil.example/x\\n;x,y\\\\z \x1b[31mred\x1b]0;title\x07 \u202eevil \x85end'
PLAN = f'''patient:
  age 50
  timezone "Europe/Berlin"
product "=HYPERLINK(\\"http://evil.example\\")": magnesium glycinate 120mg per capsule
product "+1+2": magnesium glycinate 120mg per capsule
product "-2+3": magnesium glycinate 120mg per capsule
product "@SUM(A1)": magnesium glycinate 120mg per capsule
product "two\\nlines": magnesium glycinate 120mg per capsule
product "cr\r\\nlf": magnesium glycinate 120mg per capsule
plan "hostile" from 2026-12-01 for 3 days:
  zinc 10mg daily with breakfast, note "{HOSTILE_NOTE}"
  "=HYPERLINK(\\"http://evil.example\\")" 1 capsule daily with lunch
  "+1+2" 1 capsule daily with dinner
  "-2+3" 1 capsule daily at 15:00
  "@SUM(A1)" 1 capsule daily at 16:00
  "two\\nlines" 1 capsule daily at 17:00
  "cr\r\\nlf" 1 capsule daily at 18:00
'''
FORBIDDEN = [chr(c) for c in list(range(0, 9)) + list(range(11, 32)) + list(range(0x7F, 0xA0))] + \
    ["\u061c", "\u200e", "\u200f"] + [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)]


def run(*arguments, folder):
    result = subprocess.run([BINARY, *arguments], cwd=folder, capture_output=True, timeout=60)
    return result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")


def check_ics(folder):
    problems = []
    _, text, err = run("simulate", "plan.regimen", "--format", "ics", folder=folder)
    if not text:
        return [f"no calendar: {err}"]
    # Every physical line ends in CRLF; no lone CR or LF anywhere.
    body = text.replace("\r\n", "")
    if "\r" in body or "\n" in body:
        problems.append("a lone CR or LF in the calendar")
    written = {"BEGIN", "END", "VERSION", "PRODID", "CALSCALE", "METHOD", "TZID", "DTSTART", "TZOFFSETFROM",
               "TZOFFSETTO", "TZNAME", "UID", "DTSTAMP", "DURATION", "RRULE", "SUMMARY", "DESCRIPTION",
               "SEQUENCE", "ACTION", "TRIGGER"}  # the event's revision, and its display alarm
    for line in text.split("\r\n"):
        if not line or line.startswith(" "):
            continue
        name = line.split(":", 1)[0].split(";", 1)[0]
        if name not in written:
            problems.append(f"a line starts a property the tool never writes: {line[:60]!r}")
    calendar = Calendar.from_ical(text)
    events = list(calendar.walk("VEVENT"))
    if not events:
        problems.append("no events")
    noted = 0
    for event in events:
        if len(event.property_items()) and sum(1 for key, _ in event.property_items() if key == "SUMMARY") != 1:
            problems.append("an event with more than one SUMMARY")
        if "ATTACH" in event or "INJECTED" in event or "X-INJECTED" in event:
            problems.append("an injected property")
        description = str(event.get("DESCRIPTION", ""))
        if "SUMMARY:INJECTED" in description:
            noted += 1
            if "ATTACH:http://evil.example/x" not in description or ";x,y\\z" not in description:
                problems.append(f"the note's text is not kept: {description!r}")
            if any(c in description for c in ["\x1b", "\x07", "\r"]):
                problems.append("a control character RFC 5545 forbids in TEXT reached the calendar")
    if noted == 0:
        problems.append("the note is in no DESCRIPTION")
    return problems


def check_csv(folder):
    problems = []
    _, text, err = run("simulate", "plan.regimen", "--format", "csv", folder=folder)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        return [f"no CSV: {err}"]
    header = rows[0]
    for row in rows[1:]:
        if len(row) != len(header):
            problems.append(f"a row of {len(row)} fields, not {len(header)}: {row}")
            continue
        for field in row:
            if field[:1] in ("=", "+", "-", "@", "\t", "\r"):
                problems.append(f"a field a spreadsheet would run as a formula: {field!r}")
    names = {row[header.index("name")] for row in rows[1:] if len(row) == len(header)}
    for wanted in ["'=HYPERLINK(\"http://evil.example\")", "'+1+2", "'-2+3", "'@SUM(A1)", "two\nlines", "cr\r\nlf"]:
        if wanted not in names:
            problems.append(f"{wanted!r} is not one field of the CSV (names: {sorted(names)})")
    return problems


def check_json(folder):
    problems = []
    for arguments in (["simulate", "plan.regimen", "--format", "json"], ["check", "plan.regimen", "--format", "json"]):
        _, text, _ = run(*arguments, folder=folder)
        try:
            data = json.loads(text)
        except ValueError as error:
            problems.append(f"{' '.join(arguments)}: not valid JSON: {error}")
            continue
        if arguments[0] == "simulate" and "two\nlines" not in {e["name"] for e in data["events"]}:
            problems.append("a name with a line break is not kept in JSON")
    return problems


def check_terminal(folder):
    problems = []
    for arguments in (["show", "plan.regimen"], ["check", "plan.regimen"], ["simulate", "plan.regimen"]):
        _, out, err = run(*arguments, folder=folder)
        for stream, text in (("stdout", out), ("stderr", err)):
            found = sorted({repr(c) for c in text if c in FORBIDDEN})
            if found:
                problems.append(f"{' '.join(arguments)} {stream} holds {', '.join(found)}")
        if arguments[0] != "simulate" and "\\u{1B}" not in out:
            problems.append(f"{' '.join(arguments)} does not show ESC written out")
    _, out, _ = run("check", "plan.regimen", folder=folder)
    if "warning[R114]" not in out:
        problems.append("check does not warn that the plan holds control characters")
    # The REPL: loading the plan, reading it back and listing it.
    result = subprocess.run([BINARY, "repl"], cwd=folder, input=":load plan.regimen\n:plan\n:check\n".encode(),
                            capture_output=True, timeout=60)
    found = sorted({repr(c) for c in result.stdout.decode() if c in FORBIDDEN})
    if found:
        problems.append(f"the REPL prints {', '.join(found)}")
    return problems


def check_fmt_on_a_terminal(folder):
    """`fmt` prints source: byte for byte into a pipe, written out on a terminal."""
    import pexpect
    problems = []
    _, piped, _ = run("fmt", "plan.regimen", folder=folder)
    if "\x1b" not in piped:
        problems.append("fmt into a pipe must keep the file's bytes")
    child = pexpect.spawn(BINARY, ["fmt", "plan.regimen"], cwd=folder, timeout=30)
    child.expect(pexpect.EOF)
    shown = child.before.decode("utf-8")
    # The terminal turns each line feed into CR LF; every other control must be written out.
    found = sorted({repr(c) for c in shown if c in FORBIDDEN and c != "\r"})
    if found:
        problems.append(f"fmt on a terminal prints {', '.join(found)}")
    if "\\u{1B}" not in shown:
        problems.append("fmt on a terminal does not write ESC out")
    return problems


def check_history_pipe(folder):
    """A REPL history file replaced by a named pipe: the REPL starts, works and leaves, no hang."""
    import pexpect
    problems = []
    state = os.path.join(folder, "state")
    os.makedirs(os.path.join(state, "regimen"), exist_ok=True)
    history = os.path.join(state, "regimen", "history")
    os.mkfifo(history)
    env = dict(os.environ, XDG_STATE_HOME=state, HOME=folder, TERM="xterm", NO_COLOR="1")
    child = pexpect.spawn(BINARY, ["repl"], env=env, cwd=folder, encoding="utf-8", timeout=10)
    try:
        child.expect("regimen> ")
        child.sendline("zinc 10mg daily")
        child.expect("zinc 10 mg")
        child.expect("regimen> ")
        child.sendline(":quit")
        child.expect(pexpect.EOF)
    except pexpect.TIMEOUT:
        problems.append("the REPL hung on a history file that is a named pipe")
        child.terminate(force=True)
    if not os.path.exists(history) or not __import__("stat").S_ISFIFO(os.lstat(history).st_mode):
        problems.append("the named pipe was replaced")
    return problems


def main():
    with tempfile.TemporaryDirectory(prefix="regimen-hostile-") as folder:
        with open(os.path.join(folder, "plan.regimen"), "w", encoding="utf-8", newline="") as plan:
            plan.write(PLAN)
        case("iCalendar: CR injection stays in its DESCRIPTION", check_ics(folder))
        case("CSV: formulas neutralised, line breaks quoted", check_csv(folder))
        case("JSON: valid for every hostile input", check_json(folder))
        case("terminal: control and bidi characters written out", check_terminal(folder))
        case("fmt: bytes into a pipe, written out on a terminal", check_fmt_on_a_terminal(folder))
        case("REPL: a history file that is a named pipe", check_history_pipe(folder))
    return tally.close()


if __name__ == "__main__":
    sys.exit(main())
