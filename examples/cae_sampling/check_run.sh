#!/usr/bin/env bash
# cae_sampling --quick end to end: it must print its checks (closed-form and
# double-backward penalties agree, J J^T eps by vjp + jvp equals the closed
# form, sum s_i^2 = ||J||_F^2, every chain sample in [0, 1], training images
# beat uniform noise in the Parzen score; also for the swept sigma), its tables, and write results.csv,
# results.json and every picture. The Parzen rows are read back here, so a
# program that stopped checking would still be caught. Bad command lines must
# be refused. Skipped (exit 77) without MNIST. Usage: check_run.sh CAE_SAMPLING_BINARY
set -uo pipefail
program=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

for bad in "--sigma -1" "--steps 0" "--chains 5000" "--no-such-option"; do
  # shellcheck disable=SC2086
  if output=$("$program" --quick $bad --out "$work/bad" 2>&1); then
    echo "FAIL: cae_sampling --quick $bad exited 0"
    failures=$((failures + 1))
  else
    echo "ok: $bad refused: $(head -n 1 <<< "$output")"
  fi
done

if ! output=$("$program" --quick --seed 3 --threads 1 --out "$work/out" 2>&1); then
  if grep -qF -- "was not found; tried:" <<< "$output"; then
    echo "skipped: MNIST is not installed here"
    [ "$failures" -eq 0 ] && exit 77
    exit "$failures"
  fi
  echo "FAIL: cae_sampling --quick exited nonzero:"
  echo "$output"
  exit 1
fi
echo "$output"
for file in results.csv results.json chains.png samples.png tangents.png spectrum.png parzen_bandwidth.png \
    mixing.png loss.png; do
  [ -s "$work/out/$file" ] || { echo "FAIL: $file was not written"; failures=$((failures + 1)); }
done
checks=$(grep -c '^  check: .* ok$' <<< "$output")
[ "$checks" -eq 7 ] || { echo "FAIL: expected 7 passed checks, got $checks"; failures=$((failures + 1)); }
if grep -q 'FAILED' <<< "$output"; then echo "FAIL: a check failed"; failures=$((failures + 1)); fi
if ! grep -qF '"passed": true' "$work/out/results.json"; then
  echo "FAIL: results.json lacks \"passed\": true"
  failures=$((failures + 1))
fi
# The Parzen table: the training images' mean must beat uniform noise's; the chains' samples must be finite.
train=$(awk '/^  training images as samples/ && NF == 9 { print $7 }' <<< "$output")
noise=$(awk '/^  uniform noise as samples/ && NF == 9 { print $7 }' <<< "$output")
ours=$(awk '/^  CAE chain samples/ && NF == 9 { print $7 }' <<< "$output")
if [ -z "$train" ] || [ -z "$noise" ] || [ -z "$ours" ]; then
  echo "FAIL: the Parzen table is missing rows"
  failures=$((failures + 1))
elif ! awk -v t="$train" -v n="$noise" -v c="$ours" 'BEGIN { exit !(t > n && c > n - 1e9 && c == c + 0) }'; then
  echo "FAIL: Parzen scores train $train, noise $noise, chains $ours"
  failures=$((failures + 1))
fi
# The published figures are printed beside ours.
for model in "stacked CAE" "DBN" "deep GSN" "GAN"; do
  if ! grep -q "^  $model.*published$" <<< "$output"; then
    echo "FAIL: no published row for $model"
    failures=$((failures + 1))
  fi
done
[ "$failures" -eq 0 ] && echo "cae_sampling --quick ran end to end"
exit "$failures"
