#!/usr/bin/env bash
# README command two: install what is missing, build, run the whole test suite.
# The last line printed is ctest's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
bash scripts/fetch_data.sh
bash scripts/build.sh build -DLATENTGEO_WERROR=ON
cd build
ctest --output-on-failure --parallel "$(nproc)" --schedule-random 2>&1 | tail -n 200
exit "${PIPESTATUS[0]}"
