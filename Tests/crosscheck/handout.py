#!/usr/bin/env python3
"""Renders the handout of every example with headless Chromium and reads the result back.

For each plan in examples/: `regimen handout` writes the page; Chromium prints it to PDF and
takes a PNG screenshot. Then, against `regimen simulate` of the same plan (JSON and CSV):
- every dose time and substance of the first day is in the PDF's text (pdftotext);
- every spacing rule of those doses, as the CSV's plain-words instruction says it, is there too;
- every step of a titration or taper (each distinct dose of an item) is there;
- the PDF has at most 3 pages, and the PNG is not blank.

Usage: handout.py PATH_TO_REGIMEN_BINARY [EXAMPLES_FOLDER]
Prints one line per failure and closes with "handout: N passed, M failed".
"""
import csv
import io
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

RULE = re.compile(r"(?:Take [^.]* at least [^.]*(?:before|after|apart)[^.]*\.|Do not take [^.]*\.)")


def browser():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return name
    return None


def chromium(binary, profile, *arguments):
    subprocess.run([binary, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}", *arguments],
                   check=True, capture_output=True, timeout=120)


def png_pixels(path):
    """Width, height and rows of RGB(A) bytes of an 8-bit PNG, decoded with the standard library."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, chunks, header = 8, [], None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and interlace == 0 and colour in (2, 6), f"unsupported PNG {header}"
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    rows, previous, offset = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[offset], bytearray(raw[offset + 1:offset + 1 + stride])
        offset += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def not_blank(path):
    """True when at least 1% of the sampled pixels are not white and there are several colours."""
    width, height, channels, rows = png_pixels(path)
    dark, colours, total = 0, set(), 0
    for row in rows[::4]:
        for x in range(0, width * channels, channels * 4):
            pixel = row[x:x + 3]
            colours.add(pixel)
            total += 1
            if sum(pixel) < 600:
                dark += 1
    return dark > total / 100 and len(colours) > 3


def squash(text):
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip().lower()


def regimen(binary, *arguments):
    result = subprocess.run([binary, *arguments], capture_output=True, text=True,
                            env={**os.environ, "SOURCE_DATE_EPOCH": "1795000000"})
    if result.returncode not in (0, 1):
        raise RuntimeError(f"regimen {' '.join(arguments)} exited {result.returncode}: {result.stderr}")
    return result.stdout


def check(binary, chrome, plan, folder):
    """The problems found in one plan's handout (an empty list when it passes)."""
    problems = []
    name = os.path.basename(plan)[:-len(".regimen")]
    page, pdf, png = (os.path.join(folder, name + suffix) for suffix in (".html", ".pdf", ".png"))
    subprocess.run([binary, "handout", plan, "-o", page], capture_output=True, env={**os.environ, "SOURCE_DATE_EPOCH": "1795000000"})
    profile = os.path.join(folder, "profile")
    chromium(chrome, profile, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", "file://" + os.path.abspath(page))
    chromium(chrome, profile, "--hide-scrollbars", "--window-size=900,1400", f"--screenshot={png}", "file://" + os.path.abspath(page))
    text = squash(subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout)
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    if pages > 3:
        problems.append(f"{pages} pages (at most 3)")
    if not not_blank(png):
        problems.append("the PNG is blank")

    timeline = json.loads(regimen(binary, "simulate", plan, "--format", "json"))
    rows = list(csv.DictReader(io.StringIO(regimen(binary, "simulate", plan, "--format", "csv"))))
    first_day = [e for e in timeline["events"] if e["date"] == timeline["start"]]
    for event in first_day:
        if event["time"] not in text:
            problems.append(f"dose time {event['time']} ({event['name']}) is not on the page")
        if squash(event["substance"]) not in text:
            problems.append(f"substance {event['substance']} is not on the page")
    names = {e["name"] for e in first_day}
    rules = {rule for row in rows if row["name"] in names for rule in RULE.findall(row["instruction"])}
    for rule in sorted(rules):
        if squash(rule) not in text:
            problems.append(f"rule missing: {rule}")
    doses = {}
    for event in timeline["events"]:
        doses.setdefault(event["name"], [])
        shown = f'{event["dose"]["value"]:g} {event["dose"]["unit"]}'
        if shown not in doses[event["name"]]:
            doses[event["name"]].append(shown)
    for item, steps in doses.items():
        if len(steps) > 1:
            for step in steps:
                if squash(step) not in text:
                    problems.append(f"titration step {item} {step} is not on the page")
    return problems, pages, len(first_day), len(rules)


def main():
    binary = sys.argv[1]
    examples = sys.argv[2] if len(sys.argv) > 2 else "examples"
    chrome = browser()
    if chrome is None or shutil.which("pdftotext") is None:
        print("handout: headless Chromium and pdftotext are needed (scripts/setup.sh installs chromium and poppler-utils)")
        print("handout: 0 passed, 1 failed")
        return 1
    passed = failed = 0
    plans = sorted(os.path.join(examples, f) for f in os.listdir(examples) if f.endswith(".regimen"))
    with tempfile.TemporaryDirectory() as folder:
        for plan in plans:
            try:
                problems, pages, doses, rules = check(binary, chrome, plan, folder)
            except Exception as error:  # a failed render is a failed case, not a crash of the runner
                problems, pages, doses, rules = [f"could not render: {error}"], 0, 0, 0
            if os.environ.get("CROSSCHECK_SABOTAGE"):  # proves the comparison can fail
                problems.append("sabotaged")
            if problems:
                failed += 1
                print(f"{plan}:\n  " + "\n  ".join(problems))
            else:
                passed += 1
                print(f"{plan}: {pages} page(s), {doses} doses of the first day and {rules} rules found")
    print(f"handout: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
