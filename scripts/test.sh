#!/usr/bin/env bash
# Runs the whole test suite: unit, golden and CLI tests (swift test), then the cross-checks
# against independent implementations (python-dateutil's rrule, the icalendar parser), then the
# REPL driven through a pseudo-terminal, then hostile plans read back by icalendar, csv and json.
# UPDATE_GOLDEN=1 scripts/test.sh rewrites the golden files instead of comparing.
set -euo pipefail
cd "$(dirname "$0")/.."
swift test
python3 Tests/crosscheck/crosscheck.py .build/debug/regimen 60
python3 Tests/crosscheck/repl_pty.py .build/debug/regimen
python3 Tests/crosscheck/hostile.py .build/debug/regimen
python3 Tests/crosscheck/sarif_schema.py .build/debug/regimen
python3 Tests/crosscheck/validate_fhir.py Tests/RegimenCoreTests/Golden/fhir
python3 Tests/crosscheck/textmate_scopes.py grammar/regimen.tmLanguage.json \
  $(find examples Tests/RegimenCoreTests/Golden/language Tests/RegimenCoreTests/Golden/checks -name '*.regimen') \
  Sources/RegimenCore/Knowledge/Base/*.regimen
