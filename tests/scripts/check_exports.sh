#!/usr/bin/env bash
# Fails unless the plugin's dynamic symbol table defines exactly one symbol: rpa_entry.
set -euo pipefail
plugin=${1:?usage: check_exports.sh PLUGIN.so}
symbols=$(nm -D --defined-only "$plugin" | awk '{print $3}' | sort)
echo "defined dynamic symbols of $plugin:"
echo "$symbols"
if [ "$symbols" != "rpa_entry" ]; then
  echo "FAIL: expected exactly rpa_entry" >&2
  exit 1
fi
