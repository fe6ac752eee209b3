#!/usr/bin/env bash
# Builds the Windows side (scripts/build-windows.sh) and runs its unit tests, unit_tests.exe
# (tests/windows/CMakeLists.txt says which), under Wine. They need no peer.
#   scripts/windows/check-unit.sh [WINDOWS_BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-windows}
# The build's own output only when it fails.
build_log=$("$root/scripts/build-windows.sh" "$build" 2>&1) || { echo "$build_log" | tail -60; exit 1; }
# shellcheck source=wine.sh
. "$root/scripts/windows/wine.sh" "$build"
cd "$build"  # on Wine's Z: drive, so the Linux paths the tests were built with resolve
status=0
"$wine" tests/unit_tests.exe --no-intro > unit_tests.log 2>&1 || status=$?
grep -v '^\[\(debug\|info\)\]' unit_tests.log || true  # the plugin's own log lines left out
exit "$status"
