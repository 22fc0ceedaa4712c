"""Calls Predict from several threads with Python grpcio (gRPC C-core) until its stdin closes.

Usage: grpcio_drain_load.py <host:port> <request-file> <threads>
Prints "started" once a call has succeeded, then, after stdin closes, one JSON object: outcome -> count, where an
outcome is OK, UNAVAILABLE, or any other code with its details.
"""
import json
import sys
import threading
from collections import Counter

import grpc


def main():
    target, request_path, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(request_path, "rb") as f:
        request = f.read()
    stop = threading.Event()
    started = threading.Event()
    outcomes = Counter()
    lock = threading.Lock()

    def work():
        # A channel per thread: each its own connection, as separate client processes would have.
        with grpc.insecure_channel(target) as channel:
            predict = channel.unary_unary("/mnist.v1.Mnist/Predict")
            while not stop.is_set():
                try:
                    predict(request, timeout=10)
                    outcome = "OK"
                    if not started.is_set():
                        started.set()
                        print("started", flush=True)
                except grpc.RpcError as error:
                    code = error.code().name
                    outcome = code if code == "UNAVAILABLE" else f"{code} ({error.details()})"
                    if code == "UNAVAILABLE":
                        stop.wait(0.005)
                with lock:
                    outcomes[outcome] += 1

    workers = [threading.Thread(target=work, daemon=True) for _ in range(threads)]
    for worker in workers:
        worker.start()
    sys.stdin.read()
    stop.set()
    for worker in workers:
        worker.join(timeout=15)
    print(json.dumps(dict(outcomes)), flush=True)


if __name__ == "__main__":
    main()
