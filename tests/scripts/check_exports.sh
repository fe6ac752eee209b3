#!/usr/bin/env bash
# Fails unless the plugin exports exactly one symbol: rpa_entry. A Linux .so: its dynamic symbol
# table (nm -D); a Windows .dll: its export table (objdump -p of MinGW-w64's binutils).
set -euo pipefail
plugin=${1:?usage: check_exports.sh PLUGIN.so|PLUGIN.dll}
case $plugin in
  *.dll)
    symbols=$(x86_64-w64-mingw32-objdump -p "$plugin" |
                sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p' | awk '/^\t\[/ { print $NF }' | sort) ;;
  *)
    symbols=$(nm -D --defined-only "$plugin" | awk '{print $3}' | sort) ;;
esac
echo "exported symbols of $plugin:"
echo "$symbols"
if [ "$symbols" != "rpa_entry" ]; then
  echo "FAIL: expected exactly rpa_entry" >&2
  exit 1
fi
