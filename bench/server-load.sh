#!/usr/bin/env bash
# The inference server under load on loopback (issue 3): publishes the server and Mnist.Benchmarks (Release), then
# per round: start-up to SERVING, Predict latency at 1 in flight and throughput at 16 in flight with h2load
# (real HTTP/2, gRPC-framed PredictRequest of a real MNIST test image), the engine alone in-process with 16 callers,
# and the server's peak RSS. Prints each round and the median of the rounds.
# Usage: bench/server-load.sh [rounds]      (default 3)
# Env: MODEL_DIR (a directory with model.dat; default: trains one with --limit 5000), GRPC_PORT (50161),
#      HTTP_PORT (50162), REQUESTS (8000 per run at 16 in flight), ENGINE_SECONDS (8), KEEP_WORK=1 keeps the work directory (logs, h2load output).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
grpc_port="${GRPC_PORT:-50161}"
http_port="${HTTP_PORT:-50162}"
requests="${REQUESTS:-8000}"
engine_seconds="${ENGINE_SECONDS:-8}"
scripts/deps.sh bench

work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "work directory kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

echo "publishing the server and the benchmarks (Release)..." >&2
# As the Dockerfile does: for a runtime, so the server is ReadyToRun-compiled.
dotnet publish Mnist.Inference.Grpc -c Release --use-current-runtime --no-self-contained -o "$work/server" --nologo -v quiet >&2
dotnet publish Mnist.Benchmarks -c Release -o "$work/bench" --nologo -v quiet >&2
[ -x "$work/server/Mnist.Inference.Grpc" ] && [ -x "$work/bench/Mnist.Benchmarks" ] || { echo "publish produced no executables" >&2; exit 1; }
# TorchSharp loads only where libstdc++ is new enough: everything that runs the model goes through exec.sh,
# which execs (the pid it starts under is the program's, so kill and /proc/PID work as before).
bench() { scripts/exec.sh "$work/bench/Mnist.Benchmarks" "$@"; }
export GLIBC_TUNABLES="${GLIBC_TUNABLES-glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456}"

model_dir="${MODEL_DIR:-}"
if [ -z "$model_dir" ]; then
  echo "training a quick model (--limit 5000)..." >&2
  scripts/exec.sh dotnet run -c Release --project Mnist.Training -- --data-dir data/mnist --model-dir "$work/model" --limit 5000 >/dev/null
  model_dir="$work/model"
fi
[ -f "$model_dir/model.dat" ] || { echo "no model.dat in $model_dir" >&2; exit 1; }

bench grpc-request --data-dir data/mnist --index 0 --out "$work/predict.bin" >&2
address="http://127.0.0.1:$grpc_port"
url="$address/mnist.v1.Mnist/Predict"
# The server's CPU time so far (utime+stime, clock ticks); around each load run it gives CPU time per request,
# the figure that other processes on the cores disturb least.
cpu() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }
load() { local name="$1"; shift; cpu > "$r/$name.cpu"; h2 "$@" > "$r/$name.txt"; cpu >> "$r/$name.cpu"; }
h2() { h2load -d "$work/predict.bin" -H 'content-type: application/grpc' -H 'te: trailers' "$@" "$url"; }
export MODEL_DIR="$model_dir" GRPC_PORT="$grpc_port" HTTP_PORT="$http_port" Logging__LogLevel__Default=Warning

uptime | sed 's/^/before: /' > "$work/uptime"
for round in $(seq 1 "$rounds"); do
  r="$work/round$round"
  mkdir -p "$r"
  echo "round $round/$rounds: start-up..." >&2
  bench startup --address "$address" --runs 3 -- scripts/exec.sh "$work/server/Mnist.Inference.Grpc" > "$r/startup.txt"

  echo "round $round/$rounds: load..." >&2
  scripts/exec.sh "$work/server/Mnist.Inference.Grpc" > "$r/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do bench grpc-check --address "$address" >/dev/null 2>&1 && break; sleep 0.1; done
  h2 -c4 -m4 -n 5000 > /dev/null                                   # warm-up: JIT tiers, pools, per-thread workspaces
  load c1 -c1 -m1 -n 5000 --log-file "$r/c1.tsv"
  load c4m4 -c4 -m4 -n "$requests"
  load c16m1 -c16 -m1 -n "$requests"
  grep -E '^Vm(HWM|RSS)' "/proc/$server_pid/status" > "$r/memory.txt"
  bench grpc-check --address "$address" > "$r/check.txt" || { cat "$r/check.txt" >&2; exit 1; }
  kill "$server_pid"; wait "$server_pid" || true; server_pid=""

  echo "round $round/$rounds: engine alone..." >&2
  bench engine-concurrent --model "$model_dir/model.dat" --data-dir data/mnist --callers 16 --seconds "$engine_seconds" > "$r/engine.txt"
  # One caller per core: the engine's real ceiling (16 threads on 2 cores also pay for switching and cache misses).
  bench engine-concurrent --model "$model_dir/model.dat" --data-dir data/mnist --callers "$(nproc)" --seconds "$engine_seconds" > "$r/engine-cores.txt"
