#!/usr/bin/env bash
# Plays the Kubernetes install from k8s/base on this machine, no cluster or Docker needed: replays the
# Dockerfiles' build stages (restore + publish), then runs the Job's and the Deployment's containers as
# processes with their manifests' args and env (a temp folder is the model PVC), probes the server as the
# kubelet does, predicts through the CLI and REST, retrains with another seed under load, and sends SIGTERM
# with calls in flight. See k8s/README.md, "Cluster-shaped end-to-end run".
#
#   scripts/e2e-cluster.sh                       # ~2 min: trainer on 3000 images, probe periods x0.1
#   MNIST_E2E_LOGS=1 scripts/e2e-cluster.sh      # also stream the trainer's and server's output
#   MNIST_E2E_LIMIT=none MNIST_E2E_PERIOD_SCALE=1 scripts/e2e-cluster.sh   # the Job exactly as written
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh runtime
dotnet build Mnist.Tests -c Release
dotnet test Mnist.Tests -c Release --no-build \
  --filter "FullyQualifiedName~Mnist.Tests.Deployment.ClusterShapedEndToEndTests|FullyQualifiedName~Mnist.Tests.Deployment.PublishedOutputTests" \
  --logger "console;verbosity=normal" "$@"
