# The steps every paper program's check_run.sh shares, sourced by it:
#
#   source "$(dirname "$0")/../common/quick_check.sh"
#   quick_check_start cae_sampling "$1"        # $name, $program, $work (removed on exit), $failures = 0
#   expect_refused "--sigma -1" "--steps 0"    # each bad option must make `--quick` exit nonzero
#   run_quick --seed 3 --threads 1             # `--quick ... --out $work/out`; its text in $output;
#                                              # exit 77 (skipped) when the data are not installed
#   expect_files results.csv results.json      # each written to $work/out and not empty
#   expect_checks 7                            # that many "  check: ... ok" lines and no FAILED
#   fail "what went wrong"                     # counts one failure
#   quick_check_finish                         # exits with the failure count
#
# What is particular to a program (reading its tables back) stays in its own script.

# Names the program under test and makes a scratch folder.
quick_check_start() {
  name=$1
  program=$2
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  failures=0
}

# Reports a failure and counts it.
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# Each argument, a bad option (words split on spaces), must be refused by the quick run.
expect_refused() {
  local bad
  for bad in "$@"; do
    # shellcheck disable=SC2086
    if output=$("$program" --quick $bad --out "$work/bad" 2>&1); then
      fail "$name --quick $bad exited 0"
    else
      echo "ok: $bad refused: $(head -n 1 <<< "$output")"
    fi
  done
}

# Runs the quick version into $work/out, its text in $output (and printed). A program that cannot find its
# dataset says "was not found; tried:"; the check is then skipped (exit 77) unless something already failed.
run_quick() {
  if ! output=$("$program" --quick "$@" --out "$work/out" 2>&1); then
    if grep -qF -- "was not found; tried:" <<< "$output"; then
      echo "skipped: the dataset is not installed here"
      [ "$failures" -eq 0 ] && exit 77
      exit "$failures"
    fi
    echo "FAIL: $name --quick exited nonzero:"
    echo "$output"
    exit 1
  fi
  echo "$output"
}

# Each argument names a file the quick run must have written to $work/out, not empty.
expect_files() {
  local file
  for file in "$@"; do
    [ -s "$work/out/$file" ] || fail "$file was not written"
  done
}

# The quick run printed exactly $1 passed checks ("  check: ... ok") and no FAILED.
expect_checks() {
  local checks
  checks=$(grep -c '^  check: .* ok$' <<< "$output")
  [ "$checks" -eq "$1" ] || fail "expected $1 passed checks, got $checks"
  if grep -q 'FAILED' <<< "$output"; then fail "a check failed"; fi
}

# Ends the script: 0 when nothing failed, otherwise the number of failures.
quick_check_finish() {
  [ "$failures" -eq 0 ] && echo "$name --quick ran end to end"
  exit "$failures"
}
