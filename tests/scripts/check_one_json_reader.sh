#!/usr/bin/env bash
# Fails when code that runs inside the host process reads JSON text with anything but
# rpa::parse_json (common/include/rpa_common/json.h): RapidJSON's Document::Parse, ParseInsitu,
# ParseStream and a non-iterative Reader::Parse recurse once per nesting level, so JSON from a
# server, a sibling, a bot file or the vault nested 300,000 deep would overflow the host's stack.
# Covered: the plugin, the host, the shared code and the sibling plugins the tests and examples
# load into the host. Test drivers and benchmarks read their own, trusted output and are not.
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root"
allowed="common/include/rpa_common/json.h"  # the one reader: iterative, depth-bounded
# `.Parse(`, `->Parse<...>(`, `.ParseInsitu(`, `.ParseStream(`, also across a line break.
pattern='(\.|->)[[:space:]]*(Parse|ParseInsitu|ParseStream)[[:space:]]*(<[^;()]*>)?[[:space:]]*\('
found=$(grep -rnEz --include='*.cpp' --include='*.cc' --include='*.h' --include='*.hpp' --include='*.c' \
          -o "$pattern" plugin host_stub common abi tests/sibling_plugin examples 2>/dev/null |
        tr '\0' '\n' | grep -v "^$allowed:" | grep -E "Parse" || true)
# grep -z numbers whole files as one line; name the lines again for the message.
if [ -n "$found" ]; then
  echo "FAIL: JSON parsed outside rpa::parse_json (use rpa::parse_json from rpa_common/json.h):" >&2
  for file in $(echo "$found" | cut -d: -f1 | sort -u); do
    grep -nE "$pattern" "$file" | sed "s|^|  $file:|" >&2 || echo "  $file (a call split across lines)" >&2
  done
  exit 1
fi
readers=$(grep -rlE 'parse_json' plugin host_stub common tests/sibling_plugin | wc -l)
echo "ok: no RapidJSON Parse outside $allowed; $readers files read JSON through rpa::parse_json"
