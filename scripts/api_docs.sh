#!/usr/bin/env bash
# The API reference: Doxygen over the public headers (settings in docs/Doxyfile)
# into build-docs/html/index.html. Fails, printing them, on any Doxygen warning,
# so that the headers' comments stay well-formed, and on any public class or
# function without a comment of its own, its one-line contract. Installs doxygen
# when missing.
#   bash scripts/api_docs.sh                  build the reference and check
#   bash scripts/api_docs.sh --undocumented   also list every undocumented one
set -euo pipefail
cd "$(dirname "$0")/.."
command -v doxygen > /dev/null || bash scripts/install_deps.sh doxygen

rm -rf build-docs
mkdir -p build-docs
doxygen docs/Doxyfile
if [ -s build-docs/warnings.log ]; then
  echo "Doxygen warnings in the public headers ($(wc -l < build-docs/warnings.log)):"
  sed "s|^$PWD/||" build-docs/warnings.log
  exit 1
fi
echo "API reference: build-docs/html/index.html (0 Doxygen warnings)"

# The same run with undocumented entities left out and reported; defaulted and
# deleted special members need no comment.
{ cat docs/Doxyfile
  echo "EXTRACT_ALL = NO"
  echo "WARN_IF_UNDOCUMENTED = YES"
  echo "OUTPUT_DIRECTORY = build-docs/undocumented"
  echo "WARN_LOGFILE = build-docs/undocumented.log"
} | doxygen -
entries=$(sed "s|^$PWD/||" build-docs/undocumented.log | grep -E '\(function\)|Compound' |
  grep -vE '=(default|delete)' | sort -u -t: -k1,2 || true)
count=$(grep -c . <<< "$entries" || true)
echo "Public classes and functions with no comment of their own: $count"
if [ "$count" -gt 0 ]; then
  awk -F: '{print $1}' <<< "$entries" | sort | uniq -c | sort -rn
  if [ "${1:-}" = "--undocumented" ]; then
    echo "Each one (header:line):"
    sed -E 's/: warning: (Member|Compound) / /; s/ is not documented\.$//' <<< "$entries"
  fi
  exit 1
fi
