#!/usr/bin/env bash
# Trains the MNIST CNN with our TorchSharp trainer (Release) and with PyTorch (Debian python3-torch): same network,
# data and settings, the training set held as uint8 by both, 2 threads each, back to back under /usr/bin/time -v,
# both in the same environment: through scripts/exec.sh (the Debian 13 userland where the host's libstdc++ is too
# old for TorchSharp, so PyTorch 2.6 there) with the same GLIBC_TUNABLES. Prints wall time, training time, peak
# RSS and test accuracy of both, with ratios.
# Usage: bench/train-vs-pytorch.sh [epochs]     (default 1)
# Env: INFERENCE=1 also measures PyTorch's inference rates (after its timings, so its wall time then includes
# them); GLIBC_TUNABLES for both (default: the trainer image's tuning; "" measures glibc's default malloc);
# LIMIT=N trains on the first N images only (a smoke run).
set -euo pipefail
cd "$(dirname "$0")/.."
epochs="${1:-1}"
# The tools go where the trainers run: into the userland when exec.sh uses one.
scripts/exec.sh scripts/deps.sh bench

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
. bench/servers.sh
echo "building the trainer (Release)..." >&2
publish_trainer "$work/trainer"

tunables="${GLIBC_TUNABLES-glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=268435456}"
limit=()
[ -n "${LIMIT:-}" ] && limit=(--limit "$LIMIT")
echo "training with Mnist.Training ($epochs epoch(s), GLIBC_TUNABLES='$tunables')..." >&2
# exec.sh execs all the way down, so time measures the trainer itself (its wall time includes entering the userland).
GLIBC_TUNABLES="$tunables" /usr/bin/time -v -o "$work/ours.time" scripts/exec.sh "$work/trainer/Mnist.Training" \
  --data-dir data/mnist --model-dir "$work/model" --epochs "$epochs" --threads 2 "${limit[@]}" > "$work/ours.log"

echo "training with PyTorch ($epochs epoch(s))..." >&2
inference=()
[ "${INFERENCE:-0}" = 1 ] && inference=(--inference)
GLIBC_TUNABLES="$tunables" /usr/bin/time -v -o "$work/torch.time" scripts/exec.sh /usr/bin/python3 bench/pytorch_mnist.py \
  --data-dir data/mnist --epochs "$epochs" --threads 2 "${limit[@]}" "${inference[@]}" > "$work/torch.log"

/usr/bin/python3 - "$work" <<'PY'
import json, re, sys
work = sys.argv[1]

def timing(name):
    text = open(f"{work}/{name}.time").read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
    seconds = sum(float(p) * 60 ** i for i, p in enumerate(reversed(wall.split(":"))))
    rss_mb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024
    return seconds, rss_mb

ours = json.load(open(f"{work}/model/model.json"))
torch = json.loads(next(l for l in open(f"{work}/torch.log") if l.startswith("RESULT "))[7:])
(ow, orss), (tw, trss) = timing("ours"), timing("torch")
print(f"epochs: {ours['epochs']}   PyTorch {torch['torch']} with {torch['threads']} threads; "
      f"ours (TorchSharp {ours['torch_sharp_version']}, libtorch {ours['lib_torch_version']}) with {ours['threads']}")
print(f"{'':22}{'Mnist.Training':>16}{'PyTorch':>12}{'ours/torch':>12}")
print(f"{'wall time (s)':22}{ow:16.1f}{tw:12.1f}{ow / tw:12.2f}")
print(f"{'training time (s)':22}{ours['training_seconds']:16.1f}{torch['train_seconds']:12.1f}{ours['training_seconds'] / torch['train_seconds']:12.2f}")
print(f"{'peak RSS (MB)':22}{orss:16.0f}{trss:12.0f}{orss / trss:12.2f}")
print(f"{'test accuracy':22}{ours['test_accuracy']:16.2%}{torch['test_accuracy']:12.2%}")
print(f"{'test loss':22}{ours['test_loss']:16.4f}{torch['test_loss']:12.4f}")
for batch in (1, 64):
    key = f"infer_batch{batch}_images_per_s"
    if key in torch:
        print(f"PyTorch inference, batch {batch}: {torch[key]} images/s")
PY
