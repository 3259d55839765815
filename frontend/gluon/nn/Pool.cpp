//===- Pool.cpp - gluon.nn max/avg/global pooling via the Pooling op -----===//

#include "gluon/nn/Dims.h"
#include "mxjit/nd_registry_ops.h"

namespace mxjit::gluon::nn {

using detail::expand;
using detail::layoutFor;

PoolBase::PoolBase(const char *kind, size_t rank, const char *pool_type,
                   Dims pool_size, std::optional<Dims> strides, Dims padding,
                   const std::string &layout, bool ceil_mode, bool global,
                   std::optional<bool> count_include_pad,
                   std::optional<std::string> prefix,
                   std::shared_ptr<ParameterDict> params)
    : HybridBlock("pool", std::move(prefix), std::move(params)), kind_(kind),
      rank_(rank) {
  std::string me = kind_ + " '" + name() + "'";
  nd::Shape kernel = expand(pool_size, rank, me, "pool_size", 1);
  // Gluon: strides=None means non-overlapping windows.
  nd::Shape stride =
      strides ? expand(*strides, rank, me, "strides", 1) : kernel;
  nd::Shape pad = expand(padding, rank, me, "padding", 0);
  if (layout != layoutFor(rank))
    throw Error(me + ": layout '" + layout + "' is not supported (only " +
                layoutFor(rank) + ")");
  kwargs_ = {{"kernel", kernel},
             {"stride", stride},
             {"pad", pad},
             {"pool_type", pool_type},
             {"global_pool", global},
             {"pooling_convention", ceil_mode ? "full" : "valid"},
             {"layout", layoutFor(rank)}};
  if (count_include_pad)
    kwargs_.push_back({"count_include_pad", *count_include_pad});
}

nd::NDArray PoolBase::forward(const nd::NDArray &x) {
  if (x.empty() || x.ndim() != static_cast<int64_t>(rank_ + 2))
    throw Error(kind_ + " '" + name() + "': input must have rank " +
                std::to_string(rank_ + 2) + " (" + layoutFor(rank_) +
                "), got rank " + std::to_string(x.empty() ? 0 : x.ndim()));
  return nd::Op("Pooling", {x}, kwargs_)[0];
}

MaxPool1D::MaxPool1D(Dims pool_size, std::optional<Dims> strides, Dims padding,
                     std::string layout, bool ceil_mode,
                     std::optional<std::string> prefix,
                     std::shared_ptr<ParameterDict> params)
    : PoolBase("MaxPool1D", 1, "max", std::move(pool_size), std::move(strides),
               std::move(padding), layout, ceil_mode, false, std::nullopt,
               std::move(prefix), std::move(params)) {}

MaxPool2D::MaxPool2D(Dims pool_size, std::optional<Dims> strides, Dims padding,
                     std::string layout, bool ceil_mode,
                     std::optional<std::string> prefix,
                     std::shared_ptr<ParameterDict> params)
    : PoolBase("MaxPool2D", 2, "max", std::move(pool_size), std::move(strides),
               std::move(padding), layout, ceil_mode, false, std::nullopt,
               std::move(prefix), std::move(params)) {}

AvgPool1D::AvgPool1D(Dims pool_size, std::optional<Dims> strides, Dims padding,
                     std::string layout, bool ceil_mode, bool count_include_pad,
                     std::optional<std::string> prefix,
                     std::shared_ptr<ParameterDict> params)
    : PoolBase("AvgPool1D", 1, "avg", std::move(pool_size), std::move(strides),
               std::move(padding), layout, ceil_mode, false, count_include_pad,
               std::move(prefix), std::move(params)) {}

AvgPool2D::AvgPool2D(Dims pool_size, std::optional<Dims> strides, Dims padding,
                     std::string layout, bool ceil_mode, bool count_include_pad,
                     std::optional<std::string> prefix,
                     std::shared_ptr<ParameterDict> params)
    : PoolBase("AvgPool2D", 2, "avg", std::move(pool_size), std::move(strides),
               std::move(padding), layout, ceil_mode, false, count_include_pad,
               std::move(prefix), std::move(params)) {}

// Gluon's global pools pass pool_size (1, 1) with global_pool=True; the
// op then pools over the whole spatial extent.
GlobalMaxPool2D::GlobalMaxPool2D(std::string layout,
                                 std::optional<std::string> prefix,
                                 std::shared_ptr<ParameterDict> params)
    : PoolBase("GlobalMaxPool2D", 2, "max", {1, 1}, std::nullopt, 0, layout,
               false, true, std::nullopt, std::move(prefix),
               std::move(params)) {}

GlobalAvgPool2D::GlobalAvgPool2D(std::string layout,
                                 std::optional<std::string> prefix,
                                 std::shared_ptr<ParameterDict> params)
    : PoolBase("GlobalAvgPool2D", 2, "avg", {1, 1}, std::nullopt, 0, layout,
               false, true, std::nullopt, std::move(prefix),
               std::move(params)) {}

} // namespace mxjit::gluon::nn
