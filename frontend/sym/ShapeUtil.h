//===- ShapeUtil.h - MXNet 1.x partial shapes -------------------*- C++ -*-===//
//
// MXNet 1.x shapes are partial: an empty shape is unknown and a 0 dimension
// is an unknown dimension. Inference merges what each rule knows into one
// slot per value and reports disagreements naming the node.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_FRONTEND_SYM_SHAPEUTIL_H
#define MXJIT_FRONTEND_SYM_SHAPEUTIL_H

#include "sym/Params.h"

namespace mxjit::sym::detail {

/// Every dimension known (and the shape itself known).
bool shapeKnown(const Shape &s);

/// Merges `inferred` into `slot` (unknown dimensions take the known ones);
/// returns whether `slot` changed. Throws mxjit::Error "Error in operator
/// <node> (<op>): shape of <what> is (2, 3) but (2, 4) is inferred" when
/// ranks or known dimensions differ.
bool mergeShape(Shape &slot, const Shape &inferred, const Params &params,
                const std::string &what);

/// mergeShape without the error: nullopt when the shapes disagree.
std::optional<bool> tryMergeShape(Shape &slot, const Shape &inferred);

/// "(2, 3)"; "()" for an unknown shape.
std::string shapeStr(const Shape &s);

} // namespace mxjit::sym::detail

#endif // MXJIT_FRONTEND_SYM_SHAPEUTIL_H
