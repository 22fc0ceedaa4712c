#!/usr/bin/env bash
# Every bench once, with sizes that take seconds: each must still run end to end (publish, start its servers, load
# them, parse what it measured) and every call must succeed. Nothing here is about speed: no figure is compared
# with anything, and the runs are too short to mean anything. CI runs it after scripts/e2e-containers.sh.
#
# The server, Mnist.Benchmarks and Mnist.Training are published once (BENCH_PUBLISHED, bench/servers.sh) and one
# tiny model is trained once (MODEL_DIR) for every bench. The benches run in the Debian 13 userland of
# scripts/exec.sh, where scripts/deps.sh bench installs their tools, so the host needs nothing more; except
# serve-image.sh, which drives the host's podman.
#
# Usage: bench/smoke.sh [--built] [--serve-image IMAGE]
#   --built: build this tree in Release (incremental after scripts/test.sh) and use its bin/Release/net10.0
#            instead of publishing; a smoke does not need ReadyToRun
#   IMAGE: a serving image podman already has, e.g. the e2e's localhost/mnist-serve:dev; without it serve-image.sh
#          is not smoked
# Env: SMOKE_PORT (50261: this and the next five ports, apart from the benches' defaults).
set -euo pipefail
cd "$(dirname "$0")/.."
serve_image="" built=0
while [ $# -gt 0 ]; do
  case "$1" in
    --built) built=1; shift ;;
    --serve-image) serve_image="${2:?--serve-image needs an image}"; shift 2 ;;
    *) sed -n '11,17p' "$0" >&2; exit 2 ;;
  esac
done

started=$SECONDS
step_started=$SECONDS
step() { echo "smoke: $1 ($(( SECONDS - step_started )) s)" >&2; step_started=$SECONDS; }

work="$(mktemp -d)"
deps_pid=""
trap '[ -z "$deps_pid" ] || kill "$deps_pid" 2>/dev/null; rm -rf "$work"' EXIT
# The install waits on the network, the publishing on the cores: side by side.
scripts/exec.sh scripts/deps.sh bench > "$work/deps.log" 2>&1 &
deps_pid=$!

unset BENCH_PUBLISHED
. bench/servers.sh
if [ "$built" = 1 ]; then
  # Incremental: after scripts/test.sh only Mnist.Benchmarks, which no test references, is left to compile.
  scripts/exec.sh dotnet build Mnist.sln -c Release -v q -nologo > "$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
  mkdir -p "$work/published"
  for link in server:Mnist.Inference.Grpc bench:Mnist.Benchmarks trainer:Mnist.Training; do
    ln -s "$PWD/${link#*:}/bin/Release/net10.0" "$work/published/${link%%:*}"
  done
else
  publish_server . "$work/published/server"
  publish_benchmarks "$work/published/bench"
  publish_trainer "$work/published/trainer"
fi
# Every bench links these instead of publishing.
export BENCH_PUBLISHED="$work/published"
step "server, Mnist.Benchmarks and Mnist.Training $([ "$built" = 1 ] && echo "built (Release)" || echo published)"
wait "$deps_pid" || { cat "$work/deps.log" >&2; echo "smoke: installing the bench tools failed" >&2; exit 1; }
deps_pid=""
cat "$work/deps.log" >&2
step "bench tools installed in the userland"

export MODEL_DIR="$work/model"
scripts/exec.sh "$BENCH_PUBLISHED/trainer/Mnist.Training" --data-dir data/mnist --model-dir "$MODEL_DIR" --limit 1000 > "$work/train.log" \
  || { cat "$work/train.log" >&2; exit 1; }
step "a tiny model trained (--limit 1000)"

port="${SMOKE_PORT:-50261}"
export GRPC_PORT=$port HTTP_PORT=$((port + 1)) GRPC_PROBE_PORT=$((port + 2)) METRICS_PORT=$((port + 3)) \
  PEER_GRPC_PORT=$((port + 4)) PEER_REST_PORT=$((port + 5))

failed=()
# smoke NAME COMMAND...: runs it, its output in $work/NAME.log; a failure is reported with the end of that log.
smoke() {
  local name="$1"; shift
  local code=0
  "$@" > "$work/$name.log" 2>&1 || code=$?
  if [ "$code" = 0 ]; then step "$name ran"; return 0; fi
  echo "smoke: $name FAILED (exit $code); the end of its output:" >&2
  tail -n 40 "$work/$name.log" >&2
  failed+=("$name"); step_started=$SECONDS; return 1
}
# expect NAME WHAT REGEX: the output of NAME has a line matching REGEX (grep -E), else NAME failed.
expect() {
  if grep -qE "$3" "$work/$1.log"; then return 0; fi
  echo "smoke: $1 FAILED: no $2 in its output (expected a line matching: $3); its output:" >&2
  tail -n 40 "$work/$1.log" >&2
  failed+=("$1")
}
# reject NAME WHAT REGEX: no line of the output of NAME matches REGEX, else NAME failed.
reject() {
  grep -E "$3" "$work/$1.log" >&2 || return 0
  echo "smoke: $1 FAILED: $2" >&2
  failed+=("$1")
}
in_userland() { scripts/exec.sh env "$@"; }

# Mnist.Benchmarks' modes that no bench script runs: the forward pass with training, and the predictor alone.
if smoke forward in_userland "$BENCH_PUBLISHED/bench/Mnist.Benchmarks" forward --batches 2 --threads 1 --sizes 1,8; then
  expect forward "training rate" '^train +batch 64: +[0-9]+ images/s'
  expect forward "inference rate at batch 8" '^predict batch +8: +[0-9]+ images/s'
