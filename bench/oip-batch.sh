#!/usr/bin/env bash
# Open Inference ModelInfer with batches of raw FP32 images, against the forward-only figure (Mnist.Benchmarks
# forward) at the same batch size and libtorch threads, in one run. The server runs with BATCH_MAX_SIZE = the
# request's batch, one batch worker and TORCH_THREADS = the forward's threads, so both sides run the same forwards;
# the difference is the protocol (decode, check, queue, answer) and the client on the same cores. Each forward-only
# figure is measured just before its ModelInfer figure, so a change in the machine's load between sizes hits both
# sides; the client's own CPU (% of one core over the timed run) is printed beside them.
#
# Usage: BENCH_LOCK=/work/bench.lock bench/oip-batch.sh   (builds first, then times under flock BENCH_LOCK when set,
#        so no other timed run shares the cores)
# Env: MODEL_DIR (a directory with model.dat; default: trains one with --limit 5000), GRPC_PORT (50171),
#      HTTP_PORT (50172), METRICS_PORT (50173; 9090 may be another server's), SIZES ("1 8 64 256"), THREADS ("1 2"), CALLERS (2 calls in flight), SECONDS_EACH (3 per figure).
set -euo pipefail
cd "$(dirname "$0")/.."
grpc_port="${GRPC_PORT:-50171}"
http_port="${HTTP_PORT:-50172}"
metrics_port="${METRICS_PORT:-50173}"
sizes="${SIZES:-1 8 64 256}"
threads_list="${THREADS:-1 2}"
callers="${CALLERS:-2}"
seconds="${SECONDS_EACH:-3}"

work="$(mktemp -d)"
server_pid=""
. bench/servers.sh
trap stop_server_and_clean EXIT
prepare_this_tree
address="http://127.0.0.1:$grpc_port"
if [ -n "${BENCH_LOCK:-}" ]; then
  exec 9>"$BENCH_LOCK"
  echo "waiting for $BENCH_LOCK..." >&2
  flock 9
fi

uptime | sed 's/^/before: /'
echo "| threads | batch | forward-only images/s | ModelInfer images/s | ModelInfer / forward | client CPU |"
echo "|---|---|---|---|---|---|"
for threads in $threads_list; do
  for size in $sizes; do
    bench forward --threads "$threads" --predict-only --sizes "$size" > "$work/forward-$threads-$size.txt" 2> "$work/forward-$threads-$size.err"
    MODEL_DIR="$model_dir" GRPC_PORT="$grpc_port" HTTP_PORT="$http_port" METRICS_PORT="$metrics_port" Logging__LogLevel__Default=Warning \
      BATCH_MAX_SIZE="$size" BATCH_WORKERS=1 TORCH_THREADS="$threads" \
      scripts/exec.sh "$work/server/Mnist.Inference.Grpc" > "$work/server-$threads-$size.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do bench grpc-check --address "$address" >/dev/null 2>&1 && break; sleep 0.1; done
    bench oip-infer --address "$address" --data-dir data/mnist --batch "$size" --callers "$callers" --seconds "$seconds" > "$work/oip-$threads-$size.txt" \
      || { tail -n 30 "$work/server-$threads-$size.log" >&2; exit 1; }
    kill "$server_pid"; wait "$server_pid" || true; server_pid=""
    forward="$(sed -nE "s/^predict batch +$size: +([0-9]+) images\/s.*/\1/p" "$work/forward-$threads-$size.txt")"
    served="$(sed -nE 's/.*images_per_s=([0-9]+).*/\1/p' "$work/oip-$threads-$size.txt")"
    client="$(sed -nE 's/.*client_cpu_percent=([0-9]+).*/\1/p' "$work/oip-$threads-$size.txt")"
    awk -v t="$threads" -v b="$size" -v f="$forward" -v s="$served" -v c="$client" 'BEGIN { printf "| %s | %s | %d | %d | %.0f %% | %d %% |\n", t, b, f, s, 100 * s / f, c }'
  done
done
uptime | sed 's/^/after:  /'
