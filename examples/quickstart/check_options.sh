#!/usr/bin/env bash
# The quickstart refuses out-of-range and malformed options before it looks for
# any data: each bad command line must exit nonzero with a short message that
# names the option and the value. Needs no dataset.
# Usage: check_options.sh QUICKSTART_BINARY
set -uo pipefail
quickstart=$1
failures=0

# expect_refusal EXPECTED_MESSAGE ARGUMENTS...
expect_refusal() {
  local expected=$1
  shift
  local output status
  output=$("$quickstart" "$@" 2>&1)
  status=$?
  if [ "$status" -eq 0 ]; then
    echo "FAIL: quickstart $* exited 0"
    failures=$((failures + 1))
  elif ! grep -qF -- "$expected" <<< "$output"; then
    echo "FAIL: quickstart $*: expected \"$expected\", got:"
    echo "$output"
    failures=$((failures + 1))
  elif [ "$(wc -l <<< "$output")" -gt 3 ]; then
    echo "FAIL: quickstart $*: the message is longer than 3 lines:"
    echo "$output"
    failures=$((failures + 1))
  else
    echo "ok: quickstart $* -> $(head -n 1 <<< "$output")"
  fi
}

expect_refusal "--epochs must be at least 1, got -1" --epochs -1
expect_refusal "--epochs must be at least 1, got 0" --epochs 0
expect_refusal "--latent must be at least 1, got 0" --latent 0
expect_refusal "--batch-size must be at least 1, got -5" --batch-size -5
expect_refusal "--seed must be at least 0, got -1" --seed -1
expect_refusal "--threads must be at least 1, got 0" --threads 0
expect_refusal "--lr must be a positive finite number, got -0.001" --lr -0.001
expect_refusal "--lr must be a positive finite number, got 0" --lr 0
expect_refusal "--lr must be a positive finite number, got inf" --lr inf
expect_refusal "--lr must be a positive finite number, got nan" --lr nan
expect_refusal "--epochs" --epochs two
expect_refusal "--dataset" --dataset cifar

if ! "$quickstart" --help > /dev/null; then
  echo "FAIL: quickstart --help exited nonzero"
  failures=$((failures + 1))
fi
[ "$failures" -eq 0 ] && echo "all option checks passed"
exit "$failures"
