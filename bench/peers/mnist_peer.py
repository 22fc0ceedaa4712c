"""What both Python peers share: the network of PyTorch's MNIST example, our model.dat read into it (TorchSharp's
state-dict format), the MNIST test set, and a batch-1 eval forward with torch on one thread, as the original
Python services served."""
import gzip
import struct
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

MEAN, STD = 0.1307, 0.3081
# TorchSharp ScalarType codes -> numpy dtypes (only those a state dict of this network holds).
DTYPES = {6: np.float32, 7: np.float64, 4: np.int64}


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = F.max_pool2d(x, 2)
        x = F.relu(self.fc1(torch.flatten(x, 1)))
        return F.log_softmax(self.fc2(x), dim=1)


def _uvarint(data, at):
    value, shift = 0, 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7


def read_state_dict(path):
    """TorchSharp's Module.save format: uvarint count, then per entry a uvarint-prefixed UTF-8 name, uvarint dtype,
    rank and dims, and the raw little-endian data."""
    data = Path(path).read_bytes()
    count, at = _uvarint(data, 0)
    state = {}
    for _ in range(count):
        length, at = _uvarint(data, at)
        name = data[at:at + length].decode()
        at += length
        dtype, at = _uvarint(data, at)
        rank, at = _uvarint(data, at)
        shape = []
        for _ in range(rank):
            dim, at = _uvarint(data, at)
            shape.append(dim)
        np_type = np.dtype(DTYPES[dtype])
        size = int(np.prod(shape)) * np_type.itemsize
        state[name] = torch.from_numpy(np.frombuffer(data, np_type, offset=at, count=size // np_type.itemsize).reshape(shape).copy())
        at += size
    return state


def load_model(model_dir):
    torch.set_num_threads(1)
    model = Net()
    model.load_state_dict(read_state_dict(Path(model_dir) / "model.dat"))
    return model.eval()


def load_test_set(data_dir):
    def idx(name, dims):
        data = gzip.decompress((Path(data_dir) / name).read_bytes())
        shape = struct.unpack(">" + "i" * dims, data[4:4 + 4 * dims])
        return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)
    return idx("t10k-images-idx3-ubyte.gz", 3), idx("t10k-labels-idx1-ubyte.gz", 1)


@torch.no_grad()
def predict(model, pixels):
    """784 bytes (0 = background, 255 = ink) -> (digit, 10 softmax probabilities)."""
    x = torch.frombuffer(bytearray(pixels), dtype=torch.uint8).to(torch.float32).view(1, 1, 28, 28)
    probs = model((x / 255.0 - MEAN) / STD).exp()[0]
    return int(probs.argmax()), probs.tolist()
