#!/usr/bin/env python3
"""Validates Regimen's FHIR exports with the R4 (4.0.1) models of `fhir.resources` 6.4, an
implementation independent of Regimen and of the R4B models that validate_fhir.py uses.

fhir.resources 6.x needs pydantic 1 while the other cross-checks use pydantic 2, so
scripts/setup.sh installs it into its own folder (.build-python/fhir-r4) and this script runs
isolated from the site packages:

    PYTHONPATH=.build-python/fhir-r4 python3 -S validate_fhir_r4.py [--imports REGIMEN FOLDER]... BUNDLES...

Each BUNDLES folder holds exported Bundles (the golden ones of examples/). With --imports, every
FHIR file in FOLDER (HL7's R4 examples) is imported with `REGIMEN import --fhir`, and each plan that
was imported is exported again with `REGIMEN export --fhir` and validated too: what Regimen writes
from real records must be valid R4. Closes with "fhir r4: N passed, M failed".
"""
import json
import pathlib
import sys
import tempfile

import fhir.resources
from fhir.resources import construct_fhir_element
from fhir.resources.bundle import Bundle
from fhir_exports import bundles_of
from timing_invariants import timing_problems

if fhir.resources.__fhir_version__ != "4.0.1":
    sys.exit(f"fhir.resources {fhir.resources.__version__} models FHIR {fhir.resources.__fhir_version__}, not R4 4.0.1")


# Codes of R4's required bindings that the models leave unchecked (they type a code as a string):
# UnitsOfTime, EventTiming, DaysOfWeek (http://hl7.org/fhir/R4/valueset-units-of-time.html,
# valueset-event-timing.html, valueset-days-of-week.html) and MedicationRequest's status and intent.
UNITS_OF_TIME = {"s", "min", "h", "d", "wk", "mo", "a"}
EVENT_TIMING = {"MORN", "MORN.early", "MORN.late", "NOON", "AFT", "AFT.early", "AFT.late", "EVE", "EVE.early", "EVE.late",
                "NIGHT", "PHS", "HS", "WAKE", "C", "CM", "CD", "CV", "AC", "ACM", "ACD", "ACV", "PC", "PCM", "PCD", "PCV"}
DAYS_OF_WEEK = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
REQUEST_STATUS = {"active", "on-hold", "cancelled", "completed", "entered-in-error", "stopped", "draft", "unknown"}
REQUEST_INTENT = {"proposal", "plan", "order", "original-order", "reflex-order", "filler-order", "instance-order", "option"}


def binding_problems(resource):
    problems = []
    if resource.get("resourceType") == "MedicationRequest":
        if resource.get("status") not in REQUEST_STATUS:
            problems.append(f"MedicationRequest.status {resource.get('status')!r}")
        if resource.get("intent") not in REQUEST_INTENT:
            problems.append(f"MedicationRequest.intent {resource.get('intent')!r}")
    for dosage in resource.get("dosageInstruction", []) + (resource.get("dosage") or []):
        repeat = dosage.get("timing", {}).get("repeat", {})
        for key in ("periodUnit", "durationUnit"):
            if key in repeat and repeat[key] not in UNITS_OF_TIME:
                problems.append(f"Timing.repeat.{key} {repeat[key]!r}")
        problems += [f"Timing.repeat.when {code!r}" for code in repeat.get("when", []) if code not in EVENT_TIMING]
        problems += [f"Timing.repeat.dayOfWeek {day!r}" for day in repeat.get("dayOfWeek", []) if day not in DAYS_OF_WEEK]
    return problems


def problems_of(data):
    """What the R4 models refuse in a Bundle, and Timing invariants they leave to validators."""
    problems = []
    try:
        bundle = Bundle.parse_obj(data)
        if not any(entry.resource.resource_type in ("MedicationRequest", "MedicationStatement") for entry in bundle.entry or []):
            problems.append("no MedicationRequest or MedicationStatement")
    except Exception as error:  # the models' own validation error, reported as a failure
        problems.append(f"not a valid R4 Bundle: {error}")
    for entry in data.get("entry", []):
        problems += binding_problems(entry["resource"]) + timing_problems(entry["resource"])
    return problems


def main():
    args, resources = sys.argv[1:], []
    while args[:1] == ["--resources"]:
        resources += sorted(pathlib.Path(args[1]).glob("*.json"))
        args = args[2:]
    passed = failed = 0
    for path in resources:  # a resource on its own (a shipped StructureDefinition), by the R4 model of its type
        try:
            data = json.loads(path.read_text())
            construct_fhir_element(data["resourceType"], data)
            passed += 1
        except Exception as error:  # the model's own validation error, reported as a failure
            failed += 1
            print(f"FAILED {path.name}: not a valid R4 resource: {error}")
    with tempfile.TemporaryDirectory() as tmp:
        paths = bundles_of(args, tmp)
        for path in paths:
            problems = ["the export was not written"] if path is None or not path.exists() else problems_of(json.loads(path.read_text()))
            if problems:
                failed += 1
                print(f"FAILED {path.name if path else '?'}: " + "; ".join(problems)[:2000])
            else:
                passed += 1
    print(f"fhir r4: {passed} passed, {failed} failed")
    sys.exit(1 if failed or passed == 0 else 0)


if __name__ == "__main__":
    main()
