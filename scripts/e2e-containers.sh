#!/usr/bin/env bash
# Builds both images and plays the k8s/base install in real containers with podman: the claim as a volume,
# the trainer Job's pod template as a Pod, two replicas of the inference Deployment with the API keys Secret (an
# operator's key in it), kubelet-style gRPC probes, predictions from the host carrying that key, refusals without
# it, a key added to the Secret taken up without a restart, a retrain under load and a drain under load. See k8s/README.md, "Try it locally
# with podman". Every call goes to a port published on 127.0.0.1, never to a container address.
#
#   scripts/e2e-containers.sh                      # ~3 min once the stand-in bases are cached
#   MNIST_E2E_LIMIT=none scripts/e2e-containers.sh # the Job's own args, no --limit (a full epoch)
#   MNIST_E2E_KEEP=1 scripts/e2e-containers.sh     # leave the pods and the volume for a look afterwards
#   MNIST_E2E_PODMAN_ROOT=/tmp/p scripts/e2e-containers.sh  # podman storage of its own: no image cached
#
# Needs root (or sudo) for podman; installs its Debian packages with scripts/deps.sh containers.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

if [ "$(uname -m)" != x86_64 ]; then
  echo "e2e-containers: the images are amd64-only (TorchSharp-cpu has no linux-arm64 libtorch); this machine is $(uname -m)" >&2
  exit 2
fi
scripts/deps.sh containers

limit=${MNIST_E2E_LIMIT:-3000}
k8s=$root/k8s
python=/usr/bin/python3   # Debian's, with python3-grpcio and python3-yaml
train_image=localhost/mnist-train:dev
serve_image=localhost/mnist-serve:dev
standin=localhost/mnist-standin
volume=$($python scripts/e2e/manifests.py get "$k8s" PersistentVolumeClaim metadata.name)
deployment=$($python scripts/e2e/manifests.py get "$k8s" Deployment metadata.name)
work=$(mktemp -d "${TMPDIR:-/tmp}/mnist-e2e.XXXXXX")
chmod 755 "$work"

# podman's settings for these machines (runc with cgroupfs, explicit ulimits, netavark): see the file.
export CONTAINERS_CONF=$root/scripts/e2e/containers.conf
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo --preserve-env=CONTAINERS_CONF"
# A command array, not only a function, so that `timeout` can run it too.
podman_command=($sudo "$(type -P podman)")
if [ -n "${MNIST_E2E_PODMAN_ROOT:-}" ]; then
  podman_command+=(--root "$MNIST_E2E_PODMAN_ROOT/root" --runroot "$MNIST_E2E_PODMAN_ROOT/run")
fi
podman() { "${podman_command[@]}" "$@"; }

started=$(date +%s)
step() { printf '%-10s %s\n' "$1" "$2"; }
fail() { printf '%-10s FAILED: %s\n' "$1" "$2" >&2; exit 1; }
get() { $python scripts/e2e/manifests.py get "$k8s" "$@"; }
get_keys_file() { $python scripts/e2e/manifests.py keys-file "$k8s"; }
# podman kube play, its chatter (conmon's "failed to connect to syslog") kept for when it fails.
play() { podman kube play "$1" > "$work/play.log" 2>&1 || { cat "$work/play.log" >&2; fail play "podman kube play $1"; }; }
client() { $python scripts/e2e/client.py "$work/stubs" "$@"; }

played=()
cleanup() {
  local rc=$?
  # Background clients: the load stops at its stop file; probes still waiting are ended (a startup probe
  # would otherwise keep trying for the manifest's 15 minutes).
  touch "$work/stop"
  for pid in $(jobs -p); do pkill -P "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${MNIST_E2E_KEEP:-}" = 1 ]; then
    echo "kept: pods ${played[*]:-}, volume $volume; remove with: podman kube down FILE (in $work), podman volume rm $volume"
    exit $rc
  fi
  for file in "${played[@]}"; do podman kube down "$file" >/dev/null 2>&1 || true; done
  podman rm -f -t 0 mnist-e2e-defaults >/dev/null 2>&1 || true
  podman volume rm -f "$volume" >/dev/null 2>&1 || true
  $sudo rm -rf "$work"
  [ $rc -eq 0 ] && echo "PASSED in $(( $(date +%s) - started )) s" || echo "FAILED (exit $rc)" >&2
  exit $rc
}
trap cleanup EXIT

