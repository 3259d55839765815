#!/usr/bin/env python3
"""Gluon training steps in mxjit against the same steps in PyTorch eager (CPU).

Runs `mxjit-bench --benchmark_filter=Gluon --benchmark_format=json`
(bench/TrainingBench.cpp) and bench/torch_peer.py, then prints one row per
model and batch: mxjit ms/step and torch ms/step on 1 thread
(MXJIT_NUM_THREADS=1, torch.set_num_threads(1)), their ratio, and torch on
all cores. bench/compare_torch.py compares at equal thread counts.

Then the same for single-precision matrix products: BM_Sgemm/<n>
(bench/GemmBench.cpp) against torch.mm at one thread (`--no-sgemm` skips).

Usage: python3 bench/compare_training.py [--bench build/bin/mxjit-bench]
Exits 0 with a message when PyTorch is missing, so `bootstrap.sh bench`
still succeeds on a machine without it.
"""

import argparse
import json
import os
import re
import subprocess
import sys

from compare_torch import torch_python

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Benchmark name -> torch_peer model name.
MODEL_OF = {"BM_GluonMlpStep": "mlp", "BM_GluonLeNetStep": "lenet"}


def bench_json(bench, pattern, min_time):
    """The mxjit-bench results whose names match `pattern`, as parsed JSON,
    on one thread like the torch column they are compared with."""
    out = subprocess.run(
        [bench, "--benchmark_filter=" + pattern, "--benchmark_format=json",
         "--benchmark_min_time=%s" % min_time],
        check=True, stdout=subprocess.PIPE,
        env=dict(os.environ, MXJIT_NUM_THREADS="1")).stdout
    return json.loads(out)["benchmarks"]


def run_mxjit(bench, min_time):
    rows = {}
    for b in bench_json(bench, "Gluon", min_time):
        m = re.match(r"(\w+)/(\d+)", b["name"])
        if not m or m.group(1) not in MODEL_OF:
            continue
        key = (MODEL_OF[m.group(1)], int(m.group(2)))
        if b.get("error_occurred"):
            # A model mxjit cannot train yet: keep the row, with the reason.
            rows[key] = b.get("error_message", "error")
            continue
        # Wall time: what a user waits for per step (the JIT's code runs on
        # the calling thread).
        scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b["time_unit"]]
        rows[key] = b["real_time"] * scale
    return rows


def run_torch(py, specs, steps):
    cmd = [py, os.path.join(ROOT, "bench", "torch_peer.py"), "--models",
           ",".join("%s:%d" % s for s in specs), "--steps", str(steps)]
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE,
                         universal_newlines=True).stdout
    one, many, version = {}, {}, ""
    for line in out.splitlines():
        r = json.loads(line)
        key = (r["model"], r["batch"])
        (one if r["threads"] == 1 else many)[key] = (r["ms_per_step"],
                                                     r["threads"])
        version = r["torch"]
    return one, many, version


def run_mxjit_sgemm(bench, min_time):
    rows = {}
    for b in bench_json(bench, "BM_Sgemm", min_time):
        m = re.match(r"BM_Sgemm/(\d+)", b["name"])
        if m and not b.get("error_occurred"):
            rows[int(m.group(1))] = b["GFLOP/s"]
    return rows


def run_torch_sgemm(py, sizes):
    cmd = [py, os.path.join(ROOT, "bench", "torch_peer.py"), "--sgemm",
           ",".join(str(n) for n in sizes), "--threads", "1"]
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE,
                         universal_newlines=True).stdout
    return {r["sgemm"]: r["gflops"] for r in map(json.loads,
                                                  out.splitlines())}


def compare_sgemm(bench, py, min_time):
    mx = run_mxjit_sgemm(bench, min_time)
    if not mx:
        print("no BM_Sgemm benchmarks in %s" % bench, file=sys.stderr)
        return
    th = run_torch_sgemm(py, sorted(mx))
    print()
    print("sgemm n x n float32, 1 thread, GFLOP/s (mxjit: nd::dot + read "
          "back; torch: torch.mm)")
    print("| n | mxjit | torch | mxjit/torch |")
    print("|---|---|---|---|")
    for n in sorted(mx):
        t = th.get(n, float("nan"))
        print("| %d | %.1f | %.1f | %.2f |" % (n, mx[n], t, mx[n] / t))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", default=os.path.join(ROOT, "build", "bin",
                                                    "mxjit-bench"))
    ap.add_argument("--min-time", default="1.0",
                    help="--benchmark_min_time for mxjit-bench (seconds)")
    ap.add_argument("--steps", type=int, default=50,
                    help="timed PyTorch steps (median reported)")
    ap.add_argument("--no-sgemm", action="store_true",
                    help="skip the sgemm comparison")
    args = ap.parse_args()

    py = torch_python()
    if py is None:
        print("PyTorch not installed: install python3-torch "
              "(skipping the PyTorch comparison)")
        return 0

    mx = run_mxjit(args.bench, args.min_time)
    if not mx:
        print("no Gluon benchmarks in %s" % args.bench, file=sys.stderr)
        return 1
    specs = sorted(mx)
    one, many, version = run_torch(py, specs, args.steps)

    cores = os.cpu_count() or 1
    print("Training step, CPU, ms/step (mxjit: Google Benchmark wall time; "
          "torch %s eager: median of %d steps)" % (version, args.steps))
    header = ("model", "batch", "mxjit ms", "torch 1T ms", "torch/mxjit",
              "torch %dT ms" % cores)
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    failed = []
    for key in specs:
        t1 = one.get(key, (float("nan"), 1))[0]
        tn = many.get(key, one.get(key, (float("nan"), 1)))[0]
        if isinstance(mx[key], str):
            failed.append((key, mx[key]))
            print("| %s | %d | failed | %.2f | - | %.2f |"
                  % (key[0], key[1], t1, tn))
            continue
        print("| %s | %d | %.2f | %.2f | %.2f | %.2f |"
              % (key[0], key[1], mx[key], t1, t1 / mx[key], tn))
    for key, why in failed:
        print("mxjit %s/%d failed: %s" % (key[0], key[1], why[:200]))
    if not args.no_sgemm:
        compare_sgemm(args.bench, py, args.min_time)
    return 0


if __name__ == "__main__":
    sys.exit(main())
