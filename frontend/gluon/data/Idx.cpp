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
#include <new>
#include <optional>

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

/// The `need` payload bytes, or how many there were. Memory grows with the
/// data actually read, so a header claiming a huge array over a short file
/// fails without allocating for the claim.
std::vector<uint8_t> readPayload(GzReader &in, int64_t need,
                                 const std::function<Error(int64_t)> &short_) {
  const int64_t step = int64_t(1) << 28;
  std::vector<uint8_t> raw;
  int64_t have = 0;
  while (have < need) {
    int64_t next = std::min(need, std::max(have * 2, std::min(need, step)));
    raw.resize(static_cast<size_t>(next));
    size_t got = in.read(raw.data() + have, static_cast<size_t>(next - have));
    have += static_cast<int64_t>(got);
    if (have < next)
      throw short_(have);
  }
  return raw;
}

template <typename T>
void convertAll(const std::vector<uint8_t> &raw, uint8_t code,
                HostBuffer &out) {
  convert<T>(raw.data(), code, static_cast<T *>(out.data()), out.numElements());
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
  int64_t need = count * elementBytes(code);
  std::vector<uint8_t> raw = readPayload(in, need, [&](int64_t have) {
    return fail("is truncated: " + described + " needs " +
                std::to_string(need) + " bytes of data, found " +
                std::to_string(have));
  });
  std::optional<HostBuffer> allocated;
  try {
    allocated.emplace(TensorSpec(shape, dtype));
  } catch (const std::bad_alloc &) {
    throw fail("holds " + described + ", more than fits in memory");
  }
  HostBuffer out = std::move(*allocated);
  switch (dtype) {
  case DType::Float32:
    convertAll<float>(raw, code, out);
    break;
  case DType::Float64:
    convertAll<double>(raw, code, out);
    break;
  case DType::Int32:
    convertAll<int32_t>(raw, code, out);
    break;
  case DType::Int64:
    convertAll<int64_t>(raw, code, out);
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
