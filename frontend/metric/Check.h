//===- Check.h - shared input checks of the metrics -------------*- C++ -*-===//

#ifndef MXJIT_FRONTEND_METRIC_CHECK_H
#define MXJIT_FRONTEND_METRIC_CHECK_H

#include "mxjit/ndarray.h"

#include <string>
#include <vector>

namespace mxjit::metric::detail {

/// MXNet's check_label_shapes on the list lengths.
void checkCounts(const std::string &metric,
                 const std::vector<nd::NDArray> &labels,
                 const std::vector<nd::NDArray> &preds);

/// Throws the same message for two element counts or dimensions.
void checkSame(const std::string &metric, int64_t labels, int64_t preds);

/// "(2,3)".
std::string shapeStr(const nd::NDArray &x);

} // namespace mxjit::metric::detail

#endif // MXJIT_FRONTEND_METRIC_CHECK_H
