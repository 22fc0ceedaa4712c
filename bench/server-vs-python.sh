#!/usr/bin/env bash
# Our server against the Python peers in one run: gRPC Predict(pixels) against bench/peers/grpc_peer.py (grpcio +
# PyTorch) and REST GET /predict/{id} against bench/peers/rest_peer.py (FastAPI + uvicorn, torch on one thread).
# Everything (servers, peers, load generators) runs in the same environment: through scripts/exec.sh (the Debian 13
# userland where the host's libstdc++ is too old for TorchSharp) with the same GLIBC_TUNABLES (as exported; unset
# is the serve image's). Per round, the order of the servers alternating:
#   ours: start-up to SERVING (Mnist.Benchmarks startup: a fresh connection per probe) x STARTUP_RUNS; then started
#         again: the first FIRST_SECONDS of load at c8 m16 right after SERVING; a WARMUP_SECONDS warm-up; gRPC c8 m16
#         for LOAD_SECONDS and c1 for C1_REQUESTS calls (p50 from h2load's per-request log); REST with hey at c16
#         and c1 (after a warm-up); RSS after the load; the grpc statuses the server counted during the gRPC loads
#         (its own /metrics, http.server.request.duration by rpc.grpc.status_code: h2load sees only HTTP 200).
#   peers: the same loads; the gRPC peer's own status counts, the REST peer's HTTP statuses from hey.
# Prints per-round figures, medians and the ratios the issue's targets are set on.
#
# Usage: bench/server-vs-python.sh [rounds]   (default 3)
# Env: MODEL_DIR (a directory with model.dat; default: a quick model, --limit 5000), WARMUP_SECONDS (2),
#      LOAD_SECONDS (5), FIRST_SECONDS (10), C1_REQUESTS (2000), STARTUP_RUNS (3), KEEP_WORK=1, GRPC_PORT (50161),
#      HTTP_PORT (50162), METRICS_PORT (50163), PEER_GRPC_PORT (50171), PEER_REST_PORT (50172).
#      Smoke run (seconds, asserts only that it works): WARMUP_SECONDS=1 LOAD_SECONDS=1 FIRST_SECONDS=1
#      C1_REQUESTS=20 STARTUP_RUNS=1 bench/server-vs-python.sh 1
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${MNIST_IN_USERLAND:-}" ]; then
  scripts/exec.sh scripts/deps.sh bench
  exec scripts/exec.sh "$0" "$@"
fi
rounds="${1:-3}"
warmup="${WARMUP_SECONDS:-2}"
load="${LOAD_SECONDS:-5}"
first="${FIRST_SECONDS:-10}"
c1_requests="${C1_REQUESTS:-2000}"
startup_runs="${STARTUP_RUNS:-3}"
grpc_port="${GRPC_PORT:-50161}" http_port="${HTTP_PORT:-50162}" metrics_port="${METRICS_PORT:-50163}"
peer_grpc_port="${PEER_GRPC_PORT:-50171}" peer_rest_port="${PEER_REST_PORT:-50172}"

work="$(mktemp -d)"
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "work directory kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

. bench/servers.sh
prepare_this_tree
bench grpc-request --data-dir data/mnist --index 0 --out "$work/predict.bin" >&2
export MODEL_DIR="$model_dir" GRPC_PORT="$grpc_port" HTTP_PORT="$http_port" METRICS_PORT="$metrics_port" Logging__LogLevel__Default=Warning

h2() { # port h2load-options...: Predict(pixels of test image 0), gRPC-framed
  local port="$1"; shift
  h2load -d "$work/predict.bin" -H 'content-type: application/grpc' -H 'te: trailers' "$@" "http://127.0.0.1:$port/mnist.v1.Mnist/Predict"
}
wait_until() { # command...: up to 30 s
  local until=$((SECONDS + 30))
  while [ "$SECONDS" -lt "$until" ]; do "$@" >/dev/null 2>&1 && return 0; kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  echo "the server did not come up: $*" >&2; return 1
}
grpc_loads() { # port dir
  h2 "$1" -c8 -m16 -D "$warmup" > /dev/null
  h2 "$1" -c8 -m16 -D "$load" > "$2/grpc-c8m16.txt"
  h2 "$1" -c1 -m1 -n "$c1_requests" --log-file "$2/grpc-c1.tsv" > "$2/grpc-c1.txt"
}
rest_loads() { # url dir
  hey -c 16 -z "${warmup}s" "$1" > /dev/null
  hey -c 16 -z "${load}s" "$1" > "$2/rest-c16.txt"
  hey -c 1 -z "${load}s" "$1" > "$2/rest-c1.txt"
}
statuses() { curl -sf "http://127.0.0.1:$metrics_port/metrics" | grep '^http_server_request_duration_seconds_count' | grep 'rpc_grpc_status_code' || true; }

ours() { # dir
  local d="$1"
  bench startup --address "http://127.0.0.1:$grpc_port" --runs "$startup_runs" -- "$work/server/Mnist.Inference.Grpc" > "$d/startup.txt"
  "$work/server/Mnist.Inference.Grpc" > "$d/server.log" 2>&1 &
  pid=$!
  wait_until bench grpc-check --address "http://127.0.0.1:$grpc_port"
  # Straight after SERVING: what a replica that has just scaled up serves in its first seconds.
  h2 "$grpc_port" -c8 -m16 -D "$first" > "$d/grpc-first.txt"
  statuses > "$d/statuses-before.txt"
  grpc_loads "$grpc_port" "$d"
  statuses > "$d/statuses-after.txt"
  rest_loads "http://127.0.0.1:$http_port/predict/7" "$d"
  grep -E '^Vm(HWM|RSS)' "/proc/$pid/status" > "$d/memory.txt"
  kill "$pid"; wait "$pid" || true; pid=""
}
peers() { # dir
  local d="$1"
  /usr/bin/python3 bench/peers/grpc_peer.py --model-dir "$model_dir" --port "$peer_grpc_port" > "$d/grpc-peer.log" 2>&1 &
  pid=$!
  # A Predict answered OK with the right digit (h2load exits 0 even when it cannot connect).
  wait_until bench grpc-check --address "http://127.0.0.1:$peer_grpc_port"
  grpc_loads "$peer_grpc_port" "$d"
  kill "$pid"; wait "$pid" || true; pid=""
  /usr/bin/python3 bench/peers/rest_peer.py --model-dir "$model_dir" --data-dir data/mnist --port "$peer_rest_port" > "$d/rest-peer.log" 2>&1 &
  pid=$!
  wait_until curl -sf "http://127.0.0.1:$peer_rest_port/health"
  rest_loads "http://127.0.0.1:$peer_rest_port/predict/7" "$d"
  kill "$pid"; wait "$pid" || true; pid=""
}

echo "GLIBC_TUNABLES=${GLIBC_TUNABLES-(unset)}; $(nproc) cores; $(uptime | sed 's/.*load/load/')"
for round in $(seq 1 "$rounds"); do
  echo "round $round/$rounds" >&2
  mkdir -p "$work/$round/ours" "$work/$round/peer"
  if [ $((round % 2)) = 1 ]; then ours "$work/$round/ours"; peers "$work/$round/peer"
  else peers "$work/$round/peer"; ours "$work/$round/ours"; fi
done
echo "after: $(uptime | sed 's/.*load/load/')"
/usr/bin/python3 bench/server_vs_python_summary.py "$work" "$rounds"