done
uptime | sed 's/^/after:  /' >> "$work/uptime"

/usr/bin/python3 - "$work" "$rounds" <<'PY'
import os, re, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])

def h2load(path):
    text = open(path).read()
    m = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout", text)
    total, _, done, ok, failed, errored, timeout = map(int, m.groups())
    rps = float(re.search(r"finished in [\d.]+\w+, ([\d.]+) req/s", text).group(1))
    two = int(re.search(r"status codes: (\d+) 2xx", text).group(1))
    return rps, ok, failed + errored + timeout + (done - two)

tick_us = 1e6 / os.sysconf("SC_CLK_TCK")

def cpu_per_request(path, requests):
    before, after = (float(l) for l in open(path))
    return (after - before) * tick_us / requests

rows = []
for i in range(1, rounds + 1):
    r = f"{work}/round{i}"
    lat = sorted(int(l.split("\t")[2]) for l in open(f"{r}/c1.tsv") if l.strip())
    pct = lambda p: lat[min(len(lat) - 1, int(p / 100 * len(lat)))] / 1000
    c1_rps, c1_ok, c1_bad = h2load(f"{r}/c1.txt")
    a_rps, a_ok, a_bad = h2load(f"{r}/c4m4.txt")
    b_rps, b_ok, b_bad = h2load(f"{r}/c16m1.txt")
    engine_text = open(f"{r}/engine.txt").read()
    engine = float(re.search(r"images_per_s=(\d+)", engine_text).group(1))
    engine_cpu = float(re.search(r"cpu_us_per_image=(\d+)", engine_text).group(1))
    server_cpu = cpu_per_request(f"{r}/c16m1.cpu", b_ok + b_bad)
    engine_cores = float(re.search(r"images_per_s=(\d+)", open(f"{r}/engine-cores.txt").read()).group(1))
    mem = dict(re.findall(r"(Vm\w+):\s+(\d+) kB", open(f"{r}/memory.txt").read()))
    startup_text = open(f"{r}/startup.txt").read()
    startup = float(re.search(r"median_ms=(\d+)", startup_text).group(1))
    startup_cpu = float(re.search(r"median_cpu_ms=(\d+)", startup_text).group(1))
    best = max(a_rps, b_rps)
    rows.append(dict(p50=pct(50), p90=pct(90), p99=pct(99), c1=c1_rps, c4m4=a_rps, c16m1=b_rps, engine=engine,
                     ratio=best / engine, engine_cores=engine_cores, ratio_cores=best / engine_cores,
                     server_cpu=server_cpu, engine_cpu=engine_cpu, cpu_ratio=engine_cpu / server_cpu, hwm=int(mem["VmHWM"]) / 1024, rss=int(mem["VmRSS"]) / 1024, startup=startup, startup_cpu=startup_cpu,
                     ok=c1_ok + a_ok + b_ok, bad=c1_bad + a_bad + b_bad,
                     check=open(f"{r}/check.txt").read().strip()))

print(open(f"{work}/uptime").read().rstrip())
print(f"requests: {sum(x['ok'] for x in rows)} succeeded, {sum(x['bad'] for x in rows)} failed/errored/non-200 "
      f"(h2load); grpc-status check after each load: {rows[-1]['check']}")
cols = [("p50 latency c=1 (ms)", "p50", "{:.3f}"), ("p90 latency c=1 (ms)", "p90", "{:.3f}"),
        ("p99 latency c=1 (ms)", "p99", "{:.3f}"), ("req/s c=1", "c1", "{:.0f}"),
        ("req/s 16 in flight (-c4 -m4)", "c4m4", "{:.0f}"), ("req/s 16 in flight (-c16 -m1)", "c16m1", "{:.0f}"),
        ("engine-only images/s, 16 callers", "engine", "{:.0f}"), ("server (best of the two) / engine", "ratio", "{:.2f}"),
        ("engine-only images/s, 1 caller/core", "engine_cores", "{:.0f}"), ("server / that", "ratio_cores", "{:.2f}"),
        ("server CPU us/request (-c16 -m1)", "server_cpu", "{:.0f}"), ("engine CPU us/image (16 callers)", "engine_cpu", "{:.0f}"),
        ("CPU efficiency engine/server", "cpu_ratio", "{:.2f}"),
        ("peak RSS VmHWM (MiB)", "hwm", "{:.0f}"), ("RSS after load VmRSS (MiB)", "rss", "{:.0f}"),
        ("start-up to SERVING (ms)", "startup", "{:.0f}"),
        ("  server CPU time until then (ms)", "startup_cpu", "{:.0f}")]
head = f"| {'':34} |" + "".join(f" round {i + 1:<3}|" for i in range(rounds)) + " median  |"
print(head)
print("|" + "-" * 36 + "|" + "----------|" * (rounds + 1))
for label, key, fmt in cols:
    values = [x[key] for x in rows]
    print(f"| {label:34} |" + "".join(f" {fmt.format(v):>8} |" for v in values) + f" {fmt.format(statistics.median(values)):>8} |")
PY
