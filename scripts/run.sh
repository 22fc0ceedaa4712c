#!/usr/bin/env bash
# Fresh machine to a serving model in one command: native dependencies, a trained model in ./models
# (trained once; delete the folder or pass --retrain to train again), then the server on
# gRPC :50051, REST and web page :8080. Extra arguments go to the trainer (e.g. --epochs 3).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh runtime

export MODEL_DIR="${MODEL_DIR:-$PWD/models}"
retrain=false
if [ "${1:-}" = "--retrain" ]; then retrain=true; shift; fi

if $retrain || [ ! -f "$MODEL_DIR/model.dat" ]; then
  dotnet run -c Release --project Mnist.Training -- --model-dir "$MODEL_DIR" "$@"
fi
exec dotnet run -c Release --project Mnist.Inference.Grpc
