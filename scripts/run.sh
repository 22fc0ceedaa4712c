#!/usr/bin/env bash
# Fresh machine to a serving model in one command: native dependencies, a trained model in ./models
# (trained once; delete the folder or pass --retrain to train again), then the server on
# gRPC :50051, REST and web page :8080. Extra arguments go to the trainer (e.g. --epochs 3).
# Both run through scripts/exec.sh, so TorchSharp loads on hosts with an older libstdc++ too.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh runtime

export MODEL_DIR="${MODEL_DIR:-$PWD/models}"
retrain=false
if [ "${1:-}" = "--retrain" ]; then retrain=true; shift; fi

if $retrain || [ ! -f "$MODEL_DIR/model.dat" ]; then
  # For the trainer only, as its image: glibc's malloc otherwise maps and unmaps every large activation, about a
  # quarter of a training epoch; the server gains nothing from it (docs/performance.md).
  GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456}" \
    scripts/exec.sh dotnet run -c Release --project Mnist.Training -- --model-dir "$MODEL_DIR" "$@"
fi
exec scripts/exec.sh dotnet run -c Release --project Mnist.Inference.Grpc
