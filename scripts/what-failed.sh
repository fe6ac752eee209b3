#!/usr/bin/env bash
# Prints, last, a short digest of what failed in a ctest run: each failed test's name and the lines
# of its output that say why (doctest's ERROR and failed checks, the Wine runner's FAILED and
# FLAKY lines, timeouts). CI shows only the start and the end of a long output; this puts the
# cause at the end.
#   scripts/what-failed.sh [BUILD_DIR]   (reads BUILD_DIR/Testing/Temporary/LastTest.log)
set -euo pipefail
log=${1:-build}/Testing/Temporary/LastTest.log
[ -f "$log" ] || { echo "what-failed: no $log"; exit 0; }
echo "=== what failed (from $log) ==="
awk '
  /^[0-9]+\/[0-9]+ Test: / { name = $0; sub(/^[0-9]+\/[0-9]+ Test: /, "", name); n = 0; next }
  /ERROR:|is NOT correct|^FAILED  |^FLAKY  |timed out|TEST CASE:|[A-Za-z_]+\.(cpp|py|sh):[0-9]+/ {
    if (n < 200) reasons[n++] = $0
  }
  /^Test (Failed|Passed|Not Run)|^Test .*(Timeout|Exception|Failed)/ {
    if ($0 !~ /^Test Passed/) {
      print "* " name " -> " $0
      for (i = 0; i < n && i < 12; i++) print "    " substr(reasons[i], 1, 240)
    }
    n = 0
  }
' "$log" | tail -60
