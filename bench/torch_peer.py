#!/usr/bin/env python3
"""PyTorch eager peer of bench/TrainingBench.cpp.

Times the same training step as BM_GluonMlpStep / BM_GluonLeNetStep: forward,
loss, backward, SGD step (lr 0.1, momentum 0.9) and reading the loss value
back, on random data with a fixed seed. Prints one JSON object per line:

  {"model": "mlp", "batch": 64, "threads": 1, "ms_per_step": 1.23, ...}

Gluon's loss is per-sample and Trainer.step(batch) rescales gradients by
1/batch; PyTorch's mean-reduced loss gives the same gradients, so the two
steps do the same arithmetic. MXNet's SGD momentum (mom = m*mom - lr*g;
w += mom) and PyTorch's (buf = m*buf + g; w -= lr*buf) agree for a constant
learning rate.

With --sgemm 256,512,1024 it times torch.mm on n x n float32 matrices
instead (the peer of BM_Sgemm in bench/GemmBench.cpp), one line per size
and thread count:

  {"sgemm": 256, "threads": 1, "ms": 0.5, "gflops": 67.1, ...}

Usage: python3 bench/torch_peer.py [--threads N ...] [--steps K] [--models mlp,lenet]
       python3 bench/torch_peer.py --sgemm 256,512,1024 [--threads 1]
"""

import argparse
import json
import os
import statistics
import sys
import time

try:
    import torch
    from torch import nn
except ImportError:
    print("PyTorch not installed: install python3-torch", file=sys.stderr)
    sys.exit(3)


def mlp():
    return nn.Sequential(
        nn.Linear(784, 256), nn.ReLU(),
        nn.Linear(256, 256), nn.ReLU(),
        nn.Linear(256, 10))


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 20, 5), nn.Tanh(), nn.MaxPool2d(2, 2),
        nn.Conv2d(20, 50, 5), nn.Tanh(), nn.MaxPool2d(2, 2),
        nn.Flatten(),
        nn.Linear(50 * 4 * 4, 500), nn.Tanh(),
        nn.Linear(500, 10))


MODELS = {
    # name: (constructor, input shape without the batch axis)
    "mlp": (mlp, (784,)),
    "lenet": (lenet, (1, 28, 28)),
}


def time_steps(model_name, batch, threads, warmup, steps):
    torch.set_num_threads(threads)
    torch.manual_seed(42)
    make, in_shape = MODELS[model_name]
    net = make()
    x = torch.rand((batch,) + in_shape)
    y = torch.randint(0, 10, (batch,))
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(warmup):
        step()
    times = []
    last = 0.0
    for _ in range(steps):
        t0 = time.perf_counter()
        last = step()
        times.append(time.perf_counter() - t0)
    return {
        "model": model_name,
        "batch": batch,
        "threads": threads,
        "ms_per_step": statistics.median(times) * 1e3,
        "ms_min": min(times) * 1e3,
        "steps": steps,
        "loss": last,
        "torch": torch.__version__,
    }


def time_sgemm(n, threads, min_time=1.0):
    """Median time of torch.mm on random n x n float32 matrices, repeated
    for at least `min_time` seconds."""
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    a = torch.rand(n, n) * 2 - 1
    b = torch.rand(n, n) * 2 - 1
    for _ in range(3):
        torch.mm(a, b)
    times = []
    start = time.perf_counter()
    while time.perf_counter() - start < min_time or len(times) < 5:
        t0 = time.perf_counter()
        torch.mm(a, b)
        times.append(time.perf_counter() - t0)
    t = statistics.median(times)
    return {
        "sgemm": n,
        "threads": threads,
        "ms": t * 1e3,
        "gflops": 2.0 * n ** 3 / t * 1e-9,
        "reps": len(times),
        "torch": torch.__version__,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, nargs="*", default=None,
                    help="thread counts (default: 1 and all cores)")
    ap.add_argument("--steps", type=int, default=50,
                    help="timed steps; the median is reported")
    ap.add_argument("--warmup", type=int, default=10)
    ap.add_argument("--models", default="mlp:64,mlp:256,lenet:64",
                    help="comma-separated model:batch list")
    ap.add_argument("--sgemm", default=None,
                    help="comma-separated matrix sizes: time torch.mm "
                         "instead of training steps")
    args = ap.parse_args()
    threads = args.threads or [1, os.cpu_count() or 1]
    if args.sgemm:
        for n in args.sgemm.split(","):
            for t in threads:
                print(json.dumps(time_sgemm(int(n), t)), flush=True)
        return
    for spec in args.models.split(","):
        name, batch = spec.split(":")
        for n in threads:
            print(json.dumps(time_steps(name, int(batch), n, args.warmup,
                                        args.steps)), flush=True)


if __name__ == "__main__":
    main()
