//===- Sampler.cpp - Sequential, Random and Batch samplers ----------------===//

#include "mxjit/gluon/data.h"

#include "nd/Random.h"

#include <numeric>

namespace mxjit::gluon::data {

static void checkLength(int64_t length, const char *who) {
  if (length < 0)
    throw Error(std::string(who) + ": length must be >= 0, got " +
                std::to_string(length));
}

SequentialSampler::SequentialSampler(int64_t length) : length_(length) {
  checkLength(length, "SequentialSampler");
}

std::vector<int64_t> SequentialSampler::epoch() {
  std::vector<int64_t> out(length_);
  std::iota(out.begin(), out.end(), 0);
  return out;
}

RandomSampler::RandomSampler(int64_t length, std::optional<uint64_t> seed)
    : length_(length) {
  checkLength(length, "RandomSampler");
  if (seed)
    generator_.emplace(*seed);
}

std::vector<int64_t> RandomSampler::epoch() {
  std::vector<int64_t> out(length_);
  std::iota(out.begin(), out.end(), 0);
  // Without a seed of its own, each epoch follows nd::random::seed() so a
  // seeded program shuffles the same way on every run.
  std::mt19937_64 fresh;
  if (!generator_)
    fresh.seed(nd::detail::nextRandomSeed());
  std::mt19937_64 &gen = generator_ ? *generator_ : fresh;
  // Fisher-Yates with our own bounded draws: std::shuffle's use of the
  // generator differs between standard libraries.
  for (int64_t i = length_ - 1; i > 0; --i) {
    uint64_t range = static_cast<uint64_t>(i) + 1;
    uint64_t limit = UINT64_MAX - UINT64_MAX % range;
    uint64_t r;
    do
      r = gen();
    while (r >= limit);
    std::swap(out[i], out[r % range]);
  }
  return out;
}

BatchSampler::BatchSampler(std::shared_ptr<Sampler> sampler, int64_t batch_size,
                           const std::string &last_batch)
    : sampler_(std::move(sampler)), batchSize_(batch_size),
      lastBatch_(last_batch) {
  if (!sampler_)
    throw Error("BatchSampler: the sampler is null");
  if (batch_size <= 0)
    throw Error("BatchSampler: batch_size must be > 0, got " +
                std::to_string(batch_size));
  if (last_batch != "keep" && last_batch != "discard" &&
      last_batch != "rollover")
    throw Error("BatchSampler: last_batch must be one of 'keep', 'discard', "
                "or 'rollover', but got '" +
                last_batch + "'");
}

std::vector<std::vector<int64_t>> BatchSampler::epoch() {
  std::vector<std::vector<int64_t>> batches;
  std::vector<int64_t> batch = std::move(carried_);
  carried_.clear();
  for (int64_t i : sampler_->epoch()) {
    batch.push_back(i);
    if (static_cast<int64_t>(batch.size()) == batchSize_) {
      batches.push_back(std::move(batch));
      batch.clear();
    }
  }
  if (!batch.empty()) {
    if (lastBatch_ == "keep")
      batches.push_back(std::move(batch));
    else if (lastBatch_ == "rollover")
      carried_ = std::move(batch);
  }
  return batches;
}

int64_t BatchSampler::size() const {
  int64_t n = sampler_->size();
  if (lastBatch_ == "keep")
    return (n + batchSize_ - 1) / batchSize_;
  if (lastBatch_ == "discard")
    return n / batchSize_;
  return (static_cast<int64_t>(carried_.size()) + n) / batchSize_;
}

} // namespace mxjit::gluon::data
