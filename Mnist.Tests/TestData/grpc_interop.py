"""Calls our server with Python grpcio (gRPC C core), no generated code: messages are hand-encoded bytes.

Usage: grpc_interop.py host:port   -> prints one JSON object with what each call returned.
"""
import json
import sys

import grpc


def code_of(call):
    try:
        call()
        return "OK"
    except grpc.RpcError as error:
        return error.code().name + ":" + (error.details() or "")


def main(target):
    out = {}
    with grpc.insecure_channel(target) as channel:
        check = channel.unary_unary("/grpc.health.v1.Health/Check")
        # HealthCheckRequest{service="mnist.v1.Mnist"}: field 1, length-delimited.
        out["check"] = check(b"\x0a\x0emnist.v1.Mnist", timeout=5).hex()
        out["check_empty_gzip"] = code_of(lambda: check(b"", timeout=5, compression=grpc.Compression.Gzip))
        out["check_unknown"] = code_of(lambda: check(b"\x0a\x04nope", timeout=5))

        predict = channel.unary_unary("/mnist.v1.Mnist/Predict")
        out["predict_empty"] = code_of(lambda: predict(b"", timeout=5))
        # PredictRequest{pixels=784 zero bytes}: field 2, length 784 (varint 0x90 0x06).
        out["predict"] = predict(b"\x12\x90\x06" + bytes(784), timeout=5).hex()
        response, call = predict.with_call(b"\x12\x90\x06" + bytes(784), timeout=5, compression=grpc.Compression.Gzip)
        trailers = dict(call.trailing_metadata())
        out["predict_gzip"] = [response.hex(), trailers.get("x-request-encoding"), trailers.get("x-pixel-count")]

        slow = channel.unary_unary("/mnist.v1.Mnist/PredictTestSample")
        # PredictTestSampleRequest{id=30000}: the test handler sleeps 30 s.
        out["deadline"] = code_of(lambda: slow(b"\x08\xb0\xea\x01", timeout=0.5))
        out["unimplemented"] = code_of(lambda: channel.unary_unary("/mnist.v1.Nope/Call")(b"", timeout=5))

        reflection = channel.stream_stream("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo")
        # list_services="*" (field 7), then file_containing_symbol="nope.Nope" (field 4).
        requests = iter([b"\x3a\x01*", b"\x22\x09nope.Nope"])
        out["reflection"] = [r.hex() for r in reflection(requests, timeout=5)]
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
