"""Drives inference.GRPCInferenceService with Python grpcio (gRPC C-core) and stubs that grpc_tools generated from
protos/inference/grpc_predict_v2.proto, the way tritonclient does: raw little-endian FP32 input, raw outputs read back.

Usage: oip_grpcio_client.py <stubs-dir> <host:port> <pixels-file> <count>
The pixels file holds <count> MNIST images of 784 bytes. Prints one JSON object with what each call returned.
"""
import json
import struct
import sys

sys.path.insert(0, sys.argv[1])

import grpc  # noqa: E402
from inference import grpc_predict_v2_pb2 as pb, grpc_predict_v2_pb2_grpc as pb_grpc  # noqa: E402


def status_of(call):
    try:
        call()
        return "OK"
    except grpc.RpcError as error:
        return error.code().name + ": " + (error.details() or "")


def tensors(metadata):
    return [f"{t.name} {t.datatype} {list(t.shape)}" for t in metadata]


def main():
    target, pixels_path, count = sys.argv[2], sys.argv[3], int(sys.argv[4])
    with open(pixels_path, "rb") as f:
        pixels = f.read()
    result = {}
    with grpc.insecure_channel(target) as channel:
        stub = pb_grpc.GRPCInferenceServiceStub(channel)
        result["live"] = stub.ServerLive(pb.ServerLiveRequest(), timeout=10).live
        result["ready"] = stub.ServerReady(pb.ServerReadyRequest(), timeout=10).ready
        result["model_ready"] = stub.ModelReady(pb.ModelReadyRequest(name="mnist"), timeout=10).ready
        server = stub.ServerMetadata(pb.ServerMetadataRequest(), timeout=10)
        result["server"] = {"name": server.name, "version": server.version, "extensions": list(server.extensions)}
        model = stub.ModelMetadata(pb.ModelMetadataRequest(name="mnist"), timeout=10)
        result["model"] = {
            "name": model.name, "versions": list(model.versions), "platform": model.platform,
            "inputs": tensors(model.inputs), "outputs": tensors(model.outputs),
        }

        # Raw FP32 [N,1,28,28], intensities b/255 as torchvision's ToTensor gives them.
        request = pb.ModelInferRequest(model_name="mnist", id="py-1")
        request.inputs.add(name="input", datatype="FP32", shape=[count, 1, 28, 28])
        request.raw_input_contents.append(struct.pack(f"<{len(pixels)}f", *(b / 255.0 for b in pixels)))
        response = stub.ModelInfer(request, timeout=30)
        outputs = {o.name: (o, raw) for o, raw in zip(response.outputs, response.raw_output_contents)}
        probabilities, raw_probabilities = outputs["probabilities"]
        digits, raw_digits = outputs["digit"]
        result["raw_infer"] = {
            "id": response.id,
            "model_version": response.model_version,
            "probabilities_shape": list(probabilities.shape),
            "probabilities_datatype": probabilities.datatype,
            "probabilities": list(struct.unpack(f"<{len(raw_probabilities) // 4}f", raw_probabilities)),
            "digit_shape": list(digits.shape),
            "digit_datatype": digits.datatype,
            "digits": list(struct.unpack(f"<{len(raw_digits) // 8}q", raw_digits)),
        }

        # Typed UINT8 [N,784], the digit output only.
        typed = pb.ModelInferRequest(model_name="mnist")
        typed.inputs.add(name="input", datatype="UINT8", shape=[count, 784]).contents.uint_contents.extend(pixels)
        typed.outputs.add(name="digit")
        response = stub.ModelInfer(typed, timeout=30)
        result["typed_infer"] = {
            "raw_outputs": len(response.raw_output_contents),
            "outputs": [o.name for o in response.outputs],
            "digits": list(response.outputs[0].contents.int64_contents),
        }

        short = pb.ModelInferRequest(model_name="mnist")
        short.inputs.add(name="input", datatype="FP32", shape=[2, 784])
        short.raw_input_contents.append(b"\0" * 784 * 4)
        result["short_raw"] = status_of(lambda: stub.ModelInfer(short, timeout=10))
        result["unknown_model"] = status_of(lambda: stub.ModelMetadata(pb.ModelMetadataRequest(name="resnet"), timeout=10))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
