//===- OpRegistry.cpp - storage of the MXNet operator table ---------------===//
//
// Entries live in a deque so the OpInfo pointers that nodes keep stay valid
// while later families register. Every op family registers itself the first
// time anyone looks an op up, so no static-initialisation order matters.
//
//===----------------------------------------------------------------------===//

#include "sym/OpRegistry.h"
#include "sym/ops/OpFamilies.h"

#include "llvm/Support/raw_ostream.h"

#include <deque>
#include <mutex>
#include <unordered_map>

namespace mxjit::sym::detail {

namespace {

struct Registry {
  std::mutex mutex;
  std::deque<OpInfo> entries;
  std::unordered_map<std::string, const OpInfo *> byName;
  std::vector<std::string> names; // registration order, aliases included
};

Registry &registry() {
  static Registry r;
  return r;
}

void registerFamilies() {
  static std::once_flag once;
  std::call_once(once, [] {
    registerElementwiseOps();
    registerTensorOps();
    registerConvPoolOps();
    registerNormOps();
    registerOutputOps();
  });
}

} // namespace

void registerOp(OpInfo info, const std::vector<std::string> &aliases) {
  Registry &r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.entries.push_back(std::move(info));
  const OpInfo *entry = &r.entries.back();
  std::vector<std::string> all{entry->name};
  all.insert(all.end(), aliases.begin(), aliases.end());
  for (const std::string &n : all) {
    // Two families claiming one name is a programming error; the first
    // keeps it so lookups stay deterministic, and the clash is reported
    // rather than thrown because registration runs inside call_once.
    if (!r.byName.emplace(n, entry).second) {
      llvm::errs() << "mxjit: operator '" << n
                   << "' registered twice; keeping the first\n";
      continue;
    }
    r.names.push_back(n);
  }
}

const OpInfo *lookupOp(const std::string &name) {
  registerFamilies();
  Registry &r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  auto it = r.byName.find(name);
  return it == r.byName.end() ? nullptr : it->second;
}

std::vector<std::string> registeredOpNames() {
  registerFamilies();
  Registry &r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  return r.names;
}

} // namespace mxjit::sym::detail
