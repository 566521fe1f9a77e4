#!/usr/bin/env bash
# The plain CPU kernels alone (LATENTGEO_FAST_KERNELS=OFF: no autograd/backend/cpu/fast/), built
# and run through the whole suite but the install checks, which do not depend on the kernels. The
# default build runs the fast kernels and tests them against the plain ones (tests/fast_kernels/);
# this build proves the plain path stands on its own. Ends with ctest's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
bash scripts/build.sh build-plain -DLATENTGEO_FAST_KERNELS=OFF -DLATENTGEO_WERROR=ON -DLATENTGEO_WITH_CUDA=OFF \
  -DLATENTGEO_BUILD_BENCH=OFF -DLATENTGEO_BUILD_EXAMPLES=OFF
cd build-plain
ctest --output-on-failure --parallel "$(nproc)" --label-exclude install 2>&1 | tail -n 100
exit "${PIPESTATUS[0]}"
