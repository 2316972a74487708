#!/usr/bin/env bash
# Runs the whole test suite: unit, golden and CLI tests.
# UPDATE_GOLDEN=1 scripts/test.sh rewrites the golden files instead of comparing.
set -euo pipefail
cd "$(dirname "$0")/.."
swift test
