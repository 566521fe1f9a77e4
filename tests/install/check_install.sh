#!/usr/bin/env bash
# Installs latentgeo from a build tree into a temporary prefix, then builds and
# runs a small consumer with find_package(latentgeo CONFIG) and with pkg-config.
set -euo pipefail
build_dir=$1
source_dir=$(cd "$(dirname "$0")" && pwd)/consumer
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build_dir" --prefix "$work/prefix" > "$work/install.log"
cmake -S "$source_dir" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$work/prefix" > "$work/configure.log"
cmake --build "$work/cmake-build" > "$work/build.log"
"$work/cmake-build/consumer"
echo "find_package consumer: ok"

pc_dir=$(dirname "$(find "$work/prefix" -name latentgeo.pc | head -n 1)")
flags=$(PKG_CONFIG_PATH="$pc_dir" pkg-config --cflags --libs latentgeo)
g++ "$source_dir/main.cpp" $flags -o "$work/pkg-consumer"
"$work/pkg-consumer"
echo "pkg-config consumer: ok"
