#!/usr/bin/env bash
# Fuzzes the whole pipeline with libFuzzer for SECONDS (default 60):
#   scripts/fuzz.sh 600
# Builds .build-fuzz/regimen-fuzz from the core library's sources and Fuzz/FuzzTarget.swift with
# -sanitize=fuzzer,address, seeds the corpus with examples/, the golden test inputs and the FHIR
# examples, and
# stops at the first crash, hang (over 10 s) or memory error. A crashing input is copied to
# Tests/RegimenCoreTests/Golden/fuzz/, where the golden tests keep it as a regression test
# (run the tests with UPDATE_GOLDEN=1 once to record its expected output).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
out=.build-fuzz
mkdir -p "$out/corpus" "$out/seeds"
# Artifacts of earlier runs were kept as regression tests already; start with none.
rm -rf "$out/artifacts" && mkdir -p "$out/artifacts"

# The knowledge base is compiled in from the Swift file SwiftPM generates for the core's
# embedded resources; building the core target makes it.
swift build --target RegimenCore >/dev/null
embedded=.build/debug/RegimenCore.build/DerivedSources/embedded_resources.swift

if [ ! -x "$out/regimen-fuzz" ] || [ -n "$(find Sources/RegimenCore Sources/SystemFiles Fuzz -newer "$out/regimen-fuzz" -name '*.swift' -o -newer "$out/regimen-fuzz" -name '*.regimen' | head -1)" ]; then
  echo "fuzz: building (a few minutes on two cores)…"
  # The core imports SystemFiles: build it as a static library with its module first.
  mkdir -p "$out/modules"
  swiftc -sanitize=address -parse-as-library -O -g -module-name SystemFiles -emit-library -static \
    -emit-module -emit-module-path "$out/modules/SystemFiles.swiftmodule" \
    Sources/SystemFiles/*.swift -o "$out/libSystemFiles.a"
  swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name RegimenCore -I "$out/modules" \
    $(find Sources/RegimenCore -name '*.swift' | sort) Fuzz/FuzzTarget.swift "$embedded" \
    "$out/libSystemFiles.a" -o "$out/regimen-fuzz"
fi

find examples Tests/RegimenCoreTests/Golden -name '*.regimen' -size -64k -exec cp {} "$out/seeds/" \; 2>/dev/null || true
# FHIR files too: HL7's and the NHS guide's examples, the exported Bundles and the hostile FHIR files,
# which the target also imports.
find Tests/RegimenCoreTests/Golden/fhir Tests/RegimenCoreTests/Golden/fhir-hl7 Tests/RegimenCoreTests/Golden/fhir-nhs-dose-syntax Tests/RegimenCoreTests/Golden/fhir-hostile \
  -name '*.json' -size -64k -exec cp {} "$out/seeds/" \; 2>/dev/null || true

export ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1"
status=0
"$out/regimen-fuzz" "$out/corpus" "$out/seeds" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
  -max_len=16384 -artifact_prefix="$out/artifacts/" -print_final_stats=1 2>&1 | tail -25 || status=$?

shopt -s nullglob
found=("$out"/artifacts/*)
if [ ${#found[@]} -gt 0 ]; then
  mkdir -p Tests/RegimenCoreTests/Golden/fuzz
  for artifact in "${found[@]}"; do
    name="$(basename "$artifact")"
    cp "$artifact" "Tests/RegimenCoreTests/Golden/fuzz/${name}.regimen"
    echo "fuzz: kept $name as Tests/RegimenCoreTests/Golden/fuzz/${name}.regimen"
  done
  exit 1
fi
[ "$status" -eq 0 ] && echo "fuzz: no crash, hang or memory error in ${seconds} s"
exit "$status"
