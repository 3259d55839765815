//===- data.h - mxjit::gluon::data, MXNet's Gluon data API ------*- C++ -*-===//
//
// Datasets, samplers and the DataLoader of MXNet 1.x's gluon.data, plus the
// MNIST / Fashion-MNIST datasets and the ToTensor / Normalize transforms of
// gluon.data.vision. A sample is a std::vector of NDArrays (data, label,
// ...). Datasets hold their values on the host, so a batch is one array per
// component built from a contiguous copy rather than one lazy op per sample.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_GLUON_DATA_H
#define MXJIT_GLUON_DATA_H

#include "mxjit/ndarray.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace mxjit {
class HostBuffer;
} // namespace mxjit

namespace mxjit::gluon::data {

/// One item of a dataset: (data, label, ...).
using Sample = std::vector<nd::NDArray>;
class Dataset;
using DatasetPtr = std::shared_ptr<const Dataset>;
using SampleFn = std::function<Sample(const Sample &)>;
using ArrayFn = std::function<nd::NDArray(const nd::NDArray &)>;
/// Turns the samples of one batch into the batch's arrays.
using BatchifyFn = std::function<Sample(const std::vector<Sample> &)>;

//===----------------------------------------------------------------------===//
// Datasets
//===----------------------------------------------------------------------===//

/// MXNet's Dataset: size() items, get(i) the i-th. Hold datasets in a
/// std::shared_ptr (std::make_shared): transforms and loaders share them.
class Dataset : public std::enable_shared_from_this<Dataset> {
public:
  virtual ~Dataset() = default;
  virtual int64_t size() const = 0;
  /// The i-th sample; throws mxjit::Error when i is out of range.
  virtual Sample get(int64_t i) const = 0;
  /// The samples at `indices` already stacked along a new axis 0, when the
  /// dataset can copy them straight from its host buffers; std::nullopt
  /// otherwise (the DataLoader then stacks get(i) results).
  virtual std::optional<Sample>
  gather(const std::vector<int64_t> &indices) const;

  /// A dataset whose samples are fn(get(i)), computed when read; with
  /// lazy = false every sample is transformed now, once (MXNet's
  /// transform(fn, lazy)).
  DatasetPtr transform(SampleFn fn, bool lazy = true) const;
  /// Applies fn to the first array of each sample only (transform_first).
  DatasetPtr transform_first(ArrayFn fn, bool lazy = true) const;
  /// The first `count` samples (all of them when count is larger or absent).
  DatasetPtr take(std::optional<int64_t> count) const;
  /// The samples for which fn returns true, in order.
  DatasetPtr filter(std::function<bool(const Sample &)> fn) const;
  /// Part `index` of `num_shards` contiguous parts whose sizes differ by at
  /// most one, the first parts taking the remainder (MXNet's shard).
  DatasetPtr shard(int64_t num_shards, int64_t index) const;

protected:
  /// Throws mxjit::Error naming `who` unless 0 <= i < size().
  void checkIndex(int64_t i, const char *who) const;
};

/// Arrays of equal first dimension; sample i holds row i of each (a 1-D
/// array gives a 0-d element per sample). Values are read to the host once.
class ArrayDataset : public Dataset {
public:
  explicit ArrayDataset(const std::vector<nd::NDArray> &arrays);
  /// Each vector becomes a 1-D float32 array.
  explicit ArrayDataset(const std::vector<std::vector<double>> &columns);

  int64_t size() const override { return length_; }
  Sample get(int64_t i) const override;
  std::optional<Sample>
  gather(const std::vector<int64_t> &indices) const override;

private:
  std::vector<std::shared_ptr<HostBuffer>> columns_;
  int64_t length_ = 0;
};

/// A list of ready samples (MXNet's SimpleDataset).
class SimpleDataset : public Dataset {
public:
  explicit SimpleDataset(std::vector<Sample> samples)
      : samples_(std::move(samples)) {}
  int64_t size() const override {
    return static_cast<int64_t>(samples_.size());
  }
  Sample get(int64_t i) const override;

private:
  std::vector<Sample> samples_;
};

//===----------------------------------------------------------------------===//
// Samplers
//===----------------------------------------------------------------------===//

/// Produces the indices of one pass over a dataset (one Python __iter__).
class Sampler {
public:
  virtual ~Sampler() = default;
  virtual std::vector<int64_t> epoch() = 0;
  virtual int64_t size() const = 0;
};

/// 0, 1, ..., length-1.
class SequentialSampler : public Sampler {
public:
  explicit SequentialSampler(int64_t length);
  std::vector<int64_t> epoch() override;
  int64_t size() const override { return length_; }

private:
  int64_t length_;
};

/// A new permutation of 0..length-1 every epoch. With a seed the sequence
/// of permutations is reproducible; without one each epoch draws its seed
/// from the generator nd::random::seed() seeds.
class RandomSampler : public Sampler {
public:
  explicit RandomSampler(int64_t length,
                         std::optional<uint64_t> seed = std::nullopt);
  std::vector<int64_t> epoch() override;
  int64_t size() const override { return length_; }

private:
  int64_t length_;
  std::optional<std::mt19937_64> generator_;
};

/// Groups a sampler's indices into batches. last_batch: "keep" yields the
/// short last batch, "discard" drops it, "rollover" prepends it to the next
/// epoch's first batch.
class BatchSampler {
public:
  BatchSampler(std::shared_ptr<Sampler> sampler, int64_t batch_size,
               const std::string &last_batch = "keep");
  std::vector<std::vector<int64_t>> epoch();
  /// Batches the next epoch() yields (counts a pending rollover).
  int64_t size() const;

private:
  std::shared_ptr<Sampler> sampler_;
  int64_t batchSize_;
  std::string lastBatch_;
  std::vector<int64_t> carried_;
};

//===----------------------------------------------------------------------===//
// DataLoader
//===----------------------------------------------------------------------===//

/// Stacks each component of the samples along a new axis 0 (MXNet's
/// default_batchify_fn); throws mxjit::Error naming the sample and component
/// whose shape or dtype differs.
Sample default_batchify(const std::vector<Sample> &samples);

/// Iterates over a dataset in batches:
///   for (const Sample &batch : DataLoader(ds, 32, true)) ...
class DataLoader {
public:
  /// `sampler` replaces the sequential/shuffled order (then `shuffle` must
  /// be false); last_batch is "keep", "discard" or "rollover".
  DataLoader(DatasetPtr dataset, int64_t batch_size, bool shuffle = false,
             const std::string &last_batch = "keep",
             std::shared_ptr<Sampler> sampler = nullptr,
             BatchifyFn batchify_fn = nullptr);
  /// Batches from `batch_sampler`.
  DataLoader(DatasetPtr dataset, std::shared_ptr<BatchSampler> batch_sampler,
             BatchifyFn batchify_fn = nullptr);

