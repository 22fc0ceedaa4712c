"""Host-side gRPC clients for scripts/e2e-containers.sh (Python grpcio, Debian's python3-grpcio): the kubelet's
gRPC probe, a cold-start timer, predictions, and a steady Predict load that records every call.
Every target is a 127.0.0.1 port published by podman; nothing here talks to a container address.

Usage: client.py STUBS_DIR COMMAND ...
  probe TARGET SERVICE PERIOD TIMEOUT FAILURE_THRESHOLD   as the kubelet runs a grpc probe; exit 0 on SERVING
  cold-start TARGET SINCE_EPOCH_SECONDS LIMIT_SECONDS     polls every 50 ms; prints seconds from SINCE to SERVING
  predict TARGET DATA_DIR                                 Predict on 100 test images; prints accuracy and model_version
  load TARGETS STOP_FILE REPORT DATA_DIR                  Predict on every target (comma-separated) until STOP_FILE exists
  switched REPORT OLD NEW                                 every call OK; each target served OLD, then NEW to every call that started after its first NEW answer
  statuses REPORT TARGET ALLOWED [BEFORE]                 every call to TARGET (started before epoch BEFORE) ended in one of ALLOWED, some OK
  refused TARGET [KEY]                                    Predict without a key (or with KEY) is UNAUTHENTICATED; health is SERVING
  key-works TARGET KEY LIMIT_SECONDS                      polls Predict with `x-api-key: KEY` until OK; prints the seconds

predict and load send MNIST_API_KEY (the CLI's variable), when set, as `authorization: Bearer KEY`; probes never
send a key, as the kubelet sends none.
"""
import gzip
import json
import os
import sys
import threading
import time

sys.path.insert(0, sys.argv[1])

import grpc  # noqa: E402
from mnist.v1 import mnist_pb2, mnist_pb2_grpc  # noqa: E402

USER_AGENT = "kube-probe/1.30"  # what the kubelet sends
# grpc.health.v1: the kubelet compiles these two messages in; they are small enough to write out here
# (Debian ships no health stubs for grpcio). HealthCheckRequest: string service = 1.
# HealthCheckResponse: enum ServingStatus status = 1 (0 UNKNOWN, 1 SERVING, 2 NOT_SERVING, 3 SERVICE_UNKNOWN).
SERVING_STATUS = ["UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN"]


def health_check_request(service):
    encoded = service.encode()
    if len(encoded) > 127:
        raise ValueError("service name too long for a one-byte length")
    return (b"\x0a" + bytes([len(encoded)]) + encoded) if encoded else b""


def serving_status(response):
    # An all-default message is empty (status 0); otherwise field 1 as a one-byte varint.
    status = response[1] if response[:1] == b"\x08" else 0
    return SERVING_STATUS[status] if status < len(SERVING_STATUS) else str(status)


def check_once(target, service, timeout):
    """One probe attempt on a new connection, like the kubelet: SERVING is success, anything else a failure."""
    options = [("grpc.primary_user_agent", USER_AGENT)]
    with grpc.insecure_channel(target, options=options) as channel:
        check = channel.unary_unary("/grpc.health.v1.Health/Check")
        try:
            status = serving_status(check(health_check_request(service), timeout=timeout))
        except grpc.RpcError as error:
            return False, error.code().name
    return status == "SERVING", status


def probe(target, service, period, timeout, failure_threshold):
    started = time.monotonic()
    for attempt in range(1, int(failure_threshold) + 1):
        attempt_started = time.monotonic()
        ok, detail = check_once(target, service, float(timeout))
        if ok:
            print(f"{attempt} attempt(s), {time.monotonic() - started:.1f} s")
            return 0
        if attempt < int(failure_threshold):
            time.sleep(max(0.0, float(period) - (time.monotonic() - attempt_started)))
    print(f"failed {failure_threshold} times (last: {detail}): the kubelet would restart the container")
    return 1


def cold_start(target, since, limit):
    deadline = float(since) + float(limit)
    detail = "no attempt"
    while time.time() < deadline:
        ok, detail = check_once(target, "", 1.0)
        if ok:
            print(f"{time.time() - float(since):.2f}")
            return 0
        time.sleep(0.05)
    print(f"not SERVING within {limit} s (last health check: {detail})")
    return 1


def key_metadata():
    key = os.environ.get("MNIST_API_KEY")
    return [("authorization", f"Bearer {key}")] if key else None


def read_test_set(data_dir, count):
    with gzip.open(os.path.join(data_dir, "t10k-images-idx3-ubyte.gz")) as f:
        images = f.read()[16:16 + 784 * count]
    with gzip.open(os.path.join(data_dir, "t10k-labels-idx1-ubyte.gz")) as f:
        labels = f.read()[8:8 + count]
    return [images[i * 784:(i + 1) * 784] for i in range(count)], list(labels)


def predict(target, data_dir):
    images, labels = read_test_set(data_dir, 100)
    with grpc.insecure_channel(target) as channel:
        stub = mnist_pb2_grpc.MnistStub(channel)
        results = [stub.Predict(mnist_pb2.PredictRequest(pixels=image), timeout=10, metadata=key_metadata()) for image in images]
    correct = sum(r.digit == label for r, label in zip(results, labels))
    versions = {r.model_version for r in results}
    print(json.dumps({"correct": correct, "count": len(results), "model_versions": sorted(versions)}))
    return 0 if correct >= 50 and len(versions) == 1 else 1


