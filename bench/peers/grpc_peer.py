#!/usr/bin/python3
"""The Python gRPC peer: grpcio's server with mnist.v1.Mnist/Predict (PredictRequest.pixels -> Prediction), torch on
one thread, batch 1 per call (the bench knows it is up when a Predict succeeds). The messages are built from a
descriptor here (the same package, names and field numbers as protos/mnist/v1/mnist.proto), so no protoc step.
On SIGTERM it prints the count of calls per grpc status (STATUSES {...}) and exits.
Usage: grpc_peer.py --model-dir DIR --port 50171 [--workers 16]"""
import argparse
import collections
import json
import signal
import sys
import threading
from concurrent import futures

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

import mnist_peer


def message_classes():
    f = descriptor_pb2.FileDescriptorProto(name="mnist/v1/peer.proto", package="mnist.v1", syntax="proto3")
    request = f.message_type.add(name="PredictRequest")
    request.oneof_decl.add(name="input")
    T = descriptor_pb2.FieldDescriptorProto
    for name, number in (("image", 1), ("pixels", 2)):
        request.field.add(name=name, number=number, type=T.TYPE_BYTES, label=T.LABEL_OPTIONAL, oneof_index=0)
    prediction = f.message_type.add(name="Prediction")
    prediction.field.add(name="digit", number=1, type=T.TYPE_INT32, label=T.LABEL_OPTIONAL)
    prediction.field.add(name="confidence", number=2, type=T.TYPE_FLOAT, label=T.LABEL_OPTIONAL)
    prediction.field.add(name="probabilities", number=3, type=T.TYPE_FLOAT, label=T.LABEL_REPEATED)
    prediction.field.add(name="model_version", number=4, type=T.TYPE_STRING, label=T.LABEL_OPTIONAL)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(f)
    get = getattr(message_factory, "GetMessageClass", None) or message_factory.MessageFactory(pool).GetPrototype
    return get(pool.FindMessageTypeByName("mnist.v1.PredictRequest")), get(pool.FindMessageTypeByName("mnist.v1.Prediction"))


parser = argparse.ArgumentParser()
parser.add_argument("--model-dir", required=True)
parser.add_argument("--port", type=int, default=50171)
parser.add_argument("--workers", type=int, default=16)
args = parser.parse_args()
model = mnist_peer.load_model(args.model_dir)
PredictRequest, Prediction = message_classes()
statuses = collections.Counter()
lock = threading.Lock()


def predict(request, context):
    if request.WhichOneof("input") != "pixels" or len(request.pixels) != 784:
        with lock:
            statuses["INVALID_ARGUMENT"] += 1
        context.abort(grpc.StatusCode.INVALID_ARGUMENT, "pixels must be 784 bytes")
    digit, probs = mnist_peer.predict(model, request.pixels)
    with lock:
        statuses["OK"] += 1
    return Prediction(digit=digit, confidence=probs[digit], probabilities=probs, model_version="peer")


server = grpc.server(futures.ThreadPoolExecutor(max_workers=args.workers))
server.add_generic_rpc_handlers([grpc.method_handlers_generic_handler("mnist.v1.Mnist", {
    "Predict": grpc.unary_unary_rpc_method_handler(
        predict, request_deserializer=PredictRequest.FromString, response_serializer=Prediction.SerializeToString),
})])
server.add_insecure_port(f"127.0.0.1:{args.port}")
server.start()
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: done.set())
done.wait()
server.stop(grace=None)
print("STATUSES " + json.dumps(dict(statuses)), flush=True)
sys.exit(0)
