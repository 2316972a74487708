#!/usr/bin/env bash
# Fuzzes with libFuzzer for SECONDS (default 60) per target:
#   scripts/fuzz.sh 600             both targets, 600 s each
#   scripts/fuzz.sh 600 fhir        one target: regimen (plan source through the whole pipeline)
#                                   or fhir (any bytes as a FHIR JSON file through import)
# Builds .build-fuzz/TARGET-fuzz from the core library's sources and Fuzz/*Target.swift with
# -sanitize=fuzzer,address, seeds the corpus with examples/ and the golden test inputs (FHIR:
# the golden FHIR files and the examples exported to FHIR), and stops at the first crash, hang
# (over 10 s) or memory error. Plan source is fuzzed up to 256 KB an input, past the 64 KB line
# limit and long lines' handling; FHIR up to 64 KB. A crashing input is copied to
# Tests/RegimenCoreTests/Golden/fuzz/ (plans) or Tests/RegimenCoreTests/Golden/fuzz-fhir/ (FHIR),
# where the tests keep it as a regression test (for plans, run the tests with UPDATE_GOLDEN=1 once
# to record its expected output).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
out=.build-fuzz
mkdir -p "$out"

# The knowledge base is compiled in from the Swift file SwiftPM generates for the core's
# embedded resources; building the core target makes it.
swift build --target RegimenCore >/dev/null
# The targets are compiled from a copy of the sources taken now, so that editing the tree during
# a run (the second target is built after the first has run) cannot break its build.
snapshot="$out/src"
rm -rf "$snapshot" && mkdir -p "$snapshot"
cp -Rp Sources/RegimenCore Sources/SystemFiles Fuzz "$snapshot/"
cp -p .build/debug/RegimenCore.build/DerivedSources/embedded_resources.swift "$snapshot/"
embedded="$snapshot/embedded_resources.swift"

fuzz_target() {
  local target="$1" source="$2" max_len="$3" keep="$4" extension="$5"
  local binary="$out/$target-fuzz"
  if [ ! -x "$binary" ] || [ -n "$(find "$snapshot" -newer "$binary" -name '*.swift' | head -1)" ]; then
    echo "fuzz: building $target (a few minutes on two cores)…"
    # The core imports SystemFiles: build it as a static library with its module first.
    mkdir -p "$out/modules"
    if [ ! -f "$out/libSystemFiles.a" ] || [ -n "$(find "$snapshot/SystemFiles" -newer "$out/libSystemFiles.a" -name "*.swift" | head -1)" ]; then
      swiftc -sanitize=address -parse-as-library -O -g -module-name SystemFiles -emit-library -static \
        -emit-module -emit-module-path "$out/modules/SystemFiles.swiftmodule" \
        "$snapshot"/SystemFiles/*.swift -o "$out/libSystemFiles.a"
    fi
    swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name RegimenCore -I "$out/modules" \
      $(find "$snapshot/RegimenCore" -name '*.swift' | sort) "$snapshot/$source" "$embedded" \
      "$out/libSystemFiles.a" -o "$binary"
  fi
  # Artifacts of earlier runs were kept as regression tests already; start with none.
  local artifacts="$out/artifacts-$target"
  rm -rf "$artifacts" && mkdir -p "$artifacts" "$out/corpus-$target"
  local status=0
  "$binary" "$out/corpus-$target" "$out/seeds-$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
    -max_len="$max_len" -artifact_prefix="$artifacts/" -print_final_stats=1 2>&1 | tail -25 || status=$?
  shopt -s nullglob
  local found=("$artifacts"/*)
  if [ ${#found[@]} -gt 0 ]; then
    mkdir -p "$keep"
    for artifact in "${found[@]}"; do
      cp "$artifact" "$keep/$(basename "$artifact").$extension"
      echo "fuzz: kept $keep/$(basename "$artifact").$extension as a regression test"
    done
    return 1
  fi
  [ "$status" -eq 0 ] && echo "fuzz: $target: no crash, hang or memory error in ${seconds} s"
  return "$status"
}

export ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1"
mkdir -p "$out/seeds-regimen" "$out/seeds-fhir"
find examples Tests/RegimenCoreTests/Golden -name '*.regimen' -size -64k -exec cp {} "$out/seeds-regimen/" \; 2>/dev/null || true
find Tests/RegimenCoreTests/Golden -name '*.json' -size -64k -exec cp {} "$out/seeds-fhir/" \; 2>/dev/null || true
targets=("${@:2}")
[ ${#targets[@]} -eq 0 ] && targets=(regimen fhir)
failed=0
for target in "${targets[@]}"; do
  case "$target" in
    regimen) fuzz_target regimen Fuzz/FuzzTarget.swift 262144 Tests/RegimenCoreTests/Golden/fuzz regimen || failed=1 ;;
    fhir) fuzz_target fhir Fuzz/FHIRFuzzTarget.swift 65536 Tests/RegimenCoreTests/Golden/fuzz-fhir json || failed=1 ;;
    *) echo "fuzz: unknown target $target (regimen or fhir)" >&2; exit 2 ;;
  esac
done
exit "$failed"
