#!/usr/bin/env bash
# The inference server under load on loopback. Publishes the server (Release, ReadyToRun, as the Dockerfile does)
# and Mnist.Benchmarks, then per round and per server: start-up to SERVING, Predict latency at 1 in flight, and
# throughput at 16 and 128 in flight with h2load (real HTTP/2, a gRPC-framed PredictRequest of a real MNIST test
# image), and the server's RSS. Prints each round and the medians.
#
# Usage: bench/server-load.sh [--baseline REV | --metrics-off-too | --variant 'KEY=VALUE ...' | --security] [rounds]   (default 3)
#   --baseline REV     also builds the server of git revision REV (in a temporary `git worktree` outside the repo) and
#                      measures both in the same run, alternating within each round; prints new/old ratios.
#   --metrics-off-too  measures this tree's server twice per round, alternating: with METRICS_ENABLED=false ("off")
#                      and with metrics on ("new"), both scraped at GET /metrics every SCRAPE_INTERVAL seconds
#                      during the load (the off server answers 404); prints on/off ratios.
#   --variant 'K=V ...' measures this tree's server twice per round, alternating: with these environment variables
#                      ("variant": a setting, GLIBC_TUNABLES, DOTNET_*) and as it is ("new"); prints new/variant ratios.
#   --security         measures this tree's server three times per round: keys and TLS off ("plain"), API keys on
#                      ("keys": API_KEYS_FILE with one key, every call carrying it) and TLS on ("tls": a self-signed
#                      P-256 certificate, h2load over TLS, start-up timed on GRPC_PROBE_PORT); prints keys/plain and
#                      tls/plain ratios.
# Env: MODEL_DIR (a directory with model.dat; default: trains one with --limit 5000), GRPC_PORT (50161),
#      HTTP_PORT (50162), METRICS_PORT (50164), GRPC_PROBE_PORT (50163, with --security), WARMUP_SECONDS (15 at 128 in flight), LOAD_SECONDS (5 per load run), C1_REQUESTS (5000),
#      STARTUP_RUNS (3),
#      SCRAPE_INTERVAL (1, with --metrics-off-too), KEEP_WORK=1 keeps the work directory (logs, h2load output).
set -euo pipefail
cd "$(dirname "$0")/.."
baseline=""
metrics_off_too=0
variant=""
security=0
if [ "${1:-}" = "--baseline" ]; then
  baseline="${2:?--baseline needs a git revision}"
  shift 2
elif [ "${1:-}" = "--metrics-off-too" ]; then
  metrics_off_too=1
  shift
elif [ "${1:-}" = "--variant" ]; then
  variant="${2:?--variant needs KEY=VALUE settings}"
  shift 2
elif [ "${1:-}" = "--security" ]; then
  security=1
  shift
fi
scrape_interval="${SCRAPE_INTERVAL:-1}"
rounds="${1:-3}"
grpc_port="${GRPC_PORT:-50161}"
http_port="${HTTP_PORT:-50162}"
# Not the server's default 9090, which another server on the machine may hold.
metrics_port="${METRICS_PORT:-50164}"
warmup_seconds="${WARMUP_SECONDS:-15}"
load_seconds="${LOAD_SECONDS:-5}"
c1_requests="${C1_REQUESTS:-5000}"
startup_runs="${STARTUP_RUNS:-3}"
scripts/deps.sh bench

work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "${scraper_pid:-}" ] && kill "$scraper_pid" 2>/dev/null
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  [ -d "$work/baseline-src" ] && git worktree remove --force "$work/baseline-src" >/dev/null 2>&1
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "work directory kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

. bench/servers.sh

sides=(new)
echo "publishing the server and the benchmarks (Release)..." >&2
publish_server . "$work/new/server"
if [ -n "$baseline" ]; then
  rev="$(publish_baseline "$baseline" "$work/old/server")"
  sides=(old new)
elif [ "$metrics_off_too" = 1 ]; then
  sides=(off new)
elif [ -n "$variant" ]; then
  sides=(variant new)
