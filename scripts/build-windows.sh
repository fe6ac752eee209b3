#!/usr/bin/env bash
# Builds the Windows x64 host, plugin and tests with MinGW-w64: the dependencies from
# scripts/windows/deps.sh (cached outside the checkout), then DIR/plugins/rpa_email.dll.
#   scripts/build-windows.sh [DIR]     (default build-windows/)
# Idempotent; installs what it needs from Debian (scripts/setup-debian.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build-windows}
"$root/scripts/setup-debian.sh"
deps=$("$root/scripts/windows/deps.sh")
cmake -S "$root" -B "$build" -G Ninja --toolchain "$root/cmake/toolchains/mingw-w64-x86_64.cmake" \
  -DRPA_WINDOWS_DEPS="$deps" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRPA_WARNINGS_AS_ERRORS=ON >/dev/null
cmake --build "$build" -j "$(nproc)"
