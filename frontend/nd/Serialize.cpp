//===- Serialize.cpp - MXNet's binary NDArray files (.params) -------------===//
//
// The layout MXNet 1.x writes with nd.save (dmlc streams, little-endian):
//
//   uint64 0x112 (list magic), uint64 0 (reserved)
//   uint64 count, then each array:
//     uint32 0xF993fac9 (V2; V3 0xF993faca: NumPy shape semantics)
//     int32  storage type (0 dense)
//     int32  ndim, int64 dims[ndim]     (ndim 0 in V2: an empty handle)
//     int32  dev_type (1 cpu, 2 gpu), int32 dev_id
//     int32  type flag, then the elements, row-major
//   uint64 count, then each name: uint64 length, bytes
//
// Older arrays are read too: V1 (0xF993fac8: no storage type) and the
// pre-V1 layout whose first word is the ndim, with uint32 dims.
//
//===----------------------------------------------------------------------===//

#include "mxjit/ndarray.h"

#include "nd/Engine.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SwapByteOrder.h"

#include <cstring>
#include <fstream>
#include <sstream>

namespace mxjit::nd {

namespace {

static_assert(llvm::sys::IsLittleEndianHost,
              "the .params writer stores native bytes; MXNet's files are "
              "little-endian");

constexpr uint64_t kListMagic = 0x112;
constexpr uint32_t kV1Magic = 0xF993fac8;
constexpr uint32_t kV2Magic = 0xF993fac9;
constexpr uint32_t kV3Magic = 0xF993faca;
/// MXNet caps ndim far below this; a larger first word is not a legacy
/// shape but garbage.
constexpr uint32_t kMaxLegacyNdim = 32;

/// mshadow's type flags.
enum TypeFlag : int32_t {
  kFloat32 = 0,
  kFloat64 = 1,
  kFloat16 = 2,
  kUint8 = 3,
  kInt32 = 4,
  kInt8 = 5,
  kInt64 = 6,
  kBool = 7,
  kBfloat16 = 12,
};

int32_t typeFlag(DType dtype) {
  switch (dtype) {
  case DType::Float32:
    return kFloat32;
  case DType::Float64:
    return kFloat64;
  case DType::Int32:
    return kInt32;
  case DType::Int64:
    return kInt64;
  }
  return kFloat32;
}

std::string hex(uint64_t v) {
  std::ostringstream os;
  os << "0x" << std::hex << v;
  return os.str();
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

class ByteWriter {
public:
  template <typename T> void put(T v) {
    static_assert(std::is_trivially_copyable_v<T>);
    char bytes[sizeof(T)];
    std::memcpy(bytes, &v, sizeof(T));
    out_.append(bytes, sizeof(T));
  }
  void putBytes(const void *p, size_t n) {
    out_.append(static_cast<const char *>(p), n);
  }
  const std::string &bytes() const { return out_; }

private:
  std::string out_;
};

template <typename T> void putValues(ByteWriter &w, const NDArray &a) {
  std::vector<T> values = a.asvector<T>();
  w.putBytes(values.data(), values.size() * sizeof(T));
}

void writeArray(ByteWriter &w, const NDArray &a) {
  if (a.empty()) {
    // MXNet's "none" array: a V2 header with ndim 0 and nothing after.
    w.put<uint32_t>(kV2Magic);
    w.put<int32_t>(0);
    w.put<int32_t>(0);
    return;
  }
  const Shape &shape = a.shape();
  // V2 reads ndim 0 as "no array" and a 0 dimension as unknown; only V3
  // (NumPy semantics) keeps scalars and zero-size arrays.
  bool numpyShape = shape.empty();
  for (int64_t d : shape)
    numpyShape |= d == 0;
  w.put<uint32_t>(numpyShape ? kV3Magic : kV2Magic);
  w.put<int32_t>(0); // dense storage
  w.put<int32_t>(static_cast<int32_t>(shape.size()));
  for (int64_t d : shape)
    w.put<int64_t>(d);
  Context ctx = a.context();
  w.put<int32_t>(ctx.type == Context::DeviceType::GPU ? 2 : 1);
  w.put<int32_t>(ctx.id);
  w.put<int32_t>(typeFlag(a.dtype()));
  switch (a.dtype()) {
  case DType::Float32:
    return putValues<float>(w, a);
  case DType::Float64:
    return putValues<double>(w, a);
  case DType::Int32:
    return putValues<int32_t>(w, a);
  case DType::Int64:
    return putValues<int64_t>(w, a);
  }
}

void writeFile(const std::string &path, const std::vector<NDArray> &arrays,
               const std::vector<std::string> &names) {
  ByteWriter w;
  w.put<uint64_t>(kListMagic);
  w.put<uint64_t>(0);
  w.put<uint64_t>(arrays.size());
  for (const NDArray &a : arrays)
    writeArray(w, a);
  w.put<uint64_t>(names.size());
  for (const std::string &n : names) {
    w.put<uint64_t>(n.size());
    w.putBytes(n.data(), n.size());
  }
  std::ofstream os(path, std::ios::binary | std::ios::trunc);
  if (!os)
    throw Error("nd::save: cannot open '" + path + "' for writing");
  os.write(w.bytes().data(), static_cast<std::streamsize>(w.bytes().size()));
  os.close();
  if (!os)
    throw Error("nd::save: writing '" + path + "' failed");
}

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

/// Bounds-checked reads; every failure names the file and the offset.
class ByteReader {
public:
  ByteReader(std::string path, llvm::StringRef data)
      : path_(std::move(path)), data_(data) {}

  template <typename T> T get(const char *what) {
    static_assert(std::is_trivially_copyable_v<T>);
    need(sizeof(T), what);
    T v;
    std::memcpy(&v, data_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  const char *take(uint64_t n, const char *what) {
    need(n, what);
    const char *p = data_.data() + pos_;
    pos_ += n;
    return p;
  }
  [[noreturn]] void fail(const std::string &msg) const {
    throw Error("nd::load: '" + path_ + "': " + msg + " (at byte " +
                std::to_string(pos_) + ")");
  }
  uint64_t remaining() const { return data_.size() - pos_; }

private:
  void need(uint64_t n, const char *what) const {
    if (n > remaining())
      fail(std::string("truncated file while reading ") + what);
  }

  std::string path_;
  llvm::StringRef data_;
  uint64_t pos_ = 0;
};

float halfToFloat(uint16_t h) {
  uint32_t sign = uint32_t(h & 0x8000) << 16;
  uint32_t exp = (h >> 10) & 0x1f;
  uint32_t mant = h & 0x3ff;
  uint32_t bits;
  if (exp == 0x1f) {
    bits = sign | 0x7f800000 | (mant << 13); // inf / nan
  } else if (exp != 0) {
    bits = sign | ((exp + 112) << 23) | (mant << 13);
  } else if (mant == 0) {
    bits = sign;
  } else {
    // Subnormal half: normalise into a float's exponent range.
    int e = -1;
    do {
      ++e;
      mant <<= 1;
    } while (!(mant & 0x400));
    bits = sign | ((112 - e) << 23) | ((mant & 0x3ff) << 13);
  }
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

float bfloat16ToFloat(uint16_t b) {
  uint32_t bits = uint32_t(b) << 16;
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

/// Elements of `count` values of type flag `flag` into a buffer of one of
/// mxjit's dtypes; types mx does not compute in are widened to float32.
HostBuffer readElements(ByteReader &r, const Shape &shape, int32_t flag) {
  int64_t count = 1;
  for (int64_t d : shape) {
    if (d != 0 && count > INT64_MAX / d)
      r.fail("shape too large");
    count *= d;
  }
  auto takeValues = [&](size_t elemSize) {
    if (static_cast<uint64_t>(count) > r.remaining() / elemSize)
      r.fail("truncated file while reading array data (" +
             std::to_string(count) + " elements of " +
             std::to_string(elemSize) + " bytes)");
    return r.take(count * elemSize, "array data");
  };
  auto copyAs = [&](DType dtype) {
    // Bounds first: a corrupt shape must not allocate before it fails.
    const char *p = takeValues(dtypeSize(dtype));
    HostBuffer b(TensorSpec(shape, dtype));
    std::memcpy(b.data(), p, b.byteSize());
    return b;
  };
  auto widen = [&](size_t elemSize, auto convert) {
    const char *p = takeValues(elemSize);
    HostBuffer b(TensorSpec(shape, DType::Float32));
    auto out = b.values<float>();
    for (int64_t i = 0; i < count; ++i)
      out[i] = convert(p + i * elemSize);
    return b;
  };
  switch (flag) {
  case kFloat32:
    return copyAs(DType::Float32);
  case kFloat64:
    return copyAs(DType::Float64);
  case kInt32:
    return copyAs(DType::Int32);
  case kInt64:
    return copyAs(DType::Int64);
  case kFloat16:
    return widen(2, [](const char *p) {
      uint16_t h;
      std::memcpy(&h, p, 2);
      return halfToFloat(h);
    });
  case kBfloat16:
    return widen(2, [](const char *p) {
      uint16_t h;
      std::memcpy(&h, p, 2);
      return bfloat16ToFloat(h);
    });
  case kUint8:
  case kBool:
    return widen(1, [](const char *p) {
      return static_cast<float>(static_cast<uint8_t>(*p));
    });
  case kInt8:
    return widen(1, [](const char *p) {
      return static_cast<float>(static_cast<int8_t>(*p));
    });
  default:
    r.fail("unsupported element type flag " + std::to_string(flag));
  }
}

Shape readShape64(ByteReader &r, bool numpySemantics, bool &none) {
  int32_t ndim = r.get<int32_t>("shape ndim");
  none = numpySemantics ? ndim < 0 : ndim == 0;
  if (none)
    return {};
  if (ndim < 0 || ndim > 64)
    r.fail("invalid ndim " + std::to_string(ndim));
  Shape shape(ndim);
  for (int64_t &d : shape) {
    d = r.get<int64_t>("shape dims");
    if (d < 0)
      none = true; // unknown dimension: MXNet loads no array
  }
  return shape;
}

NDArray readArray(ByteReader &r) {
  uint32_t magic = r.get<uint32_t>("array magic");
  Shape shape;
  bool none = false;
  if (magic == kV2Magic || magic == kV3Magic) {
    int32_t stype = r.get<int32_t>("storage type");
    if (stype != 0)
      r.fail(std::string("sparse arrays (storage type ") +
             (stype == 1   ? "row_sparse"
              : stype == 2 ? "csr"
                           : "unknown") +
             ") are not supported");
    shape = readShape64(r, magic == kV3Magic, none);
  } else if (magic == kV1Magic) {
    shape = readShape64(r, false, none);
  } else if (magic <= kMaxLegacyNdim) {
    // Before V1 there was no magic: the word is the ndim, dims are uint32.
    none = magic == 0;
    for (uint32_t i = 0; i < magic; ++i)
      shape.push_back(r.get<uint32_t>("legacy shape dims"));
  } else {
    r.fail("bad array magic " + hex(magic));
  }
  if (none)
    return NDArray();
  int32_t devType = r.get<int32_t>("context device type");
  r.get<int32_t>("context device id");
  if (devType < 1 || devType > 5)
    r.fail("invalid device type " + std::to_string(devType));
  int32_t flag = r.get<int32_t>("type flag");
  // Arrays load on the CPU whatever device wrote them (MXNet does the same
  // when the device is absent).
  return NDArray(
      detail::Engine::get().constant(readElements(r, shape, flag), cpu()));
}

struct ArrayFile {
  std::vector<NDArray> arrays;
  std::vector<std::string> names;
};

ArrayFile readFile(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    throw Error("nd::load: cannot read '" + path +
                "': " + buffer.getError().message());
  ByteReader r(path, (*buffer)->getBuffer());
  uint64_t magic = r.get<uint64_t>("file header");
  if (magic != kListMagic)
    r.fail("bad file magic " + hex(magic) + " (not an NDArray file)");
  r.get<uint64_t>("reserved header word");
  ArrayFile file;
  uint64_t count = r.get<uint64_t>("array count");
  // Every array takes at least 12 bytes: a count beyond that is corrupt,
  // and checking first keeps a bad count from reserving memory.
  if (count > r.remaining() / 12)
    r.fail("array count " + std::to_string(count) + " exceeds the file size");
  for (uint64_t i = 0; i < count; ++i)
    file.arrays.push_back(readArray(r));
  uint64_t numNames = r.get<uint64_t>("name count");
  if (numNames != 0 && numNames != count)
    r.fail(std::to_string(numNames) + " names for " + std::to_string(count) +
           " arrays");
  for (uint64_t i = 0; i < numNames; ++i) {
    uint64_t len = r.get<uint64_t>("name length");
    const char *p = r.take(len, "name");
    file.names.emplace_back(p, len);
  }
  return file;
}

} // namespace

void save(const std::string &path, const std::map<std::string, NDArray> &data) {
  std::vector<NDArray> arrays;
  std::vector<std::string> names;
  for (const auto &[name, array] : data) {
    names.push_back(name);
    arrays.push_back(array);
  }
  writeFile(path, arrays, names);
}

void save(const std::string &path, const std::vector<NDArray> &data) {
  writeFile(path, data, {});
}

std::map<std::string, NDArray> load(const std::string &path) {
  ArrayFile file = readFile(path);
  if (file.names.empty() && !file.arrays.empty())
    throw Error("nd::load: '" + path + "' holds an unnamed list of " +
                std::to_string(file.arrays.size()) +
                " arrays; read it with nd::load_list");
  std::map<std::string, NDArray> out;
  // A repeated name keeps its last array, as MXNet's dict(zip(...)) does.
  for (size_t i = 0; i < file.names.size(); ++i)
    out[file.names[i]] = file.arrays[i];
  return out;
}

std::vector<NDArray> load_list(const std::string &path) {
  return readFile(path).arrays;
}

} // namespace mxjit::nd
