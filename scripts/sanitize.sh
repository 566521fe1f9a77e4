#!/usr/bin/env bash
# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer (docs/testing.md, G9
# sanitizer-clean suite). Warnings are errors in the Release build (scripts/test.sh); here
# GCC 12's instrumented code raises false maybe-uninitialized warnings inside libstdc++,
# so they are not.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
bash scripts/build.sh build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLATENTGEO_SANITIZE=ON \
  -DLATENTGEO_BUILD_BENCH=OFF -DLATENTGEO_BUILD_EXAMPLES=OFF -DLATENTGEO_WITH_CUDA=OFF
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LATENTGEO_SANITIZED=1
cd build-sanitize
ctest --output-on-failure --parallel "$(nproc)" 2>&1 | tail -n 100
exit "${PIPESTATUS[0]}"
