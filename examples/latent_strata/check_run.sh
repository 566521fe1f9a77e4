#!/usr/bin/env bash
# latent_strata --quick end to end: it must print its seed-independent checks
# (every rank at most its bound, min(C, HW - 1) = 48 for the channel factor;
# ranks growing as the tolerance shrinks; its rank counts equal to
# latent_stratum's; the library's kernel equal to the one used; the clean
# subspace at angle 0 to itself; finite PSNR), its three tables, and write
# every file. The subspace table's clean rows are read back here (angle 0).
# Bad command lines must be refused. Skipped (exit 77) without MNIST.
# Usage: check_run.sh LATENT_STRATA_BINARY
set -uo pipefail
program=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

for bad in "--epochs 0" "--dataset cifar" "--noise-levels -1" "--test-images 5" "--no-such-option"; do
  # shellcheck disable=SC2086
  if output=$("$program" --quick $bad --out "$work/bad" 2>&1); then
    echo "FAIL: latent_strata --quick $bad exited 0"
    failures=$((failures + 1))
  else
    echo "ok: $bad refused: $(head -n 1 <<< "$output")"
  fi
done

if ! output=$("$program" --quick --seed 5 --threads 1 --out "$work/out" 2>&1); then
  if grep -qF -- "was not found; tried:" <<< "$output"; then
    echo "skipped: MNIST is not installed here"
    [ "$failures" -eq 0 ] && exit 77
    exit "$failures"
  fi
  echo "FAIL: latent_strata --quick exited nonzero:"
  echo "$output"
  exit 1
fi
echo "$output"
for file in strata.csv summary.csv subspaces.csv psnr.csv results.json reconstructions.png ranks_conv_ae.png \
    ranks_denoising_ae.png ranks_vae_sample.png ranks_vae_mean.png strata.png angles.png psnr.png; do
  [ -s "$work/out/$file" ] || { echo "FAIL: $file was not written"; failures=$((failures + 1)); }
done
checks=$(grep -c '^  check: .* ok$' <<< "$output")
[ "$checks" -eq 7 ] || { echo "FAIL: expected 7 passed checks, got $checks"; failures=$((failures + 1)); }
if grep -q 'FAILED' <<< "$output"; then echo "FAIL: a check failed"; failures=$((failures + 1)); fi
for table in "^Strata of the mode covariances" "^Kernel PCA of the log-Euclidean" "^Reconstruction PSNR"; do
  grep -q "$table" <<< "$output" || { echo "FAIL: no table matching $table"; failures=$((failures + 1)); }
done
# Four latents (conv AE, denoising AE, VAE sample, VAE mean) x six noise levels in the subspace CSV, and the
# clean rows at angle 0.
rows=$(tail -n +2 "$work/out/subspaces.csv" | wc -l)
[ "$rows" -eq 24 ] || { echo "FAIL: subspaces.csv has $rows rows, expected 24"; failures=$((failures + 1)); }
if ! awk -F, 'NR > 1 && $4 == 0 && ($7 > 0.01 || $7 < 0) { bad = 1 } END { exit bad }' "$work/out/subspaces.csv"
then
  echo "FAIL: a clean subspace is not at angle 0 to itself"
  failures=$((failures + 1))
fi
# Every channel-factor rank in the histograms is at most 48.
if ! awk -F, 'NR > 1 && ($4 > 48 || $5 > 7 || $6 > 7) { bad = 1 } END { exit bad }' "$work/out/strata.csv"; then
  echo "FAIL: strata.csv holds a rank above its bound"
  failures=$((failures + 1))
fi
[ "$failures" -eq 0 ] && echo "latent_strata --quick ran end to end"
exit "$failures"
