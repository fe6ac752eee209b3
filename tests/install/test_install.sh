#!/usr/bin/env bash
# Proves a third party can build a sibling plugin from the installed package alone:
#  1. `cmake --install` the build into a temporary prefix;
#  2. `pkg-config rpa-abi` gives flags that compile the umbrella header as C;
#  3. examples/sibling-plugin is configured and built out of tree with only
#     -DCMAKE_PREFIX_PATH=<prefix> (find_package(rpa));
#  4. the installed rpa-host finds the installed Email plugin in its default folder;
#  5. the installed rpa-host runs a bot against the test Dovecot: Email.Connect (the installed
#     plugin), Example.SessionInfo (the example, using the session by name), Email.Disconnect.
# Usage: test_install.sh BUILD_DIR SOURCE_DIR PEER_ENV_FILE
set -euo pipefail
build=$1 source=$2 peer_env=$3
work=$(mktemp -d /tmp/rpa-install-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null
for f in include/rpa/rpa.h include/rpa/ext/email_session.h share/cmake/rpa/rpaConfig.cmake \
         share/pkgconfig/rpa-abi.pc bin/rpa-host lib/rpa/plugins/librpa_email.so \
         share/rpa/schemas/email.connect.schema.json; do
  [ -e "$prefix/$f" ] || fail "the install has no $f"
done

export PKG_CONFIG_PATH="$prefix/share/pkgconfig"
abi_version=$(pkg-config --modversion rpa-abi)
header_major=$(sed -n 's/^#define RPA_VERSION_MAJOR \([0-9]*\)$/\1/p' "$source/abi/include/rpa/version.h")
[ "${abi_version%%.*}" = "$header_major" ] || fail "pkg-config says $abi_version, version.h says major $header_major"
printf '#include <rpa/rpa.h>\nint main(void) { rpa_version v = RPA_VERSION_INIT; return !rpa_version_is_compatible(v); }\n' > "$work/use.c"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Wpedantic -Werror $(pkg-config --cflags rpa-abi) "$work/use.c" -o "$work/use"
"$work/use" || fail "a program built with pkg-config flags did not run"

cmake -S "$source/examples/sibling-plugin" -B "$work/sibling" -DCMAKE_PREFIX_PATH="$prefix" \
      -DCMAKE_C_FLAGS=-Werror >"$work/configure.log" 2>&1 || { cat "$work/configure.log"; fail "configure"; }
cmake --build "$work/sibling" >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "build"; }
plugin_dir="$work/sibling"
[ -e "$plugin_dir/librpa_example_sibling.so" ] || fail "the example built no plugin"

"$prefix/bin/rpa-host" actions | grep -q "^Email.Connect" ||
  fail "the installed rpa-host did not find the installed plugin in its default folder"

# shellcheck disable=SC1090
. "$peer_env"
export RPA_VAULT_PASSPHRASE=install-test-passphrase
host=("$prefix/bin/rpa-host" --plugins "$prefix/lib/rpa/plugins" --plugins "$plugin_dir" --vault "$work/vault.json")
"${host[@]}" vault set Test alice password < "$PEER_ALICE_PASSWORD_FILE" >/dev/null
cat > "$work/bot.json" <<BOT
{"steps": [
  {"action": "Email.Connect", "properties": {"session_name": "Installed", "connection": "email_server",
   "protocol": "IMAP", "host": "localhost", "port": $PEER_IMAPS_PORT, "tls_mode": "implicit",
   "ca_file": "$PEER_CA_FILE", "username": "alice",
   "password": {"credential": {"locker": "Test", "name": "alice", "attribute": "password"}}}},
  {"action": "Example.SessionInfo", "properties": {"session_name": "Installed"}},
  {"action": "Email.Disconnect", "properties": {"session_name": "Installed"}}
]}
BOT
"${host[@]}" --json run "$work/bot.json" > "$work/run.log" 2>&1 || { cat "$work/run.log"; fail "the bot failed"; }
python3 - "$work/run.log" <<'PY' || { cat "$work/run.log"; fail "the example's result is not what the session says"; }
import json, sys
steps = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
assert [s["status"] for s in steps] == ["ok", "ok", "ok"], steps
info = steps[1]["result"]
assert info["session_name"] == "Installed" and info["alive"] is True, info
assert info["session"]["protocol"] == "IMAP" and info["session"]["user"] == "alice", info
assert info["session"]["port"] == steps[0]["result"]["session"]["port"], info
PY
echo "ok: installed to a prefix, built examples/sibling-plugin against it, ran it through the installed rpa-host"
