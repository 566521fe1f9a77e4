#!/usr/bin/env bash
# cae_sampling --quick end to end: it must print its checks (closed-form and
# double-backward penalties agree, J J^T eps by vjp + jvp equals the closed
# form, sum s_i^2 = ||J||_F^2, every chain sample in [0, 1], training images
# beat uniform noise in the Parzen score; also for the swept sigma), its tables, and write results.csv,
# results.json and every picture. The Parzen rows are read back here, so a
# program that stopped checking would still be caught. Bad command lines must
# be refused. Skipped (exit 77) without MNIST. Usage: check_run.sh CAE_SAMPLING_BINARY
set -uo pipefail
source "$(dirname "$0")/../common/quick_check.sh"
quick_check_start cae_sampling "$1"

expect_refused "--sigma -1" "--steps 0" "--chains 5000" "--no-such-option"

run_quick --seed 3 --threads 1
expect_files results.csv results.json chains.png samples.png tangents.png spectrum.png parzen_bandwidth.png \
    mixing.png loss.png
expect_checks 7
if ! grep -qF '"passed": true' "$work/out/results.json"; then
  fail "results.json lacks \"passed\": true"
fi
# The Parzen table: the training images' mean must beat uniform noise's; the chains' samples must be finite.
train=$(awk '/^  training images as samples/ && NF == 9 { print $7 }' <<< "$output")
noise=$(awk '/^  uniform noise as samples/ && NF == 9 { print $7 }' <<< "$output")
ours=$(awk '/^  CAE chain samples/ && NF == 9 { print $7 }' <<< "$output")
if [ -z "$train" ] || [ -z "$noise" ] || [ -z "$ours" ]; then
  fail "the Parzen table is missing rows"
elif ! awk -v t="$train" -v n="$noise" -v c="$ours" 'BEGIN { exit !(t > n && c > n - 1e9 && c == c + 0) }'; then
  fail "Parzen scores train $train, noise $noise, chains $ours"
fi
# The published figures are printed beside ours.
for model in "stacked CAE" "DBN" "deep GSN" "GAN"; do
  if ! grep -q "^  $model.*published$" <<< "$output"; then
    fail "no published row for $model"
  fi
done
quick_check_finish
