"""Python grpcio (gRPC C-core) over TLS: verifies the server against a CA file and sends an API key as metadata.

Usage: grpcio_tls_client.py <host:port> <ca.pem> <api-key>
Prints one JSON object with each call's outcome, for the NUnit test to check. No stubs: requests are hand-encoded.
"""
import json
import sys

import grpc


def outcome(call):
    try:
        return {"status": "OK", "response": call().hex()}
    except grpc.RpcError as error:
        return {"status": error.code().name, "details": error.details() or ""}


def main():
    target, ca_path, key = sys.argv[1], sys.argv[2], sys.argv[3]
    with open(ca_path, "rb") as f:
        ca = f.read()
    sample = b"\x08\x05"  # PredictTestSampleRequest{id: 5}
    result = {}
    with grpc.secure_channel(target, grpc.ssl_channel_credentials(root_certificates=ca)) as channel:
        check = channel.unary_unary("/grpc.health.v1.Health/Check")
        predict = channel.unary_unary("/mnist.v1.Mnist/PredictTestSample")
        result["health"] = outcome(lambda: check(b"", timeout=10))
        result["predict_with_key"] = outcome(lambda: predict(sample, timeout=10, metadata=[("authorization", "Bearer " + key)]))
        result["predict_without_key"] = outcome(lambda: predict(sample, timeout=10))
    # The system's roots do not include the test CA: the handshake must fail.
    with grpc.secure_channel(target, grpc.ssl_channel_credentials()) as channel:
        check = channel.unary_unary("/grpc.health.v1.Health/Check")
        result["health_untrusted"] = outcome(lambda: check(b"", timeout=10))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
