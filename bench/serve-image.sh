#!/usr/bin/env bash
# The serving image's size and start-up, image against image: each started RUNS times, alternately, with podman run
# as the e2e's "defaults" step does (--read-only, a tmpfs /tmp, a model read-only at /models), timed from `podman
# run` to the first GET /healthz that answers 200 (SERVING: the model loaded and warmed up), polled every 50 ms.
#
# Usage: bench/serve-image.sh [--runs N] IMAGE...      (N default 5; hold /work/bench.lock; root for podman)
#   e.g. after scripts/e2e-containers.sh (localhost/mnist-serve:dev, on the chiseled stand-in), the same Dockerfile
#   on the full aspnet stand-in (Debian 13 with a shell and dpkg) for comparison:
#   CONTAINERS_CONF=scripts/e2e/containers.conf podman build -f Dockerfile.serve -t localhost/mnist-serve:full \
#     --build-arg SDK_IMAGE=localhost/mnist-standin/sdk:10.0 --build-arg RUNTIME_IMAGE=localhost/mnist-standin/aspnet:10.0 \
#     -v /usr/share/dotnet:/usr/share/dotnet:ro -v ~/.nuget/packages:/root/.nuget/packages:O .
#   flock /work/bench.lock bench/serve-image.sh localhost/mnist-serve:dev localhost/mnist-serve:full
# Env: MODEL_DIR (a directory with model.dat; default: trains one with --limit 5000); MNIST_E2E_PODMAN_ROOT (the
#      podman storage of its own that scripts/e2e-containers.sh built the images in, if it was given one).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5
if [ "${1:-}" = "--runs" ]; then runs="${2:?--runs needs a number}"; shift 2; fi
[ $# -ge 1 ] || { sed -n '2,14p' "$0" >&2; exit 2; }
images=("$@")
export CONTAINERS_CONF=$PWD/scripts/e2e/containers.conf
if [ -n "${MNIST_E2E_PODMAN_ROOT:-}" ]; then
  podman() { command podman --root "$MNIST_E2E_PODMAN_ROOT/root" --runroot "$MNIST_E2E_PODMAN_ROOT/run" "$@"; }
fi
work="$(mktemp -d)"
name=mnist-serve-image-bench
cleanup() { podman rm -f -t 0 "$name" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
. bench/servers.sh
model_dir="$(cd "$(quick_model)" && pwd)"
chmod -R a+rX "$model_dir"   # the image's user (1654) reads it
port="$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

start_once() { # IMAGE: prints the seconds from podman run to /healthz 200
  local t0 t1
  t0=$(date +%s.%N)
  podman run -d --name "$name" --read-only --tmpfs /tmp -v "$model_dir:/models:ro" -p "127.0.0.1:$port:8080" "$1" >/dev/null
  for _ in $(seq 1 1200); do
    if curl -fs -m 1 -o /dev/null "http://127.0.0.1:$port/healthz"; then
      t1=$(date +%s.%N)
      podman rm -f -t 10 "$name" >/dev/null
      /usr/bin/python3 -c "print(f'{$t1 - $t0:.2f}')"
      return 0
    fi
    sleep 0.05
  done
  podman logs "$name" >&2
  echo "$1: not SERVING within 60 s" >&2
  exit 1
}
file() { echo "$work/$(echo "$1" | tr '/:' '__')"; }

for image in "${images[@]}"; do
  start_once "$image" >/dev/null # one unmeasured start each: the page cache and podman's first-run costs
done
for run in $(seq 1 "$runs"); do
  for image in "${images[@]}"; do start_once "$image" >> "$(file "$image")"; done
done
printf '| %-36s | %8s | %-40s |\n' image size "podman run to /healthz 200 (s)"
for image in "${images[@]}"; do
  size=$(podman image inspect --format '{{.Size}}' "$image" | numfmt --to=si)
  median=$(sort -n "$(file "$image")" | sed -n "$(( (runs + 1) / 2 ))p")
  printf '| %-36s | %7sB | median %s (%s) |\n' "$image" "$size" "$median" "$(tr '\n' ' ' < "$(file "$image")" | sed 's/ $//')"
done
