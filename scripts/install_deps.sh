#!/usr/bin/env bash
# Installs the Debian packages latentgeo needs, only those missing.
# Used by both README commands; safe to run again. `make` is for the test that
# configures with CMake's default generator (Unix Makefiles), as a user would.
# Package names given as arguments are installed too (scripts/api_docs.sh adds
# doxygen), so the README's commands do not install what only CI needs.
set -euo pipefail

packages=(g++ make cmake ninja-build pkg-config libopenblas-dev liblapacke-dev libboost-test-dev zlib1g-dev libpng-dev
          libcli11-dev "$@")
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
