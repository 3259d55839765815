#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine: installs what is missing,
# configures, builds, then runs the demo, the tests or the benchmarks.
# Idempotent: a second run installs nothing and rebuilds only what changed.
#
#   bash scripts/bootstrap.sh demo    # build + run the main demo
#   bash scripts/bootstrap.sh test    # build + run every test (lit + gtest)
#   bash scripts/bootstrap.sh bench   # build + run bench/ programs
#   bash scripts/bootstrap.sh build   # build only
set -euo pipefail

mode=${1:-demo}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${MXJIT_BUILD_DIR:-$root/build}
llvm=/usr/lib/llvm-22

packages=(cmake ninja-build ccache llvm-22-dev llvm-22-tools libmlir-22-dev
          mlir-22-tools clang-22 lld-22 libgtest-dev libbenchmark-dev
          zlib1g-dev libzstd-dev graphviz dataset-fashion-mnist)

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> installing: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
    --no-install-recommends "${missing[@]}"
}

configure() {
  [ -f "$build/build.ninja" ] && return 0
  echo "==> configuring $build"
  CC=clang-22 CXX=clang++-22 cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR=$llvm/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=$llvm/bin/lit \
    -DLLVM_USE_LINKER=lld
}

build_all() {
  echo "==> building"
  local start=$SECONDS
  ninja -C "$build" -j "$(nproc)"
  echo "==> build took $((SECONDS - start)) s"
}

install_missing
configure
build_all

case "$mode" in
  build) ;;
  demo)
    "$build/bin/mxjit-demo"
    # The main demo: Gluon models trained on Fashion-MNIST, each until it
    # reaches the issue's target test accuracy (at most 10 epochs); reports
    # and SVGs go to $build/demo-out/<model>.
    echo "==> mxjit-train: Gluon MLP on Fashion-MNIST (target 88%)"
    "$build/bin/mxjit-train" --model mlp --stop-at 0.88 \
      --out "$build/demo-out/mlp"
    echo "==> mxjit-train: Gluon LeNet on Fashion-MNIST (target 90%)"
    "$build/bin/mxjit-train" --model lenet --batch-size 32 --stop-at 0.90 \
      --out "$build/demo-out/lenet"
    ;;
  test)
    echo "==> lit (FileCheck suites)"
    "$llvm/bin/lit" -sv "$build/test"
    echo "==> GoogleTest (ctest)"
    ctest --test-dir "$build" --output-on-failure -j "$(nproc)" -E '^lit$'
    ;;
  bench)
    "$build/bin/mxjit-bench" --benchmark_min_time=0.2
    # The PyTorch peer of the Gluon training steps. python3-torch is large,
    # so it is installed here only, never for demo or test.
    # The comparison scripts say so and exit 0 when it is still missing.
    packages=(python3-torch)
    install_missing || echo "==> could not install python3-torch"
    echo "==> Gluon training steps compared with PyTorch (CPU)"
    python3 "$root/bench/compare_training.py" --bench "$build/bin/mxjit-bench"
    echo "==> issue-7 table: kernels, steps, dispatch, memory at 1 and 2 threads"
    python3 "$root/bench/compare_torch.py" --bench "$build/bin/mxjit-bench"
    ;;
  *) echo "unknown mode '$mode' (demo|test|bench|build)" >&2; exit 2 ;;
esac
