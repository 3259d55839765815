//===- DataLoader.cpp - batches of a dataset, default_batchify ------------===//

#include "mxjit/gluon/data.h"

#include "gluon/data/Host.h"

#include <cstring>

namespace mxjit::gluon::data {

using detail::fromHost;
using detail::hostValue;

Sample default_batchify(const std::vector<Sample> &samples) {
  if (samples.empty())
    throw Error("default_batchify: no samples");
  size_t components = samples[0].size();
  Sample out;
  for (size_t c = 0; c < components; ++c) {
    std::vector<std::shared_ptr<HostBuffer>> values;
    for (size_t s = 0; s < samples.size(); ++s) {
      if (samples[s].size() != components)
        throw Error("default_batchify: sample " + std::to_string(s) + " has " +
                    std::to_string(samples[s].size()) +
                    " arrays but sample 0 has " + std::to_string(components));
      values.push_back(hostValue(samples[s][c], "default_batchify"));
      const TensorSpec &spec = values.back()->spec();
      const TensorSpec &first = values.front()->spec();
      if (spec.shape != first.shape || spec.dtype != first.dtype)
        throw Error("default_batchify: array " + std::to_string(c) +
                    " of sample " + std::to_string(s) + " is " + spec.str() +
                    " but in sample 0 it is " + first.str());
    }
    nd::Shape shape = values[0]->spec().shape;
    shape.insert(shape.begin(), static_cast<int64_t>(samples.size()));
    HostBuffer batch(TensorSpec(shape, values[0]->spec().dtype));
    size_t bytes = values[0]->byteSize();
    auto *dst = static_cast<std::byte *>(batch.data());
    for (size_t s = 0; s < values.size(); ++s)
      std::memcpy(dst + s * bytes, values[s]->data(), bytes);
    out.push_back(fromHost(std::move(batch)));
  }
  return out;
}

DataLoader::DataLoader(DatasetPtr dataset, int64_t batch_size, bool shuffle,
                       const std::string &last_batch,
                       std::shared_ptr<Sampler> sampler, BatchifyFn batchify_fn)
    : dataset_(std::move(dataset)), batchify_(std::move(batchify_fn)) {
  if (!dataset_)
    throw Error("DataLoader: the dataset is null");
  if (sampler && shuffle)
    throw Error("DataLoader: shuffle must not be specified if sampler is "
                "specified");
  if (!sampler) {
    if (shuffle)
      sampler = std::make_shared<RandomSampler>(dataset_->size());
    else
      sampler = std::make_shared<SequentialSampler>(dataset_->size());
  }
  batchSampler_ = std::make_shared<BatchSampler>(std::move(sampler), batch_size,
                                                 last_batch);
}

DataLoader::DataLoader(DatasetPtr dataset,
                       std::shared_ptr<BatchSampler> batch_sampler,
                       BatchifyFn batchify_fn)
    : dataset_(std::move(dataset)), batchSampler_(std::move(batch_sampler)),
      batchify_(std::move(batchify_fn)) {
  if (!dataset_)
    throw Error("DataLoader: the dataset is null");
  if (!batchSampler_)
    throw Error("DataLoader: the batch_sampler is null");
}

Sample DataLoader::batch(const std::vector<int64_t> &indices) const {
  // The default stacking can copy rows straight from the dataset's buffers.
  if (!batchify_)
    if (std::optional<Sample> fast = dataset_->gather(indices))
      return std::move(*fast);
  std::vector<Sample> samples;
  samples.reserve(indices.size());
  for (int64_t i : indices)
    samples.push_back(dataset_->get(i));
  return batchify_ ? batchify_(samples) : default_batchify(samples);
}

DataLoader::iterator DataLoader::begin() {
  iterator it;
  it.loader_ = this;
  it.batches_ = std::make_shared<std::vector<std::vector<int64_t>>>(
      batchSampler_->epoch());
  it.load();
  return it;
}

bool DataLoader::iterator::done() const {
  return !batches_ || position_ >= batches_->size();
}

void DataLoader::iterator::load() {
  batch_ = done() ? Sample() : loader_->batch((*batches_)[position_]);
}

DataLoader::iterator &DataLoader::iterator::operator++() {
  ++position_;
  load();
  return *this;
}

} // namespace mxjit::gluon::data
