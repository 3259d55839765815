#!/bin/sh
# Warm start from the on-disk compile cache, measured in fresh processes:
# runs build/bin/mxjit-warmstart (bench/WarmStart.cpp, the first Gluon MLP
# training step) with an empty private cache directory (cold: compiles and
# writes the entries), then RUNS more times with the same directory (warm:
# loads them), and once with the cache off. Prints each run's figures and
# its whole process wall time (exec to exit, in ms).
#
# Usage: scripts/warm_start.sh [build-dir] [batch] [runs]
set -eu
build=${1:-build}
batch=${2:-128}
runs=${3:-5}
tool="$build/bin/mxjit-warmstart"
dir=$(mktemp -d "${TMPDIR:-/tmp}/mxjit-warm-start.XXXXXX")
trap 'rm -rf "$dir"' EXIT

run() {
  label=$1
  shift
  t0=$(date +%s%N)
  out=$("$@" "$tool" "$batch")
  t1=$(date +%s%N)
  echo "$label: $out process_ms=$(((t1 - t0) / 1000000))"
}

run "off " env MXJIT_CACHE_DIR=off
run "cold" env MXJIT_CACHE_DIR="$dir"
i=0
while [ "$i" -lt "$runs" ]; do
  run "warm" env MXJIT_CACHE_DIR="$dir"
  i=$((i + 1))
done
echo "entries: $(ls "$dir" | wc -l) files, $(du -sk "$dir" | cut -f1) KiB"
