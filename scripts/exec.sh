#!/usr/bin/env bash
# Runs a command where TorchSharp loads: directly when the host's libstdc++ has GLIBCXX_3.4.32 (GCC 13+:
# Ubuntu 24.04, Debian 13, the .NET 10 images), otherwise inside the Debian 13 userland of
# scripts/userland.sh. Inside, the work tree, /tmp, the NuGet cache and the .NET SDK keep their paths,
# the environment and the current directory are kept, and the command replaces this process (same pid,
# so signals reach it; same exit code).
#
#   scripts/exec.sh dotnet test Mnist.sln
#   MNIST_USERLAND=always scripts/exec.sh CMD...   # force the userland (never: force the host)
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }

host_can_load_torchsharp() {
  local lib
  for lib in $(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF}'); do
    grep -qa 'GLIBCXX_3\.4\.32' "$lib" && return 0
  done
  return 1
}

# Already inside (a script that calls exec.sh again), or the host can load it: run as is.
[ -z "${MNIST_IN_USERLAND:-}" ] || exec "$@"
case "${MNIST_USERLAND:-auto}" in
  never) exec "$@" ;;
  always) ;;
  auto) if host_can_load_torchsharp; then exec "$@"; fi ;;
  *) echo "exec.sh: MNIST_USERLAND is auto, always or never, not '$MNIST_USERLAND'" >&2; exit 2 ;;
esac

here="$(cd "$(dirname "$0")" && pwd)"
root="$("$here/userland.sh" rootfs)"
tree="$(git -C "$here" rev-parse --show-toplevel 2>/dev/null || dirname "$here")"
gitdir="$(cd "$tree" && git rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)"
sdk="$(dirname "$(readlink -f "$(command -v dotnet)")")"
nuget="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
# Made here so that it is bound: on a fresh machine the packages restored inside would otherwise stay inside.
mkdir -p "$nuget"

# Paths bound at the same place inside: read-write, then read-only. Those missing on the host are skipped.
rw=("$tree" "$gitdir" "$nuget" "$HOME/.nuget" "$HOME/.local/share/NuGet" "$HOME/.dotnet")
ro=("$sdk")
case "$PWD" in /|/tmp|/tmp/*|"$tree"|"$tree"/*) ;; *) rw+=("$PWD") ;; esac
binds=""
for p in "${rw[@]}"; do [ -n "$p" ] && [ -d "$p" ] && binds+="b $p"$'\n'; done
for p in "${ro[@]}"; do [ -d "$p" ] && binds+="r $p"$'\n'; done

export MNIST_IN_USERLAND=trixie
export PATH="$sdk:${PATH:+$PATH:}/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
export DOTNET_ROOT="$sdk"

# A private mount namespace: the binds vanish with the command, nothing stays mounted on the host.
[ "$(id -u)" -eq 0 ] || { echo "exec.sh: the Debian 13 userland needs root (unshare, chroot); run with sudo" >&2; exit 1; }
exec unshare --mount --propagation private -- /bin/bash -c '
  set -e
  root=$1 binds=$2 cwd=$3; shift 3
  for d in proc sys dev tmp; do mount --rbind "/$d" "$root/$d"; done
  for f in /etc/resolv.conf /etc/hosts; do [ -f "$f" ] || continue; [ -e "$root$f" ] || : > "$root$f"; mount --bind "$f" "$root$f"; done
  while read -r mode path; do
    [ -n "$path" ] || continue
    mkdir -p "$root$path"
    mount --rbind "$path" "$root$path"
    [ "$mode" = r ] && mount -o remount,bind,ro "$root$path"
  done <<< "$binds"
  exec chroot "$root" /bin/sh -c "cd \"\$0\" && exec \"\$@\"" "$cwd" "$@"
' exec.sh "$root" "$binds" "$PWD" "$@"
