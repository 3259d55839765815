//===- ShapeUtil.cpp - MXNet 1.x partial shapes ---------------------------===//

#include "sym/ShapeUtil.h"
#include "sym/SymbolImpl.h"

#include "runtime/Error.h"

namespace mxjit::sym::detail {

bool shapeKnown(const Shape &s) {
  if (s.empty())
    return false;
  for (int64_t d : s)
    if (d <= 0)
      return false;
  return true;
}

std::string shapeStr(const Shape &s) { return formatShape(s); }

std::optional<bool> tryMergeShape(Shape &slot, const Shape &inferred) {
  if (inferred.empty())
    return false;
  if (slot.empty()) {
    slot = inferred;
    return true;
  }
  if (slot.size() != inferred.size())
    return std::nullopt;
  for (size_t i = 0; i < slot.size(); ++i)
    if (slot[i] > 0 && inferred[i] > 0 && slot[i] != inferred[i])
      return std::nullopt;
  bool changed = false;
  for (size_t i = 0; i < slot.size(); ++i)
    if (slot[i] <= 0 && inferred[i] > 0) {
      slot[i] = inferred[i];
      changed = true;
    }
  return changed;
}

bool mergeShape(Shape &slot, const Shape &inferred, const Params &params,
                const std::string &what) {
  if (std::optional<bool> changed = tryMergeShape(slot, inferred))
    return *changed;
  throw Error("Error in operator " + params.node() + " (" + params.op() +
              "): shape of " + what + " is " + shapeStr(slot) + " but " +
              shapeStr(inferred) + " is inferred");
}

} // namespace mxjit::sym::detail
