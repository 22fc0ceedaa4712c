# Shared by the server benchmarks (sourced, not run): publishing this tree's server, building a baseline's in a
# temporary `git worktree`, the command that runs each, and a quick model. Every function expects $work, the
# script's work directory; a baseline's source is $work/baseline-src, for the script's cleanup to remove.

publish_server() { # source-dir out-dir
  # As the Dockerfile does: for a runtime, so the server is ReadyToRun-compiled.
  dotnet publish "$1/Mnist.Inference.Grpc" -c Release --use-current-runtime --no-self-contained -o "$2" --nologo -v quiet >&2
  [ -x "$2/Mnist.Inference.Grpc" ] || { echo "publishing the server from $1 produced no executable" >&2; exit 1; }
}

publish_baseline() { # revision out-dir; prints the short revision
  local rev
  rev="$(git rev-parse --short "$1^{commit}")"
  echo "building the baseline server of $rev in a temporary worktree..." >&2
  git worktree add --detach "$work/baseline-src" "$rev" >/dev/null 2>&1
  publish_server "$work/baseline-src" "$2"
  # The baseline's own dependency script installs what that server loads on this host (its native libraries).
  (cd "$work/baseline-src" && scripts/deps.sh runtime) >&2
  echo "$rev"
}

# TorchSharp loads only where libstdc++ is new enough: today's server runs through exec.sh, which execs (the pid
# it starts under is the server's, so kill and /proc/PID work as before). A baseline built before exec.sh
# existed runs on the host as it did then.
baseline_launcher() {
  if [ -f "$work/baseline-src/scripts/exec.sh" ]; then echo scripts/exec.sh; else echo env -u GLIBC_TUNABLES; fi
}

quick_model() { # prints a directory holding model.dat: $MODEL_DIR, or one trained on 5,000 images
  if [ -n "${MODEL_DIR:-}" ]; then echo "$MODEL_DIR"; return; fi
  echo "training a quick model (--limit 5000)..." >&2
  # The servers run with glibc's malloc as their image has it (untuned); the trainer is tuned, as its image.
  GLIBC_TUNABLES="glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456" \
    scripts/exec.sh dotnet run -c Release --project Mnist.Training -- --data-dir data/mnist --model-dir "$work/model" --limit 5000 >/dev/null
  echo "$work/model"
}

bench() { scripts/exec.sh "$work/bench/Mnist.Benchmarks" "$@"; }

# For a bench of this tree's server alone: publishes it to $work/server and Mnist.Benchmarks to $work/bench (run
# with `bench ARGS`), and sets model_dir.
prepare_this_tree() {
  echo "publishing the server and the benchmarks (Release)..." >&2
  publish_server . "$work/server"
  dotnet publish Mnist.Benchmarks -c Release -o "$work/bench" --nologo -v quiet >&2
  model_dir="$(quick_model)"
  [ -f "$model_dir/model.dat" ] || { echo "no model.dat in $model_dir" >&2; exit 1; }
}

# The EXIT trap of a bench that runs one server at a time, as $server_pid.
stop_server_and_clean() {
  if [ -n "${server_pid:-}" ]; then kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; fi
  rm -rf "$work"
}