elif [ "$security" = 1 ]; then
  sides=(plain keys tls)
  # What an operator would supply: a keys file with one key, and a certificate for the address the clients dial.
  api_key="$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')"
  printf 'bench:%s\n' "$api_key" > "$work/api-keys"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$work/tls-key.pem" -out "$work/tls-cert.pem" 2>/dev/null
  probe_port="${GRPC_PROBE_PORT:-50163}"
fi
# One load generator and one start-up timer (the current tree's) for every server.
publish_benchmarks "$work/bench"
launcher() {
  case "$1" in
    new) echo scripts/exec.sh ;;
    off) echo scripts/exec.sh env METRICS_ENABLED=false ;; # env execs too: the pid stays the server's
    variant) echo scripts/exec.sh env $variant ;;
    plain) echo scripts/exec.sh ;;
    keys) echo scripts/exec.sh env API_KEYS_FILE="$work/api-keys" ;;
    tls) echo scripts/exec.sh env TLS_CERT_FILE="$work/tls-cert.pem" TLS_KEY_FILE="$work/tls-key.pem" GRPC_PROBE_PORT="$probe_port" ;;
    *) baseline_launcher ;;
  esac
}
executable() { if [ "$1" = off ] || [ "$1" = variant ] || [ "$1" = plain ] || [ "$1" = keys ] || [ "$1" = tls ]; then echo "$work/new/server/Mnist.Inference.Grpc"; else echo "$work/$1/server/Mnist.Inference.Grpc"; fi; }
scraper_pid=""
scrape_during_load() { # out-file: one HTTP status per scrape, as Prometheus would scrape (cheaper than Prometheus' 15-60 s)
  while :; do curl -s -o /dev/null -w '%{http_code}\n' "http://127.0.0.1:$metrics_port/metrics" >> "$1" || true; sleep "$scrape_interval"; done
}
model_dir="$(quick_model)"
[ -f "$model_dir/model.dat" ] || { echo "no model.dat in $model_dir" >&2; exit 1; }

bench grpc-request --data-dir data/mnist --index 0 --out "$work/predict.bin" >&2
address="http://127.0.0.1:$grpc_port"
url="$address/mnist.v1.Mnist/Predict"
side_h2=(); side_url=""
h2() { h2load -d "$work/predict.bin" -H 'content-type: application/grpc' -H 'te: trailers' "${side_h2[@]}" "$@" "${side_url:-$url}"; }
export MODEL_DIR="$model_dir" GRPC_PORT="$grpc_port" HTTP_PORT="$http_port" METRICS_PORT="$metrics_port" Logging__LogLevel__Default=Warning

allocated_bytes() { # the server's dotnet.gc.heap.total_allocated, as its metrics port exports it
  curl -s -m 2 "http://127.0.0.1:$metrics_port/metrics" | sed -nE 's/^dotnet_gc_heap_total_allocated_bytes_total(\{[^}]*\})? ([0-9.e+]+).*/\2/p' | head -n 1
}

