#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` CMake preset: clang, -fsanitize=fuzzer,address,undefined)
# and runs each for SECONDS (default 60), two at a time. Seeds and past findings come from
# fuzz/corpus/<target>/; new interesting inputs go to build-fuzz/corpus/<target>/, crashes to
# build-fuzz/artifacts/. Prints the executions per target and the total; exits 1 on a finding.
# Copy a crash input into fuzz/corpus/<target>/ once it is fixed: the test suite replays it.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
shift || true
command -v clang++ >/dev/null || { echo "fuzzing needs clang (apt-get install clang)" >&2; exit 2; }
cd "$root"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"
build="$root/build-fuzz"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=($(sed -n '/^set(RPA_FUZZ_TARGETS/,/)/p' fuzz/CMakeLists.txt |
                                       tr -d '()' | tr ' ' '\n' | grep -v -e set -e RPA_FUZZ_TARGETS -e '^$'))
mkdir -p "$build/artifacts" "$build/logs"
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:suppressions=$root/tests/sanitizers/ubsan.supp
run() {
  local target=$1
  mkdir -p "$build/corpus/$target"
  "$build/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" \
    "$build/corpus/$target" "fuzz/corpus/$target" >"$build/logs/$target.log" 2>&1 || true
}
export -f run
export build seconds
printf '%s\n' "${targets[@]}" | xargs -P "$(nproc)" -I{} bash -c 'run {}'
total=0
status=0
for target in "${targets[@]}"; do
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/logs/$target.log" | grep -o '[0-9]*$' || echo 0)
  found=$(find "$build/artifacts" -name "$target-*" | wc -l)
  printf '%-16s %12s executions  %s finding(s)\n' "$target" "$runs" "$found"
  total=$((total + ${runs:-0}))
  [ "$found" = 0 ] || status=1
done
printf '%-16s %12s executions\n' total "$total"
exit $status
