#!/usr/bin/env bash
# README command one: install what is missing, build, and run the walkthrough.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
bash scripts/build.sh build
./build/examples/00_walkthrough