measure() { # side round-dir
  local side="$1" r="$2/$1" exe
  exe="$(executable "$1")"
  mkdir -p "$r"
  # --security's sides: the key on every call (h2load, the check), TLS to the gRPC port with health in clear on the
  # probe port. The check reads MNIST_API_KEY; h2load verifies no certificate, the check verifies this one.
  local health="$address" check=(--address "$address")
  side_h2=(); side_url=""; unset MNIST_API_KEY
  case "$side" in
    keys) side_h2=(-H "authorization: Bearer $api_key"); export MNIST_API_KEY="$api_key" ;;
    tls) side_url="https://127.0.0.1:$grpc_port/mnist.v1.Mnist/Predict"; health="http://127.0.0.1:$probe_port"
         check=(--address "https://127.0.0.1:$grpc_port" --ca-file "$work/tls-cert.pem") ;;
  esac
  echo "  $side: start-up..." >&2
  bench startup --address "$health" --runs "$startup_runs" -- $(launcher "$side") "$exe" > "$r/startup.txt"
  echo "  $side: load..." >&2
  $(launcher "$side") "$exe" > "$r/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do bench grpc-check "${check[@]}" >/dev/null 2>&1 && break; sleep 0.1; done
  # Warm-up: the JIT's tiers (ReadyToRun code, then instrumented, then optimised) settle only after about 60,000
  # calls here (~8 s at full load: req/s rose from ~7,700 to ~10,000; b3a5e18's from ~3,700 to ~7,200 in ~5 s).
  h2 -c16 -m8 -D "$warmup_seconds" > /dev/null
  if [ "$metrics_off_too" = 1 ]; then : > "$r/scrapes.txt"; scrape_during_load "$r/scrapes.txt" & scraper_pid=$!; fi
  h2 -c1 -m1 -n "$c1_requests" --log-file "$r/c1.tsv" > "$r/c1.txt"
  h2 -c4 -m4 -D "$load_seconds" > "$r/c16.txt"                     # 16 in flight
  # The server's CPU time (utime + stime, clock ticks) around the 128-in-flight run: per call, it moves far less than
  # req/s when other processes compete for the cores.
  # The same for the managed bytes it allocated, from its own /metrics (a server without them leaves the file empty).
  cut -d' ' -f14,15 "/proc/$server_pid/stat" > "$r/cpu128.txt"; allocated_bytes > "$r/alloc128.txt"
  h2 -c16 -m8 -D "$load_seconds" > "$r/c128.txt"                   # 128 in flight
  cut -d' ' -f14,15 "/proc/$server_pid/stat" >> "$r/cpu128.txt"; allocated_bytes >> "$r/alloc128.txt"
  if [ -n "$scraper_pid" ]; then kill "$scraper_pid"; wait "$scraper_pid" 2>/dev/null || true; scraper_pid=""; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "the $side server died under load; the end of its log:" >&2; tail -n 30 "$r/server.log" >&2; exit 1
  fi
  grep -E '^Vm(HWM|RSS)' "/proc/$server_pid/status" > "$r/memory.txt"
  bench grpc-check "${check[@]}" > "$r/check.txt" || { cat "$r/check.txt" >&2; exit 1; }
  kill "$server_pid"; wait "$server_pid" || true; server_pid=""
}

uptime | sed 's/^/before: /' > "$work/uptime"
[ -z "$variant" ] || echo "variant: $variant"
for round in $(seq 1 "$rounds"); do
  echo "round $round/$rounds" >&2
  # Alternate which server goes first, so a drift of the machine's load favours neither.
  if [ $((round % 2)) -eq 0 ]; then order=("${sides[@]}"); else order=($(printf '%s\n' "${sides[@]}" | tac)); fi
  for side in "${order[@]}"; do measure "$side" "$work/round$round"; done
done
uptime | sed 's/^/after:  /' >> "$work/uptime"

/usr/bin/python3 - "$work" "$rounds" "${baseline:+$rev}" "${sides[@]}" <<'PY'
import os, re, statistics, sys
work, rounds, baseline, sides = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]

def h2load(path):
    text = open(path).read()
    m = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout", text)
    total, _, done, ok, failed, errored, timeout = map(int, m.groups())
    rps = float(re.search(r"finished in [\d.]+\w+, ([\d.]+) req/s", text).group(1))
    two = int(re.search(r"status codes: (\d+) 2xx", text).group(1))
    return rps, ok, failed + errored + timeout + (done - two)

def round_figures(r):
    lat = sorted(int(l.split("\t")[2]) for l in open(f"{r}/c1.tsv") if l.strip())
    pct = lambda p: lat[min(len(lat) - 1, int(p / 100 * len(lat)))] / 1000
    c16, ok16, bad16 = h2load(f"{r}/c16.txt")
    c128, ok128, bad128 = h2load(f"{r}/c128.txt")
    _, ok1, bad1 = h2load(f"{r}/c1.txt")
    mem = dict(re.findall(r"(Vm\w+):\s+(\d+) kB", open(f"{r}/memory.txt").read()))
    startup = open(f"{r}/startup.txt").read()
    (u0, s0), (u1, s1) = [map(int, line.split()) for line in open(f"{r}/cpu128.txt").read().splitlines()]
    cpu_us = (u1 + s1 - u0 - s0) * 1e6 / os.sysconf("SC_CLK_TCK") / max(ok128, 1)
    allocated = [float(v) for v in open(f"{r}/alloc128.txt").read().split()]
    alloc_b = (allocated[1] - allocated[0]) / max(ok128, 1) if len(allocated) == 2 else None
    return dict(cpu_us=cpu_us, alloc_b=alloc_b, p50=pct(50), p99=pct(99), c16=c16, c128=c128, hwm=int(mem["VmHWM"]) / 1024, rss=int(mem["VmRSS"]) / 1024,
                startup=float(re.search(r"median_ms=(\d+)", startup).group(1)),
                startup_cpu=float(re.search(r"median_cpu_ms=(\d+)", startup).group(1)),
                ok=ok1 + ok16 + ok128, bad=bad1 + bad16 + bad128, check=open(f"{r}/check.txt").read().strip())

