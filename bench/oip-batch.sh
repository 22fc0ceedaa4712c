#!/usr/bin/env bash
# Open Inference ModelInfer with batches of raw FP32 images, against the forward-only figure (Mnist.Benchmarks
# forward) at the same batch size and libtorch threads, in one run. The server runs with BATCH_MAX_SIZE = the
# request's batch, one batch worker and TORCH_THREADS = the forward's threads, so both sides run the same forwards;
# the difference is the protocol (receive, check, convert, queue, answer) and the client on the same cores. The client
# is h2load sending one prebuilt gRPC-framed ModelInferRequest (Mnist.Benchmarks oip-request: test images 0..B-1, FP32
# [B,1,28,28] in raw_input_contents, as tritonclient sends them), CALLERS streams on one connection: it costs the
# server's cores ~1 % of one core at batch 64, where a .NET gRPC client took ~50 %. Each forward-only figure is measured just
# before its ModelInfer figure, so a change in the machine's load between sizes hits both sides. Printed beside them:
# CPU time per image of the forward-only process and of the server over the timed run (robust to other processes on
# the cores: the server's minus the forward's is what the protocol costs), h2load's own CPU (user + system, % of one
# core over the timed run), and the grpc-status of every ModelInfer call of the timed run as the server counted them
# in /metrics (h2load only sees HTTP 200); after each timed run one call with Grpc.Net.Client (Mnist.Benchmarks
# oip-check) checks the answer (status OK, both raw outputs, digits against labels).
#
# Usage: BENCH_LOCK=/work/bench.lock bench/oip-batch.sh   (builds first, then times under flock BENCH_LOCK when set,
#        so no other timed run shares the cores)
# Env: MODEL_DIR (a directory with model.dat; default: trains one with --limit 5000), GRPC_PORT (50171),
#      HTTP_PORT (50172), METRICS_PORT (50173; 9090 may be another server's), SIZES ("1 8 64 256"), THREADS ("1 2"),
#      CALLERS (2 calls in flight), WARMUP_SECONDS (3, with single images then with the batch), SECONDS_EACH (5 per figure).
set -euo pipefail
cd "$(dirname "$0")/.."
grpc_port="${GRPC_PORT:-50171}"
http_port="${HTTP_PORT:-50172}"
metrics_port="${METRICS_PORT:-50173}"
sizes="${SIZES:-1 8 64 256}"
threads_list="${THREADS:-1 2}"
callers="${CALLERS:-2}"
warmup="${WARMUP_SECONDS:-3}"
seconds="${SECONDS_EACH:-5}"
scripts/deps.sh bench

work="$(mktemp -d)"
server_pid=""
. bench/servers.sh
trap stop_server_and_clean EXIT
prepare_this_tree
for size in $(printf "%s\n" 1 $sizes | sort -nu); do bench oip-request --data-dir data/mnist --batch "$size" --out "$work/request-$size.bin" >&2; done
address="http://127.0.0.1:$grpc_port"
h2() { # request-file h2load-options...
  local request="$1"; shift
  h2load -d "$request" -H 'content-type: application/grpc' -H 'te: trailers' -c1 -m"$callers" "$@" "$address/inference.GRPCInferenceService/ModelInfer"
}
statuses() { # the server's count of ModelInfer calls per grpc-status, "code count" lines
  curl -s "http://127.0.0.1:$metrics_port/metrics" \
    | sed -nE 's/^http_server_request_duration_seconds_count\{.*http_route="\/inference.GRPCInferenceService\/ModelInfer".*rpc_grpc_status_code="([0-9]+)".*\} ([0-9]+)$/\1 \2/p'
}
if [ -n "${BENCH_LOCK:-}" ]; then
  exec 9>"$BENCH_LOCK"
  echo "waiting for $BENCH_LOCK..." >&2
  flock 9
fi

