"""The FHIR R4 invariants on Timing that the fhir.resources models leave to validators, shared by
validate_fhir.py (R4B models) and validate_fhir_r4.py (R4 models):
tim-9, an offset needs a `when` that is not C, CM, CD or CV; tim-10, timeOfDay excludes when
(http://hl7.org/fhir/R4/datatypes.html#Timing)."""


def timing_problems(resource):
    """The tim-9 and tim-10 breaches in a resource's dosage instructions, as messages."""
    problems = []
    for dosage in resource.get("dosageInstruction", []):
        repeat = dosage.get("timing", {}).get("repeat", {})
        if "offset" in repeat and (not repeat.get("when") or set(repeat["when"]) & {"C", "CM", "CD", "CV"}):
            problems.append(f"tim-9 broken in {dosage.get('text')}")
        if repeat.get("timeOfDay") and repeat.get("when"):
            problems.append(f"tim-10 broken in {dosage.get('text')}")
    return problems
