#!/usr/bin/env bash
# Installs the Debian packages the project loads or drives, only those still missing.
# Usage: scripts/deps.sh [runtime|test|bench|containers]   (default: runtime)
set -euo pipefail

# TorchSharp and ImageSharp bring everything the server and trainer load (scripts/exec.sh supplies a new
# enough libstdc++ where the host's is too old), so running needs no Debian package.
runtime=()
# kubectl renders the kustomize overlays (Debian 13 packages 1.32; Debian 12's 1.20 is too old).
test=("${runtime[@]}" python3-grpcio python3-protobuf python3-grpc-tools chromium kubectl)
# git: a baseline server is built from a `git worktree` (bench/servers.sh).
bench=("${test[@]}" python3-torch python3-fastapi python3-uvicorn python3-numpy nghttp2-client hey curl time git)
# scripts/e2e-containers.sh: podman with runc and netavark (iptables for its port forwarding, catatonit for the
# pods' infra container), the host-side probe/load clients, and debootstrap for the stand-in userland.
containers=(podman runc netavark aardvark-dns iptables catatonit debootstrap curl python3-grpcio python3-grpc-tools python3-yaml)

case "${1:-runtime}" in
  runtime) wanted=("${runtime[@]}") ;;
  test) wanted=("${test[@]}") ;;
  bench) wanted=("${bench[@]}") ;;
  containers) wanted=("${containers[@]}") ;;
  *) echo "usage: $0 [runtime|test|bench|containers]" >&2; exit 2 ;;
esac

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
