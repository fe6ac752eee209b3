#!/usr/bin/env bash
# Configures and builds into build/ (or $RPA_BUILD_DIR). Used by test.sh and demo.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${RPA_BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRPA_WARNINGS_AS_ERRORS=ON >/dev/null
cmake --build "$build" -j "$(nproc)"