# The container's peak memory as its cgroup counts it (what the limit applies to), read until it exits.
watch_memory_peak() { # CONTAINER
  local pid file peak=0
  pid=$(podman inspect --format '{{.State.Pid}}' "$1")
  local v1 v2
  v1=$(sed -n 's/^[0-9]*:[^:]*memory[^:]*:\(.*\)/\1/p' "/proc/$pid/cgroup" 2>/dev/null || true)
  v2=$(sed -n 's/^0::\(.*\)/\1/p' "/proc/$pid/cgroup" 2>/dev/null || true)
  if [ -n "$v1" ]; then file=/sys/fs/cgroup/memory$v1/memory.max_usage_in_bytes; else file=/sys/fs/cgroup$v2/memory.peak; fi
  while [ -r "$file" ] && value=$(cat "$file" 2>/dev/null); do peak=$value; sleep 0.2; done
  echo "$peak"
}
free_port() { $python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
model_version() { $sudo cat "$(podman volume inspect --format '{{.Mountpoint}}' "$volume")/model.json" | $python -c 'import json, sys; print(json.load(sys.stdin)["model_version"])'; }
served_version() { curl -fsS -m 2 "http://127.0.0.1:$1/v1/health" | $python -c 'import json, sys; print(json.load(sys.stdin).get("modelVersion", ""))' 2>/dev/null || true; }

# --- images -------------------------------------------------------------------------------------------------
# Stand-ins for the official bases: a Debian 13 userland plus the host SDK's runtimes, rebuilt only when the
# userland tarball or the SDK's runtime changes.
dotnet_version=$(ls /usr/share/dotnet/shared/Microsoft.AspNetCore.App | sort -V | tail -1)
base_tar=$(scripts/userland.sh base)
standin_key="$(stat -c '%s-%Y' "$base_tar")-$dotnet_version"
standin_targets=(runtime aspnet aspnet-chiseled sdk)
cached=1
for target in "${standin_targets[@]}"; do
  [ "$(podman image inspect --format '{{index .Labels "org.mnist.standin-key"}}' $standin/$target:10.0 2>/dev/null)" = "$standin_key" ] || cached=0
done
if [ $cached = 0 ]; then
  podman import --quiet "$base_tar" $standin/userland:trixie > "$work/import.log" 2>&1 \
    || { cat "$work/import.log" >&2; fail bases "podman import $base_tar"; }
  for target in "${standin_targets[@]}"; do
    podman build --quiet --target $target -f scripts/e2e/standin.Containerfile \
      --build-arg USERLAND=$standin/userland:trixie --build-arg DOTNET_VERSION="$dotnet_version" \
      --build-arg NUGET_CERT_REVOCATION_MODE="${NUGET_CERT_REVOCATION_MODE:-online}" \
      --label org.mnist.standin-key="$standin_key" -t $standin/$target:10.0 /usr/share/dotnet > "$work/standin.log" 2>&1 \
      || { tail -n 80 "$work/standin.log" >&2; fail bases "podman build --target $target -f scripts/e2e/standin.Containerfile"; }
  done
  step bases "stand-ins built from $base_tar and .NET $dotnet_version"
else
  step bases "stand-ins cached (.NET $dotnet_version)"
fi

# The Dockerfiles' own build stages run; the host SDK and NuGet cache are mounted (the cache as an overlay,
# so the build cannot change it).
nuget_packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
mkdir -p "$nuget_packages"
build_image() { # DOCKERFILE TAG RUNTIME
  local t0=$SECONDS previous
  previous=$(podman image inspect --format '{{.Id}}' "$2" 2>/dev/null || true)
  # Not --quiet: that would hide the failing step's own output from the log shown below.
  podman build -f "$1" -t "$2" \
    --build-arg SDK_IMAGE=$standin/sdk:10.0 --build-arg RUNTIME_IMAGE="$3" \
    --build-arg VERSION=dev --build-arg REVISION="$(git rev-parse HEAD 2>/dev/null || echo unknown)" \
    -v /usr/share/dotnet:/usr/share/dotnet:ro -v "$nuget_packages:/root/.nuget/packages:O" \
    . > "$work/build.log" 2>&1 || { tail -n 80 "$work/build.log" >&2; fail image "podman build -f $1"; }
  # The image this tag named before, if the build replaced it (its stages' layers stay cached).
  if [ -n "$previous" ] && [ "$previous" != "$(podman image inspect --format '{{.Id}}' "$2")" ]; then
    podman rmi "$previous" >/dev/null 2>&1 || true
  fi
  step image "$2 built in $(( SECONDS - t0 )) s, $(podman image inspect --format '{{.Size}}' "$2" | numfmt --to=si)B"
}
built_since=$(date +%s)
build_image Dockerfile.train $train_image $standin/runtime:10.0
build_image Dockerfile.serve $serve_image $standin/aspnet-chiseled:10.0
# Untagged images of earlier runs' builds (their build stages: about 1.3 GB each), found by the stand-in label
# every image built on a stand-in inherits; this run's stay as the next run's layer cache.
podman image prune -f --filter label=org.mnist.test-standin=true --filter until="$built_since" >/dev/null

user=$(podman image inspect --format '{{.Config.User}}' $serve_image)
[ "${user%%:*}" != 0 ] && [ -n "$user" ] || fail image "$serve_image runs as root ($user)"
# Chiseled: neither a shell nor a package manager to start (podman run exits 127 when the command is not found).
for program in /bin/sh /usr/bin/dpkg /usr/bin/apt; do
  code=0; podman run --rm --entrypoint "$program" $serve_image > /dev/null 2>&1 || code=$?
  [ "$code" = 127 ] || fail image "$serve_image has $program (podman run --entrypoint $program exited $code, not 127)"
done
step image "$serve_image: no /bin/sh, dpkg or apt (chiseled)"

# Host-side clients: the mnist CLI, and stubs for Python grpcio. google/api/*.proto come from protos/, or from
# the Google.Api.CommonProtos package as the C# build takes them (the CLI's restore brings it).
dotnet build Mnist.Cli -c Release -v q -nologo > "$work/cli-build.log" 2>&1 || { cat "$work/cli-build.log" >&2; fail cli "dotnet build Mnist.Cli"; }
mnist() { dotnet "$root/Mnist.Cli/bin/Release/net10.0/mnist.dll" "$@"; }
api_protos=$(ls -d "$nuget_packages"/google.api.commonprotos/*/content/protos 2>/dev/null | sort -V | tail -1 || true)
mkdir -p "$work/stubs"
$python -m grpc_tools.protoc -Iprotos ${api_protos:+-I"$api_protos"} --python_out="$work/stubs" --grpc_python_out="$work/stubs" \
  mnist/v1/mnist.proto google/api/annotations.proto google/api/http.proto

# --- the claim ----------------------------------------------------------------------------------------------
$python scripts/e2e/manifests.py claim "$k8s" > "$work/claim.yaml"
podman volume rm -f "$volume" >/dev/null 2>&1 || true
play "$work/claim.yaml"
# The kubelet's part for fsGroup (podman ignores it): the volume's root is group-owned and group-writable.
fs_group=$(get Job spec.template.spec.securityContext.fsGroup)
mountpoint=$(podman volume inspect --format '{{.Mountpoint}}' "$volume")
$sudo chgrp "$fs_group" "$mountpoint" && $sudo chmod 2775 "$mountpoint"
step claim "$volume: podman volume from the PersistentVolumeClaim, group $fs_group (fsGroup)"

# --- the trainer Job ----------------------------------------------------------------------------------------
train() { # RUN_NAME [--OPTION VALUE]...
  local name=$1 t0=$SECONDS; shift
  local extra=("$@") deadline
  [ "$limit" = none ] || extra+=(--limit "$limit")
  $python scripts/e2e/manifests.py job-pod "$k8s" "$work/empty-dirs" "$name" $train_image "${extra[@]}" > "$work/$name.yaml"
  played+=("$work/$name.yaml")
  play "$work/$name.yaml"
  watch_memory_peak "$name-trainer" > "$work/$name.peak" &
  deadline=$(get Job spec.activeDeadlineSeconds)
  local code
  code=$(timeout "$deadline" "${podman_command[@]}" wait "$name-trainer") || fail "$name" "not done within activeDeadlineSeconds $deadline"
  [ "$code" = 0 ] || { podman logs "$name-trainer" >&2; fail "$name" "trainer exited $code"; }
  wait $!
  step "$name" "trainer ran as $(podman inspect --format '{{.Config.User}}, read-only rootfs {{.HostConfig.ReadonlyRootfs}}' "$name-trainer"), exit 0 in $(( SECONDS - t0 )) s, memory peak $(numfmt --to=iec "$(cat "$work/$name.peak")")B of limit $(podman inspect --format '{{.HostConfig.Memory}}' "$name-trainer" | numfmt --to=iec)B, model $(model_version | cut -c1-12)"
}
train mnist-train-1
first_version=$(model_version)

# --- the image's own defaults: no env, no user, read-only with a tmpfs /tmp -------------------------------
grpc_port=$(free_port); http_port=$(free_port)
t0=$(date +%s.%N)
podman run -d --name mnist-e2e-defaults --read-only --tmpfs /tmp -v "$volume:/models:ro" \
  -p 127.0.0.1:$grpc_port:50051 -p 127.0.0.1:$http_port:8080 $serve_image >/dev/null
cold=$(client cold-start 127.0.0.1:$grpc_port "$t0" 60) || { podman logs mnist-e2e-defaults >&2; fail defaults "$cold"; }
[ "$(served_version $http_port)" = "$first_version" ] || fail defaults "REST on the image's HTTP port does not serve $first_version"
podman rm -f -t 10 mnist-e2e-defaults >/dev/null
step defaults "$serve_image as $user, --read-only --tmpfs /tmp, MODEL_DIR/ports from the image: SERVING ${cold} s after podman run"

# --- the Deployment: two replicas, each on its own 127.0.0.1 ports --------------------------------------------
# The base turns API keys on with a Secret that ships no key; the operator supplies theirs (k8s/README.md, "API
# keys"). Here: one fresh key, which every call below carries (MNIST_API_KEY for the Python client and the CLI, a
# header for curl).
keys_file=$(get_keys_file)
mkdir -p "$work/secrets/$(dirname "$keys_file")"
api_key=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')
printf '# the e2e run'"'"'s key\ne2e:%s\n' "$api_key" > "$work/secrets/$keys_file"
export MNIST_API_KEY=$api_key
replicas=$(get Deployment spec.replicas)
grpc_ports=(); http_ports=()
for i in $(seq 0 $(( replicas - 1 ))); do
  grpc_ports+=("$(free_port)"); http_ports+=("$(free_port)")
  $python scripts/e2e/manifests.py replica "$k8s" "$work/empty-dirs" "$i" $serve_image "${grpc_ports[$i]}" "${http_ports[$i]}" "$work/secrets" > "$work/replica-$i.yaml"
done
# The manifest's grpc probes, read before the pods start, as SERVICE PERIOD TIMEOUT FAILURE_THRESHOLD.
probe_spec() {
  local p="spec.template.spec.containers.0.$1"
  # The kubelet's defaults where the manifest says nothing.
  echo "$(get Deployment "$p.grpc.service" "")|$(get Deployment "$p.periodSeconds" 10)|$(get Deployment "$p.timeoutSeconds" 1)|$(get Deployment "$p.failureThreshold" 3)"
}
IFS='|' read -r -a startup_probe <<< "$(probe_spec startupProbe)"
IFS='|' read -r -a readiness_probe <<< "$(probe_spec readinessProbe)"
# The kubelet probes from the container's start (initialDelaySeconds 0): the startup probe until it passes,
# then readiness. Meanwhile a 50 ms poll times replica-0's cold start.
t0=$(date +%s.%N)
for i in "${!grpc_ports[@]}"; do
  played+=("$work/replica-$i.yaml")
  play "$work/replica-$i.yaml"
  (
    started_probe=$(client probe "127.0.0.1:${grpc_ports[$i]}" "${startup_probe[@]}") || fail "replica-$i" "startupProbe $started_probe"
    ready=$(client probe "127.0.0.1:${grpc_ports[$i]}" "${readiness_probe[@]}") || fail "replica-$i" "readinessProbe $ready"
    step "replica-$i" "$(podman inspect --format '{{.Config.User}}, read-only rootfs {{.HostConfig.ReadonlyRootfs}}, memory limit {{.HostConfig.Memory}}' "$deployment-$i-pod-0-server"), /models read-only; startupProbe passed after $started_probe, readinessProbe after $ready"
  ) &
done
cold=$(client cold-start "127.0.0.1:${grpc_ports[0]}" "$t0" 60) || fail replicas "$cold"
step cold "replica-0: SERVING ${cold} s after podman kube play (polled every 50 ms)"
wait_all() { local rc=0; for job in $(jobs -p); do wait "$job" || rc=1; done; return $rc; }
wait_all || exit 1

# --- predictions from the host ------------------------------------------------------------------------------
for i in "${!grpc_ports[@]}"; do
  out=$(client predict "127.0.0.1:${grpc_ports[$i]}" data/mnist) || fail grpc "replica-$i: $out"
  step grpc "replica-$i Predict on 100 test images: $out"
done
pixels=$($python -c 'import gzip, base64; print(base64.b64encode(gzip.open("data/mnist/t10k-images-idx3-ubyte.gz").read()[16:16 + 784]).decode())')
# Both ways of sending a key: authorization: Bearer, and x-api-key.
bearer=(-H "Authorization: Bearer $api_key"); x_api_key=(-H "X-Api-Key: $api_key")
rest=$(curl -fsS -m 10 "${bearer[@]}" -H 'Content-Type: application/json' -d "{\"pixels\": \"$pixels\"}" "http://127.0.0.1:${http_ports[0]}/v1/predict") || fail rest "POST /v1/predict"
curl -fsS -m 10 "${x_api_key[@]}" -o "$work/sample.png" "http://127.0.0.1:${http_ports[1]}/v1/test-samples/7/image.png" || fail rest "GET /v1/test-samples/7/image.png"
upload=$(curl -fsS -m 10 "${bearer[@]}" -F "file=@$work/sample.png" "http://127.0.0.1:${http_ports[1]}/predict") || fail rest "POST /predict (PNG upload)"
sample=$(curl -fsS -m 10 "${x_api_key[@]}" "http://127.0.0.1:${http_ports[0]}/v1/test-samples/7") || fail rest "GET /v1/test-samples/7"
step rest "POST /v1/predict: $(echo "$rest" | head -c 60)...; PNG upload: $(echo "$upload" | head -c 60)...; test sample 7: $(echo "$sample" | head -c 40)..."
# The model card, drawn by the trainer in its container (ScottPlot's natives and font), served with the weights.
card_version=$(curl -fsS -m 10 "${bearer[@]}" "http://127.0.0.1:${http_ports[1]}/v1/model" | $python -c 'import json, sys; print(json.load(sys.stdin)["modelVersion"])') \
  || fail card "GET /v1/model"
[ "$card_version" = "$first_version" ] || fail card "GET /v1/model describes $card_version, the replica serves $first_version"
curl -fsS -m 10 "${x_api_key[@]}" -o "$work/curve.png" "http://127.0.0.1:${http_ports[0]}/v1/model/plots/training-curve.png" || fail card "GET /v1/model/plots/training-curve.png"
[ "$(head -c 8 "$work/curve.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail card "the training curve is not a PNG"
card_text=$(mnist --server "127.0.0.1:${grpc_ports[0]}" model | head -1) || fail card "mnist model: $card_text"
step card "GET /v1/model names ${card_version:0:12}; training-curve.png $(stat -c %s "$work/curve.png") bytes; mnist model: $card_text"
cli=$(mnist --server "127.0.0.1:${grpc_ports[1]}" predict --test-ids 0..99 | tail -1) || fail cli "mnist predict --test-ids 0..99: $cli"
cli_file=$(mnist --server "127.0.0.1:${grpc_ports[0]}" predict "$work/sample.png") || fail cli "mnist predict sample.png: $cli_file"
mnist --server "127.0.0.1:${grpc_ports[0]}" health >/dev/null || fail cli "mnist health"
step cli "mnist predict --test-ids 0..99: $cli; mnist predict sample.png: ${cli_file##*/}"

# --- keys: refused without one or with a wrong one, health open; a key added to the Secret works, no restart ---
out=$(env -u MNIST_API_KEY $python scripts/e2e/client.py "$work/stubs" refused "127.0.0.1:${grpc_ports[0]}") || fail keys "$out"
wrong=$(env -u MNIST_API_KEY $python scripts/e2e/client.py "$work/stubs" refused "127.0.0.1:${grpc_ports[1]}" "not-$api_key") || fail keys "$wrong"
status=$(curl -sS -m 10 -o "$work/refused.json" -D "$work/refused.headers" -w '%{http_code}' -H 'Content-Type: application/json' \
  -d "{\"pixels\": \"$pixels\"}" "http://127.0.0.1:${http_ports[0]}/v1/predict") || fail keys "POST /v1/predict without a key"
[ "$status" = 401 ] || fail keys "POST /v1/predict without a key: HTTP $status, not 401"
grep -qi '^www-authenticate: bearer' "$work/refused.headers" || fail keys "401 without WWW-Authenticate: Bearer"
$python -c 'import json, sys; body = json.load(open(sys.argv[1])); sys.exit(body.get("code") != 16)' "$work/refused.json" \
  || fail keys "401 body is not the JSON error with code 16: $(head -c 200 "$work/refused.json")"
for path in /healthz /v1/health; do
  curl -fsS -m 10 -o /dev/null "http://127.0.0.1:${http_ports[0]}$path" || fail keys "GET $path without a key"
done
cli_exit=0; (unset MNIST_API_KEY; mnist --server "127.0.0.1:${grpc_ports[0]}" predict --test-ids 0..0) > "$work/cli-refused.txt" 2>&1 || cli_exit=$?
[ "$cli_exit" != 0 ] || fail keys "mnist predict without a key succeeded"
# The kubelet's update of a mounted Secret, on replica-0: the file replaced at once (a rename, as its ..data swap).
added_key=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')
secret_dir=$work/empty-dirs/$deployment-0/$($python scripts/e2e/manifests.py keys-volume "$k8s")
{ cat "$work/secrets/$keys_file"; printf 'rotated:%s\n' "$added_key"; } > "$secret_dir/.new" && chmod 644 "$secret_dir/.new"
mv "$secret_dir/.new" "$secret_dir/$(basename "$keys_file")"
took=$(client key-works "127.0.0.1:${grpc_ports[0]}" "$added_key" 30) || fail keys "a key added to the Secret: $took"
step keys "$out; REST without a key: 401, WWW-Authenticate: Bearer, code 16; /healthz, /v1/health open; mnist CLI without a key: exit $cli_exit; wrong key: UNAUTHENTICATED; a key added to the Secret worked after $took s, no restart"

# --- retrain under load: both replicas switch, no call fails -----------------------------------------------
targets=$(printf '127.0.0.1:%s,' "${grpc_ports[@]}"); targets=${targets%,}
rm -f "$work/stop"
client load "$targets" "$work/stop" "$work/retrain.json" data/mnist &
load_pid=$!
sleep 2
train mnist-train-2 --seed 2
second_version=$(model_version)
[ "$second_version" != "$first_version" ] || fail retrain "the second run wrote the same model"
for attempt in $(seq 100); do
  switched=0
  for port in "${http_ports[@]}"; do [ "$(served_version "$port")" = "$second_version" ] && switched=$(( switched + 1 )); done
  [ $switched = ${#http_ports[@]} ] && break
  sleep 0.2
done
sleep 2
touch "$work/stop"; wait $load_pid
out=$(client switched "$work/retrain.json" "$first_version" "$second_version") || fail retrain "$out"
step retrain "model ${first_version:0:12} -> ${second_version:0:12} under load: $out"

# --- drain: preStop, then SIGTERM with calls in flight ------------------------------------------------------
rm -f "$work/stop"
client load "$targets" "$work/stop" "$work/drain.json" data/mnist &
load_pid=$!
sleep 2
grace=$(get Deployment spec.template.spec.terminationGracePeriodSeconds)
pre_stop=$(get Deployment spec.template.spec.containers.0.lifecycle.preStop.sleep.seconds)
last=$(( ${#grpc_ports[@]} - 1 ))
container=$deployment-$last-pod-0-server
# The kubelet's part: run the preStop sleep action (podman has none), then SIGTERM, then SIGKILL at the end of
# the grace period. Unlike behind a Service, the load keeps calling this replica throughout.
t0=$(date +%s.%N)
sleep "$pre_stop"
t1=$(date +%s.%N)
podman stop -t $(( grace - pre_stop )) "$container" >/dev/null
t2=$(date +%s.%N)
took=$($python -c "print(f'{$t2 - $t0:.1f}')"); drain_took=$($python -c "print(f'{$t2 - $t1:.1f}')")
code=$(podman inspect --format '{{.State.ExitCode}}' "$container")
sleep 1
touch "$work/stop"; wait $load_pid
[ "$code" = 0 ] || { podman logs --tail 20 "$container" >&2; fail drain "replica-$last exited $code after SIGTERM"; }
$python -c "import sys; sys.exit($took > $grace)" || fail drain "replica-$last took $took s, more than terminationGracePeriodSeconds $grace"
# When the process exited (podman stop returns a little later), as epoch seconds; t2 if podman's format differs.
exited=$(podman inspect --format '{{.State.FinishedAt}}' "$container" | $python -c '
import datetime, sys
day, clock = sys.stdin.read().split()[:2]
print(datetime.datetime.fromisoformat(f"{day}T{clock[:15]}").replace(tzinfo=datetime.timezone.utc).timestamp())' 2>/dev/null || echo "$t2")
out=$(client statuses "$work/drain.json" "127.0.0.1:${grpc_ports[$last]}" OK,UNAVAILABLE "$exited") || fail drain "$out"
others=$(for i in $(seq 0 $(( last - 1 ))); do client statuses "$work/drain.json" "127.0.0.1:${grpc_ports[$i]}" OK || exit 1; done) || fail drain "$others"
step drain "replica-$last: preStop ${pre_stop} s, then SIGTERM to exit 0 in $drain_took s ($took s of grace $grace s); $out; others: $others"
