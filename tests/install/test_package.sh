#!/usr/bin/env bash
# `cpack -G DEB` builds the two Debian packages, and each holds what it should:
# rpa-email (rpa-host, the plugin in /usr/lib/rpa/plugins, the schemas) and rpa-abi-dev (the
# headers, the CMake package and rpa-abi.pc, architecture all).
# Usage: test_package.sh BUILD_DIR
set -euo pipefail
build=$1
work=$(mktemp -d /tmp/rpa-package-test.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
(cd "$build" && cpack -G DEB -B "$work" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack"; }
runtime=$(ls "$work"/rpa-email_*.deb) || fail "no rpa-email package"
dev=$(ls "$work"/rpa-abi-dev_*.deb) || fail "no rpa-abi-dev package"
dpkg-deb -c "$runtime" > "$work/runtime.list"
dpkg-deb -c "$dev" > "$work/dev.list"
for f in ./usr/bin/rpa-host ./usr/lib/rpa/plugins/librpa_email.so ./usr/share/rpa/schemas/email.connect.schema.json; do
  grep -q " $f\$" "$work/runtime.list" || fail "rpa-email lacks $f"
done
for f in ./usr/include/rpa/rpa.h ./usr/include/rpa/ext/actions.h ./usr/share/cmake/rpa/rpaConfig.cmake ./usr/share/pkgconfig/rpa-abi.pc; do
  grep -q " $f\$" "$work/dev.list" || fail "rpa-abi-dev lacks $f"
done
grep -q "include/rpa" "$work/runtime.list" && fail "rpa-email carries the headers"
[ "$(dpkg-deb -f "$dev" Architecture)" = all ] || fail "rpa-abi-dev is not architecture all"
dpkg-deb -f "$runtime" Depends | grep -q libssl || fail "rpa-email does not depend on OpenSSL: $(dpkg-deb -f "$runtime" Depends)"
# The libraries the plugin loads on first use (plugin/src/util/lazy_library.h) are not NEEDED.
for loaded_later in libgmime-3.0-0 libgssapi-krb5-2 libkrb5-3; do
  dpkg-deb -f "$runtime" Depends | grep -q "$loaded_later" ||
    fail "rpa-email does not depend on $loaded_later: $(dpkg-deb -f "$runtime" Depends)"
done
echo "ok: $(basename "$runtime") and $(basename "$dev")"
