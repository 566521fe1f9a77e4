#!/usr/bin/env bash
# Configures and builds latentgeo in build/ (or $1) with all cores.
# Extra arguments go to cmake.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
shift || true
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" > "$build_dir.configure.log" 2>&1 ||
  { cat "$build_dir.configure.log"; exit 1; }
cmake --build "$build_dir" --parallel "$(nproc)"
