#!/usr/bin/env bash
# The server under overload: goodput (calls answered OK per second) and the p50/p99 latency of the calls answered
# OK, at 1x, 2x, 5x and 10x the saturating load, this tree's server against a baseline's in one run (the order of the
# servers alternating per round), each load in a fixed window of LOAD_SECONDS. The load is Mnist.Benchmarks'
# overload mode: a fixed number of callers, each sending Predict(pixels) again as soon as its last call ends, and
# waiting the server's grpc-retry-pushback-ms when refused, as a gRPC client with a retry policy does. 1x is
# SATURATING_IN_FLIGHT callers: 128, where req/s stops rising on this machine (bench/server-load.sh: 16 and 128 in
# flight give about the same req/s).
#
# Usage: bench/overload.sh [--baseline REV] [rounds]   (default: 1cd1977, the last commit before admission control; 1 round)
# Env: MODEL_DIR (a directory with model.dat; default: trains one with --limit 5000), GRPC_PORT (50181),
#      HTTP_PORT (50182), METRICS_PORT (50183), SATURATING_IN_FLIGHT (128), WARMUP_SECONDS (10 at 1x),
#      LOAD_SECONDS (5 per load), KEEP_WORK=1 keeps the work directory.
set -euo pipefail
cd "$(dirname "$0")/.."
baseline=1cd1977
if [ "${1:-}" = "--baseline" ]; then
  baseline="${2:?--baseline needs a git revision}"
  shift 2
fi
rounds="${1:-1}"
saturating="${SATURATING_IN_FLIGHT:-128}"
warmup_seconds="${WARMUP_SECONDS:-10}"
load_seconds="${LOAD_SECONDS:-5}"
multiples=(1 2 5 10)
scripts/deps.sh bench

work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [ -d "$work/baseline-src" ] && git worktree remove --force "$work/baseline-src" >/dev/null 2>&1
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "work directory kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
. bench/servers.sh

echo "publishing the server and the benchmarks (Release)..." >&2
publish_server . "$work/new/server"
rev="$(publish_baseline "$baseline" "$work/old/server")"
publish_benchmarks "$work/bench"
launcher() { if [ "$1" = new ]; then echo scripts/exec.sh; else baseline_launcher; fi; }
model_dir="$(quick_model)"
[ -f "$model_dir/model.dat" ] || { echo "no model.dat in $model_dir" >&2; exit 1; }
export MODEL_DIR="$model_dir" GRPC_PORT="${GRPC_PORT:-50181}" HTTP_PORT="${HTTP_PORT:-50182}" METRICS_PORT="${METRICS_PORT:-50183}" \
  Logging__LogLevel__Default=Warning
address="http://127.0.0.1:$GRPC_PORT"

measure() { # side round-dir
  local side="$1" r="$2/$1"
  mkdir -p "$r"
  $(launcher "$side") "$work/$side/server/Mnist.Inference.Grpc" > "$r/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do bench grpc-check --address "$address" >/dev/null 2>&1 && break; sleep 0.1; done
  echo "  $side: warm-up, then ${multiples[*]} x $saturating callers..." >&2
  bench overload --address "$address" --in-flight "$saturating" --warmup-seconds "$warmup_seconds" --seconds 1 > /dev/null
  for m in "${multiples[@]}"; do
    bench overload --address "$address" --in-flight $((m * saturating)) --warmup-seconds 1 --seconds "$load_seconds" > "$r/x$m.txt"
  done
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "the $side server died under load; the end of its log:" >&2; tail -n 30 "$r/server.log" >&2; exit 1
  fi
  grep -E '^VmHWM' "/proc/$server_pid/status" > "$r/memory.txt"
  kill "$server_pid"; wait "$server_pid" || true; server_pid=""
}

uptime | sed 's/^/before: /' > "$work/uptime"
for round in $(seq 1 "$rounds"); do
  echo "round $round/$rounds" >&2
  if [ $((round % 2)) -eq 0 ]; then order=(old new); else order=(new old); fi
  for side in "${order[@]}"; do measure "$side" "$work/round$round"; done
done
uptime | sed 's/^/after:  /' >> "$work/uptime"

/usr/bin/python3 - "$work" "$rounds" "$rev" "$saturating" "${multiples[@]}" <<'PY'
import re, statistics, sys
work, rounds, rev, saturating, multiples = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), [int(m) for m in sys.argv[5:]]

def load(path):
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+|NaN)", open(path).read()) if v != "NaN"}

print(open(f"{work}/uptime").read().rstrip())
names = {"old": f"old ({rev})", "new": "new (this tree)"}
print(f"| {'median of ' + str(rounds) + ' round(s)':20} | callers | " + " | ".join(f"{names[s]}: goodput/s, % of peak, p50 ms, p99 ms, refused" for s in ("old", "new")) + " |")
print("|---|---|---|---|")
peaks = {}
for side in ("old", "new"):
    peaks[side] = max(statistics.median(load(f"{work}/round{i}/{side}/x{m}.txt")["goodput"] for i in range(1, rounds + 1)) for m in multiples)
for m in multiples:
    cells = []
    for side in ("old", "new"):
        runs = [load(f"{work}/round{i}/{side}/x{m}.txt") for i in range(1, rounds + 1)]
        med = lambda key: statistics.median(r.get(key, float("nan")) for r in runs)
        goodput = med("goodput")
        cells.append(f"{goodput:.0f}, {100 * goodput / peaks[side]:.0f} %, {med('p50_ms'):.1f}, {med('p99_ms'):.1f}, {med('refused'):.0f}"
                     + (f" (+{med('failed'):.0f} failed)" if med("failed") else ""))
    print(f"| {str(m) + 'x':20} | {m * saturating} | " + " | ".join(cells) + " |")
for side in ("old", "new"):
    hwm = [int(re.search(r"(\d+) kB", open(f"{work}/round{i}/{side}/memory.txt").read()).group(1)) / 1024 for i in range(1, rounds + 1)]
    print(f"{names[side]}: peak RSS (VmHWM) {statistics.median(hwm):.0f} MiB")
PY
