"""Drives the server with Python grpcio (gRPC C-core), a client we did not write.

Usage: grpcio_client.py <stubs-dir> <host:port> <pixels-file>
Prints one JSON object with what each call returned, for the NUnit test to check.
"""
import json
import sys

sys.path.insert(0, sys.argv[1])

import grpc  # noqa: E402
from mnist.v1 import mnist_pb2, mnist_pb2_grpc  # noqa: E402
from interop_health import health_pb2, health_pb2_grpc  # noqa: E402


def status_of(call):
    try:
        call()
        return "OK"
    except grpc.RpcError as error:
        return error.code().name + ": " + (error.details() or "")


def main():
    target, pixels_path = sys.argv[2], sys.argv[3]
    with open(pixels_path, "rb") as f:
        pixels = f.read()
    result = {}
    with grpc.insecure_channel(target) as channel:
        mnist = mnist_pb2_grpc.MnistStub(channel)
        health = health_pb2_grpc.HealthStub(channel)

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

        check = lambda name: health.Check(health_pb2.HealthCheckRequest(service=name), timeout=1)  # noqa: E731
        result["health_overall"] = health_pb2.HealthCheckResponse.ServingStatus.Name(check("").status)
        result["health_mnist"] = health_pb2.HealthCheckResponse.ServingStatus.Name(check("mnist.v1.Mnist").status)
        result["health_unknown"] = status_of(lambda: check("nope"))
        result["unimplemented"] = status_of(lambda: channel.unary_unary("/mnist.v1.Mnist/Nope")(b"", timeout=10))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
