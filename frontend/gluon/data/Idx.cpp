//===- Idx.cpp - IDX files (the MNIST format), plain or gzipped -----------===//
//
// Layout: two zero bytes, a type code, the number of dimensions, then each
// dimension and the values, all big-endian.
//
//===----------------------------------------------------------------------===//

#include "mxjit/gluon/data.h"

#include "gluon/data/Host.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <limits>

namespace mxjit::gluon::data::detail {

namespace {

/// A gzip or plain file (zlib reads plain files unchanged), read in order.
class GzReader {
public:
  explicit GzReader(const std::string &path) : path_(path) {
    file_ = gzopen(path.c_str(), "rb");
    if (!file_)
      throw Error("read_idx: cannot open '" + path + "'");
    gzbuffer(file_, 1 << 18);
  }
  ~GzReader() { gzclose(file_); }
  GzReader(const GzReader &) = delete;
  GzReader &operator=(const GzReader &) = delete;

  /// Reads up to `n` bytes; fewer only at the end of the data.
  size_t read(void *dst, size_t n) {
    size_t done = 0;
    while (done < n) {
      unsigned ask =
          static_cast<unsigned>(std::min<size_t>(n - done, 1u << 30));
      int got = gzread(file_, static_cast<uint8_t *>(dst) + done, ask);
      if (got < 0) {
        int code = 0;
        throw Error("read_idx: '" + path_ + "' is not a readable gzip file (" +
                    gzerror(file_, &code) + ")");
      }
      if (got == 0)
        break;
      done += static_cast<size_t>(got);
    }
    return done;
  }

private:
  std::string path_;
  gzFile file_;
};

uint32_t bigEndian32(const uint8_t *p) {
  return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 |
         uint32_t(p[3]);
}

/// Value i of the payload as a double, for the IDX type `code`.
double valueAt(const uint8_t *data, uint8_t code, int64_t i) {
  switch (code) {
  case 0x08:
    return data[i];
  case 0x09:
    return static_cast<int8_t>(data[i]);
  case 0x0B:
    return static_cast<int16_t>(uint16_t(data[2 * i]) << 8 | data[2 * i + 1]);
  case 0x0C:
    return static_cast<int32_t>(bigEndian32(data + 4 * i));
  case 0x0D: {
    uint32_t bits = bigEndian32(data + 4 * i);
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
  }
  default: {
    uint64_t bits = uint64_t(bigEndian32(data + 8 * i)) << 32 |
                    bigEndian32(data + 8 * i + 4);
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
  }
  }
}

int64_t elementBytes(uint8_t code) {
  switch (code) {
  case 0x08:
  case 0x09:
    return 1;
  case 0x0B:
    return 2;
  case 0x0C:
  case 0x0D:
    return 4;
  case 0x0E:
    return 8;
  default:
    return 0;
  }
}

/// Converts `count` big-endian values of type `code` to T.
template <typename T>
void convert(const uint8_t *data, uint8_t code, T *out, int64_t count) {
  // Unsigned bytes (every MNIST file) skip the per-element type dispatch.
  if (code == 0x08) {
    for (int64_t i = 0; i < count; ++i)
      out[i] = static_cast<T>(data[i]);
    return;
  }
  for (int64_t i = 0; i < count; ++i)
    out[i] = static_cast<T>(valueAt(data, code, i));
}

template <typename T>
void readValues(GzReader &in, uint8_t code, HostBuffer &out,
                const std::function<Error(int64_t)> &truncated) {
  // Streams the payload through a small buffer: no copy of the whole file
  // is ever held next to the converted values.
  int64_t width = elementBytes(code), total = out.numElements(), done = 0;
  const int64_t chunk = (1 << 16) / 8;
  std::vector<uint8_t> bytes(chunk * width);
  T *dst = static_cast<T *>(out.data());
  while (done < total) {
    int64_t n = std::min(chunk, total - done);
    size_t got = in.read(bytes.data(), n * width);
    if (static_cast<int64_t>(got) < n * width)
      throw truncated(done * width + static_cast<int64_t>(got));
    convert<T>(bytes.data(), code, dst + done, n);
    done += n;
  }
}

} // namespace

HostBuffer readIdx(const std::string &path, DType dtype, bool trailingUnitDim) {
  GzReader in(path);
  auto fail = [&](const std::string &what) {
    return Error("read_idx: '" + path + "' " + what);
  };
  uint8_t magic[4];
  size_t got = in.read(magic, 4);
  if (got < 4)
    throw fail("is truncated: " + std::to_string(got) +
               " bytes, shorter than the 4-byte IDX magic");
  if (magic[0] != 0 || magic[1] != 0 || elementBytes(magic[2]) == 0 ||
      magic[3] == 0) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "%02x%02x%02x%02x", magic[0], magic[1],
                  magic[2], magic[3]);
    throw fail(std::string("has bad magic 0x") + hex +
               " (expected 0x0000TTNN: type 08/09/0b/0c/0d/0e, NN >= 1 "
               "dimensions)");
  }
  uint8_t code = magic[2];
  int64_t rank = magic[3];
  std::vector<uint8_t> dims(4 * rank);
  got = in.read(dims.data(), dims.size());
  if (got < dims.size())
    throw fail("is truncated: the header declares " + std::to_string(rank) +
               " dimensions but the file has " + std::to_string(4 + got) +
               " bytes");
  nd::Shape shape;
  int64_t count = 1;
  for (int64_t d = 0; d < rank; ++d) {
    uint32_t dim = bigEndian32(dims.data() + 4 * d);
    if (dim > static_cast<uint32_t>(std::numeric_limits<int32_t>::max()) ||
        (dim && count > std::numeric_limits<int64_t>::max() / 8 / dim))
      throw fail("declares an impossible dimension " + std::to_string(dim));
    shape.push_back(dim);
    count *= dim;
  }
  std::string described = TensorSpec(shape, dtype).str();
  if (trailingUnitDim)
    shape.push_back(1);
  // Refuse absurd headers before allocating for them.
  if (count > (int64_t(1) << 34))
    throw fail("declares " + described + ", too large to load");
  HostBuffer out(TensorSpec(shape, dtype));
  auto truncated = [&](int64_t have) {
    return fail("is truncated: " + described + " needs " +
                std::to_string(count * elementBytes(code)) +
                " bytes of data, found " + std::to_string(have));
  };
  switch (dtype) {
  case DType::Float32:
    readValues<float>(in, code, out, truncated);
    break;
  case DType::Float64:
    readValues<double>(in, code, out, truncated);
    break;
  case DType::Int32:
    readValues<int32_t>(in, code, out, truncated);
    break;
  case DType::Int64:
    readValues<int64_t>(in, code, out, truncated);
    break;
  }
  return out;
}

} // namespace mxjit::gluon::data::detail

namespace mxjit::gluon::data::vision {

nd::NDArray read_idx(const std::string &path, DType dtype) {
  return detail::fromHost(detail::readIdx(path, dtype));
}

} // namespace mxjit::gluon::data::vision
