#!/usr/bin/env bash
# latent_geodesics end to end at a small size: one epoch of training, a coarse
# magnification map, short curves; it must print the lengths table and write its
# pictures, and no geodesic may be longer than its straight line (the solver
# starts from the straight line and only lowers the energy). Run twice: with the
# default metric (the decoder's mean) and with --metric gaussian (the mean and
# the RBF variance head). Skipped (exit 77) without MNIST.
# Usage: check_run.sh LATENT_GEODESICS_BINARY
set -uo pipefail
program=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
for metric in bernoulli gaussian; do
  out="$work/$metric"
  if ! output=$("$program" --metric "$metric" --epochs 1 --images 300 --grid 8 --points 6 --iterations 60 --pairs 2 \
      --threads 1 --out "$out" 2>&1); then
    if grep -qF -- "was not found; tried:" <<< "$output"; then
      echo "skipped: MNIST is not installed here"
      exit 77
    fi
    echo "FAIL ($metric): latent_geodesics exited nonzero:"
    echo "$output"
    exit 1
  fi
  for file in geodesics.png strips.png metrics.json; do
    [ -s "$out/$file" ] || { echo "FAIL ($metric): $file was not written"; failures=$((failures + 1)); }
  done
  grep -qF "\"metric\": \"$metric\"" "$out/metrics.json" ||
    { echo "FAIL ($metric): metrics.json does not name the metric"; failures=$((failures + 1)); }
  # Rows of the table: pair, a, ->, b, straight, geodesic, ratio.
  ratios=$(awk '$3 == "->" && NF == 7 { print $7 }' <<< "$output")
  if [ -z "$ratios" ]; then
    echo "FAIL ($metric): no lengths table in the output:"
    echo "$output"
    failures=$((failures + 1))
  fi
  for ratio in $ratios; do
    if ! awk -v r="$ratio" 'BEGIN { exit !(r <= 1.0001) }'; then
      echo "FAIL ($metric): a geodesic is longer than its straight line (ratio $ratio)"
      failures=$((failures + 1))
    fi
  done
  [ "$failures" -eq 0 ] && echo "latent_geodesics --metric $metric ran end to end: ratios" $ratios
done
exit "$failures"
