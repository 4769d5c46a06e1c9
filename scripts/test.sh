#!/usr/bin/env bash
# The README's second command: set up, build, then run the whole test suite with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
ctest --test-dir "${TAPEGRID_BUILD_DIR:-build}" --output-on-failure -j "$(nproc)" --timeout 600
