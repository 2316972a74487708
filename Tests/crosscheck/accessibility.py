#!/usr/bin/env python3
"""An accessibility check of the handout's HTML, for every example.

- one h1, and headings that never skip a level going down (h1, h2, h3);
- every table has header cells, each with a scope, and a caption or a heading before it;
- every SVG has role="img" and a text alternative: an aria-label, or aria-labelledby naming
  elements that exist, and a <title>;
- text contrast at least 4.5:1 (WCAG 2 AA), computed from the colours: each CSS rule's text
  colour against its own background or the page's, inline badge backgrounds against their
  white text, and each SVG text fill against the fills it can sit on;
- no script, no external resource.

Usage: accessibility.py PATH_TO_REGIMEN_BINARY [EXAMPLES_FOLDER]
Closes with "accessibility: N passed, M failed".
"""
import os
import re
import subprocess
import sys
from html.parser import HTMLParser

NAMED = {"white": "#ffffff", "black": "#000000"}


def rgb(colour):
    colour = NAMED.get(colour.strip().lower(), colour.strip().lower())
    match = re.fullmatch(r"#([0-9a-f]{3}|[0-9a-f]{6})", colour)
    if not match:
        raise ValueError(f"colour not understood: {colour}")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return tuple(int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4))


def luminance(colour):
    def channel(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings, self.tables, self.svgs, self.ids, self.problems = [], [], [], set(), []
        self.styles, self.inline, self.svg_texts, self.svg_fills = "", [], [], set()
        self.stack, self.in_style, self.last_heading_before_table = [], False, None

    def handle_starttag(self, tag, attributes):
        a = dict(attributes)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "style":
            self.in_style = True
        if tag in ("script", "link", "iframe", "img") or any(k in ("src",) for k in a):
            self.problems.append(f"<{tag}> loads or runs something")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
            self.last_heading_before_table = tag
        if tag == "table":
            self.tables.append({"th": 0, "scoped": 0, "caption": False, "heading": self.last_heading_before_table is not None})
        if tag == "caption" and self.tables:
            self.tables[-1]["caption"] = True
        if tag == "th" and self.tables:
            self.tables[-1]["th"] += 1
            if a.get("scope") in ("col", "row", "colgroup", "rowgroup"):
                self.tables[-1]["scoped"] += 1
        if tag == "svg" and "svg" not in self.stack:
            self.svgs.append({"attributes": a, "title": False})
        if tag == "title" and "svg" in self.stack and self.svgs:
            self.svgs[-1]["title"] = True
        if "style" in a and "background" in a["style"]:
            self.inline.append(a["style"])
        if tag == "text" and "fill" in a:
            self.svg_texts.append(a["fill"])
        if tag == "rect" and "fill" in a:
            self.svg_fills.add(a["fill"])
        if tag not in ("meta", "br", "rect", "line", "path"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if self.in_style:
            self.styles += data


def css_rules(css):
    """(selector, {property: value}) for each rule, media blocks flattened."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"@media[^{]*\{((?:[^{}]*\{[^{}]*\})*)\s*\}", r"\1", css)
    rules = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        properties = {}
        for declaration in body.split(";"):
            if ":" in declaration:
                key, value = declaration.split(":", 1)
                properties[key.strip()] = value.strip()
        rules.append((selector.strip(), properties))
    return rules


def colour_of(value):
    match = re.search(r"#[0-9a-fA-F]{3,6}\b|\bwhite\b|\bblack\b", value)
    return match.group(0) if match else None


def check(html):
    page = Page()
    page.feed(html)
    problems = list(page.problems)
    levels = page.headings
    if levels.count(1) != 1 or not levels or levels[0] != 1:
        problems.append(f"headings must start with one h1: {levels}")
    for before, after in zip(levels, levels[1:]):
        if after > before + 1:
            problems.append(f"heading level skips from h{before} to h{after}")
    for index, table in enumerate(page.tables):
        if table["th"] == 0 or table["scoped"] != table["th"]:
            problems.append(f"table {index + 1}: {table['th']} header cells, {table['scoped']} with a scope")
        if not (table["caption"] or table["heading"]):
            problems.append(f"table {index + 1} has no caption or heading")
    for index, svg in enumerate(page.svgs):
        a = svg["attributes"]
        labelled = a.get("aria-label") or (a.get("aria-labelledby") and all(i in page.ids for i in a["aria-labelledby"].split()))
        if a.get("role") != "img" or not labelled or not svg["title"]:
            problems.append(f"SVG {index + 1} lacks role=img, a title or a label")
    page_background = "#ffffff"
    rules = css_rules(page.styles)
    for selector, properties in rules:
        if selector.strip() in ("html", "body") and colour_of(properties.get("background", "")):
            page_background = colour_of(properties["background"])
    for selector, properties in rules:
        text = colour_of(properties.get("color", ""))
        if not text:
            continue
        background = colour_of(properties.get("background", properties.get("background-color", ""))) or page_background
        ratio = contrast(text, background)
        if ratio < 4.5:
            problems.append(f"{selector}: {text} on {background} is {ratio:.2f}:1")
        # A coloured text inside a box with its own background (the alert's heading).
        for other, others in rules:
            box = colour_of(others.get("background", ""))
            if box and other != selector and selector.startswith(other + " ") and contrast(text, box) < 4.5:
                problems.append(f"{selector}: {text} on {box} is {contrast(text, box):.2f}:1")
    badge = next((p for s, p in rules if s == ".badge"), {})
    for style in page.inline:
        background, text = colour_of(style), colour_of(badge.get("color", "#111111"))
        if background and contrast(text, background) < 4.5:
            problems.append(f"badge {text} on {background} is {contrast(text, background):.2f}:1")
    light = [f for f in page.svg_fills if luminance(f) > 0.5] or ["#ffffff"]
    dark = [f for f in page.svg_fills if luminance(f) <= 0.5]
    for fill in set(page.svg_texts):
        backgrounds = dark if luminance(fill) > 0.5 else light + ["#ffffff"]
        for background in backgrounds:
            if contrast(fill, background) < 4.5:
                problems.append(f"SVG text {fill} on {background} is {contrast(fill, background):.2f}:1")
    return problems


def main():
    binary = sys.argv[1]
    examples = sys.argv[2] if len(sys.argv) > 2 else "examples"
    passed = failed = 0
    plans = sorted(os.path.join(examples, f) for f in os.listdir(examples) if f.endswith(".regimen"))
    for plan in plans:
        html = subprocess.run([binary, "handout", plan], capture_output=True, text=True).stdout
        problems = check(html) if html else ["no page written"]
        if os.environ.get("CROSSCHECK_SABOTAGE"):  # proves the check can fail
            problems += check(html.replace("#111111", "#999999"))
        if problems:
            failed += 1
            print(f"{plan}:\n  " + "\n  ".join(sorted(set(problems))))
        else:
            passed += 1
    print(f"accessibility: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
