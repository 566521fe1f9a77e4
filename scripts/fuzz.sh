#!/usr/bin/env bash
# docs/testing.md, G8 fuzzing: builds the libFuzzer harnesses with clang-14 in build-fuzz
# (only the fuzz targets, the library instrumented with ASan + UBSan) and runs each one
# for FUZZ_SECONDS (60; the round trip 1.5x) on a copy of its seed corpus plus every
# regression input. Prints each harness's execution count; fails on any crash, leak,
# timeout or out-of-memory, and leaves the crashing input in build-fuzz/artifacts/ (copy
# it into fuzz/regressions/ so the replay test keeps it fixed).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-60}
build_dir=build-fuzz
harnesses=(idx_fuzzer idx_gz_fuzzer checkpoint_fuzzer checkpoint_roundtrip_fuzzer)
declare -A corpus_of=([idx_fuzzer]=fuzz/corpus/idx [idx_gz_fuzzer]=fuzz/corpus/idx
                      [checkpoint_fuzzer]=fuzz/corpus/checkpoint [checkpoint_roundtrip_fuzzer]=fuzz/corpus/checkpoint)
# The round-trip harness does the most per input (a save and a load): 1.5x the time, so that it too
# passes 10^6 executions on a shared 2-core machine (0.87-0.97 million in 60 s measured there).
declare -A seconds_of=([idx_fuzzer]=$seconds [idx_gz_fuzzer]=$seconds [checkpoint_fuzzer]=$seconds
                       [checkpoint_roundtrip_fuzzer]=$((seconds * 3 / 2)))

cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER=clang++-14 \
  -DLATENTGEO_BUILD_FUZZERS=ON -DLATENTGEO_WITH_CUDA=OFF -DLATENTGEO_BUILD_TESTS=OFF \
  -DLATENTGEO_BUILD_EXAMPLES=OFF -DLATENTGEO_BUILD_BENCH=OFF > "$build_dir.configure.log" 2>&1 ||
  { cat "$build_dir.configure.log"; exit 1; }
cmake --build "$build_dir" --target "${harnesses[@]}"

work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT
mkdir -p "$build_dir/artifacts"
# One harness per core, two at a time.
run_harness() {
  local harness=$1 corpus=$work/corpus-$1 log=$build_dir/artifacts/$1.log status=0
  mkdir -p "$corpus"
  cp -- "${corpus_of[$harness]}"/* fuzz/regressions/* "$corpus"/
  "$build_dir/fuzz/$harness" -max_total_time="${seconds_of[$harness]}" -rss_limit_mb=1024 -malloc_limit_mb=256 -timeout=5 \
    -print_final_stats=1 -artifact_prefix="$build_dir/artifacts/$harness-" "$corpus" > "$log" 2>&1 || status=$?
  echo "$status" > "$work/$harness.status"
}
for ((i = 0; i < ${#harnesses[@]}; i += 2)); do
  run_harness "${harnesses[i]}" &
  [ $((i + 1)) -lt ${#harnesses[@]} ] && run_harness "${harnesses[i + 1]}" &
  wait
done
failed=0
for harness in "${harnesses[@]}"; do
  log=$build_dir/artifacts/$harness.log
  status=$(cat "$work/$harness.status")
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  if [ "$status" -ne 0 ]; then
    failed=1
    tail -n 40 "$log"
    echo "fuzz.sh: $harness FAILED (exit $status) after ${runs:-?} executions; input in $build_dir/artifacts/$harness-*"
  else
    echo "fuzz.sh: $harness: ${runs:-?} executions in ${seconds_of[$harness]} s, no crash (log: $log)"
  fi
done
exit "$failed"
