#!/usr/bin/env bash
# latent_statistics end to end on a small model: train_autoencoder trains a conv
# VAE with a spatial latent for one epoch on 300 MNIST images, and
# latent_statistics must read its checkpoint (nothing told about the model),
# print every section and write its pictures and metrics. Bad command lines and a
# missing checkpoint must be refused with a message. Without MNIST installed the
# end-to-end part reports itself skipped (exit 77).
# Usage: check_run.sh TRAIN_AUTOENCODER_BINARY LATENT_STATISTICS_BINARY
set -uo pipefail
train=$1
statistics=$2
failures=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

expect_refusal() {
  local expected=$1
  shift
  local output
  if output=$("$statistics" "$@" 2>&1); then
    fail "latent_statistics $* exited 0"
  elif ! grep -qF -- "$expected" <<< "$output"; then
    echo "FAIL: latent_statistics $*: expected \"$expected\", got:"
    echo "$output"
    failures=$((failures + 1))
  else
    echo "ok: latent_statistics $* -> $(head -n 1 <<< "$output")"
  fi
}

expect_refusal "--checkpoint is required"
expect_refusal "no_such.lgc" --checkpoint "$work/no_such.lgc"
expect_refusal "--images" --checkpoint x --images 3

if ! output=$("$train" --model vae --body conv --spatial-latent --latent 4 --epochs 1 --limit 300 --batch-size 50 \
    --threads 1 --out "$work/model" 2>&1); then
  if grep -qF -- "was not found; tried:" <<< "$output"; then
    echo "skipped: MNIST is not installed here"
    [ "$failures" -eq 0 ] && exit 77
    exit "$failures"
  fi
  echo "FAIL: train_autoencoder exited nonzero:"
  echo "$output"
  exit 1
fi
if ! output=$("$statistics" --checkpoint "$work/model/checkpoint.lgc" --images 100 --samples 50 --noise 0.1 0.3 \
    --threads 1 --out "$work/stats" 2>&1); then
  echo "FAIL: latent_statistics exited nonzero:"
  echo "$output"
  exit 1
fi
for section in "a variational_autoencoder trained on mnist" "intrinsic dimension" "effective rank" \
    "strata (rank triples" "principal angles, clean vs noisy" "Parzen log-likelihood"; do
  if ! grep -qF -- "$section" <<< "$output"; then
    echo "FAIL: the output lacks \"$section\":"
    echo "$output"
    failures=$((failures + 1))
  fi
done
for file in spectrum.png angles.png samples.png metrics.json; do
  [ -s "$work/stats/$file" ] || { echo "FAIL: $file was not written"; failures=$((failures + 1)); }
done
[ "$failures" -eq 0 ] && echo "latent_statistics ran end to end"
exit "$failures"
