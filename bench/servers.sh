# Shared by the benchmarks (sourced, not run): publishing this tree's server, benchmarks and trainer, building a
# baseline's server in a temporary `git worktree`, the command that runs each, and a quick model. Every function
# expects $work, the script's work directory; a baseline's source is $work/baseline-src, for the script's cleanup to
# remove.
#
# BENCH_PUBLISHED=DIR: this tree is already published in DIR (server/, bench/, trainer/, as bench/smoke.sh does), so
# the benches link those instead of publishing again.

published() { # name out-dir: links $BENCH_PUBLISHED/name at out-dir when set; otherwise fails, for the caller to publish
  [ -n "${BENCH_PUBLISHED:-}" ] || return 1
  [ -d "$BENCH_PUBLISHED/$1" ] || { echo "BENCH_PUBLISHED=$BENCH_PUBLISHED has no $1/" >&2; exit 1; }
  mkdir -p "$(dirname "$2")"
  ln -sfn "$(cd "$BENCH_PUBLISHED/$1" && pwd)" "$2"
}

publish_server() { # source-dir out-dir
  if [ "$1" = . ] && published server "$2"; then :; else
    # As the Dockerfile does: for a runtime, so the server is ReadyToRun-compiled.
    dotnet publish "$1/Mnist.Inference.Grpc" -c Release --use-current-runtime --no-self-contained -o "$2" --nologo -v quiet >&2
  fi
  [ -x "$2/Mnist.Inference.Grpc" ] || { echo "publishing the server from $1 produced no executable" >&2; exit 1; }
}

publish_project() { # project name-in-BENCH_PUBLISHED out-dir: one of this tree's tools, not ReadyToRun
  published "$2" "$3" || dotnet publish "$1" -c Release -o "$3" --nologo -v quiet >&2
  [ -x "$3/$1" ] || { echo "publishing $1 produced no executable" >&2; exit 1; }
}
publish_benchmarks() { publish_project Mnist.Benchmarks bench "$1"; } # out-dir
publish_trainer() { publish_project Mnist.Training trainer "$1"; }    # out-dir

publish_baseline() { # revision out-dir; prints the short revision
  local rev
  rev="$(git rev-parse --short "$1^{commit}")"
  # A baseline that is this very tree (HEAD, nothing changed) is this tree's server: no second build.
  if [ "$rev" = "$(git rev-parse --short HEAD)" ] && git diff --quiet HEAD; then
    echo "the baseline $rev is this tree: its server is this tree's" >&2
    publish_server . "$2"
    echo "$rev"
    return
  fi
  echo "building the baseline server of $rev in a temporary worktree..." >&2
  git worktree add --detach "$work/baseline-src" "$rev" >/dev/null 2>&1
  publish_server "$work/baseline-src" "$2"
  # The baseline's own dependency script installs what that server loads on this host (its native libraries).
  (cd "$work/baseline-src" && scripts/deps.sh runtime) >&2
  echo "$rev"
}

# TorchSharp loads only where libstdc++ is new enough: today's server runs through exec.sh, which execs (the pid
# it starts under is the server's, so kill and /proc/PID work as before). A baseline built before exec.sh
# existed runs on the host as it did then. A baseline that is this tree (no baseline-src) runs as this tree's does.
baseline_launcher() {
  if [ ! -d "$work/baseline-src" ] || [ -f "$work/baseline-src/scripts/exec.sh" ]; then echo scripts/exec.sh; else echo env -u GLIBC_TUNABLES; fi
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
  publish_benchmarks "$work/bench"
  model_dir="$(quick_model)"
  [ -f "$model_dir/model.dat" ] || { echo "no model.dat in $model_dir" >&2; exit 1; }
}

# The EXIT trap of a bench that runs one server at a time, as $server_pid.
stop_server_and_clean() {
  if [ -n "${server_pid:-}" ]; then kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null; fi
  rm -rf "$work"
}
