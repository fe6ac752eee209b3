#!/usr/bin/env bash
# Builds tests/windows/os_layer_test.cpp and the plugin's Windows parts (sockets, trust store,
# files, UTF-16) for Windows x64 and runs it under Wine against a Python loopback peer on the Linux side.
# Needs scripts/windows/deps.sh's prefix (OpenSSL, doctest) and wine64. Exit status: the tests'.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
prefix=$("$root/scripts/windows/deps.sh")
out=${1:-$root/build-windows/os-layer}
mkdir -p "$out"
src=$root/plugin/src
x86_64-w64-mingw32-g++-posix -std=c++17 -O1 -static -D_WIN32_WINNT=0x0A00 -Wall -Wextra \
  -I"$src" -I"$root/common/include" -I"$prefix/include" "$root/tests/windows/os_layer_test.cpp" \
  "$src/net/sockets_windows.cpp" "$src/net/trust_store_windows.cpp" "$src/util/files.cpp" \
  "$src/util/files_windows.cpp" "$root/common/src/utf16_windows.cpp" "$root/common/src/random_hex.cpp" -L"$prefix/lib" -lssl -lcrypto \
  -lws2_32 -lcrypt32 -lbcrypt -luser32 -ladvapi32 -o "$out/os_layer_test.exe"

# shellcheck source=wine.sh
. "$root/scripts/windows/wine.sh" "$out"

port_file=$out/peer-port
rm -f "$port_file"
python3 -u -c '
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
s.settimeout(60)
c, _ = s.accept(); c.sendall(b"* OK the Linux side greets\r\n"); c.settimeout(10); c.recv(64)
' "$port_file" &
peer=$!
trap 'kill $peer 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$port_file" ] && break; sleep 0.1; done
"$wine" "$out/os_layer_test.exe" --peer-port="$(cat "$port_file")"
