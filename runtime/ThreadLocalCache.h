//===- ThreadLocalCache.h - per-thread caches -------------------*- C++ -*-===//
//
// The runtime keeps freed memory in per-thread caches (Arena.cpp,
// HostBuffer.cpp). Memory can be released while the thread's thread-local
// objects are being destroyed (by a later destructor), after its cache is
// gone: such a release must see that and free directly.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_RUNTIME_THREADLOCALCACHE_H
#define MXJIT_RUNTIME_THREADLOCALCACHE_H

namespace mxjit::detail {

/// The calling thread's T, created on first use; null once it has been
/// destroyed at thread exit.
template <typename T> T *threadLocalCache() {
  // Trivially destructible, so it stays readable after `holder` is gone.
  thread_local bool alive = false;
  struct Holder {
    T value;
    Holder() { alive = true; }
    ~Holder() { alive = false; }
  };
  thread_local Holder holder;
  return alive ? &holder.value : nullptr;
}

} // namespace mxjit::detail

#endif // MXJIT_RUNTIME_THREADLOCALCACHE_H
