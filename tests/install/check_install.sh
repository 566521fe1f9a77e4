#!/usr/bin/env bash
# Installs latentgeo from a build tree into a temporary prefix, then builds and
# runs a small consumer with find_package(latentgeo CONFIG) and with pkg-config.
# The consumer is configured with the generator, make program and compiler of
# the build that runs this test, so it needs nothing that build did not need.
# Usage: check_install.sh BUILD_DIR GENERATOR MAKE_PROGRAM CXX_COMPILER
set -euo pipefail
build_dir=$1 generator=$2 make_program=$3 cxx=$4
source_dir=$(cd "$(dirname "$0")" && pwd)/consumer
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Runs a step quietly, printing its log only when it fails.
quietly() {
  local log=$1; shift
  "$@" > "$log" 2>&1 || { echo "failed: $*"; cat "$log"; return 1; }
}

quietly "$work/install.log" cmake --install "$build_dir" --prefix "$work/prefix"
quietly "$work/configure.log" cmake -S "$source_dir" -B "$work/cmake-build" -G "$generator" \
  -DCMAKE_MAKE_PROGRAM="$make_program" -DCMAKE_CXX_COMPILER="$cxx" -DCMAKE_PREFIX_PATH="$work/prefix"
quietly "$work/build.log" cmake --build "$work/cmake-build"
"$work/cmake-build/consumer"
echo "find_package consumer: ok"

pc_dir=$(dirname "$(find "$work/prefix" -name latentgeo.pc | head -n 1)")
flags=$(PKG_CONFIG_PATH="$pc_dir" pkg-config --cflags --libs latentgeo)
"$cxx" "$source_dir/main.cpp" $flags -o "$work/pkg-consumer"
"$work/pkg-consumer"
echo "pkg-config consumer: ok"
