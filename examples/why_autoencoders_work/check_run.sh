#!/usr/bin/env bash
# why_autoencoders_work --quick end to end: it must print its table and the
# Borsuk-Ulam pairs, write results.csv, results.json and every picture, and for
# k = 1 the larger error of each circle's Borsuk-Ulam pair must be >= r (the
# program exits 1 otherwise; this script reads the printed rows again, so a
# program that stopped checking would still be caught). Bad command lines must
# be refused. Usage: check_run.sh WHY_AUTOENCODERS_WORK_BINARY
set -uo pipefail
program=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

for bad in "--grid 1001" "--widths 0" "--steps -3" "--no-such-option"; do
  # shellcheck disable=SC2086
  if output=$("$program" --quick $bad --out "$work/bad" 2>&1); then
    echo "FAIL: why_autoencoders_work --quick $bad exited 0"
    failures=$((failures + 1))
  else
    echo "ok: $bad refused: $(head -n 1 <<< "$output")"
  fi
done

if ! output=$("$program" --quick --seed 3 --threads 1 --out "$work/out" 2>&1); then
  echo "FAIL: why_autoencoders_work --quick exited nonzero:"
  echo "$output"
  exit 1
fi
echo "$output"
for file in results.csv results.json circles_k1_w16.png circles_k2_w16.png error_vs_arclength.png \
    error_k1_widths.png code_k1.png code_k2.png loss.png; do
  [ -s "$work/out/$file" ] || { echo "FAIL: $file was not written"; failures=$((failures + 1)); }
done
# results.csv: a header and one row per run (k = 1, 2 at width 16).
rows=$(($(wc -l < "$work/out/results.csv") - 1))
[ "$rows" -eq 2 ] || { echo "FAIL: results.csv has $rows runs, expected 2"; failures=$((failures + 1)); }
if ! grep -qF '"bound_holds": true' "$work/out/results.json"; then
  echo "FAIL: results.json lacks \"bound_holds\": true"
  failures=$((failures + 1))
fi
# The Borsuk-Ulam rows: width, C1|C2, zeros, t*, F(x), F(x'), |D - x|, |D - x'|, verdict (r = 1 here).
pairs=$(awk '$2 ~ /^C[12]$/ && NF == 9 { print $7, $8 }' <<< "$output")
count=$(grep -c . <<< "$pairs")
[ "$count" -eq 2 ] || { echo "FAIL: expected 2 Borsuk-Ulam rows, got $count"; failures=$((failures + 1)); }
while read -r e1 e2; do
  [ -z "$e1" ] && continue
  if ! awk -v a="$e1" -v b="$e2" 'BEGIN { m = a > b ? a : b; exit !(m >= 1 - 1e-5) }'; then
    echo "FAIL: a Borsuk-Ulam pair has errors $e1 and $e2, both below r = 1"
    failures=$((failures + 1))
  fi
done <<< "$pairs"
[ "$failures" -eq 0 ] && echo "why_autoencoders_work --quick ran end to end"
exit "$failures"
