#!/usr/bin/env bash
# Fails when the plugin's folders stop being layers: a folder may include its own files and those
# of folders on a LOWER layer only, so the walk from the exported entry to the socket goes one way
# and no two folders include each other (docs/design/backends.md). Folders on one layer are
# peers and do not include each other. A folder missing from the table fails too: place it.
# Also fails when a source file of plugin/ or host_stub/ passes 400 lines.
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root/plugin/src"
# Top to bottom; peers share a line.
layers=(
  "actions"
  "imap pop3 smtp ews graph outlook"
  "line"
  "backend"
  "properties"
  "session"
  "mime"
  "mailbox"
  "oauth windows_sign_in"
  "http"
  "net"
  "host sasl"
  "util"
)
declare -A rank
for i in "${!layers[@]}"; do
  for folder in ${layers[$i]}; do rank[$folder]=$i; done
done
failed=0
for dir in */; do
  folder=${dir%/}
  if [ -z "${rank[$folder]+set}" ]; then
    echo "FAIL: plugin/src/$folder/ is on no layer of $(basename "$0"): place it" >&2
    failed=1
    continue
  fi
  while IFS=: read -r file line include; do
    target=$(sed -E 's/.*#include "([a-z_0-9]+)\/.*/\1/' <<<"$include")
    [ "$target" = "$folder" ] && continue
    [ -z "${rank[$target]+set}" ] && continue  # rpa/, rpa_common/: the ABI and the shared code
    if [ "${rank[$target]}" -le "${rank[$folder]}" ]; then
      echo "FAIL: plugin/src/$file:$line includes $target/ (layer ${rank[$target]}) from $folder/ (layer ${rank[$folder]})" >&2
      failed=1
    fi
  done < <(grep -rnE '^#include "[a-z_0-9]+/' "$folder" | sed -E 's/^([^:]+):([0-9]+):/\1:\2:/')
done
cd "$root"
while read -r lines file; do
  [ "$file" = total ] && continue
  if [ "$lines" -gt 400 ]; then
    echo "FAIL: $file has $lines lines (at most 400: split it by idea)" >&2
    failed=1
  fi
done < <(git ls-files 'plugin/*.cpp' 'plugin/*.h' 'host_stub/*.cpp' 'host_stub/*.h' | xargs wc -l)
[ "$failed" = 0 ] || exit 1
echo "ok: ${#layers[@]} layers, every include runs down; no source file over 400 lines"
