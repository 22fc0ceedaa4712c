"""Drives the server with Python grpcio (gRPC C-core), a client we did not write.

Usage: grpcio_client.py <stubs-dir> <host:port> <pixels-file>
Prints one JSON object with what each call returned, for the NUnit test to check.
"""
import json
import sys

sys.path.insert(0, sys.argv[1])

import grpc  # noqa: E402
from mnist.v1 import mnist_pb2, mnist_pb2_grpc  # noqa: E402


def status_of(call):
    try:
        call()
        return "OK"
    except grpc.RpcError as error:
        return error.code().name + ": " + (error.details() or "")


def health_request(service):
    """grpc.health.v1 HealthCheckRequest{service}, encoded by hand: the health stubs are the library's, not ours."""
    name = service.encode()
    return b"\x0a" + bytes([len(name)]) + name if name else b""


def serving_status(response):
    """HealthCheckResponse{status = 1 (varint)}; an absent field is UNKNOWN (0)."""
    value = response[1] if response[:1] == b"\x08" else 0
    return {0: "UNKNOWN", 1: "SERVING", 2: "NOT_SERVING", 3: "SERVICE_UNKNOWN"}[value]


def main():
    target, pixels_path = sys.argv[2], sys.argv[3]
    with open(pixels_path, "rb") as f:
        pixels = f.read()
    result = {}
    with grpc.insecure_channel(target) as channel:
        mnist = mnist_pb2_grpc.MnistStub(channel)
        health_check = channel.unary_unary("/grpc.health.v1.Health/Check")

        prediction = mnist.Predict(mnist_pb2.PredictRequest(pixels=pixels), timeout=10)
        result["predict"] = {
            "digit": prediction.digit,
            "confidence": prediction.confidence,
            "probabilities": list(prediction.probabilities),
            "model_version": prediction.model_version,
        }
        sample = mnist.PredictTestSample(mnist_pb2.PredictTestSampleRequest(id=7), timeout=10)
        result["sample"] = {"id": sample.id, "label": sample.label, "digit": sample.prediction.digit, "correct": sample.correct}
        result["sample_out_of_range"] = status_of(lambda: mnist.PredictTestSample(mnist_pb2.PredictTestSampleRequest(id=10000), timeout=10))
        result["predict_bad_pixels"] = status_of(lambda: mnist.Predict(mnist_pb2.PredictRequest(pixels=b"\x00" * 10), timeout=10))
        result["mnist_health"] = mnist_pb2.HealthResponse.Status.Name(mnist.Health(mnist_pb2.HealthRequest(), timeout=10).status)

        result["health_overall"] = serving_status(health_check(health_request(""), timeout=1))
        result["health_mnist"] = serving_status(health_check(health_request("mnist.v1.Mnist"), timeout=1))
        check = lambda name: health_check(health_request(name), timeout=1)  # noqa: E731
        result["health_unknown"] = status_of(lambda: check("nope"))
        result["unimplemented"] = status_of(lambda: channel.unary_unary("/mnist.v1.Mnist/Nope")(b"", timeout=10))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