figures = {s: [round_figures(f"{work}/round{i}/{s}") for i in range(1, rounds + 1)] for s in sides}
print(open(f"{work}/uptime").read().rstrip())
for s in sides:
    rows = figures[s]
    print(f"{s}: {sum(x['ok'] for x in rows)} requests succeeded, {sum(x['bad'] for x in rows)} failed/errored/non-200 (h2load); "
          f"grpc-status check after the last load: {rows[-1]['check']}")
    scrapes = [f"{work}/round{i}/{s}/scrapes.txt" for i in range(1, rounds + 1)]
    if all(os.path.exists(p) for p in scrapes):
        codes = [c for p in scrapes for c in open(p).read().split()]
        print(f"{s}: {len(codes)} scrapes of /metrics during the loads, HTTP status: " +
              ", ".join(f"{c} x{codes.count(c)}" for c in sorted(set(codes))))
cols = [("req/s, 16 in flight (-c4 -m4)", "c16", "{:.0f}", True), ("req/s, 128 in flight (-c16 -m8)", "c128", "{:.0f}", True),
        ("CPU per call, 128 in flight (us)", "cpu_us", "{:.0f}", False),
        ("managed bytes allocated per call, 128", "alloc_b", "{:.0f}", False),
        ("p50 latency, 1 in flight (ms)", "p50", "{:.3f}", False), ("p99 latency, 1 in flight (ms)", "p99", "{:.3f}", False),
        ("peak RSS VmHWM (MiB)", "hwm", "{:.0f}", False), ("RSS after load VmRSS (MiB)", "rss", "{:.0f}", False),
        ("start-up to SERVING (ms)", "startup", "{:.0f}", False), ("  server CPU until then (ms)", "startup_cpu", "{:.0f}", False)]
names = {"old": f"old ({baseline})", "new": "new (this tree)" if "off" not in sides else "metrics on", "off": "metrics off",
         "variant": "variant", "plain": "keys, TLS off", "keys": "keys on", "tls": "TLS on"}
# Each other side against the first (for two sides: new against old, off or variant).
ratios = [("new/old" if s == "new" and sides[0] == "old" else " on/off" if sides[0] == "off" else "new/var" if sides[0] == "variant"
           else f"{s}/{sides[0]}", s) for s in sides[1:]]
head = f"| {'median of ' + str(rounds) + ' round(s)':34} |" + "".join(f" {names[s]:>18} |" for s in sides)
head += "".join(f" {label:>7} |" for label, _ in ratios)
print(head)
print("|" + "-" * 36 + "|" + "--------------------|" * len(sides) + "---------|" * len(ratios))
for label, key, fmt, _ in cols:
    # A figure a server does not give (allocations, from a baseline without metrics) is "-".
    medians = {s: statistics.median(x[key] for x in figures[s]) if all(x[key] is not None for x in figures[s]) else None
               for s in sides}
    line = f"| {label:34} |" + "".join(f" {'-' if medians[s] is None else fmt.format(medians[s]):>18} |" for s in sides)
    line += "".join(f" {medians[s] / medians[sides[0]]:>7.2f} |" if medians[sides[0]] and medians[s] is not None else "       - |"
                    for _, s in ratios)
    print(line)
print("per round (" + ", ".join(k for _, k, _, _ in cols) + "):")
for s in sides:
    for i, x in enumerate(figures[s], 1):
        print(f"  {s} round {i}: " + ", ".join("-" if x[k] is None else fmt.format(x[k]) for _, k, fmt, _ in cols))
PY