fi
if smoke forward-concurrent in_userland "$BENCH_PUBLISHED/bench/Mnist.Benchmarks" forward-concurrent --model "$MODEL_DIR/model.dat" \
    --callers 2 --seconds 1; then
  expect forward-concurrent "predictor rate" '^PREDICTOR callers=2 images_per_s=[1-9][0-9]*'
fi

# --security measures three servers (keys and TLS off, API keys on, TLS on): the plain one is the default run.
if smoke server-load in_userland WARMUP_SECONDS=1 LOAD_SECONDS=1 C1_REQUESTS=50 STARTUP_RUNS=1 bench/server-load.sh --security 1; then
  for side in plain keys tls; do
    expect server-load "$side: every h2load request succeeded" "^$side: [1-9][0-9]* requests succeeded, 0 failed"
    expect server-load "$side: grpc-status 0 after the load" "^$side: .*grpc-status check after the last load: grpc-status 0 \(OK\)"
  done
  expect server-load "start-up row" '^\| start-up to SERVING \(ms\) +\| +[0-9]+ '
fi

# The baseline is this tree (HEAD), which bench/servers.sh does not build a second time.
if smoke overload in_userland SATURATING_IN_FLIGHT=4 WARMUP_SECONDS=1 LOAD_SECONDS=0.5 bench/overload.sh --baseline HEAD 1; then
  for m in 1 2 5 10; do expect overload "row for ${m}x" "^\| ${m}x +\| $((m * 4)) \| [1-9][0-9]*, "; done
  reject overload "calls failed (other than refused)" 'failed\)'
fi

if smoke first-seconds in_userland FIRST_SECONDS=1 SETTLE_SECONDS=1 STEADY_SECONDS=1 bench/first-seconds.sh 1; then
  expect first-seconds "round row" '^\| 1 \| new \| [0-9]+ \| [1-9][0-9]* \| [1-9][0-9]* \| [0-9]+ % \|$'
fi

if smoke oip-batch in_userland SIZES=8 THREADS=1 CALLERS=2 WARMUP_SECONDS=1 SECONDS_EACH=1 bench/oip-batch.sh; then
  # The timed run waits for every answer (h2load -n): every call the server counted must be OK.
  expect oip-batch "row for batch 8 with grpc-status OK only" \
    '^\| 1 \| 8 \| [1-9][0-9,]* \| [1-9][0-9,]* \| [0-9]+ % \| [0-9]+ / [0-9]+ \| [0-9]+ % \| 0: [1-9][0-9]* \([1-9][0-9]* HTTP 200\) \|$'
fi

if smoke server-vs-python in_userland WARMUP_SECONDS=1 LOAD_SECONDS=1 FIRST_SECONDS=1 C1_REQUESTS=20 STARTUP_RUNS=1 \
    bench/server-vs-python.sh 1; then
  expect server-vs-python "h2load counts without failures" '^round 1: h2load ours [1-9][0-9]* ok/0 failed, peer [1-9][0-9]* ok/0 failed;'
  # Our server counts as UNKNOWN (2) the calls h2load cuts when a timed load ends, up to c8 x m16 = 128 per load:
  # the warm-up's and the measured load's, and the first-seconds load's just before the window, whose cut calls the
  # server may count only once the window has begun. Any other status, or more than 3 x 128, is a failure.
  expect server-vs-python "grpc-status counts of OK (and of the cut calls)" "counted by our server during its gRPC loads \{'0': [1-9][0-9]*(, '2': [0-9]+)?\}, by the peer \(whole run\) \{'OK': [1-9][0-9]*\};"
  cut="$(sed -nE "s/.*during its gRPC loads \{'0': [0-9]+, '2': ([0-9]+)\}.*/\1/p" "$work/server-vs-python.log")"
  [ "${cut:-0}" -le 384 ] || { echo "smoke: server-vs-python FAILED: $cut calls UNKNOWN, more than h2load cuts" >&2; failed+=(server-vs-python); }
  expect server-vs-python "HTTP 200s only" 'HTTP statuses ours c16 \{200: [0-9]+\} c1 \{200: [0-9]+\}, peer c16 \{200: [0-9]+\} c1 \{200: [0-9]+\}$'
  expect server-vs-python "ratio table" '^\| gRPC Predict\(pixels\) req/s, c8 m16 \| [1-9]'
fi

if smoke train-vs-pytorch in_userland LIMIT=64 bench/train-vs-pytorch.sh 1; then
  expect train-vs-pytorch "wall times" '^wall time \(s\) +[0-9.]+ +[0-9.]+ +[0-9.]+$'
  expect train-vs-pytorch "test accuracies" '^test accuracy +[0-9.]+% +[0-9.]+%$'
fi

if [ -n "$serve_image" ]; then
  if smoke serve-image bench/serve-image.sh --runs 1 "$serve_image"; then
    expect serve-image "a start-up time" "^\| $serve_image +\| +[0-9.]+[kMG]?B \| median [0-9.]+ "
  fi
fi

if [ ${#failed[@]} -gt 0 ]; then
  echo "smoke: FAILED: ${failed[*]} (in $(( SECONDS - started )) s)" >&2
  exit 1
fi
echo "smoke: every bench ran, in $(( SECONDS - started )) s" >&2
