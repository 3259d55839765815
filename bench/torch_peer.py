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

Each step line also has "step_peak_mib": the peak resident memory during
the timed steps (high-water mark reset after warm-up and malloc_trim) above
the process's size before the model was built, and "step_working_mib", the
same peak above the size right before the timed steps, as
bench/TrainingBench.cpp measures them; meaningful when one model runs per
process.

With --elementwise it times a + b and relu((a + b) * a - b) * 0.5 on 16M
float32 elements (the peers of BM_Add16M and BM_Chain5_16M in
bench/ElementwiseBench.cpp), and with --dispatch one small op (x + 1.0 on a
4x4 array, the peer of BM_NDArrayOpHit):

  {"elementwise": "add16m", "threads": 1, "ms": 12.3, ...}
  {"dispatch": "add_scalar_4x4", "threads": 1, "us": 3.1, ...}

Usage: python3 bench/torch_peer.py [--threads N ...] [--steps K] [--models mlp,lenet]
       python3 bench/torch_peer.py --sgemm 256,512,1024 [--threads 1]
       python3 bench/torch_peer.py --elementwise [--dispatch] [--threads 1]
"""

import argparse
import ctypes
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


def status_bytes(field):
    """A "Vm...: N kB" field of /proc/self/status in bytes (0 off Linux)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def release_free_memory():
    """glibc's malloc_trim(0), as bench/ProcessMemory.h calls it."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def reset_peak_rss():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def time_steps(model_name, batch, threads, warmup, steps):
    baseline = status_bytes("VmRSS")
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
    release_free_memory()
    before_steps = status_bytes("VmRSS")
    peak_reset = reset_peak_rss()
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
        "step_peak_mib": ((status_bytes("VmHWM") - baseline) / 2**20
                          if peak_reset else None),
        "step_working_mib": ((status_bytes("VmHWM") - before_steps) / 2**20
                             if peak_reset else None),
        "torch": torch.__version__,
    }


def median_time(fn, min_time, min_reps=5):
    """Median seconds per call of fn(), called for at least min_time s."""
    for _ in range(2):
        fn()
    times = []
    start = time.perf_counter()
    while time.perf_counter() - start < min_time or len(times) < min_reps:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), len(times)


def time_elementwise(threads, min_time=1.0):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    n = 16 << 20
    a = torch.rand(n) * 2 - 1
    b = torch.rand(n) * 2 - 1
    exprs = {
        "add16m": lambda: a + b,
        "chain5_16m": lambda: torch.relu((a + b) * a - b) * 0.5,
    }
    for name, fn in exprs.items():
        t, reps = median_time(fn, min_time)
        yield {"elementwise": name, "threads": threads, "ms": t * 1e3,
               "reps": reps, "torch": torch.__version__}


def time_reduction(threads, min_time=1.0):
    """Peers of bench/ReductionBench.cpp."""
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x = torch.rand(4096, 1024) * 2 - 1
    v = torch.rand(16 << 20) * 2 - 1
    exprs = {
        "sum_rows": lambda: x.sum(1),
        "sum_cols": lambda: x.sum(0),
        "sum16m": lambda: v.sum(),
        "softmax": lambda: torch.softmax(x, -1),
        "log_softmax": lambda: torch.log_softmax(x, -1),
    }
    for name, fn in exprs.items():
        t, reps = median_time(fn, min_time)
        yield {"reduction": name, "threads": threads, "ms": t * 1e3,
               "reps": reps, "torch": torch.__version__}


def time_dispatch(threads, calls=200000):
    """Mean time of one small eager op: the peer of BM_NDArrayOpHit."""
    torch.set_num_threads(threads)
    x = torch.ones(4, 4)
    for _ in range(1000):
        x + 1.0
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(calls):
            x + 1.0
        best = min(best, (time.perf_counter() - t0) / calls)
    return {"dispatch": "add_scalar_4x4", "threads": threads,
            "us": best * 1e6, "torch": torch.__version__}


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
    ap.add_argument("--elementwise", action="store_true",
                    help="time the 16M-element add and 5-op chain instead")
    ap.add_argument("--reduction", action="store_true",
                    help="time row/column/full sums and softmax instead")
    ap.add_argument("--dispatch", action="store_true",
                    help="time one small eager op instead")
    args = ap.parse_args()
    threads = args.threads or [1, os.cpu_count() or 1]
    if args.elementwise or args.dispatch or args.reduction:
        for t in threads:
            if args.elementwise:
                for row in time_elementwise(t):
                    print(json.dumps(row), flush=True)
            if args.reduction:
                for row in time_reduction(t):
                    print(json.dumps(row), flush=True)
            if args.dispatch:
                print(json.dumps(time_dispatch(t)), flush=True)
        return
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
