#!/usr/bin/env python3
"""mxjit against PyTorch eager on this CPU, side by side, in one run.

For each thread count (default 1 and 2) it runs the mxjit benchmarks
(build/bin/mxjit-bench, with MXJIT_NUM_THREADS set) and their PyTorch peers
(bench/torch_peer.py, torch.set_num_threads) and prints one table per thread
count with the issue-7 targets:

  sgemm 256/512/1024      BM_Sgemm             torch.mm          >= 0.9 x GFLOP/s
  add, 16M floats         BM_Add16M            a + b             (reported)
  5-op chain, 16M floats  BM_Chain5_16M        relu((a+b)*a-b)*.5 <= 0.2 x time
  MLP step, batch 128     BM_GluonMlpStep/128  same model + SGD  <= 0.7 x time
  LeNet step, batch 128   BM_GluonLeNetStep/128                  <= 0.5 x time
  cache-hit dispatch      BM_NDArrayOpHit      x + 1.0 on 4x4    <= 1 us
  step peak memory        above the process before the model (reported)
  step working memory     above the process right before the steps
  planned / naive bytes   planned_KiB / naive_KiB               <= 0.5

Each training benchmark runs in a process of its own on both sides, so the
peak-memory figures measure one model against the process before it.

Usage: python3 bench/compare_torch.py [--bench build/bin/mxjit-bench]
           [--threads 1 2] [--min-time 1.0] [--json results.json]
Exits 0 with a message when PyTorch is missing, so `bootstrap.sh bench`
still succeeds on a machine without it.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEER = os.path.join(ROOT, "bench", "torch_peer.py")

SGEMM_SIZES = (256, 512, 1024)
# mxjit benchmark, peer key (bench/torch_peer.py --reduction), table label.
REDUCTIONS = (("BM_SumRows_4096x1024", "sum_rows", "sum rows 4096x1024"),
              ("BM_SumCols_4096x1024", "sum_cols", "sum cols 4096x1024"),
              ("BM_Sum16M", "sum16m", "sum 16M"),
              ("BM_Softmax_4096x1024", "softmax", "softmax 4096x1024"),
              ("BM_LogSoftmax_4096x1024", "log_softmax",
               "log_softmax 4096x1024"))
STEPS = (("mlp", "BM_GluonMlpStep", 128, 0.7),
         ("lenet", "BM_GluonLeNetStep", 128, 0.5))
UNIT_MS = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}


def torch_python():
    """An interpreter that can import torch. Debian's python3-torch lives in
    /usr/bin/python3's dist-packages, which a pyenv or venv `python3` on PATH
    does not see, so try that one too."""
    candidates = [os.environ.get("TORCH_PYTHON"), sys.executable,
                  shutil.which("python3"), "/usr/bin/python3"]
    for py in candidates:
        if not py or not os.path.exists(py):
            continue
        ok = subprocess.run([py, "-c", "import torch"],
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL).returncode == 0
        if ok:
            return py
    return None


def mxjit_runs(bench, pattern, threads, min_time):
    """name -> result of the mxjit-bench benchmarks matching `pattern`."""
    env = dict(os.environ, MXJIT_NUM_THREADS=str(threads))
    out = subprocess.run(
        [bench, "--benchmark_filter=" + pattern, "--benchmark_format=json",
         "--benchmark_min_time=%s" % min_time],
        check=True, stdout=subprocess.PIPE, env=env).stdout
    return {b["name"]: b for b in json.loads(out)["benchmarks"]}


def ms(result):
    return result["real_time"] * UNIT_MS[result["time_unit"]]


def peer_runs(py, args):
    out = subprocess.run([py, PEER] + args, check=True,
                         stdout=subprocess.PIPE,
                         universal_newlines=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def measure(bench, py, threads, min_time, steps):
    """Every figure of the table for one thread count, as a dict."""
    r = {"threads": threads}
    sizes = "|".join(str(n) for n in SGEMM_SIZES)
    mx = mxjit_runs(bench, "BM_Sgemm/(%s)|BM_Add16M|BM_Chain5_16M|"
                    "BM_NDArrayOpHit$|%s" % (sizes, "|".join(
                        b for b, _, _ in REDUCTIONS)), threads, min_time)
    for n in SGEMM_SIZES:
        b = mx.get("BM_Sgemm/%d/real_time" % n)
        r["mx_sgemm_%d" % n] = b["GFLOP/s"] if b else None
    for name, key in (("BM_Add16M/real_time", "add16m"),
                      ("BM_Chain5_16M/real_time", "chain5_16m")):
        r["mx_" + key] = ms(mx[name]) if name in mx else None
    for name, key, _ in REDUCTIONS:
        name += "/real_time"
        r["mx_" + key] = ms(mx[name]) if name in mx else None
    b = mx.get("BM_NDArrayOpHit")
    r["mx_dispatch_us"] = ms(b) * 1e3 if b else None

    for row in peer_runs(py, ["--sgemm", ",".join(map(str, SGEMM_SIZES)),
                              "--threads", str(threads)]):
        r["torch_sgemm_%d" % row["sgemm"]] = row["gflops"]
    for row in peer_runs(py, ["--elementwise", "--dispatch", "--reduction",
                              "--threads", str(threads)]):
        if "elementwise" in row:
            r["torch_" + row["elementwise"]] = row["ms"]
        elif "reduction" in row:
            r["torch_" + row["reduction"]] = row["ms"]
        else:
            r["torch_dispatch_us"] = row["us"]

    for model, bm, batch, _ in STEPS:
        name = "%s/%d" % (bm, batch)
        b = mxjit_runs(bench, name + "$", threads, min_time).get(name)
        if b and not b.get("error_occurred"):
            r["mx_%s_ms" % model] = ms(b)
            r["mx_%s_peak_mib" % model] = b.get("step_peak_MiB")
            r["mx_%s_working_mib" % model] = b.get("step_working_MiB")
            if b.get("naive_KiB"):
                r["mx_%s_planned_ratio" % model] = (b["planned_KiB"] /
                                                    b["naive_KiB"])
        (row,) = peer_runs(py, ["--models", "%s:%d" % (model, batch),
                                "--threads", str(threads), "--steps",
                                str(steps)])
        r["torch_%s_ms" % model] = row["ms_per_step"]
        r["torch_%s_peak_mib" % model] = row.get("step_peak_mib")
        r["torch_%s_working_mib" % model] = row.get("step_working_mib")
    return r


def fmt(x, spec="%.2f"):
    return "-" if x is None else spec % x


def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b


def verdict(value, target, at_most):
    if value is None:
        return "-"
    ok = value <= target if at_most else value >= target
    return "yes" if ok else "**no**"


def table(r):
    print("\n%d thread%s" % (r["threads"], "" if r["threads"] == 1 else "s"))
    print("| benchmark | mxjit | torch | ratio | target | met |")
    print("|---|---|---|---|---|---|")
    for n in SGEMM_SIZES:
        mx, th = r.get("mx_sgemm_%d" % n), r.get("torch_sgemm_%d" % n)
        q = ratio(mx, th)
        print("| sgemm %d (GFLOP/s) | %s | %s | %s | >= 0.9 | %s |"
              % (n, fmt(mx, "%.1f"), fmt(th, "%.1f"), fmt(q),
                 verdict(q, 0.9, False)))
    for key, label, target in (("add16m", "add 16M (ms)", None),
                               ("chain5_16m", "5-op chain 16M (ms)", 0.2)):
        mx, th = r.get("mx_" + key), r.get("torch_" + key)
        q = ratio(mx, th)
        print("| %s | %s | %s | %s | %s | %s |"
              % (label, fmt(mx), fmt(th), fmt(q),
                 "<= %.1f" % target if target else "-",
                 verdict(q, target, True) if target else "-"))
    for _, key, label in REDUCTIONS:
        mx, th = r.get("mx_" + key), r.get("torch_" + key)
        print("| %s (ms) | %s | %s | %s | - | - |"
              % (label, fmt(mx), fmt(th), fmt(ratio(mx, th))))
    for model, _, batch, target in STEPS:
        mx, th = r.get("mx_%s_ms" % model), r.get("torch_%s_ms" % model)
        q = ratio(mx, th)
        print("| %s step bs%d (ms) | %s | %s | %s | <= %.1f | %s |"
              % (model, batch, fmt(mx), fmt(th), fmt(q), target,
                 verdict(q, target, True)))
    mx, th = r.get("mx_dispatch_us"), r.get("torch_dispatch_us")
    print("| cache-hit dispatch (us) | %s | %s | %s | mxjit <= 1 us | %s |"
          % (fmt(mx), fmt(th), fmt(ratio(mx, th)), verdict(mx, 1.0, True)))
    for model, _, batch, _ in STEPS:
        for key, label in (("peak", "peak memory"),
                           ("working", "working memory")):
            mx = r.get("mx_%s_%s_mib" % (model, key))
            th = r.get("torch_%s_%s_mib" % (model, key))
            print("| %s step bs%d %s (MiB) | %s | %s | %s | - | - |"
                  % (model, batch, label, fmt(mx, "%.1f"), fmt(th, "%.1f"),
                     fmt(ratio(mx, th))))
        q = r.get("mx_%s_planned_ratio" % model)
        print("| %s step bs%d planned / naive temporaries | %s | - | - | "
              "<= 0.5 | %s |" % (model, batch, fmt(q), verdict(q, 0.5, True)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", default=os.path.join(ROOT, "build", "bin",
                                                    "mxjit-bench"))
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--min-time", default="1.0",
                    help="--benchmark_min_time for mxjit-bench (seconds)")
    ap.add_argument("--steps", type=int, default=30,
                    help="timed PyTorch steps (median reported)")
    ap.add_argument("--json", help="also write every figure to this file")
    args = ap.parse_args()

    py = torch_python()
    if py is None:
        print("PyTorch not installed: install python3-torch "
              "(skipping the PyTorch comparison)")
        return 0
    version = subprocess.run([py, "-c", "import torch; print(torch.__version__)"],
                             stdout=subprocess.PIPE,
                             universal_newlines=True).stdout.strip()
    print("mxjit (%s) against PyTorch %s eager, CPU; times are medians, "
          "ratio = mxjit / torch" % (os.path.relpath(args.bench), version))
    results = []
    for threads in args.threads:
        r = measure(args.bench, py, threads, args.min_time, args.steps)
        results.append(r)
        table(r)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
