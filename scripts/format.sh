#!/usr/bin/env bash
# Applies the tree's style (.clang-format) to every C and C++ source git tracks; with --check,
# changes nothing and fails listing the files that are not formatted (the test suite runs that).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mapfile -t files < <(git ls-files '*.c' '*.h' '*.cpp' ':!:tests/peers/identity/node_modules/*')
if [ "${1:-}" = --check ]; then
  unformatted=()
  for file in "${files[@]}"; do
    # (compares the output: --dry-run --Werror misreports the namespace comments of TEST_SUITE)
    clang-format "$file" | cmp -s - "$file" || unformatted+=("$file")
  done
  if [ ${#unformatted[@]} -gt 0 ]; then
    echo "not clang-formatted (run scripts/format.sh): ${unformatted[*]}" >&2
    exit 1
  fi
  echo "ok: ${#files[@]} files formatted"
else
  clang-format -i "${files[@]}"
fi
