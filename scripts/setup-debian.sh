#!/usr/bin/env bash
# Installs what the build, the tests and the demo need on Debian 12, when it is missing.
# Idempotent: installs nothing (and needs no network) when every package is already there.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ca-certificates openssl
  libssl-dev libboost-dev libboost-filesystem-dev libboost-system-dev
  libcpprest-dev rapidjson-dev doctest-dev libc-ares-dev
  dovecot-imapd dovecot-pop3d binutils
  python3-jsonschema  # only for its copy of the JSON Schema draft-04 meta-schema (tests)
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# The package starts a system-wide Dovecot on 143/993/110/995; the tests and the demo start
# their own on loopback and do not need it.
if command -v systemctl >/dev/null && systemctl is-active --quiet dovecot 2>/dev/null; then
  $sudo systemctl stop dovecot || true
fi
