#!/usr/bin/env python3
"""Validates every golden FHIR Bundle (one per example) with an independent FHIR implementation:
the `fhir.resources` package's R4B models (FHIR 4.3; MedicationRequest, Dosage and Timing are
as in R4 4.0.1). Also checks the FHIR invariants on Timing that the models leave to validators:
tim-9 (an offset needs a `when` that is not C/CM/CD/CV) and tim-10 (timeOfDay excludes when).

Usage: validate_fhir.py FOLDER... Closes with "fhir: N passed, M failed".
"""
import json
import pathlib
import sys

from fhir.resources.R4B.bundle import Bundle
from timing_invariants import timing_problems

passed = failed = 0
for path in sorted(path for folder in sys.argv[1:] for path in pathlib.Path(folder).glob("*.json")):
    problems = []
    data = json.loads(path.read_text())
    try:
        bundle = Bundle.model_validate(data)
        kinds = [entry.resource.get_resource_type() for entry in bundle.entry]
        if "MedicationRequest" not in kinds:
            problems.append("no MedicationRequest")
    except Exception as error:  # the model's own validation error, reported as a failure
        problems.append(f"not a valid Bundle: {error}")
    for entry in data.get("entry", []):
        problems += timing_problems(entry["resource"])
        for dosage in entry["resource"].get("dosageInstruction", []):
            if not dosage.get("text"):
                problems.append("a dosage without text")
    if problems:
        failed += 1
        print(f"FAILED {path.name}: " + "; ".join(problems))
    else:
        passed += 1
print(f"fhir: {passed} passed, {failed} failed")
sys.exit(1 if failed or passed == 0 else 0)
