#!/usr/bin/env bash
# The fresh-machine check: runs the README's two commands on a machine that has nothing but a
# minimal Debian 12, so that a package the setup script forgot shows here and not on a user's
# machine. Run it before you stop whenever setup changed.
#   scripts/fresh-check.sh [COMMAND...]      (default: scripts/demo.sh, then scripts/test.sh)
#
# - debootstraps a bookworm tree (--variant=minbase: not even python3 or git) once and caches it
#   as a tarball in $RPA_FRESH_CACHE (default /var/cache/rpa-email-fresh), keyed by the suite;
# - unpacks a copy into a temporary folder, mounts /proc, /sys, /dev, /dev/pts, /dev/shm and a
#   /tmp of its own, gives it the host's resolv.conf, the /etc/hosts the Debian installer writes,
#   and Debian's bookworm, -updates and -security sources (apt-get and npm reach their registries
#   as on any machine; downloaded packages are kept in the cache for the next run);
# - clones this checkout's committed HEAD into /work/main inside (uncommitted changes are not
#   checked: commit first) and runs each command there as root, with a clean environment;
# - ends every process left inside, unmounts and removes the copy (RPA_FRESH_KEEP=1 keeps it).
# Needs root (debootstrap, chroot, mount) and the network. Prints the commands' output to
# $RPA_FRESH_CACHE/last-run.log and their exit statuses; exits non-zero when one failed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "fresh-check needs root (debootstrap, chroot, mount)" >&2; exit 2; }
cache=${RPA_FRESH_CACHE:-/var/cache/rpa-email-fresh}
suite=bookworm
mirror=http://deb.debian.org/debian
tarball="$cache/$suite-minbase.tar"
commands=("$@")
[ ${#commands[@]} -gt 0 ] || commands=("scripts/demo.sh" "scripts/test.sh")

mkdir -p "$cache"
if [ ! -s "$tarball" ]; then
  command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }
  staging=$(mktemp -d "$cache/debootstrap.XXXXXX")
  echo "debootstrap $suite (minbase) into $staging, once"
  debootstrap --variant=minbase "$suite" "$staging" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
    { echo "debootstrap failed; see $cache/debootstrap.log" >&2; rm -rf "$staging"; exit 1; }
  tar -C "$staging" -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
  rm -rf "$staging"
fi

tree=$(mktemp -d /var/tmp/rpa-fresh.XXXXXX)
mounted=()
cleanup() {
  # Every process whose root is the tree (a peer a command left behind), then the mounts.
  for proc in /proc/[0-9]*; do
    [ "$(readlink "$proc/root" 2>/dev/null)" = "$tree" ] && kill -9 "${proc#/proc/}" 2>/dev/null || true
  done
  sleep 1
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[i]}" 2>/dev/null || true; done
  if [ "${RPA_FRESH_KEEP:-0}" = 1 ]; then echo "kept $tree"; else rm -rf --one-file-system "$tree"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM  # through the EXIT trap: nothing left running or mounted
tar -C "$tree" -xf "$tarball"
chmod 755 "$tree"  # the tree's / (tar restores mktemp's 0700): else no non-root process gets in
mount_in() {  # type-or-bind source target
  mkdir -p "$tree$3"
  if [ "$1" = bind ]; then mount --bind "$2" "$tree$3"; else mount -t "$1" "$2" "$tree$3"; fi
  mounted+=("$tree$3")
}
mount_in proc proc /proc
mount_in sysfs sysfs /sys
mount_in bind /dev /dev
mount_in devpts devpts /dev/pts
mount_in tmpfs tmpfs /dev/shm
mount_in tmpfs tmpfs /tmp
mkdir -p "$cache/apt-archives/partial"  # downloaded .debs are kept between runs (apt checks them)
mount_in bind "$cache/apt-archives" /var/cache/apt/archives
cp -L /etc/resolv.conf "$tree/etc/resolv.conf"
# The network's own trust, which every machine on it carries beside Debian's: local CA
# certificates (an egress proxy's; Debian's ca-certificates adds them when it installs) and npm's
# setting to use the system store. Nothing of the project's.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  mkdir -p "$tree/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$tree/usr/local/share/ca-certificates/"
fi
[ -f /etc/npmrc ] && cp /etc/npmrc "$tree/etc/npmrc"
cat >"$tree/etc/apt/sources.list" <<SOURCES
deb $mirror $suite main
deb $mirror $suite-updates main
deb http://deb.debian.org/debian-security $suite-security main
SOURCES
# What the Debian installer writes and debootstrap does not: the host name and /etc/hosts
# (without it, getaddrinfo cannot resolve localhost).
echo "rpa-fresh" >"$tree/etc/hostname"
cat >"$tree/etc/hosts" <<HOSTS
127.0.0.1	localhost
127.0.1.1	rpa-fresh
::1	localhost ip6-localhost ip6-loopback
ff02::1	ip6-allnodes
ff02::2	ip6-allrouters
HOSTS
mkdir -p "$tree/work"
git clone -q --no-local "$root" "$tree/work/main"
echo "checking $(git -C "$root" rev-parse --short HEAD) in a fresh $suite tree ($tree)"

log="$cache/last-run.log"
: >"$log"
status=0
for command in "${commands[@]}"; do
  started=$(date +%s)
  set +e
  # In the background and waited for, so that Ctrl-C or TERM ends the check at once (a trap
  # waits for a foreground child); the EXIT trap then ends what runs inside.
  chroot "$tree" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
    ${NODE_EXTRA_CA_CERTS:+NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt} \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/bash -c "cd /work/main && $command" >>"$log" 2>&1 </dev/null &
  wait $!
  code=$?
  set -e
  echo "$command: exit $code in $(($(date +%s) - started)) s"
  [ "$code" = 0 ] || status=1
done
tail -n 25 "$log"
exit "$status"
