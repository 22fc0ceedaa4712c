#!/usr/bin/python3
"""The classic pytorch/examples MNIST CNN, trained on the repository's gzip IDX files (no torchvision,
no download), so its time, memory and accuracy can be compared with Mnist.Training.

Prints progress to stderr and one final line `RESULT {json}` to stdout.
"""
import argparse
import gzip
import json
import struct
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

MEAN, STD = 0.1307, 0.3081


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = F.max_pool2d(x, 2)
        x = self.dropout1(x)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = self.dropout2(x)
        return F.log_softmax(self.fc2(x), dim=1)


def read_idx(path: Path, magic: int, dims: int) -> np.ndarray:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        data = f.read()
    (found,) = struct.unpack(">i", data[:4])
    if found != magic:
        sys.exit(f"{path}: magic 0x{found:08x}, expected 0x{magic:08x}")
    shape = struct.unpack(">" + "i" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(data_dir: Path, prefix: str):
    """The images stay uint8 (47 MB for the training set), as Mnist.Training holds them; each batch is normalised
    on its own (normalise)."""
    images = read_idx(data_dir / f"{prefix}-images-idx3-ubyte.gz", 0x803, 3)
    labels = read_idx(data_dir / f"{prefix}-labels-idx1-ubyte.gz", 0x801, 1)
    return torch.from_numpy(images.copy()).unsqueeze(1), torch.from_numpy(labels.astype(np.int64))


def normalise(pixels):
    return (pixels.to(torch.float32) / 255.0 - MEAN) / STD


def train_epoch(model, optimizer, x, y, batch_size, generator, epoch):
    model.train()
    order = torch.randperm(len(y), generator=generator)
    start = time.perf_counter()
    for i, first in enumerate(range(0, len(y), batch_size)):
        idx = order[first:first + batch_size]
        optimizer.zero_grad()
        loss = F.nll_loss(model(normalise(x[idx])), y[idx])
        loss.backward()
        optimizer.step()
        if i % 100 == 0:
            done = min(first + batch_size, len(y))
            rate = done / max(time.perf_counter() - start, 1e-9)
            print(f"epoch {epoch}: {done}/{len(y)} loss {loss.item():.4f} {rate:.0f} images/s", file=sys.stderr)


@torch.no_grad()
def evaluate(model, x, y):
    model.eval()
    loss, correct = 0.0, 0
    for first in range(0, len(y), 1000):
        out = model(normalise(x[first:first + 1000]))
        loss += F.nll_loss(out, y[first:first + 1000], reduction="sum").item()
        correct += (out.argmax(dim=1) == y[first:first + 1000]).sum().item()
    return loss / len(y), correct / len(y)


@torch.no_grad()
def inference_rate(model, x, batch, seconds=3.0):
    model.eval()
    images, n, start = 0, len(x), time.perf_counter()
    i = 0
    while time.perf_counter() - start < seconds:
        first = (i * batch) % (n - batch)
        model(normalise(x[first:first + batch]))
        images += batch
        i += 1
    return images / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path(__file__).resolve().parent.parent / "data" / "mnist")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1.0)
    parser.add_argument("--gamma", type=float, default=0.7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="train on the first N images only (0: all)")
    parser.add_argument("--inference", action="store_true", help="also measure eval-mode images/s at batch 1 and 64 (after the timings: wall time then includes it)")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)
    started = time.perf_counter()
    x_train, y_train = load(args.data_dir, "train")
    if args.limit:
        x_train, y_train = x_train[:args.limit], y_train[:args.limit]
    x_test, y_test = load(args.data_dir, "t10k")
    model = Net()
    optimizer = torch.optim.Adadelta(model.parameters(), lr=args.lr)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=args.gamma)
    train_started = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        train_epoch(model, optimizer, x_train, y_train, args.batch_size, generator, epoch)
        scheduler.step()
    train_seconds = time.perf_counter() - train_started
    test_loss, accuracy = evaluate(model, x_test, y_test)
    result = {
        "torch": torch.__version__, "threads": args.threads, "epochs": args.epochs,
        "train_seconds": round(train_seconds, 2), "total_seconds": round(time.perf_counter() - started, 2),
        "test_accuracy": accuracy, "test_loss": round(test_loss, 4),
    }
    if args.inference:
        result["infer_batch1_images_per_s"] = round(inference_rate(model, x_test, 1))
        result["infer_batch64_images_per_s"] = round(inference_rate(model, x_test, 64))
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
