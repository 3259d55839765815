//===- MNIST.cpp - MNIST and Fashion-MNIST from their IDX files -----------===//

#include "mxjit/gluon/data.h"

#include "gluon/data/Host.h"

#include <filesystem>

namespace mxjit::gluon::data::vision {

namespace {

/// `root/name`, or `root/name.gz` when only the compressed file exists.
std::string locate(const std::string &root, const std::string &name) {
  std::filesystem::path plain = std::filesystem::path(root) / name;
  std::error_code ec;
  if (std::filesystem::exists(plain, ec))
    return plain.string();
  std::filesystem::path gz = plain;
  gz += ".gz";
  if (std::filesystem::exists(gz, ec))
    return gz.string();
  throw Error("MNIST: neither '" + plain.string() + "' nor '" + gz.string() +
              "' exists");
}

} // namespace

MNIST::MNIST(const std::string &root, bool train, SampleFn transform)
    : transform_(std::move(transform)) {
  std::string prefix = train ? "train" : "t10k";
  std::string imagePath = locate(root, prefix + "-images-idx3-ubyte");
  std::string labelPath = locate(root, prefix + "-labels-idx1-ubyte");
  // HWC with one channel, as MXNet's gluon vision datasets.
  HostBuffer images = detail::readIdx(imagePath, DType::Float32, true);
  HostBuffer labels = detail::readIdx(labelPath, DType::Int32);
  const nd::Shape &is = images.spec().shape, &ls = labels.spec().shape;
  if (is.size() != 4)
    throw Error(
        "MNIST: '" + imagePath + "' holds images of shape " +
        TensorSpec(nd::Shape(is.begin(), is.end() - 1), DType::Float32).str() +
        ", expected (N,rows,cols)");
  if (ls.size() != 1)
    throw Error("MNIST: '" + labelPath + "' holds an array of " +
                labels.spec().str() + ", expected (N,) labels");
  if (is[0] != ls[0])
    throw Error("MNIST: '" + imagePath + "' has " + std::to_string(is[0]) +
                " images but '" + labelPath + "' has " + std::to_string(ls[0]) +
                " labels");
  images_ = detail::fromHost(std::move(images));
  labels_ = detail::fromHost(std::move(labels));
  arrays_ = std::make_shared<ArrayDataset>(
      std::vector<nd::NDArray>{images_, labels_});
}

Sample MNIST::get(int64_t i) const {
  Sample s = arrays_->get(i);
  return transform_ ? transform_(s) : s;
}

std::optional<Sample> MNIST::gather(const std::vector<int64_t> &indices) const {
  if (transform_)
    return std::nullopt;
  return arrays_->gather(indices);
}

} // namespace mxjit::gluon::data::vision
