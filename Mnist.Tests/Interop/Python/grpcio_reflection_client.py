"""Calls the server with Python grpcio (gRPC C core), no generated code: messages are hand-encoded bytes, and
Predict's schema is learnt by reflection alone, as grpcurl learns it.

Usage: grpcio_reflection_client.py host:port   -> prints one JSON object with what each call returned.
"""
import json
import sys

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory


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
        out["check_empty_gzip"] = check(b"", timeout=5, compression=grpc.Compression.Gzip).hex()
        out["check_unknown"] = code_of(lambda: check(b"\x0a\x04nope", timeout=5))

        predict = channel.unary_unary("/mnist.v1.Mnist/Predict")
        out["predict_empty"] = code_of(lambda: predict(b"", timeout=5))
        # PredictRequest{pixels=784 zero bytes}: field 2, length 784 (varint 0x90 0x06).
        out["predict"] = predict(b"\x12\x90\x06" + bytes(784), timeout=5).hex()
        out["predict_gzip"] = predict(b"\x12\x90\x06" + bytes(784), timeout=5, compression=grpc.Compression.Gzip).hex()
        out["unimplemented"] = code_of(lambda: channel.unary_unary("/mnist.v1.Nope/Call")(b"", timeout=5))

        reflection = channel.stream_stream("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo")
        # list_services="*" (field 7), then file_containing_symbol="nope.Nope" (field 4).
        requests = iter([b"\x3a\x01*", b"\x22\x09nope.Nope"])
        out["reflection"] = [r.hex() for r in reflection(requests, timeout=5)]
        out["dynamic_predict"] = predict_from_reflection(channel)
    print(json.dumps(out))


def predict_from_reflection(channel):
    """What grpcurl does: learn the schema by reflection only, then call Predict with dynamic messages."""
    reflection = channel.stream_stream("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")
    symbol = b"mnist.v1.Mnist"
    request = b"\x22" + bytes([len(symbol)]) + symbol  # file_containing_symbol (field 4)
    (response,) = list(reflection(iter([request]), timeout=5))
    files = parse_file_descriptor_response(response)
    pool = descriptor_pool.DescriptorPool()
    pending = {f.name: f for f in files}
    while pending:
        ready = [f for f in pending.values() if all(d not in pending for d in f.dependency)]
        if not ready:
            raise RuntimeError("reflection did not send every dependency: " + ", ".join(pending))
        for f in ready:
            pool.AddSerializedFile(f.SerializeToString())
            del pending[f.name]
    method = pool.FindServiceByName("mnist.v1.Mnist").FindMethodByName("Predict")
    request_type = message_class(pool, method.input_type)
    response_type = message_class(pool, method.output_type)
    predict = channel.unary_unary(
        "/mnist.v1.Mnist/Predict",
        request_serializer=request_type.SerializeToString,
        response_deserializer=response_type.FromString)
    return predict(request_type(pixels=bytes(784)), timeout=5).model_version


def message_class(pool, descriptor):
    # protobuf >= 4.22 has GetMessageClass; older ones (Debian bookworm: 3.21) only MessageFactory.GetPrototype.
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(pool).GetPrototype(descriptor)


def parse_file_descriptor_response(response):
    """ServerReflectionResponse field 4 (FileDescriptorResponse) holds repeated bytes field 1."""
    files = []
    for number, value in fields(response):
        if number == 4:
            files = [descriptor_pb2.FileDescriptorProto.FromString(v) for n, v in fields(value) if n == 1]
    return files


def fields(data):
    """Yields (field number, bytes) of the length-delimited fields of a protobuf message; skips varints."""
    i = 0
    while i < len(data):
        key, i = varint(data, i)
        if key & 7 == 2:
            length, i = varint(data, i)
            yield key >> 3, data[i:i + length]
            i += length
        elif key & 7 == 0:
            _, i = varint(data, i)
        else:
            raise ValueError("unexpected wire type %d" % (key & 7))


def varint(data, i):
    value, shift = 0, 0
    while True:
        b = data[i]
        i += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return value, i


if __name__ == "__main__":
    main(sys.argv[1])
