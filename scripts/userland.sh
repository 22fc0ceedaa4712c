#!/usr/bin/env bash
# Builds, on first use, the Debian 13 (trixie) userland that TorchSharp needs on hosts whose libstdc++ is
# older than GCC 13 (GLIBCXX_3.4.32), and prints where it is. Kept in a cache outside the work tree.
#
#   scripts/userland.sh base      # a minimal trixie root filesystem as a tarball (the containers' stand-in base)
#   scripts/userland.sh rootfs    # that filesystem unpacked, ready for scripts/exec.sh to chroot into
#
# Cache: $MNIST_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/mnist). Delete it to start over.
set -euo pipefail

# Bump when the recipe changes, so an old cache is never mistaken for the new one.
recipe=trixie-1
packages=libicu76,libssl3t64,ca-certificates,zlib1g
cache="${MNIST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mnist}"
base="$cache/$recipe-base.tar"
rootfs="$cache/$recipe-rootfs"

usage() { echo "usage: $0 base|rootfs" >&2; exit 2; }
[ $# -eq 1 ] || usage

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# The Debian mirror the host already uses, so no other host is needed.
mirror() {
  local uri
  uri=$(grep -hoE '^(URIs:|deb) +[^ ]+' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
        | grep -v security | awk '{print $2}' | head -n 1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

build_base() {
  command -v debootstrap >/dev/null || {
    echo "userland: installing debootstrap" >&2
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
  }
  local started dir
  started=$(date +%s)
  dir=$(mktemp -d "$cache/.base.XXXXXX")
  echo "userland: building a Debian 13 userland in $cache (first use only, about a minute)" >&2
  as_root debootstrap --variant=minbase --include="$packages" trixie "$dir/root" "$(mirror)" >"$dir/debootstrap.log" 2>&1 || {
    tail -n 20 "$dir/debootstrap.log" >&2; as_root rm -rf "$dir"; exit 1; }
  # Extra CA certificates of this host (a TLS-inspecting egress), or NuGet inside fails with UntrustedRoot.
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    as_root cp /usr/local/share/ca-certificates/*.crt "$dir/root/usr/local/share/ca-certificates/"
    as_root chroot "$dir/root" update-ca-certificates >/dev/null 2>&1
  fi
  as_root rm -rf "$dir/root/var/cache/apt/archives/"*.deb "$dir/root/var/lib/apt/lists/"*
  as_root tar -C "$dir/root" -cf "$dir/base.tar" .
  mv "$dir/base.tar" "$base"
  as_root rm -rf "$dir"
  echo "userland: built in $(( $(date +%s) - started )) s" >&2
}

build_rootfs() {
  local dir
  dir=$(mktemp -d "$cache/.rootfs.XXXXXX")
  as_root tar -C "$dir" -xf "$base"
  # Mount points for what scripts/exec.sh binds at the same paths as on the host.
  as_root mkdir -p "$dir/usr/share/dotnet"
  as_root ln -sf /usr/share/dotnet/dotnet "$dir/usr/bin/dotnet"
  as_root mv "$dir" "$rootfs"
}

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9
case "$1" in
  base) [ -f "$base" ] || build_base; echo "$base" ;;
  rootfs) [ -f "$base" ] || build_base; [ -d "$rootfs" ] || build_rootfs; echo "$rootfs" ;;
  *) usage ;;
esac
