#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: native dependencies, then dotnet test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
dotnet test Mnist.sln -c Release --logger "console;verbosity=normal" "$@"