  /// Number of batches of the next epoch.
  int64_t size() const { return batchSampler_->size(); }

  class iterator {
  public:
    using value_type = Sample;
    using difference_type = std::ptrdiff_t;
    // By value (a few shared handles), so `*loader.begin()` does not
    // dangle once the temporary iterator is gone.
    using reference = Sample;
    using pointer = const Sample *;
    using iterator_category = std::input_iterator_tag;

    iterator() = default;
    reference operator*() const { return batch_; }
    pointer operator->() const { return &batch_; }
    iterator &operator++();
    bool operator==(const iterator &other) const {
      return done() == other.done();
    }
    bool operator!=(const iterator &other) const { return !(*this == other); }

  private:
    friend class DataLoader;
    bool done() const;
    void load();

    const DataLoader *loader_ = nullptr;
    std::shared_ptr<std::vector<std::vector<int64_t>>> batches_;
    size_t position_ = 0;
    Sample batch_;
  };

  /// Starts an epoch: draws its batches of indices from the batch sampler.
  iterator begin();
  iterator end() { return iterator(); }

  /// The batch of `indices`, as the iterator builds it.
  Sample batch(const std::vector<int64_t> &indices) const;

private:
  DatasetPtr dataset_;
  std::shared_ptr<BatchSampler> batchSampler_;
  BatchifyFn batchify_;
};

//===----------------------------------------------------------------------===//
// Vision
//===----------------------------------------------------------------------===//

namespace vision {

/// Reads an IDX file (the MNIST format; gzip-compressed or plain) as an
/// array of its dimensions, values converted to `dtype`. Throws
/// mxjit::Error naming the file for a missing file, bad magic, bad
/// dimensions or truncated data.
nd::NDArray read_idx(const std::string &path, DType dtype = DType::Float32);

/// MNIST in its four IDX files under `root` (train-images-idx3-ubyte,
/// train-labels-idx1-ubyte, t10k-...; each may end in .gz). Samples are
/// (image float32 (28,28,1) with values 0..255, label int32 scalar), as
/// MXNet's gluon.data.vision.MNIST; `transform` maps each (image, label).
class MNIST : public Dataset {
public:
  explicit MNIST(const std::string &root = "/usr/share/datasets/mnist",
                 bool train = true, SampleFn transform = nullptr);
  int64_t size() const override { return arrays_->size(); }
  Sample get(int64_t i) const override;
  std::optional<Sample>
  gather(const std::vector<int64_t> &indices) const override;

  /// All images (N,28,28,1) and labels (N,).
  const nd::NDArray &images() const { return images_; }
  const nd::NDArray &labels() const { return labels_; }

private:
  nd::NDArray images_, labels_;
  std::shared_ptr<ArrayDataset> arrays_;
  SampleFn transform_;
};

/// Fashion-MNIST: the same files and layout; the default root is where
/// Debian's dataset-fashion-mnist package installs them.
class FashionMNIST : public MNIST {
public:
  explicit FashionMNIST(
      const std::string &root = "/usr/share/datasets/fashion-mnist",
      bool train = true, SampleFn transform = nullptr)
      : MNIST(root, train, std::move(transform)) {}
};

namespace transforms {

/// HWC (or NHWC) values in [0,255] to CHW (NCHW) float32 in [0,1].
struct ToTensor {
  nd::NDArray operator()(const nd::NDArray &x) const;
};

/// (x - mean[c]) / std[c] per channel of a CHW (or NCHW) float array; one
/// mean/std value applies to every channel.
struct Normalize {
  Normalize(std::vector<double> mean, std::vector<double> std);
  nd::NDArray operator()(const nd::NDArray &x) const;
  std::vector<double> mean, std;
};

/// Applies `fns` in order.
struct Compose {
  explicit Compose(std::vector<ArrayFn> fns) : fns(std::move(fns)) {}
  nd::NDArray operator()(const nd::NDArray &x) const;
  std::vector<ArrayFn> fns;
};

} // namespace transforms
} // namespace vision

} // namespace mxjit::gluon::data

#endif // MXJIT_GLUON_DATA_H
