#!/usr/bin/env bash
# train_autoencoder refuses out-of-range and malformed options before it looks
# for any data: each bad command line must exit nonzero with a short message
# that names the option and the value. Needs no dataset. Then a combination that
# must be accepted, --model contractive --body conv, trains for one epoch on 32
# MNIST images when MNIST is installed; when it is not, the run must get as far
# as looking for the data (its options accepted).
# Usage: check_options.sh TRAIN_AUTOENCODER_BINARY
set -uo pipefail
program=$1
failures=0

# expect_refusal EXPECTED_MESSAGE ARGUMENTS...
expect_refusal() {
  local expected=$1
  shift
  local output status
  output=$("$program" "$@" 2>&1)
  status=$?
  if [ "$status" -eq 0 ]; then
    echo "FAIL: train_autoencoder $* exited 0"
    failures=$((failures + 1))
  elif ! grep -qF -- "$expected" <<< "$output"; then
    echo "FAIL: train_autoencoder $*: expected \"$expected\", got:"
    echo "$output"
    failures=$((failures + 1))
  elif [ "$(wc -l <<< "$output")" -gt 3 ]; then
    echo "FAIL: train_autoencoder $*: the message is longer than 3 lines:"
    echo "$output"
    failures=$((failures + 1))
  else
    echo "ok: train_autoencoder $* -> $(head -n 1 <<< "$output")"
  fi
}

expect_refusal "--epochs must be at least 1, got 0" --epochs 0
expect_refusal "--latent must be at least 1, got 0" --latent 0
expect_refusal "--batch-size must be at least 1, got -5" --batch-size -5
expect_refusal "--seed must be at least 0, got -1" --seed -1
expect_refusal "--threads must be at least 1, got 0" --threads 0
expect_refusal "--limit must be at least 0, got -1" --limit -1
expect_refusal "--lr must be a positive finite number, got 0" --lr 0
expect_refusal "--lr must be a positive finite number, got nan" --lr nan
expect_refusal "--beta must be a finite number >= 0, got -1" --model vae --beta -1
expect_refusal "--beta must be a finite number >= 0, got inf" --model vae --beta inf
expect_refusal "--lambda must be a finite number >= 0, got -0.5" --model contractive --lambda -0.5
expect_refusal "--noise must be a finite sigma >= 0 for gaussian, got -0.1" \
  --model dae --noise-kind gaussian --noise -0.1
expect_refusal "--noise must be a fraction in [0, 1] for masking and salt-and-pepper, got 1.5" --model dae --noise 1.5
expect_refusal "--model" --model gan
expect_refusal "--body" --body transformer
expect_refusal "--noise-kind" --noise-kind pink
expect_refusal "--dataset" --dataset cifar
expect_refusal "--epochs" --epochs two

# expect_training ARGUMENTS...: exits 0, or fails only because the dataset is not installed.
expect_training() {
  local out output status
  out=$(mktemp -d)
  output=$("$program" "$@" --out "$out" 2>&1)
  status=$?
  rm -rf "$out"
  if [ "$status" -eq 0 ]; then
    echo "ok: train_autoencoder $* trained"
  elif grep -qF -- "was not found; tried:" <<< "$output"; then
    echo "ok: train_autoencoder $* accepted (no dataset here to train on)"
  else
    echo "FAIL: train_autoencoder $* exited $status:"
    echo "$output"
    failures=$((failures + 1))
  fi
}

expect_training --model contractive --body conv --dataset mnist --epochs 1 --limit 32 --batch-size 16 --threads 1

if ! "$program" --help > /dev/null; then
  echo "FAIL: train_autoencoder --help exited nonzero"
  failures=$((failures + 1))
fi
[ "$failures" -eq 0 ] && echo "all option checks passed"
exit "$failures"
