#!/usr/bin/env bash
# Builds the Windows host, plugin and test sibling (scripts/build-windows.sh) and runs
# tests/windows/host_under_wine.py: rpa-host.exe under Wine, from a folder with a Japanese name,
# against the peers that ctest's dovecot fixture started on Linux (Dovecot, EWS, Graph, identity);
# then the release archive (cpack -G ZIP) unpacked into a folder with a Japanese name, run from there.
#   scripts/windows/check-host.sh PEER_ENV_FILE [WINDOWS_BUILD_DIR [LINUX_RPA_HOST]]
# With the Linux rpa-host, the vault the Windows one wrote is opened on Linux too.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
env_file=${1:?usage: check-host.sh PEER_ENV_FILE [WINDOWS_BUILD_DIR]}
build=${2:-$root/build-windows}
# The build's own output only when it fails.
build_log=$("$root/scripts/build-windows.sh" "$build" 2>&1) || { echo "$build_log" | tail -60; exit 1; }
rm -rf "$build/package"
(cd "$build" && cpack -G ZIP -B "$build/package" >/dev/null)
# shellcheck source=wine.sh
. "$root/scripts/windows/wine.sh" "$build"
exec python3 "$root/tests/windows/host_under_wine.py" --wine "$wine" --build "$build" --peers "$env_file" \
  --package "$(ls "$build"/package/rpa-email-*-win64.zip)" ${3:+--linux-host "$3"}
