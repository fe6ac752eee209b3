#!/usr/bin/env bash
# Builds the Windows side (scripts/build-windows.sh) and runs its integration tests,
# integration_tests.exe (tests/windows/CMakeLists.txt says which), under Wine against the peers that
# ctest's dovecot fixture started on Linux, each test case in a process of its own
# (tests/windows/integration_under_wine.py).
#   scripts/windows/check-integration.sh PEER_ENV_FILE [WINDOWS_BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
env_file=$(realpath "${1:?usage: check-integration.sh PEER_ENV_FILE [WINDOWS_BUILD_DIR]}")
build=${2:-$root/build-windows}
# The build's own output only when it fails.
build_log=$("$root/scripts/build-windows.sh" "$build" 2>&1) || { echo "$build_log" | tail -60; exit 1; }
# shellcheck source=wine.sh
. "$root/scripts/windows/wine.sh" "$build"
cd "$build"  # on Wine's Z: drive, so the Linux paths the tests were built with resolve
exec python3 "$root/tests/windows/integration_under_wine.py" --wine "$wine" \
  --executable tests/integration_tests.exe --peers "$env_file"
