#!/usr/bin/env bash
# why_autoencoders_work --quick end to end: it must print its table and the
# Borsuk-Ulam pairs, write results.csv, results.json and every picture, and for
# k = 1 the larger error of each circle's Borsuk-Ulam pair must be >= r (the
# program exits 1 otherwise; this script reads the printed rows again, so a
# program that stopped checking would still be caught). Bad command lines must
# be refused. Usage: check_run.sh WHY_AUTOENCODERS_WORK_BINARY
set -uo pipefail
source "$(dirname "$0")/../common/quick_check.sh"
quick_check_start why_autoencoders_work "$1"

expect_refused "--grid 1001" "--widths 0" "--steps -3" "--no-such-option"

run_quick --seed 3 --threads 1
expect_files results.csv results.json circles_k1_w16.png circles_k2_w16.png error_vs_arclength.png \
    error_k1_widths.png code_k1.png code_k2.png loss.png
# results.csv: a header and one row per run (k = 1, 2 at width 16).
rows=$(($(wc -l < "$work/out/results.csv") - 1))
[ "$rows" -eq 2 ] || fail "results.csv has $rows runs, expected 2"
if ! grep -qF '"bound_holds": true' "$work/out/results.json"; then
  fail "results.json lacks \"bound_holds\": true"
fi
# The Borsuk-Ulam rows: width, C1|C2, zeros, t*, F(x), F(x'), |D - x|, |D - x'|, verdict (r = 1 here).
pairs=$(awk '$2 ~ /^C[12]$/ && NF == 9 { print $7, $8 }' <<< "$output")
count=$(grep -c . <<< "$pairs")
[ "$count" -eq 2 ] || fail "expected 2 Borsuk-Ulam rows, got $count"
while read -r e1 e2; do
  [ -z "$e1" ] && continue
  if ! awk -v a="$e1" -v b="$e2" 'BEGIN { m = a > b ? a : b; exit !(m >= 1 - 1e-5) }'; then
    fail "a Borsuk-Ulam pair has errors $e1 and $e2, both below r = 1"
  fi
done <<< "$pairs"
quick_check_finish
