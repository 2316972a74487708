#!/usr/bin/env bash
# Runs the whole test suite: unit, golden and CLI tests (swift test), then the cross-checks
# against independent implementations (python-dateutil's rrule, the icalendar parser), then the
# REPL driven through a pseudo-terminal, hostile plans read back by icalendar, csv and json, the
# language server driven by pytest-lsp's client and by Neovim's built-in client, the calendar's
# identities and alarms, and the handout rendered by headless Chromium (text, pages, pixels) and
# checked for accessibility.
# UPDATE_GOLDEN=1 scripts/test.sh rewrites the golden files instead of comparing.
set -euo pipefail
cd "$(dirname "$0")/.."
swift test
python3 Tests/crosscheck/crosscheck.py .build/debug/regimen 60
python3 Tests/crosscheck/arrange_cpsat.py .build/debug/regimen 240
python3 Tests/crosscheck/ics_identity.py .build/debug/regimen
python3 Tests/crosscheck/travel_zones.py .build/debug/regimen \
  Tests/RegimenCoreTests/Golden/simulate/travel-time-zones.regimen:8 Tests/RegimenCoreTests/Golden/simulate/travel-time-zones-ics.regimen:6
python3 Tests/crosscheck/accessibility.py .build/debug/regimen examples
python3 Tests/crosscheck/handout.py .build/debug/regimen examples
python3 Tests/crosscheck/repl_pty.py .build/debug/regimen
python3 Tests/crosscheck/hostile.py .build/debug/regimen
python3 Tests/crosscheck/sarif_schema.py .build/debug/regimen
python3 Tests/crosscheck/validate_fhir.py Tests/RegimenCoreTests/Golden/fhir Tests/RegimenCoreTests/Golden/fhir-transaction Tests/RegimenCoreTests/Golden/fhir-roundtrip
python3 Tests/crosscheck/fhir_timing.py .build/debug/regimen Tests/RegimenCoreTests/Golden/fhir-hl7 Tests/RegimenCoreTests/Golden/fhir-nhs-dose-syntax
PYTHONPATH=.build-python/fhir-r4 python3 -S Tests/crosscheck/validate_fhir_r4.py --resources fhir/StructureDefinition \
  --imports .build/debug/regimen Tests/RegimenCoreTests/Golden/fhir-hl7 \
  --imports .build/debug/regimen Tests/RegimenCoreTests/Golden/fhir-nhs-dose-syntax Tests/RegimenCoreTests/Golden/fhir \
  Tests/RegimenCoreTests/Golden/fhir-transaction Tests/RegimenCoreTests/Golden/fhir-roundtrip
python3 Tests/crosscheck/validate_fhir_r4_spec.py .build-python/fhir-r4-spec --resources fhir/StructureDefinition \
  --imports .build/debug/regimen Tests/RegimenCoreTests/Golden/fhir-hl7 \
  --imports .build/debug/regimen Tests/RegimenCoreTests/Golden/fhir-nhs-dose-syntax Tests/RegimenCoreTests/Golden/fhir \
  Tests/RegimenCoreTests/Golden/fhir-transaction Tests/RegimenCoreTests/Golden/fhir-roundtrip
python3 Tests/crosscheck/textmate_scopes.py grammar/regimen.tmLanguage.json \
  $(find examples Tests/RegimenCoreTests/Golden/language Tests/RegimenCoreTests/Golden/checks Tests/RegimenCoreTests/Golden/readback Tests/RegimenCoreTests/Golden/simulate Tests/RegimenCoreTests/Golden/fhir-roundtrip -name '*.regimen') \
  Sources/RegimenCore/Knowledge/Base/*.regimen
python3 -m pytest -q -p no:cacheprovider Tests/crosscheck/lsp --regimen .build/debug/regimen
python3 Tests/crosscheck/nvim/nvim_lsp.py .build/debug/regimen
