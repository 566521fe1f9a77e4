#!/usr/bin/env bash
# flat_embedding --quick end to end: it must train and measure every run (3
# manifolds x 2 samplers x lambda 0 and 1), print its table, write results.csv,
# results.json and every picture, and on the flat square with lambda > 0 the
# trained encoder's mean |ratio - 1| at the training scale must be below half of
# its initialisation's, and with lambda = 1 the held-out bending below a third of
# lambda = 0's (the program exits 1 otherwise, and checks more; this script reads
# results.csv again, so a program that stopped checking would still be caught).
# Bad command lines must be refused. Usage: check_run.sh FLAT_EMBEDDING_BINARY
set -uo pipefail
source "$(dirname "$0")/../common/quick_check.sh"
quick_check_start flat_embedding "$1"

expect_refused "--manifold torus" "--sampler grid" "--lambda -1" "--image-size 4" "--distortion cubic" \
    "--no-such-option"

run_quick --seed 3 --threads 1
for manifold in circle square sphere; do
  for file in "distortion_vs_scale_$manifold.png" "loss_$manifold.png" "interpolation_${manifold}_tangent.png" \
      "interpolation_${manifold}_neighbours.png" "codes_${manifold}_tangent_lambda0.png" \
      "codes_${manifold}_neighbours_lambda1.png"; do
    [ -s "$work/out/$file" ] || fail "$file was not written"
  done
done
expect_files results.csv results.json
rows=$(($(wc -l < "$work/out/results.csv") - 1))
[ "$rows" -eq 12 ] || fail "results.csv has $rows runs, expected 12"
# The square's runs with lambda > 0: mean_dev@1eps < init_mean_dev@1eps / 2; every lambda = 1 run: bending below a
# third of the lambda = 0 run's with the same manifold and sampler. Columns found by name.
bad_rows=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; ++i) column[$i] = i; next }
  $1 == "square" && $3 > 0 {
    seen++
    if (!($column["mean_dev@1eps"] < 0.5 * $column["init_mean_dev@1eps"])) print $2, $3, $column["mean_dev@1eps"]
  }
  END { if (seen != 2) print "expected 2 square rows with lambda > 0, saw", seen + 0 }' "$work/out/results.csv")
if [ -n "$bad_rows" ]; then
  fail "the square's distortion did not fall 2x below the initialisation's: $bad_rows"
fi
bad_bending=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; ++i) column[$i] = i; next }
  { bending[$1 " " $2 " " $3] = $column["bending"] }
  END {
    for (key in bending) {
      split(key, part, " ")
      if (part[3] != 1) continue
      flat = bending[part[1] " " part[2] " 0"]
      checked++
      if (!(bending[key] < flat / 3)) print key, bending[key], "vs", flat
    }
    if (checked != 6) print "expected 6 lambda = 1 rows, saw", checked + 0
  }' "$work/out/results.csv")
if [ -n "$bad_bending" ]; then
  fail "bending with lambda = 1 is not below a third of lambda = 0's: $bad_bending"
fi
quick_check_finish
