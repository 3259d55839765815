//===- Idx.cpp - IDX files (the MNIST format), plain or gzipped -----------===//
//
// Layout: two zero bytes, a type code, the number of dimensions, then each
// dimension and the values, all big-endian.
//
//===----------------------------------------------------------------------===//

#include "mxjit/gluon/data.h"

#include "gluon/data/Host.h"

#include <zlib.h>

#include <cstring>
#include <limits>

namespace mxjit::gluon::data::detail {

namespace {

/// The whole (decompressed) content; zlib reads plain files unchanged.
std::vector<uint8_t> readAll(const std::string &path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f)
    throw Error("read_idx: cannot open '" + path + "'");
  std::vector<uint8_t> bytes;
  uint8_t chunk[1 << 16];
  for (;;) {
    int n = gzread(f, chunk, sizeof chunk);
    if (n < 0) {
      int code = 0;
      std::string why = gzerror(f, &code);
      gzclose(f);
      throw Error("read_idx: '" + path + "' is not a readable gzip file (" +
                  why + ")");
    }
    if (n == 0)
      break;
    bytes.insert(bytes.end(), chunk, chunk + n);
  }
  gzclose(f);
  return bytes;
}

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

template <typename T>
void convert(const uint8_t *data, uint8_t code, HostBuffer &out) {
  auto values = out.values<T>();
  for (int64_t i = 0; i < static_cast<int64_t>(values.size()); ++i)
    values[i] = static_cast<T>(valueAt(data, code, i));
}

} // namespace

HostBuffer readIdx(const std::string &path, DType dtype) {
  std::vector<uint8_t> bytes = readAll(path);
  auto fail = [&](const std::string &what) {
    return Error("read_idx: '" + path + "' " + what);
  };
  if (bytes.size() < 4)
    throw fail("is truncated: " + std::to_string(bytes.size()) +
               " bytes, shorter than the 4-byte IDX magic");
  if (bytes[0] != 0 || bytes[1] != 0 || elementBytes(bytes[2]) == 0 ||
      bytes[3] == 0) {
    char magic[16];
    std::snprintf(magic, sizeof magic, "%02x%02x%02x%02x", bytes[0], bytes[1],
                  bytes[2], bytes[3]);
    throw fail(std::string("has bad magic 0x") + magic +
               " (expected 0x0000TTNN: type 08/09/0b/0c/0d/0e, NN >= 1 "
               "dimensions)");
  }
  uint8_t code = bytes[2];
  int64_t rank = bytes[3];
  size_t header = 4 + 4 * static_cast<size_t>(rank);
  if (bytes.size() < header)
    throw fail("is truncated: the header declares " + std::to_string(rank) +
               " dimensions but the file has " + std::to_string(bytes.size()) +
               " bytes");
  nd::Shape shape;
  int64_t count = 1;
  for (int64_t d = 0; d < rank; ++d) {
    uint32_t dim = bigEndian32(bytes.data() + 4 + 4 * d);
    if (dim > static_cast<uint32_t>(std::numeric_limits<int32_t>::max()) ||
        (dim && count > std::numeric_limits<int64_t>::max() / 8 / dim))
      throw fail("declares an impossible dimension " + std::to_string(dim));
    shape.push_back(dim);
    count *= dim;
  }
  int64_t need = count * elementBytes(code);
  int64_t have = static_cast<int64_t>(bytes.size() - header);
  if (have < need)
    throw fail("is truncated: " + TensorSpec(shape, dtype).str() + " needs " +
               std::to_string(need) + " bytes of data, found " +
               std::to_string(have));
  HostBuffer out(TensorSpec(shape, dtype));
  const uint8_t *data = bytes.data() + header;
  switch (dtype) {
  case DType::Float32:
    convert<float>(data, code, out);
    break;
  case DType::Float64:
    convert<double>(data, code, out);
    break;
  case DType::Int32:
    convert<int32_t>(data, code, out);
    break;
  case DType::Int64:
    convert<int64_t>(data, code, out);
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
