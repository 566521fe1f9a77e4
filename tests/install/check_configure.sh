#!/usr/bin/env bash
# The plain configure a user types, `cmake -S . -B build -DCMAKE_BUILD_TYPE=Release`,
# works with CMake's default generator (Unix Makefiles) and with Ninja, with the
# CUDA Toolkit or without it. Where a CUDA compiler is found, the CUDA part also
# builds with Makefiles; where CUDA cannot be configured, configure says so and
# goes on without it.
# Usage: check_configure.sh SOURCE_DIR
set -euo pipefail
source_dir=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# configure NAME [cmake arguments...]: configures into $work/NAME, prints the CUDA line.
configure() {
  local name=$1; shift
  if cmake -S "$source_dir" -B "$work/$name" -DCMAKE_BUILD_TYPE=Release "$@" > "$work/$name.log" 2>&1; then
    echo "$name: configured; $(grep -o 'latentgeo: CUDA backend.*' "$work/$name.log")"
  else
    echo "$name: FAILED to configure:"; cat "$work/$name.log"; failures=$((failures + 1))
  fi
}

configure makefiles -G "Unix Makefiles"
configure ninja -G Ninja
# A CUDA compiler that does not work, with CUDA asked for: configure must warn and build without CUDA.
CUDACXX=/bin/false configure broken-cuda -G "Unix Makefiles" -DLATENTGEO_WITH_CUDA=ON
if ! grep -q 'latentgeo: CUDA backend OFF' "$work/broken-cuda.log" 2>/dev/null; then
  echo "broken-cuda: expected the CUDA backend to be OFF"; failures=$((failures + 1))
fi

if grep -q 'latentgeo: CUDA backend ON' "$work/makefiles.log" 2>/dev/null; then
  if cmake --build "$work/makefiles" --target latentgeo_cuda > "$work/cuda-build.log" 2>&1; then
    echo "makefiles: the CUDA part builds"
  else
    echo "makefiles: the CUDA part FAILED to build:"; cat "$work/cuda-build.log"; failures=$((failures + 1))
  fi
else
  echo "no working CUDA compiler here: the CUDA build with Makefiles is not checked"
fi
exit $((failures > 0))
