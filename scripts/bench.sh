#!/usr/bin/env bash
# Runs the benchmarks and writes bench-results.json:
#   scripts/bench.sh            everything (a few minutes)
#   scripts/bench.sh --quick    fewer runs, no 100k-line inputs
#   scripts/bench.sh --front-end  only the lexer, parser, evaluator and checks on 1k–100k lines
#   scripts/bench.sh --start-up   only whole processes: regimen check and repl against an empty program
#   scripts/bench.sh --whole-tool only the knowledge base, a typical check, simulation and arrangement (in process and whole)
#   scripts/bench.sh --hostile    only the worst inputs (include mesh, every 1 min, 2^10 defines, ...): time and memory
#   scripts/bench.sh --batch      only regimen check DIR on 10,000 generated plans: plans a second and memory
set -euo pipefail
cd "$(dirname "$0")/.."

# Lua 5.4's compiler is the parse-throughput reference (Debian's lua5.4 package).
if ! command -v luac5.4 >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && apt-get install -y -qq lua5.4
  else
    echo "bench: install lua5.4 for the luac reference; going on without it" >&2
  fi
fi

# regimen as setup.sh builds it (Swift runtime linked in), the benchmark, and the empty program
# built the same way; then the empty program as a default release build, the second reference.
for product in regimen regimen-bench EmptyProgram; do swift build -c release --static-swift-stdlib --product "$product"; done
swift build -c release --build-path .build-dynamic --product EmptyProgram
# The arrangement's day problems, generated as the CP-SAT cross-check generates them.
rm -rf .build/arrange-problems
python3 Tests/crosscheck/arrange_cpsat.py --emit .build/arrange-problems 240
.build/release/regimen-bench "$@"
