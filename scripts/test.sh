#!/usr/bin/env bash
# The README's test command: sets up what is missing, builds, and runs the whole suite (unit
# tests, integration tests against a Dovecot that ctest starts and stops, the sibling plugin,
# the CLI, the ABI checks). Extra arguments go to ctest, e.g. `scripts/test.sh -L imap`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RPA_BUILD_DIR:-$root/build}
"$root/scripts/setup-debian.sh"
"$root/scripts/build.sh"
cd "$build"
status=0
ctest --output-on-failure -j "$(nproc)" --timeout 300 "$@" || status=$?
# A failure's cause, last, where a shortened CI log still shows it.
[ "$status" -eq 0 ] || "$root/scripts/what-failed.sh" "$build"
exit "$status"
