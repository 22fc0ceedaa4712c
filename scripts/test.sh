#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: native dependencies, then dotnet test through scripts/exec.sh
# (the tests load TorchSharp).
set -euo pipefail
cd "$(dirname "$0")/.."
# The tests run where exec.sh runs them, so their tools (python3-grpcio, chromium) are installed there.
scripts/exec.sh scripts/deps.sh test
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456}"
# A test still running after 5 minutes is taken for hung: the run stops there and fails, instead of stalling CI.
exec scripts/exec.sh dotnet test Mnist.sln -c Release --logger "console;verbosity=normal" \
  --blame-hang-timeout 5min --blame-hang-dump-type none "$@"
