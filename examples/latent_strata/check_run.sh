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
source "$(dirname "$0")/../common/quick_check.sh"
quick_check_start latent_strata "$1"

expect_refused "--epochs 0" "--dataset cifar" "--noise-levels -1" "--test-images 5" "--no-such-option"

run_quick --seed 5 --threads 1
expect_files strata.csv summary.csv subspaces.csv psnr.csv results.json reconstructions.png ranks_conv_ae.png \
    ranks_denoising_ae.png ranks_vae_sample.png ranks_vae_mean.png strata.png angles.png psnr.png
expect_checks 7
for table in "^Strata of the mode covariances" "^Kernel PCA of the log-Euclidean" "^Reconstruction PSNR"; do
  grep -q "$table" <<< "$output" || fail "no table matching $table"
done
# Four latents (conv AE, denoising AE, VAE sample, VAE mean) x six noise levels in the subspace CSV, and the
# clean rows at angle 0.
rows=$(tail -n +2 "$work/out/subspaces.csv" | wc -l)
[ "$rows" -eq 24 ] || fail "subspaces.csv has $rows rows, expected 24"
if ! awk -F, 'NR > 1 && $4 == 0 && ($7 > 0.01 || $7 < 0) { bad = 1 } END { exit bad }' "$work/out/subspaces.csv"
then
  fail "a clean subspace is not at angle 0 to itself"
fi
# Every channel-factor rank in the histograms is at most 48.
if ! awk -F, 'NR > 1 && ($4 > 48 || $5 > 7 || $6 > 7) { bad = 1 } END { exit bad }' "$work/out/strata.csv"; then
  fail "strata.csv holds a rank above its bound"
fi
quick_check_finish
