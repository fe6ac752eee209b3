#!/usr/bin/env bash
# Builds rpa_email.dll for Windows (scripts/build-windows.sh) and tests/windows/plugin_smoke_test.cpp,
# and runs the test under Wine against the Dovecot that ctest's dovecot fixture started on Linux.
#   scripts/windows/check-plugin.sh PEER_ENV_FILE [WINDOWS_BUILD_DIR]
# The peer's password reaches the test in its environment, never on a command line.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
env_file=${1:?usage: check-plugin.sh PEER_ENV_FILE [WINDOWS_BUILD_DIR]}
build=${2:-$root/build-windows}
# The build's own output only when it fails.
build_log=$("$root/scripts/build-windows.sh" "$build" 2>&1) || { echo "$build_log" | tail -60; exit 1; }
"$root/tests/scripts/check_exports.sh" "$build/plugins/rpa_email.dll"
# No thread_local with a destructor in the plugin or the host: MinGW-w64's GCC runs those destructors
# after their (emulated) thread-local storage is freed, so a thread that used one would crash the
# host when it ends (tests/windows/CMakeLists.txt has the story).
for binary in "$build/plugins/rpa_email.dll" "$build/bin/rpa-host.exe"; do
  if x86_64-w64-mingw32-nm "$binary" | grep -q '__cxa_thread_atexit'; then
    echo "FAILED  $(basename "$binary") has a thread_local with a destructor (__cxa_thread_atexit)" >&2
    exit 1
  fi
done
echo "ok      rpa_email.dll and rpa-host.exe have no thread_local with a destructor"
prefix=$("$root/scripts/windows/deps.sh")
x86_64-w64-mingw32-g++-posix -std=c++17 -O1 -static -D_WIN32_WINNT=0x0A00 -DWIN32_LEAN_AND_MEAN -DNOMINMAX \
  -Wall -Wextra -I"$root/abi/include" -I"$prefix/include" "$root/tests/windows/plugin_smoke_test.cpp" \
  -o "$build/plugin_smoke_test.exe"

value() { sed -n "s/^$1=//p" "$env_file" | tail -1; }
RPA_SMOKE_PASSWORD=$(cat "$(value PEER_ALICE_PASSWORD_FILE)")
export RPA_SMOKE_PASSWORD

# shellcheck source=wine.sh
. "$root/scripts/windows/wine.sh" "$build"
"$wine" "$build/plugin_smoke_test.exe" --plugin="$(windows_path "$build/plugins/rpa_email.dll")" \
  --host=localhost --imaps-port="$(value PEER_IMAPS_PORT)" --pop3s-port="$(value PEER_POP3S_PORT)" \
  --ca-file="$(windows_path "$(value PEER_CA_FILE)")" --user="$(value PEER_ALICE_USER)"
