//===- ProcessMemory.h - resident memory of this process --------*- C++ -*-===//
//
// Peak memory of a training step, measured the way bench/torch_peer.py
// measures PyTorch's: resident set size from /proc/self/status, with the
// high-water mark reset (/proc/self/clear_refs) once compilation and warm-up
// are over, so it covers the steady-state steps only. Before the reset,
// freed heap is handed back to the system (malloc_trim), so memory a step
// allocates shows up as growth whether or not the allocator had it cached
// from compilation. Linux-only; the functions return 0 where /proc is
// unavailable.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_BENCH_PROCESSMEMORY_H
#define MXJIT_BENCH_PROCESSMEMORY_H

#include <cstdint>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <fstream>
#include <string>

namespace mxjit::bench {

/// A "Vm...:  N kB" field of /proc/self/status, in bytes.
inline uint64_t statusBytes(const std::string &field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.compare(0, field.size() + 1, field + ":") == 0)
      return std::stoull(line.substr(field.size() + 1)) * 1024;
  return 0;
}

inline uint64_t residentBytes() { return statusBytes("VmRSS"); }
inline uint64_t peakResidentBytes() { return statusBytes("VmHWM"); }

/// Returns free heap memory to the system where the C library can.
inline void releaseFreeMemory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

/// Sets the high-water mark back to the current resident size.
inline bool resetPeakResident() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  return static_cast<bool>(clear.flush());
}

/// Resident bytes when this is first called: call it at the top of every
/// benchmark that reports memory, so a benchmark run alone in its process
/// (`--benchmark_filter=<name>$`) measures against the process before any
/// model existed.
inline uint64_t baselineResidentBytes() {
  static const uint64_t baseline = residentBytes();
  return baseline;
}

} // namespace mxjit::bench

#endif // MXJIT_BENCH_PROCESSMEMORY_H
