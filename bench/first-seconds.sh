#!/usr/bin/env bash
# The first seconds of load after SERVING against the steady state: issue 21's "the first 10 s of load after SERVING
# reach at least 90 % of the steady-state throughput". Per round, for this tree's server with its defaults ("new")
# and, with --variant, with those variables set ("variant"), in turn: start it, poll GET /healthz on the HTTP port
# with a fresh curl every 10 ms until 200 (the REST route, so the gRPC path is not warmed by the probe), then at once
# h2load gRPC Predict(pixels) at 128 in flight (-c16 -m8) for FIRST_SECONDS; then SETTLE_SECONDS more of the same
# load, then STEADY_SECONDS measured. Prints start-up (process start to the first 200), both req/s and their ratio.
#
# Usage: bench/first-seconds.sh [--variant 'K=V ...'] [rounds]   (BENCH_LOCK=/work/bench.lock: times under flock)
# Env: MODEL_DIR (a directory with model.dat; default: trains one with --limit 5000), GRPC_PORT (50175),
#      HTTP_PORT (50176), METRICS_PORT (50177), FIRST_SECONDS (10), SETTLE_SECONDS (20), STEADY_SECONDS (10).
set -euo pipefail
cd "$(dirname "$0")/.."
variant=""
if [ "${1:-}" = "--variant" ]; then variant="$2"; shift 2; fi
rounds="${1:-1}"
grpc_port="${GRPC_PORT:-50175}"
http_port="${HTTP_PORT:-50176}"
metrics_port="${METRICS_PORT:-50177}"
first="${FIRST_SECONDS:-10}"
settle="${SETTLE_SECONDS:-20}"
steady="${STEADY_SECONDS:-10}"

work="$(mktemp -d)"
server_pid=""
. bench/servers.sh
trap stop_server_and_clean EXIT
prepare_this_tree
bench grpc-request --data-dir data/mnist --index 0 --out "$work/predict.bin" >&2
h2() { h2load -d "$work/predict.bin" -H 'content-type: application/grpc' -H 'te: trailers' -c16 -m8 "$@" "http://127.0.0.1:$grpc_port/mnist.v1.Mnist/Predict"; }
rps() { sed -nE 's/.*finished in [0-9.]+[a-z]+, ([0-9.]+) req\/s.*/\1/p' "$1"; }
if [ -n "${BENCH_LOCK:-}" ]; then
  exec 9>"$BENCH_LOCK"
  echo "waiting for $BENCH_LOCK..." >&2
  flock 9
fi

measure() { # name, then env assignments
  local name="$1" r="$2"; shift 2
  local start end
  start=$(date +%s%N)
  env "$@" MODEL_DIR="$model_dir" GRPC_PORT="$grpc_port" HTTP_PORT="$http_port" METRICS_PORT="$metrics_port" \
    Logging__LogLevel__Default=Warning scripts/exec.sh "$work/server/Mnist.Inference.Grpc" > "$work/server-$name-$r.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 3000); do curl -sf -o /dev/null "http://127.0.0.1:$http_port/healthz" && break; sleep 0.01; done
  end=$(date +%s%N)
  h2 -D "$first" > "$work/first-$name-$r.txt"
  h2 -D "$settle" > /dev/null
  h2 -D "$steady" > "$work/steady-$name-$r.txt"
  bench grpc-check --address "http://127.0.0.1:$grpc_port" > /dev/null
  kill "$server_pid"; wait "$server_pid" || true; server_pid=""
  local f s
  f="$(rps "$work/first-$name-$r.txt")"; s="$(rps "$work/steady-$name-$r.txt")"
  awk -v n="$name" -v r="$r" -v ms="$(( (end - start) / 1000000 ))" -v f="$f" -v s="$s" \
    'BEGIN { printf "| %s | %s | %d | %.0f | %.0f | %.0f %% |\n", r, n, ms, f, s, 100 * f / s }'
}

uptime | sed 's/^/before: /'
echo "| round | server | start-up to /healthz 200, ms | req/s, first ${first} s | req/s, steady (${steady} s after ${settle} s) | first / steady |"
echo "|---|---|---|---|---|---|"
for r in $(seq 1 "$rounds"); do
  # Alternate the order between rounds.
  if [ -z "$variant" ]; then measure new "$r"
  elif [ $((r % 2)) -eq 1 ]; then measure new "$r"; measure variant "$r" $variant
  else measure variant "$r" $variant; measure new "$r"; fi
done
uptime | sed 's/^/after:  /'
