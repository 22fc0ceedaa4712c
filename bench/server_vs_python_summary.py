#!/usr/bin/python3
"""Summary of bench/server-vs-python.sh: per-round figures, medians, ratios. Usage: WORK ROUNDS."""
import json
import re
import statistics
import sys

work, rounds = sys.argv[1], int(sys.argv[2])


def h2load(path):
    text = open(path).read()
    ok, failed, errored, timeout = map(int, re.search(
        r"requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout", text).groups())
    rps = float(re.search(r"finished in [\d.]+\w+, ([\d.]+) req/s", text).group(1))
    return rps, ok, failed + errored + timeout


def p50_ms(path):
    lat = sorted(int(line.split("\t")[2]) for line in open(path) if line.strip())
    return lat[len(lat) // 2] / 1000


def hey(path):
    text = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p50 = float(re.search(r"50%+ in ([\d.]+) secs", text).group(1)) * 1000
    codes = {int(c): int(n) for c, n in re.findall(r"\[(\d+)\]\s+(\d+) responses", text)}
    return rps, p50, codes


def grpc_statuses(before, after):
    def counts(path):
        total = {}
        for line in open(path):
            code = re.search(r'rpc_grpc_status_code="(\d+)"', line).group(1)
            total[code] = total.get(code, 0) + float(line.split()[-1])
        return total
    a, b = counts(before), counts(after)
    return {code: int(n - a.get(code, 0)) for code, n in b.items() if n - a.get(code, 0)}


rows = []
for r in range(1, rounds + 1):
    o, p = f"{work}/{r}/ours", f"{work}/{r}/peer"
    row = {}
    row["grpc_c8m16"], ok, bad = h2load(f"{o}/grpc-c8m16.txt")
    row["peer_grpc_c8m16"], pok, pbad = h2load(f"{p}/grpc-c8m16.txt")
    row["grpc_first"], _, _ = h2load(f"{o}/grpc-first.txt")
    row["grpc_p50"], row["peer_grpc_p50"] = p50_ms(f"{o}/grpc-c1.tsv"), p50_ms(f"{p}/grpc-c1.tsv")
    row["rest_c16"], row["rest_c16_p50"], codes16 = hey(f"{o}/rest-c16.txt")
    row["rest_c1"], row["rest_c1_p50"], codes1 = hey(f"{o}/rest-c1.txt")
    row["peer_rest_c16"], row["peer_rest_c16_p50"], pcodes16 = hey(f"{p}/rest-c16.txt")
    row["peer_rest_c1"], row["peer_rest_c1_p50"], pcodes1 = hey(f"{p}/rest-c1.txt")
    mem = dict(re.findall(r"(Vm\w+):\s+(\d+) kB", open(f"{o}/memory.txt").read()))
    row["rss"], row["hwm"] = int(mem["VmRSS"]) / 1024, int(mem["VmHWM"]) / 1024
    startup = open(f"{o}/startup.txt").read()
    row["startup"] = float(re.search(r"median_ms=(\d+)", startup).group(1))
    row["startup_cpu"] = float(re.search(r"median_cpu_ms=(\d+)", startup).group(1))
    peer_statuses = next((json.loads(line[9:]) for line in open(f"{p}/grpc-peer.log") if line.startswith("STATUSES ")), {})
    rows.append(row)
    print(f"round {r}: h2load ours {ok} ok/{bad} failed, peer {pok} ok/{pbad} failed; grpc-status counted by our server "
          f"during its gRPC loads {grpc_statuses(f'{o}/statuses-before.txt', f'{o}/statuses-after.txt')}, by the peer "
          f"(whole run) {peer_statuses}; HTTP statuses ours c16 {codes16} c1 {codes1}, peer c16 {pcodes16} c1 {pcodes1}")
    print("  " + ", ".join(f"{k} {v:.3f}" if isinstance(v, float) and v < 10 else f"{k} {v:.0f}" for k, v in row.items()))

m = {k: statistics.median(row[k] for row in rows) for k in rows[0]}
print(f"\n| median of {rounds} round(s) | ours | Python peer | ours/peer |")
print("|---|---|---|---|")
for label, key, fmt in [("gRPC Predict(pixels) req/s, c8 m16", "grpc_c8m16", "{:.0f}"),
                        ("gRPC p50 at c1 (ms)", "grpc_p50", "{:.3f}"),
                        ("REST GET /predict/7 req/s, c16", "rest_c16", "{:.0f}"),
                        ("REST GET /predict/7 req/s, c1", "rest_c1", "{:.0f}"),
                        ("REST p50 at c1 (ms)", "rest_c1_p50", "{:.3f}")]:
    print(f"| {label} | {fmt.format(m[key])} | {fmt.format(m['peer_' + key])} | {m[key] / m['peer_' + key]:.2f} |")
print(f"\nours: first seconds after SERVING at c8 m16 {m['grpc_first']:.0f} req/s = {m['grpc_first'] / m['grpc_c8m16']:.0%} of the "
      f"steady state ({m['grpc_c8m16']:.0f}); start-up to SERVING {m['startup']:.0f} ms (server CPU {m['startup_cpu']:.0f} ms); "
      f"RSS after the loads {m['rss']:.0f} MiB (peak {m['hwm']:.0f} MiB)")
