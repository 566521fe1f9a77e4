#!/usr/bin/env bash
# Trains every model in docs/models.md with its default settings for a fixed
# number of epochs, and prints the table's rows (markdown) from each run's
# metrics.json, with the wall time of the whole run (training, evaluation and
# pictures) and the command that made it.
#
#   examples/train_autoencoder/models_table.sh BUILD_DIR OUT_DIR [EPOCHS] [THREADS] [DATASETS]
#     EPOCHS    passes over the training set (default 5)
#     THREADS   --threads of every run (default 1)
#     DATASETS  which datasets, in quotes (default "mnist fashion-mnist")
# Each run's output (pictures, metrics.json, checkpoint, log) goes to OUT_DIR/<dataset>-<model>-<body>[-binarized].
set -euo pipefail
build=${1:?usage: models_table.sh BUILD_DIR OUT_DIR [EPOCHS] [THREADS] [DATASETS]}
out=${2:?usage: models_table.sh BUILD_DIR OUT_DIR [EPOCHS] [THREADS] [DATASETS]}
epochs=${3:-5}
threads=${4:-1}
datasets=${5:-"mnist fashion-mnist"}
program=$build/examples/train_autoencoder
mkdir -p "$out"

# One row per line: model, body, extra flags.
runs=(
  "ae mlp"
  "ae conv"
  "dae mlp"
  "dae conv"
  "vae mlp"
  "vae conv"
  "vae mlp --binarize"
  "contractive mlp"
  "contractive conv"
)

# The value of "key": number in the text given, or "-".
field() { sed -nE "s/.*\"$1\": (-?[0-9.]+).*/\1/p" <<<"$2" | head -n 1 | grep . || echo "-"; }
# The number rounded to the given decimals, or "-".
fixed() { if [[ $2 == - ]]; then echo -; else printf "%.${1}f" "$2"; fi; }

echo "| model | body | dataset | test MSE / pixel | test ELBO (nats) | test IWAE k=50 (nats) | test penalty | epochs | wall (s) | command |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for dataset in $datasets; do
  for run in "${runs[@]}"; do
    read -r model body extra <<<"$run"
    [[ $extra == --binarize && $dataset != mnist ]] && continue
    name=$dataset-$model-$body${extra:+-binarized}
    command="train_autoencoder --model $model --body $body --dataset $dataset${extra:+ $extra} --epochs $epochs --threads $threads"
    start=$(date +%s%N)
    # shellcheck disable=SC2086  # $extra is a list of flags
    "$program" --model "$model" --body "$body" --dataset "$dataset" $extra --epochs "$epochs" --threads "$threads" \
      --out "$out/$name" >"$out/$name.log" 2>&1 || { echo "| $model | $body | $dataset | failed: see $out/$name.log |"; continue; }
    wall=$((($(date +%s%N) - start) / 1000000000))
    metrics=$(cat "$out/$name/metrics.json")
    last=$(grep "\"epoch\": $epochs," <<<"$metrics")
    test_terms=$(sed -nE 's/.*"test": \{([^}]*)\}.*/\1/p' <<<"$last")
    iwae=$(grep '"test_iwae"' <<<"$metrics" || true)
    echo "| $model | $body${extra:+ (binarised)} | $dataset | $(fixed 5 "$(field test_reconstruction_mse "$last")") |" \
      "$(fixed 2 "$(field test_elbo "$last")") | $(fixed 2 "$(field nats "$iwae")") |" \
      "$(fixed 3 "$(field penalty "$test_terms")") | $epochs | $wall | \`$command\` |"
  done
done