def load(targets, stop_file, report, data_dir):
    """Two callers per target, each on its own long-lived channel (as a busy client keeps one), until stop_file
    exists. Every call is kept: target, start and end (epoch seconds), status, model_version."""
    images, _ = read_test_set(data_dir, 200)
    calls, lock = [], threading.Lock()
    metadata = key_metadata()

    def caller(target, offset):
        with grpc.insecure_channel(target) as channel:
            stub = mnist_pb2_grpc.MnistStub(channel)
            i = offset
            while not os.path.exists(stop_file):
                started = time.time()
                try:
                    version = stub.Predict(mnist_pb2.PredictRequest(pixels=images[i % len(images)]), timeout=10, metadata=metadata).model_version
                    status = "OK"
                except grpc.RpcError as error:
                    version, status = "", error.code().name
                with lock:
                    calls.append({"target": target, "start": started, "end": time.time(), "status": status, "version": version})
                i += 2
                time.sleep(0.01)

    threads = [threading.Thread(target=caller, args=(t, k)) for t in targets.split(",") for k in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with open(report, "w") as f:
        json.dump(sorted(calls, key=lambda c: c["start"]), f)
    return 0


def read_report(report):
    with open(report) as f:
        return json.load(f)


def counts(calls):
    by_status = {}
    for call in calls:
        by_status[call["status"]] = by_status.get(call["status"], 0) + 1
    return " ".join(f"{status} {n}" for status, n in sorted(by_status.items()))


def switched(report, old, new):
    calls = read_report(report)
    failures = [c for c in calls if c["status"] != "OK"]
    problems = [f"{len(failures)} failed call(s), first: {failures[0]}"] if failures else []
    for target in sorted({c["target"] for c in calls}):
        answered = [c for c in calls if c["target"] == target and c["status"] == "OK"]
        others = sorted(v[:12] for v in {c["version"] for c in answered} - {old, new})
        if others:
            problems.append(f"{target} served versions other than {old[:12]} and {new[:12]}: {', '.join(others)}")
        switched_at = min((c["end"] for c in answered if c["version"] == new), default=None)
        if switched_at is None:
            problems.append(f"{target} never served {new[:12]}")
            continue
        # Causal order, not start order: the replica runs batches on several workers, so calls that overlap in time
        # may be answered by either model. A call that started after the replica had answered with the new model
        # must get the new one.
        stale = [c for c in answered if c["version"] == old and c["start"] > switched_at]
        if stale:
            problems.append(f"{target} served {old[:12]} to {len(stale)} call(s) that started after it had served "
                            f"{new[:12]}, first {stale[0]['start'] - switched_at:.3f} s after")
    print(f"{len(calls)} calls ({counts(calls)}); " + ("; ".join(problems) if problems else "both replicas switched"))
    return 1 if problems or not calls else 0


def statuses(report, target, allowed, before=None):
    calls = [c for c in read_report(report) if c["target"] == target]
    # Calls that started once the replica had exited: its published port then drops connections (no RST), so they
    # wait out their deadline. Behind a Service the replica would have left the endpoints by then.
    late = [c for c in calls if before is not None and c["start"] >= float(before)]
    calls = [c for c in calls if c not in late]
    bad = [c for c in calls if c["status"] not in allowed.split(",")]
    print(f"{len(calls)} calls to {target} ({counts(calls)})" + (f", {len(late)} after it exited left out" if late else "")
          + (f"; first bad: {bad[0]}" if bad else ""))
    return 1 if bad or not any(c["status"] == "OK" for c in calls) else 0


def refused(target, key=None):
    """A Predict without a key, or with a wrong one, is UNAUTHENTICATED; the health check on the same port, without
    a key, is SERVING (the kubelet's probes carry none)."""
    metadata = [("x-api-key", key)] if key else None
    with grpc.insecure_channel(target) as channel:
        stub = mnist_pb2_grpc.MnistStub(channel)
        try:
            stub.Predict(mnist_pb2.PredictRequest(pixels=bytes(784)), timeout=10, metadata=metadata)
            print("Predict answered OK" + (" with a wrong key" if key else " without a key"))
            return 1
        except grpc.RpcError as error:
            code, detail = error.code().name, error.details()
    healthy, status = check_once(target, "", 2.0)
    print(f"Predict {'with a wrong key' if key else 'without a key'}: {code} ({detail}); health without a key: {status}")
    return 0 if code == "UNAUTHENTICATED" and healthy else 1


def key_works(target, key, limit):
    started = time.monotonic()
    detail = "no attempt"
    with grpc.insecure_channel(target) as channel:
        stub = mnist_pb2_grpc.MnistStub(channel)
        while time.monotonic() - started < float(limit):
            try:
                stub.Predict(mnist_pb2.PredictRequest(pixels=bytes(784)), timeout=5, metadata=[("x-api-key", key)])
                print(f"{time.monotonic() - started:.1f}")
                return 0
            except grpc.RpcError as error:
                detail = error.code().name
            time.sleep(0.2)
    print(f"still refused after {limit} s (last: {detail})")
    return 1


def main(argv):
    commands = {"probe": probe, "cold-start": cold_start, "predict": predict, "load": load,
                "switched": switched, "statuses": statuses, "refused": refused, "key-works": key_works}
    if len(argv) < 3 or argv[2] not in commands:
        sys.exit(__doc__)
    sys.exit(commands[argv[2]](*argv[3:]))


if __name__ == "__main__":
    main(sys.argv)
