"""PyTorch-CPU training throughput of the seed MelodyTransformer: the anchor of `npm run bench -- lstm`.

    OPENBLAS_NUM_THREADS=2 /usr/bin/python3 torch_lstm_anchor.py '{"frames": 313, "batch": 16, "steps": 4, "budgetSeconds": 40, "threads": 2}'

The same model and step as the bench's tfjs figures: 64 mels -> 3 x LSTM 256 (batch_first, sequences) -> dropout 0.2
-> linear 128 -> sigmoid, binary cross-entropy on 5 %-dense 0/1 targets, Adam lr 1e-3; one training step = forward,
backward, optimizer step on a batch. One warm-up step, then at most `steps` steps (at least 2, stopping early past
`budgetSeconds`). Prints one JSON line: mean and best wall seconds per step, process CPU seconds per step, and what
ran: torch's intra-op (OpenMP) and inter-op threads, OpenBLAS's own thread pool (set only by OPENBLAS_NUM_THREADS in
the environment: torch.set_num_threads does not reach it) and the process's OS threads after training.
"""
import ctypes
import json
import os
import sys
import time

import torch
from torch import nn


def openblas_threads():
    """OpenBLAS's thread-pool size as the loaded library reports it (None when libblas is not OpenBLAS)."""
    for name in ("libblas.so.3", "libopenblas.so.0"):
        try:
            return int(ctypes.CDLL(name).openblas_get_num_threads())
        except (OSError, AttributeError):
            continue
    return None


class Melody(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(64, 256, num_layers=3, batch_first=True)
        self.drop = nn.Dropout(0.2)
        self.dense = nn.Linear(256, 128)

    def forward(self, x):
        y, _ = self.lstm(x)
        return torch.sigmoid(self.dense(self.drop(y)))


def main(argv):
    cfg = json.loads(argv[1])
    default_threads = torch.get_num_threads()
    torch.set_num_threads(cfg["threads"])
    torch.manual_seed(1)
    model = Melody()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.BCELoss()
    x = torch.randn(cfg["batch"], cfg["frames"], 64)
    y = (torch.rand(cfg["batch"], cfg["frames"], 128) < 0.05).float()

    def step():
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    step()
    times = []
    c0, t0 = time.process_time(), time.perf_counter()
    while len(times) < cfg["steps"] and (len(times) < 2 or time.perf_counter() - t0 < cfg["budgetSeconds"]):
        s = time.perf_counter()
        step()
        times.append(time.perf_counter() - s)
    cpu = (time.process_time() - c0) / len(times)
    print(
        json.dumps(
            {
                "meanSeconds": sum(times) / len(times),
                "bestSeconds": min(times),
                "cpuSeconds": cpu,
                "steps": len(times),
                "threads": torch.get_num_threads(),
                "interopThreads": torch.get_num_interop_threads(),
                "openblasThreads": openblas_threads(),
                "osThreads": len(os.listdir("/proc/self/task")),
                "defaultThreads": default_threads,
                "torch": torch.__version__,
                "blas": torch.__config__.show().split("BLAS_INFO=")[-1].split(",")[0] if "BLAS_INFO=" in torch.__config__.show() else None,
                "pid": os.getpid(),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv)
