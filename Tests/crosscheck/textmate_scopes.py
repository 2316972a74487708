#!/usr/bin/env python3
"""Checks that the TextMate grammar gives every token of every example a scope.

A small TextMate-style tokenizer: at each position the grammar's patterns are searched, the
earliest match wins (ties go to the pattern listed first), and every non-space character
skipped over without a match is a failure. It also checks the scopes of a few known tokens.

Usage: textmate_scopes.py GRAMMAR FILE... Closes with "textmate: N passed, M failed".
"""
import json
import re
import sys

grammar = json.load(open(sys.argv[1]))
patterns = [(re.compile(p["match"]), p["name"]) for p in grammar["patterns"]]


def tokenize(line):
    position, tokens, uncovered = 0, [], []
    while position < len(line):
        best = None
        for regex, name in patterns:
            match = regex.search(line, position)
            if match and match.end() > match.start() and (best is None or match.start() < best[0].start()):
                best = (match, name)
        end = best[0].start() if best else len(line)
        gap = line[position:end]
        if gap.strip():
            uncovered.append(gap.strip())
        if not best:
            break
        tokens.append((best[0].group(), best[1]))
        position = best[0].end()
    return tokens, uncovered


passed = failed = 0
for path in sys.argv[2:]:
    problems = []
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        _, uncovered = tokenize(line.rstrip("\n"))
        problems += [f"line {number}: no scope for {text!r}" for text in uncovered]
    if problems:
        failed += 1
        print(f"FAILED {path}: " + "; ".join(problems[:5]))
    else:
        passed += 1

expected = {
    "magnesium glycinate 300mg nightly, 4h after levothyroxine  # bedtime": [
        ("magnesium", "variable.other.name.regimen"), ("300mg", "constant.numeric.quantity.regimen"),
        ("nightly", "keyword.other.frequency.regimen"), ("4h", "constant.numeric.quantity.regimen"),
        ("after", "keyword.other.timing.regimen"), ("# bedtime", "comment.line.number-sign.regimen")],
    'plan "MS support" from 2026-12-01 for 12 weeks:': [
        ("plan", "storage.type.regimen"), ('"MS support"', "string.quoted.double.regimen"),
        ("2026-12-01", "constant.other.date.regimen"), ("12 weeks", "constant.numeric.quantity.regimen")],
    "let dose = min(5 mg/kg * patient.weight, 350mg)": [
        ("let", "keyword.control.regimen"), ("5 mg/kg", "constant.numeric.quantity.regimen"), ("*", "keyword.operator.regimen")],
    "  wake 06:30, bed 22:30": [("06:30", "constant.other.time.regimen")],
    "  on weekends: wake 09:00, breakfast 09:30": [
        ("on", "keyword.other.timing.regimen"), ("weekends", "keyword.other.timing.regimen"), (":", "punctuation.separator.regimen"),
        ("09:00", "constant.other.time.regimen")],
    "  capecitabine 1000mg twice daily on days 1-14 of each 21-day cycle, for 6 cycles": [
        ("of", "keyword.other.frequency.regimen"), ("each", "keyword.other.frequency.regimen"),
        ("cycle", "keyword.other.frequency.regimen"), ("cycles", "keyword.other.frequency.regimen")],
    '  possible 0.9 to 14 mmol/L, source "a case report"': [
        ("possible", "keyword.other.knowledge.regimen"), ("0.9", "constant.numeric.regimen"),
        ("14 mmol/L", "constant.numeric.quantity.regimen"), ("source", "keyword.other.knowledge.regimen")],
    "  from 2026-12-10 until 2026-12-14: wake 18:00": [
        ("from", "keyword.other.timing.regimen"), ("2026-12-10", "constant.other.date.regimen"), ("until", "keyword.other.timing.regimen")],
}
for line, wanted in expected.items():
    tokens, _ = tokenize(line)
    missing = [pair for pair in wanted if pair not in tokens]
    if missing:
        failed += 1
        print(f"FAILED scopes of {line!r}: missing {missing}; got {tokens}")
    else:
        passed += 1
print(f"textmate: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
