//===- Dataset.cpp - Dataset, ArrayDataset, SimpleDataset, transforms -----===//

#include "mxjit/gluon/data.h"

#include "gluon/data/Host.h"

#include <algorithm>
#include <cstring>

namespace mxjit::gluon::data {

using detail::fromHost;
using detail::hostValue;

std::optional<Sample> Dataset::gather(const std::vector<int64_t> &) const {
  return std::nullopt;
}

void Dataset::checkIndex(int64_t i, const char *who) const {
  if (i < 0 || i >= size())
    throw Error(std::string(who) + ": index " + std::to_string(i) +
                " is out of range for a dataset of " + std::to_string(size()) +
                " samples");
}

namespace {

/// MXNet's _LazyTransformDataset: fn runs on every read.
class LazyTransformDataset : public Dataset {
public:
  LazyTransformDataset(DatasetPtr base, SampleFn fn)
      : base_(std::move(base)), fn_(std::move(fn)) {}
  int64_t size() const override { return base_->size(); }
  Sample get(int64_t i) const override { return fn_(base_->get(i)); }

private:
  DatasetPtr base_;
  SampleFn fn_;
};

DatasetPtr sharedSelf(const Dataset &d, const char *who) {
  DatasetPtr self = d.weak_from_this().lock();
  if (!self)
    throw Error(std::string(who) +
                ": the dataset must be held by a std::shared_ptr "
                "(create it with std::make_shared)");
  return self;
}

/// The samples of `base` at `indices` (MXNet's _SampledDataset); batches
/// still come from the base's host buffers when it has them.
class SampledDataset : public Dataset {
public:
  SampledDataset(DatasetPtr base, std::vector<int64_t> indices)
      : base_(std::move(base)), indices_(std::move(indices)) {}
  int64_t size() const override {
    return static_cast<int64_t>(indices_.size());
  }
  Sample get(int64_t i) const override {
    checkIndex(i, "Dataset");
    return base_->get(indices_[i]);
  }
  std::optional<Sample>
  gather(const std::vector<int64_t> &indices) const override {
    std::vector<int64_t> mapped;
    mapped.reserve(indices.size());
    for (int64_t i : indices) {
      checkIndex(i, "Dataset");
      mapped.push_back(indices_[i]);
    }
    return base_->gather(mapped);
  }

private:
  DatasetPtr base_;
  std::vector<int64_t> indices_;
};

} // namespace

DatasetPtr Dataset::transform(SampleFn fn, bool lazy) const {
  if (!fn)
    throw Error("transform: the function is empty");
  auto lazyDs = std::make_shared<LazyTransformDataset>(
      sharedSelf(*this, "transform"), std::move(fn));
  if (lazy)
    return lazyDs;
  std::vector<Sample> samples;
  samples.reserve(lazyDs->size());
  for (int64_t i = 0; i < lazyDs->size(); ++i)
    samples.push_back(lazyDs->get(i));
  return std::make_shared<SimpleDataset>(std::move(samples));
}

DatasetPtr Dataset::transform_first(ArrayFn fn, bool lazy) const {
  if (!fn)
    throw Error("transform_first: the function is empty");
  sharedSelf(*this, "transform_first");
  return transform(
      [fn](const Sample &s) {
        if (s.empty())
          throw Error("transform_first: the sample has no arrays");
        Sample out = s;
        out[0] = fn(s[0]);
        return out;
      },
      lazy);
}

static std::vector<int64_t> range(int64_t begin, int64_t end) {
  std::vector<int64_t> out;
  for (int64_t i = begin; i < end; ++i)
    out.push_back(i);
  return out;
}

DatasetPtr Dataset::take(std::optional<int64_t> count) const {
  if (count && *count < 0)
    throw Error("take: count must be >= 0, got " + std::to_string(*count));
  int64_t n = count ? std::min(*count, size()) : size();
  return std::make_shared<SampledDataset>(sharedSelf(*this, "take"),
                                          range(0, n));
}

DatasetPtr Dataset::filter(std::function<bool(const Sample &)> fn) const {
  if (!fn)
    throw Error("filter: the function is empty");
  DatasetPtr self = sharedSelf(*this, "filter");
  std::vector<int64_t> kept;
  for (int64_t i = 0; i < size(); ++i)
    if (fn(get(i)))
      kept.push_back(i);
  return std::make_shared<SampledDataset>(self, std::move(kept));
}

DatasetPtr Dataset::shard(int64_t num_shards, int64_t index) const {
  if (num_shards <= 0)
    throw Error("shard: the number of shards must be > 0, got " +
                std::to_string(num_shards));
  if (index < 0 || index >= num_shards)
    throw Error("shard: index " + std::to_string(index) +
                " is out of range for " + std::to_string(num_shards) +
                " shards");
  int64_t len = size() / num_shards, rest = size() % num_shards;
  int64_t begin = len * index + std::min(index, rest);
  int64_t end = begin + len + (index < rest ? 1 : 0);
  return std::make_shared<SampledDataset>(sharedSelf(*this, "shard"),
                                          range(begin, end));
}

//===----------------------------------------------------------------------===//
// ArrayDataset
//===----------------------------------------------------------------------===//

namespace {

nd::Shape rowShape(const HostBuffer &b) {
  const nd::Shape &s = b.spec().shape;
  return nd::Shape(s.begin() + 1, s.end());
}

size_t rowBytes(const HostBuffer &b) {
  return TensorSpec(rowShape(b), b.spec().dtype).byteSize();
}

} // namespace

ArrayDataset::ArrayDataset(const std::vector<nd::NDArray> &arrays) {
  if (arrays.empty())
    throw Error("ArrayDataset: needs at least one array");
  for (size_t i = 0; i < arrays.size(); ++i) {
    if (arrays[i].empty())
      throw Error("ArrayDataset: array " + std::to_string(i) + " is empty");
    if (arrays[i].ndim() == 0)
      throw Error("ArrayDataset: array " + std::to_string(i) +
                  " is 0-dimensional; it needs a first dimension to index");
    int64_t length = arrays[i].shape()[0];
    if (i == 0)
      length_ = length;
    else if (length != length_)
      throw Error("ArrayDataset: all arrays must have the same length; "
                  "array 0 has length " +
                  std::to_string(length_) + " while array " +
                  std::to_string(i) + " has " + std::to_string(length));
    columns_.push_back(hostValue(arrays[i], "ArrayDataset"));
  }
}

static std::vector<nd::NDArray>
toArrays(const std::vector<std::vector<double>> &columns) {
  std::vector<nd::NDArray> arrays;
  for (const auto &c : columns)
    arrays.push_back(nd::array(c, {static_cast<int64_t>(c.size())}));
  return arrays;
}

ArrayDataset::ArrayDataset(const std::vector<std::vector<double>> &columns)
    : ArrayDataset(toArrays(columns)) {}

Sample ArrayDataset::get(int64_t i) const {
  checkIndex(i, "ArrayDataset");
  Sample s;
  for (const auto &c : columns_) {
    HostBuffer row(TensorSpec(rowShape(*c), c->spec().dtype));
    size_t bytes = rowBytes(*c);
    std::memcpy(row.data(),
                static_cast<const std::byte *>(c->data()) + i * bytes, bytes);
    s.push_back(fromHost(std::move(row)));
  }
  return s;
}

std::optional<Sample>
ArrayDataset::gather(const std::vector<int64_t> &indices) const {
  for (int64_t i : indices)
    checkIndex(i, "ArrayDataset");
  Sample s;
  for (const auto &c : columns_) {
    nd::Shape shape = c->spec().shape;
    shape[0] = static_cast<int64_t>(indices.size());
    HostBuffer batch(TensorSpec(shape, c->spec().dtype));
    size_t bytes = rowBytes(*c);
    auto *dst = static_cast<std::byte *>(batch.data());
    const auto *src = static_cast<const std::byte *>(c->data());
    for (size_t k = 0; k < indices.size(); ++k)
      std::memcpy(dst + k * bytes, src + indices[k] * bytes, bytes);
    s.push_back(fromHost(std::move(batch)));
  }
  return s;
}

Sample SimpleDataset::get(int64_t i) const {
  checkIndex(i, "SimpleDataset");
  return samples_[i];
}

} // namespace mxjit::gluon::data
