//===- ThreadPool.h - the pool compiled loops run on -------------*- C++
//-*-===//
//
// mx-parallelize turns the outermost parallel loop of a big loop nest into a
// call to mxjit_parallel_for, which splits the iteration range across one
// process-wide pool of persistent workers. The thread count is read at run
// time, so one compiled function runs with any thread count and the count is
// not part of the compile-cache key.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_RUNTIME_THREADPOOL_H
#define MXJIT_RUNTIME_THREADPOOL_H

#include "llvm/ADT/STLFunctionalExtras.h"

#include <cstdint>

namespace mxjit {

/// Sets how many threads (the calling thread included) compiled code may
/// use; 1 runs everything on the calling thread. Throws mxjit::Error for 0.
/// Waits for a parallel loop in flight to finish before resizing the pool.
void setNumThreads(unsigned n);

/// The current thread count: MXJIT_NUM_THREADS when set (a positive
/// integer), std::thread::hardware_concurrency() otherwise, until
/// setNumThreads changes it.
unsigned numThreads();

/// Runs body(begin, end) over contiguous chunks that together cover
/// [0, count) exactly once, on the pool and the calling thread. Runs the
/// whole range inline when numThreads() is 1, count is below 2, the call
/// comes from inside a pool worker (nested loops), or another thread is
/// using the pool. Returns when every chunk is done.
void parallelFor(int64_t count,
                 llvm::function_ref<void(int64_t begin, int64_t end)> body);

} // namespace mxjit

/// The entry point generated code calls (see mx-parallelize). body must not
/// throw: it is JIT-compiled code, which has no unwind tables, so there are
/// no exceptions to propagate across this C ABI.
extern "C" void mxjit_parallel_for(void (*body)(void *ctx, int64_t begin,
                                                int64_t end),
                                   void *ctx, int64_t count);

#endif // MXJIT_RUNTIME_THREADPOOL_H
