#!/usr/bin/env bash
# Fails when the Linux plugin NEEDs a library it should load on first use (GMime with GObject and
# GLib, MIT Kerberos: plugin/src/util/lazy_library.h), and names the calls that made it: each must
# be added to its plugin/lazy_*.symbols (only functions can be; a variable keeps the library NEEDED).
#   check_lazy_libraries.sh PLUGIN.so           the check
#   check_lazy_libraries.sh --list PLUGIN.so    the functions of those libraries the plugin calls
set -euo pipefail
list=false
if [ "${1:-}" = --list ]; then list=true; shift; fi
plugin=${1:?usage: check_lazy_libraries.sh [--list] PLUGIN.so}
lazy='libgmime-3\.0|libgobject-2\.0|libglib-2\.0|libgio-2\.0|libgssapi_krb5|libkrb5|libk5crypto|libcom_err|libkrb5support'
libdir=$(dirname "$(ldconfig -p | awk '/libc\.so\.6 .*x86-64/ { print $NF; exit }')")

# The functions the plugin calls, and the lazy libraries' own, by name (versions dropped).
called=$(nm -D --undefined-only "$plugin" | awk '{ print $NF }' | sed 's/@.*//' | sort -u)
provided() {
  for library in "$libdir"/libgmime-3.0.so.0 "$libdir"/libgobject-2.0.so.0 "$libdir"/libglib-2.0.so.0 \
                 "$libdir"/libgio-2.0.so.0 "$libdir"/libgssapi_krb5.so.2 "$libdir"/libkrb5.so.3; do
    nm -D --defined-only "$library" | awk '{ print $3 }' | sed 's/@.*//'
  done | sort -u
}
unstubbed=$(comm -12 <(echo "$called") <(provided))
if $list; then
  echo "$unstubbed"
  exit 0
fi

needed=$(readelf -dW "$plugin" | awk -F'[][]' '/NEEDED/ { print $2 }')
echo "NEEDED by $plugin:"
echo "$needed"
if echo "$needed" | grep -Eq "^($lazy)"; then
  echo "FAIL: the plugin NEEDs a library it should load on first use." >&2
  echo "Symbols of those libraries it binds directly (add each function to plugin/lazy_*.symbols;" >&2
  echo "replace a variable by a copy of its value):" >&2
  echo "$unstubbed" >&2
  exit 1
fi
if [ -n "$unstubbed" ]; then
  echo "FAIL: the plugin binds these directly: $unstubbed" >&2
  exit 1
fi
echo "ok: GMime, GLib and Kerberos are loaded on first use"
