#!/usr/bin/env bash
# train_strkm --quick end to end, on procedural sprites (no data to install): it
# must pass its seed-independent checks (||U^T U - I||_F <= 1e-5 after every
# Cayley ADAM step, Cov(H) diagonal after the recomputation, U orthonormal after
# it, every generated pixel in [0, 1]), print the comparison table with its three
# models and write results.csv, results.json and every picture. Bad command lines
# must be refused. Resume (docs/testing.md, G13): one epoch, stopped, then a
# second process resuming to two epochs must give the straight run's table,
# last losses and parameter sums (float64, 17 digits). Usage: check_run.sh TRAIN_STRKM_BINARY
set -uo pipefail
source "$(dirname "$0")/../common/quick_check.sh"
quick_check_start train_strkm "$1"

expect_refused "--capacity 0" "--epochs 0" "--dataset cifar" "--loss kl" "--no-such-option"

run_quick --seed 5 --threads 1
expect_files results.csv results.json traversals.png samples.png reconstructions.png loss.png strkm.ckpt vae.ckpt \
    beta_vae.ckpt
expect_checks 4
for model in "St-RKM" "VAE" "beta-VAE" "real training images"; do
  grep -q "^| $model | [0-9]" <<< "$output" || fail "no table row for $model"
done
# Every epoch line of the St-RKM reports the orthogonality error.
lines=$(grep -c '^St-RKM   epoch .* max ||U^T U - I||_F' <<< "$output")
[ "$lines" -eq 2 ] || fail "expected 2 St-RKM epoch lines, got $lines"

# Interrupted after one epoch, resumed by a new process to two.
half="$work/half"
if ! "$program" --quick --epochs 1 --seed 5 --threads 1 --out "$half" > /dev/null 2>&1; then
  fail "the one-epoch run exited nonzero"
elif ! resumed=$("$program" --quick --epochs 2 --seed 5 --threads 1 --resume --out "$half" 2>&1); then
  fail "the resumed run exited nonzero"
elif [ "$(grep -c 'resumed after epoch 1' <<< "$resumed")" -ne 3 ]; then
  fail "the resumed run did not read back its three checkpoints"
  echo "$resumed"
else
  # The second epoch's loss line (less its time and ETA) and the table must be the straight run's.
  last_epochs() { grep -E '^(St-RKM|VAE|beta-VAE) +epoch 2/2' | sed 's/  [0-9.]* s  ETA.*//'; }
  [ "$(last_epochs <<< "$output" | wc -l)" -eq 3 ] || fail "the straight run printed no second epoch for a model"
  [ "$(last_epochs <<< "$resumed")" = "$(last_epochs <<< "$output")" ] ||
    fail "the resumed run's second epoch differs from the straight run's"
  [ "$(grep '^| ' <<< "$resumed")" = "$(grep '^| ' <<< "$output")" ] ||
    fail "the resumed run's table differs from the straight run's"
  sums=$(grep -c '^  parameter sum of ' <<< "$output")
  [ "$sums" -eq 3 ] || fail "expected 3 parameter sums, got $sums"
  [ "$(grep '^  parameter sum of ' <<< "$resumed")" = "$(grep '^  parameter sum of ' <<< "$output")" ] ||
    fail "the resumed run's parameters differ from the straight run's"
fi
quick_check_finish