uptime | sed 's/^/before: /'
echo "| threads | batch | forward-only images/s | ModelInfer images/s | ModelInfer / forward | CPU us/image, forward / server | client CPU | grpc-status (server) |"
echo "|---|---|---|---|---|---|---|---|"
for threads in $threads_list; do
  for size in $sizes; do
    run="$work/$threads-$size"
    bench forward --threads "$threads" --predict-only --sizes "$size" > "$run-forward.txt" 2> "$run-forward.err"
    MODEL_DIR="$model_dir" GRPC_PORT="$grpc_port" HTTP_PORT="$http_port" METRICS_PORT="$metrics_port" Logging__LogLevel__Default=Warning \
      BATCH_MAX_SIZE="$size" BATCH_WORKERS=1 TORCH_THREADS="$threads" \
      scripts/exec.sh "$work/server/Mnist.Inference.Grpc" > "$run-server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 100); do bench grpc-check --address "$address" >/dev/null 2>&1 && break; sleep 0.1; done
    # Warm-up: .NET's tiered JIT recompiles the call path in the background for thousands of calls (without this, a
    # profile of the timed run at batch 64 showed its compiler thread at a quarter of the server's CPU), so first
    # single images, thousands of calls through the same Kestrel, gRPC and Open Inference code, then the batch itself,
    # which also gives the rate: the timed run sends that many calls for about SECONDS_EACH and waits for every answer
    # (h2load -D would reset the calls in flight at its end).
    h2 "$work/request-1.bin" -D "$warmup" > /dev/null
    h2 "$work/request-$size.bin" -D "$warmup" > "$run-warmup.txt"
    calls="$(sed -nE 's/^finished in .*, ([0-9.]+) req\/s.*/\1/p' "$run-warmup.txt" | awk -v s="$seconds" '{ n = int($1 * s); print n < 10 ? 10 : n }')"
    sleep 1 # the warm-up's reset calls end and are counted, and the background JIT catches up, before the timed run
    statuses > "$run-before.txt"
    cut -d' ' -f14,15 "/proc/$server_pid/stat" > "$run-server-cpu.txt"
    TIMEFORMAT='%U %S'
    { time h2 "$work/request-$size.bin" -n "$calls" > "$run-h2load.txt"; } 2> "$run-client-cpu.txt"
    cut -d' ' -f14,15 "/proc/$server_pid/stat" >> "$run-server-cpu.txt"
    statuses > "$run-after.txt"
    bench oip-check --address "$address" --data-dir data/mnist --request "$work/request-$size.bin" > "$run-check.txt" \
      || { cat "$run-check.txt" >&2; tail -n 30 "$run-server.log" >&2; exit 1; }
    kill "$server_pid"; wait "$server_pid" || true; server_pid=""
    forward="$(sed -nE "s/^predict batch +$size: +([0-9]+) images\/s.*/\1/p" "$run-forward.txt")"
    /usr/bin/python3 - "$run" "$threads" "$size" "$forward" <<'PY'
import os, re, sys
run, threads, size, forward = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
h2 = open(f"{run}-h2load.txt").read()
# h2load prints a run shorter than a second in ms (or us).
value, unit = re.search(r"finished in ([\d.]+)(us|ms|s),", h2).groups()
elapsed = float(value) / {"us": 1e6, "ms": 1e3, "s": 1}[unit]
succeeded = int(re.search(r"(\d+) succeeded", h2).group(1))
user, system = map(float, open(f"{run}-client-cpu.txt").read().split())
(u0, s0), (u1, s1) = [map(int, l.split()) for l in open(f"{run}-server-cpu.txt").read().splitlines()]
server_us = (u1 + s1 - u0 - s0) * 1e6 / os.sysconf("SC_CLK_TCK") / (succeeded * size)
forward_us = float(re.search(r"cpu (\d+) us/image", open(f"{run}-forward.txt").read()).group(1))
counts = lambda name: {c: int(n) for c, n in (l.split() for l in open(f"{run}-{name}.txt") if l.strip())}
before, after = counts("before"), counts("after")
delta = {c: after[c] - before.get(c, 0) for c in sorted(after) if after[c] != before.get(c, 0)}
served = succeeded * size / elapsed
print(f"| {threads} | {size} | {forward:,.0f} | {served:,.0f} | {100 * served / forward:.0f} % | {forward_us:.0f} / {server_us:.0f} | {100 * (user + system) / elapsed:.0f} % | "
      + ", ".join(f"{c}: {n}" for c, n in delta.items()) + f" ({succeeded} HTTP 200) |")
PY
  done
done
uptime | sed 's/^/after:  /'
