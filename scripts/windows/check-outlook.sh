#!/usr/bin/env bash
# Builds the Windows side (scripts/build-windows.sh, with the stand-in Outlook in DIR/test-peers/)
# and runs tests/windows/outlook_under_wine.py: Connect "outlook" and the test sibling under Wine
# against the stand-in Outlook COM server, registered in a Wine prefix of this check's own
# (DIR/wineprefix-outlook), so the other checks' prefix never has an Outlook.
#   scripts/windows/check-outlook.sh [WINDOWS_BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(realpath -m "${1:-$root/build-windows}")
# The build's own output only when it fails.
build_log=$("$root/scripts/build-windows.sh" "$build" 2>&1) || { echo "$build_log" | tail -60; exit 1; }
export WINEPREFIX=$build/wineprefix-outlook
# shellcheck source=wine.sh
. "$root/scripts/windows/wine.sh" "$build"
exec python3 "$root/tests/windows/outlook_under_wine.py" --wine "$wine" --build "$build" \
  --register "$root/tests/peers/outlook/register.sh" --seed "$root/tests/peers/dovecot/seed-mail.py"
