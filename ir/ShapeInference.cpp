//===- ShapeInference.cpp - MXNet shape rules -----------------------------===//

#include "ir/ShapeInference.h"

#include "mlir/IR/BuiltinTypeInterfaces.h"
#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <limits>

using llvm::ArrayRef;
using llvm::SmallVector;

namespace mxjit::shape {
namespace {
constexpr int64_t kDyn = mlir::ShapedType::kDynamic;

bool isDyn(int64_t d) { return d == kDyn; }

std::string fmtList(ArrayRef<int64_t> v) { return format(v); }

/// Sets `error` and returns an empty optional of any type.
struct Fail {
  std::string &error;
  template <typename T> operator std::optional<T>() const {
    return std::nullopt;
  }
};
Fail fail(std::string &error, std::string message) {
  error = std::move(message);
  return Fail{error};
}
} // namespace

std::string format(ArrayRef<int64_t> shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      s += ",";
    s += isDyn(shape[i]) ? std::string("?") : std::to_string(shape[i]);
  }
  return s + ")";
}

int64_t numElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (isDyn(d))
      return kDyn;
    n *= d;
  }
  return n;
}

std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank,
                                     std::string &error) {
  if (axis < -rank || axis >= rank)
    return fail(error, "axis " + std::to_string(axis) +
                           " is out of range for rank " + std::to_string(rank));
  return axis < 0 ? axis + rank : axis;
}

MaybeShape broadcast(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs,
                     std::string &error) {
  size_t rank = std::max(lhs.size(), rhs.size());
  Shape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t a = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t b = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (a == b || b == 1)
      out[i] = a;
    else if (a == 1)
      out[i] = b;
    else if (isDyn(a) || isDyn(b))
      out[i] = isDyn(a) ? b : a;
    else
      return fail(error, "operands could not be broadcast together with "
                         "shapes " +
                             format(lhs) + " and " + format(rhs));
  }
  return out;
}

std::optional<SmallVector<int64_t>> reduceAxes(int64_t rank,
                                               ArrayRef<int64_t> axis,
                                               bool exclude,
                                               std::string &error) {
  SmallVector<bool> listed(rank, false);
  for (int64_t a : axis) {
    std::optional<int64_t> n = normalizeAxis(a, rank, error);
    if (!n)
      return std::nullopt;
    if (listed[*n])
      return fail(error, "axis " + std::to_string(a) + " is listed twice in " +
                             fmtList(axis));
    listed[*n] = true;
  }
  SmallVector<int64_t> out;
  for (int64_t i = 0; i < rank; ++i) {
    // As in MXNet, an empty `axis` reduces every axis, with or without
    // `exclude`.
    bool reduced = axis.empty() || listed[i] != exclude;
    if (reduced)
      out.push_back(i);
  }
  return out;
}

MaybeShape reduce(ArrayRef<int64_t> input, ArrayRef<int64_t> axis,
                  bool keepdims, bool exclude, std::string &error) {
  auto axes = reduceAxes(input.size(), axis, exclude, error);
  if (!axes)
    return std::nullopt;
  Shape out;
  for (int64_t i = 0, e = input.size(); i < e; ++i) {
    bool reduced = llvm::is_contained(*axes, i);
    if (!reduced)
      out.push_back(input[i]);
    else if (keepdims)
      out.push_back(1);
  }
  // MXNet 1.x: reducing every axis gives (1,); keepdims keeps the rank (a
  // rank-0 input stays rank 0).
  if (out.empty() && !keepdims)
    out.push_back(1);
  return out;
}

MaybeShape reshape(ArrayRef<int64_t> input, ArrayRef<int64_t> spec,
                   bool reverse, std::string &error) {
  if (reverse) {
    SmallVector<int64_t> rin(input.rbegin(), input.rend());
    SmallVector<int64_t> rspec;
    // -4 takes the two values after it; keep that grouping when reversing.
    for (size_t i = 0; i < spec.size(); ++i) {
      if (spec[i] == -4 && i + 2 < spec.size()) {
        rspec.insert(rspec.begin(), {-4, spec[i + 2], spec[i + 1]});
        i += 2;
      } else {
        rspec.insert(rspec.begin(), spec[i]);
      }
    }
    MaybeShape r = reshape(rin, rspec, false, error);
    if (!r)
      return std::nullopt;
    return Shape(r->rbegin(), r->rend());
  }
  Shape out;
  size_t src = 0;
  int inferred = -1;
  // `?` input dimensions copied unchanged (codes 0 and -2): when they are
  // all of the input's and the output's `?`, they cancel in the -1.
  int copiedDynamic = 0;
  auto needInput = [&](int64_t code) -> bool {
    if (src < input.size())
      return true;
    error = "reshape code " + std::to_string(code) + " in " + fmtList(spec) +
            " has no input dimension left to use from " + format(input);
    return false;
  };
  for (size_t i = 0; i < spec.size(); ++i) {
    int64_t v = spec[i];
    if (v > 0) {
      out.push_back(v);
      ++src;
    } else if (v == 0) {
      if (!needInput(v))
        return std::nullopt;
      copiedDynamic += isDyn(input[src]);
      out.push_back(input[src++]);
    } else if (v == -1) {
      if (inferred >= 0)
        return fail(error,
                    "reshape shape " + fmtList(spec) + " has more than one -1");
      inferred = out.size();
      out.push_back(1);
      ++src;
    } else if (v == -2) {
      while (src < input.size()) {
        copiedDynamic += isDyn(input[src]);
        out.push_back(input[src++]);
      }
    } else if (v == -3) {
      if (src + 2 > input.size())
        return fail(error, "reshape code -3 in " + fmtList(spec) +
                               " needs two input dimensions of " +
                               format(input));
      int64_t a = input[src], b = input[src + 1];
      out.push_back(isDyn(a) || isDyn(b) ? kDyn : a * b);
      src += 2;
    } else if (v == -4) {
      if (i + 2 >= spec.size())
        return fail(error, "reshape code -4 in " + fmtList(spec) +
                               " must be followed by two values");
      if (!needInput(v))
        return std::nullopt;
      int64_t d = input[src++];
      int64_t a = spec[i + 1], b = spec[i + 2];
      if (a == -1 && b == -1)
        return fail(error, "reshape code -4 in " + fmtList(spec) +
                               " splits into -1 and -1");
      if (a < -1 || b < -1 || a == 0 || b == 0)
        return fail(error, "reshape code -4 in " + fmtList(spec) +
                               " must split into positive sizes or -1");
      if (!isDyn(d)) {
        if (a == -1)
          a = d % b == 0 ? d / b : -2;
        if (b == -1)
          b = d % a == 0 ? d / a : -2;
        if (a < 0 || b < 0 || a * b != d)
          return fail(error, "reshape code -4 in " + fmtList(spec) +
                                 " cannot split dimension " +
                                 std::to_string(d));
      } else {
        a = a == -1 ? kDyn : a;
        b = b == -1 ? kDyn : b;
      }
      out.push_back(a);
      out.push_back(b);
      i += 2;
    } else {
      return fail(error, "reshape shape " + fmtList(spec) +
                             " contains invalid value " + std::to_string(v));
    }
  }
  int64_t total = numElements(input);
  if (inferred >= 0) {
    out[inferred] = 1;
    int64_t known = numElements(out);
    auto dynamicCount = [](ArrayRef<int64_t> shape) {
      return llvm::count_if(shape, [](int64_t d) { return isDyn(d); });
    };
    auto staticProduct = [](ArrayRef<int64_t> shape) {
      int64_t n = 1;
      for (int64_t d : shape)
        n *= isDyn(d) ? 1 : d;
      return n;
    };
    if ((isDyn(total) || isDyn(known)) &&
        dynamicCount(input) == copiedDynamic &&
        dynamicCount(out) == copiedDynamic && staticProduct(out) != 0 &&
        staticProduct(input) % staticProduct(out) == 0)
      out[inferred] = staticProduct(input) / staticProduct(out);
    else if (isDyn(total) || isDyn(known))
      out[inferred] = kDyn;
    else if (known == 0 || total % known != 0)
      return fail(error, "cannot infer -1 in reshape shape " + fmtList(spec) +
                             " for input " + format(input));
    else
      out[inferred] = total / known;
  }
  int64_t produced = numElements(out);
  if (!isDyn(total) && !isDyn(produced) && total != produced)
    return fail(error, "cannot reshape " + format(input) + " (" +
                           std::to_string(total) + " elements) to " +
                           format(out) + " (" + std::to_string(produced) +
                           " elements)");
  return out;
}

std::optional<SmallVector<int64_t>>
permutation(int64_t rank, ArrayRef<int64_t> axes, std::string &error) {
  SmallVector<int64_t> perm;
  if (axes.empty()) {
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
    return perm;
  }
  if ((int64_t)axes.size() != rank)
    return fail(error, "transpose axes " + fmtList(axes) + " must list all " +
                           std::to_string(rank) + " axes");
  SmallVector<bool> seen(rank, false);
  for (int64_t a : axes) {
    std::optional<int64_t> n = normalizeAxis(a, rank, error);
    if (!n)
      return std::nullopt;
    if (seen[*n])
      return fail(error, "transpose axes " + fmtList(axes) + " repeat axis " +
                             std::to_string(a));
    seen[*n] = true;
    perm.push_back(*n);
  }
  return perm;
}

MaybeShape transpose(ArrayRef<int64_t> input, ArrayRef<int64_t> axes,
                     std::string &error) {
  auto perm = permutation(input.size(), axes, error);
  if (!perm)
    return std::nullopt;
  Shape out;
  for (int64_t p : *perm)
    out.push_back(input[p]);
  return out;
}

MaybeShape broadcastTo(ArrayRef<int64_t> input, ArrayRef<int64_t> target,
                       std::string &error) {
  if (target.size() != input.size())
    return fail(error, "broadcast_to shape " + fmtList(target) +
                           " must have the rank of input " + format(input));
  Shape out;
  for (size_t i = 0; i < input.size(); ++i) {
    int64_t t = target[i] == 0 ? input[i] : target[i];
    if (t < 0 && !isDyn(t))
      return fail(error, "broadcast_to shape " + fmtList(target) +
                             " has negative size");
    if (input[i] != t && input[i] != 1 && !isDyn(input[i]))
      return fail(error, "cannot broadcast " + format(input) + " to " +
                             fmtList(target) + ": axis " + std::to_string(i) +
                             " has size " + std::to_string(input[i]) +
                             ", not 1");
    out.push_back(t);
  }
  return out;
}

MaybeShape expandDims(ArrayRef<int64_t> input, int64_t axis,
                      std::string &error) {
  int64_t rank = input.size();
  std::optional<int64_t> n = normalizeAxis(axis, rank + 1, error);
  if (!n)
    return std::nullopt;
  Shape out(input.begin(), input.end());
  out.insert(out.begin() + *n, 1);
  return out;
}

std::optional<SliceBounds> slice(ArrayRef<int64_t> input,
                                 ArrayRef<int64_t> begin, ArrayRef<int64_t> end,
                                 ArrayRef<int64_t> step, std::string &error) {
  if (begin.size() != end.size())
    return fail(error, "slice begin " + fmtList(begin) + " and end " +
                           fmtList(end) + " differ in length");
  if (!step.empty() && step.size() != begin.size())
    return fail(error, "slice step " + fmtList(step) +
                           " must be empty or as long as begin " +
                           fmtList(begin));
  if (begin.size() > input.size())
    return fail(error, "slice begin " + fmtList(begin) +
                           " has more axes than input " + format(input));
  SliceBounds b;
  for (size_t i = 0; i < input.size(); ++i) {
    int64_t dim = input[i];
    int64_t st = i < step.size() ? step[i] : 1;
    if (st == 0)
      return fail(error, "slice step " + fmtList(step) + " has 0 at axis " +
                             std::to_string(i));
    if (i >= begin.size()) {
      b.starts.push_back(0);
      b.steps.push_back(1);
      b.sizes.push_back(dim);
      continue;
    }
    if (isDyn(dim))
      return fail(error, "slice of dynamic axis " + std::to_string(i) +
                             " is not supported");
    // NumPy's clamping rules for a slice of a dimension of size `dim`.
    auto clamp = [&](int64_t v, int64_t lo, int64_t hi) {
      if (v < 0)
        v = v < -dim ? lo : v + dim;
      return std::min(std::max(v, lo), hi);
    };
    int64_t s, e;
    if (st > 0) {
      s = clamp(begin[i], 0, dim);
      e = clamp(end[i], 0, dim);
    } else {
      s = clamp(begin[i], -1, dim - 1);
      e = clamp(end[i], -1, dim - 1);
    }
    // ceil(|e - s| / |st|), written so that no step (even INT64_MIN or
    // INT64_MAX) overflows.
    int64_t size = st > 0 ? (e > s ? (e - s - 1) / st + 1 : 0)
                          : (s > e ? 1 - (s - e - 1) / st : 0);
    if (size == 0)
      return fail(error, "slice begin " + fmtList(begin) + " end " +
                             fmtList(end) + " selects nothing on axis " +
                             std::to_string(i) + " of " + format(input));
    b.starts.push_back(s);
    b.steps.push_back(st);
    b.sizes.push_back(size);
  }
  return b;
}

MaybeShape concat(ArrayRef<ArrayRef<int64_t>> inputs, int64_t dim,
                  std::string &error) {
  if (inputs.empty())
    return fail(error, "concat needs at least one input");
  int64_t rank = inputs[0].size();
  std::optional<int64_t> d = normalizeAxis(dim, rank, error);
  if (!d)
    return std::nullopt;
  Shape out(inputs[0].begin(), inputs[0].end());
  for (size_t k = 1; k < inputs.size(); ++k) {
    ArrayRef<int64_t> in = inputs[k];
    if ((int64_t)in.size() != rank)
      return fail(error, "concat input " + std::to_string(k) + " " +
                             format(in) + " differs in rank from input 0 " +
                             format(inputs[0]));
    for (int64_t i = 0; i < rank; ++i) {
      if (i == *d) {
        out[i] = isDyn(out[i]) || isDyn(in[i]) ? kDyn : out[i] + in[i];
      } else if (in[i] != out[i] && !isDyn(in[i]) && !isDyn(out[i])) {
        return fail(error, "concat input " + std::to_string(k) + " " +
                               format(in) + " does not match " +
                               format(inputs[0]) + " on axis " +
                               std::to_string(i));
      }
    }
  }
  return out;
}

MaybeShape dot(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs, bool transposeA,
               bool transposeB, std::string &error) {
  if (lhs.empty() || rhs.empty())
    return fail(error, "dot operands must have rank >= 1, got " + format(lhs) +
                           " and " + format(rhs));
  if ((transposeA && lhs.size() == 1) || (transposeB && rhs.size() == 1))
    return fail(error, "dot cannot transpose a 1-D operand: " + format(lhs) +
                           (transposeA ? "^T" : "") + " and " + format(rhs) +
                           (transposeB ? "^T" : ""));
  // As MXNet: a transposed lhs contracts its first axis and a transposed rhs
  // its last; the other axes keep their order.
  int64_t k1 = transposeA ? lhs.front() : lhs.back();
  int64_t k2 = transposeB ? rhs.back() : rhs.front();
  if (k1 != k2 && !isDyn(k1) && !isDyn(k2))
    return fail(error, "dot contraction mismatch: " + format(lhs) +
                           (transposeA ? "^T" : "") + " and " + format(rhs) +
                           (transposeB ? "^T" : "") + " (" +
                           std::to_string(k1) + " vs " + std::to_string(k2) +
                           ")");
  Shape out = transposeA ? Shape(lhs.drop_front()) : Shape(lhs.drop_back());
  ArrayRef<int64_t> keptRhs = transposeB ? rhs.drop_back() : rhs.drop_front();
  out.append(keptRhs.begin(), keptRhs.end());
  if (out.empty())
    out.push_back(1);
  return out;
}

MaybeShape batchDot(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs,
                    bool transposeA, bool transposeB, std::string &error) {
  if (lhs.size() < 3 || lhs.size() != rhs.size())
    return fail(error, "batch_dot operands must have equal rank >= 3, got " +
                           format(lhs) + " and " + format(rhs));
  size_t r = lhs.size();
  for (size_t i = 0; i + 2 < r; ++i)
    if (lhs[i] != rhs[i] && !isDyn(lhs[i]) && !isDyn(rhs[i]))
      return fail(error, "batch_dot batch dimensions differ: " + format(lhs) +
                             " and " + format(rhs));
  int64_t m = transposeA ? lhs[r - 1] : lhs[r - 2];
  int64_t k1 = transposeA ? lhs[r - 2] : lhs[r - 1];
  int64_t k2 = transposeB ? rhs[r - 1] : rhs[r - 2];
  int64_t n = transposeB ? rhs[r - 2] : rhs[r - 1];
  if (k1 != k2 && !isDyn(k1) && !isDyn(k2))
    return fail(error, "batch_dot contraction mismatch: " + format(lhs) +
                           " and " + format(rhs) + " (" + std::to_string(k1) +
                           " vs " + std::to_string(k2) + ")");
  Shape out(lhs.begin(), lhs.end() - 2);
  out.push_back(m);
  out.push_back(n);
  return out;
}

MaybeShape fullyConnected(ArrayRef<int64_t> data, ArrayRef<int64_t> weight,
                          std::optional<ArrayRef<int64_t>> bias,
                          int64_t numHidden, bool flatten, std::string &error) {
  if (numHidden <= 0)
    return fail(error, "num_hidden must be positive, got " +
                           std::to_string(numHidden));
  if (data.empty())
    return fail(error, "fully_connected data must have rank >= 1");
  int64_t k = flatten ? numElements(data.drop_front()) : data.back();
  if (weight.size() != 2 || (weight[0] != numHidden && !isDyn(weight[0])) ||
      (weight[1] != k && !isDyn(weight[1]) && !isDyn(k)))
    return fail(error, "fully_connected weight " + format(weight) +
                           " must be (" + std::to_string(numHidden) + "," +
                           (isDyn(k) ? std::string("?") : std::to_string(k)) +
                           ") for data " + format(data));
  if (bias &&
      (bias->size() != 1 || ((*bias)[0] != numHidden && !isDyn((*bias)[0]))))
    return fail(error, "fully_connected bias " + format(*bias) + " must be (" +
                           std::to_string(numHidden) + ")");
  Shape out;
  if (flatten)
    out = {data[0], numHidden};
  else {
    out.assign(data.begin(), data.end() - 1);
    out.push_back(numHidden);
  }
  return out;
}

//===----------------------------------------------------------------------===//
// Normalization, dropout and output layers
//===----------------------------------------------------------------------===//

namespace {
/// Equal, or unknown on either side.
bool sameDim(int64_t a, int64_t b) { return a == b || isDyn(a) || isDyn(b); }
bool sameShape(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!sameDim(a[i], b[i]))
      return false;
  return true;
}
int64_t product(ArrayRef<int64_t> dims) { return numElements(dims); }
} // namespace

MaybeShape batchNorm(ArrayRef<int64_t> data, int64_t axis,
                     ArrayRef<int64_t> gamma, ArrayRef<int64_t> beta,
                     ArrayRef<int64_t> movingMean, ArrayRef<int64_t> movingVar,
                     std::string &error) {
  int64_t rank = data.size();
  if (rank < 2)
    return fail(error,
                "batch_norm data " + format(data) + " must have rank >= 2");
  std::optional<int64_t> c = normalizeAxis(axis, rank, error);
  if (!c)
    return std::nullopt;
  Shape channels = {data[*c]};
  std::pair<const char *, ArrayRef<int64_t>> params[] = {
      {"gamma", gamma},
      {"beta", beta},
      {"moving_mean", movingMean},
      {"moving_var", movingVar}};
  for (auto [name, s] : params)
    if (!sameShape(s, channels))
      return fail(error, std::string("batch_norm ") + name + " shape " +
                             format(s) + " must be " + format(channels) +
                             ", the channels of data " + format(data) +
                             " along axis " + std::to_string(*c));
  return channels;
}

MaybeShape dropoutMask(ArrayRef<int64_t> data, ArrayRef<int64_t> axes,
                       std::string &error) {
  Shape mask(data.begin(), data.end());
  int64_t rank = data.size();
  for (int64_t a : axes) {
    std::optional<int64_t> n = normalizeAxis(a, rank, error);
    if (!n)
      return fail(error, "dropout " + error);
    if (mask[*n] == 1 && data[*n] != 1)
      return fail(error, "dropout axes " + fmtList(axes) + " repeat axis " +
                             std::to_string(a));
    mask[*n] = 1;
  }
  return mask;
}

MaybeShape softmaxOutputLabel(ArrayRef<int64_t> data, bool multiOutput,
                              bool preserveShape, std::string &error) {
  if (data.size() < 2)
    return fail(error,
                "softmax_output data " + format(data) + " must have rank >= 2");
  if (multiOutput) {
    Shape label = {data[0]};
    label.append(data.begin() + 2, data.end());
    return label;
  }
  if (preserveShape || data.size() == 2)
    return Shape(data.begin(), data.end() - 1);
  return Shape{data[0]};
}

std::optional<SoftmaxOutputLayout>
softmaxOutput(ArrayRef<int64_t> data, ArrayRef<int64_t> label, bool multiOutput,
              bool preserveShape, std::string &error) {
  MaybeShape expected =
      softmaxOutputLabel(data, multiOutput, preserveShape, error);
  if (!expected)
    return std::nullopt;
  SoftmaxOutputLayout layout;
  if (multiOutput) {
    layout.outer = data[0];
    layout.classes = data[1];
    layout.inner = product(data.drop_front(2));
  } else if (preserveShape) {
    layout.outer = product(data.drop_back());
    layout.classes = data.back();
  } else {
    layout.outer = data[0];
    layout.classes = product(data.drop_front());
  }
  if (sameShape(label, data)) {
    layout.probabilityLabel = true;
    return layout;
  }
  bool ok = sameShape(label, *expected);
  if (!ok && multiOutput) {
    // MXNet also takes the label flattened to (N, prod(d...)) or with the
    // class axis kept as 1: (N, 1, d...).
    Shape flat = {data[0], layout.inner};
    Shape keep(data.begin(), data.end());
    keep[1] = 1;
    ok = sameShape(label, flat) || sameShape(label, keep);
  }
  if (!ok)
    return fail(error, "softmax_output label shape " + format(label) +
                           " does not match data " + format(data) +
                           ": expected " + format(*expected) +
                           " (class ids) or " + format(data) +
                           " (probabilities)");
  return layout;
}

std::optional<int64_t> regressionOutput(ArrayRef<int64_t> data,
                                        ArrayRef<int64_t> label,
                                        std::string &error) {
  if (data.empty())
    return fail(error, "regression output data must have rank >= 1");
  bool columnLabel = data.size() == 2 && sameDim(data[1], 1) &&
                     label.size() == 1 && sameDim(label[0], data[0]);
  if (!sameShape(label, data) && !columnLabel)
    return fail(error, "regression output label shape " + format(label) +
                           " must equal the data shape " + format(data) +
                           (data.size() == 2 && data[1] == 1
                                ? " or be (" + std::to_string(data[0]) + ",)"
                                : std::string()));
  if (label.empty() || isDyn(label[0]) || label[0] == 0)
    return int64_t(1);
  int64_t n = product(label);
  return isDyn(n) ? kDyn : n / label[0];
}

} // namespace mxjit::shape

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

namespace mxjit::shape {
namespace {
/// `values`, or `n` copies of `dflt` when it is empty; nullopt (with an
/// error naming `name`) when its length is not `n`.
std::optional<SmallVector<int64_t>> perAxis(const char *name,
                                            ArrayRef<int64_t> values,
                                            ArrayRef<int64_t> kernel,
                                            int64_t dflt, std::string &error) {
  if (values.empty())
    return SmallVector<int64_t>(kernel.size(), dflt);
  if (values.size() != kernel.size())
    return fail(error, std::string(name) + " " + format(values) +
                           " must have as many entries as kernel " +
                           format(kernel));
  return SmallVector<int64_t>(values.begin(), values.end());
}

bool allAtLeast(ArrayRef<int64_t> v, int64_t lo) {
  return llvm::all_of(v, [&](int64_t x) { return x >= lo; });
}

/// Window attributes are bounded so that the window arithmetic (d (k - 1),
/// x + 2 p) cannot overflow int64.
constexpr int64_t kMaxWindow = std::numeric_limits<int32_t>::max();
bool allWithinLimit(std::initializer_list<ArrayRef<int64_t>> vs) {
  return llvm::all_of(vs, [](ArrayRef<int64_t> v) {
    return llvm::all_of(v, [](int64_t x) { return x <= kMaxWindow; });
  });
}

const char *layoutName(size_t spatial) {
  return spatial == 1 ? "NCW" : spatial == 2 ? "NCHW" : "NCDHW";
}

/// Checks that `data` has rank kernel + 2 for a 1-, 2- or 3-D kernel.
bool checkLayout(const char *op, ArrayRef<int64_t> data,
                 ArrayRef<int64_t> kernel, std::string &error) {
  if (kernel.empty() || kernel.size() > 3) {
    error = std::string(op) + " kernel " + format(kernel) +
            " must have 1, 2 or 3 dimensions";
    return false;
  }
  if (data.size() != kernel.size() + 2) {
    error = std::string(op) + " with a " + std::to_string(kernel.size()) +
            "-D kernel needs " + layoutName(kernel.size()) + " data of rank " +
            std::to_string(kernel.size() + 2) + ", got " + format(data);
    return false;
  }
  return true;
}
} // namespace

std::optional<ConvWindow> convolutionWindow(ArrayRef<int64_t> data,
                                            const ConvAttrs &attrs,
                                            std::string &error) {
  ArrayRef<int64_t> kernel = attrs.kernel;
  if (!checkLayout("convolution", data, kernel, error))
    return std::nullopt;
  ConvWindow w;
  w.kernel.assign(kernel.begin(), kernel.end());
  auto stride = perAxis("stride", attrs.stride, kernel, 1, error);
  auto dilate = perAxis("dilate", attrs.dilate, kernel, 1, error);
  auto pad = perAxis("pad", attrs.pad, kernel, 0, error);
  if (!stride || !dilate || !pad)
    return std::nullopt;
  w.stride = *stride;
  w.dilate = *dilate;
  w.pad = *pad;
  if (!allAtLeast(w.kernel, 1))
    return fail(error, "incorrect kernel size: " + format(kernel));
  if (!allAtLeast(w.stride, 1))
    return fail(error, "incorrect stride size: " + format(w.stride));
  if (!allAtLeast(w.dilate, 1))
    return fail(error, "incorrect dilate size: " + format(w.dilate));
  if (!allAtLeast(w.pad, 0))
    return fail(error, "incorrect pad size: " + format(w.pad));
  if (!allWithinLimit({w.kernel, w.stride, w.dilate, w.pad}))
    return fail(error, "kernel, stride, dilate and pad must not exceed " +
                           std::to_string(kMaxWindow));
  if (attrs.numFilter <= 0)
    return fail(error, "num_filter must be positive, got " +
                           std::to_string(attrs.numFilter));
  if (attrs.numGroup <= 0)
    return fail(error, "num_group must be positive, got " +
                           std::to_string(attrs.numGroup));
  if (!isDyn(data[1]) && data[1] % attrs.numGroup != 0)
    return fail(error, "input num_filter must divide group size: data " +
                           format(data) + " has " + std::to_string(data[1]) +
                           " channels, num_group is " +
                           std::to_string(attrs.numGroup));
  if (attrs.numFilter % attrs.numGroup != 0)
    return fail(error, "output num_filter must divide group size: num_filter " +
                           std::to_string(attrs.numFilter) + ", num_group is " +
                           std::to_string(attrs.numGroup));
  for (size_t i = 0; i < kernel.size(); ++i) {
    int64_t x = data[i + 2];
    if (isDyn(x))
      continue;
    int64_t extent = w.dilate[i] * (w.kernel[i] - 1) + 1;
    if (extent > x + 2 * w.pad[i])
      return fail(error, "kernel size exceed input: kernel " + format(kernel) +
                             " dilated by " + format(w.dilate) + " spans " +
                             std::to_string(extent) + " on axis " +
                             std::to_string(i + 2) + " but data " +
                             format(data) + " padded by " + format(w.pad) +
                             " has " + std::to_string(x + 2 * w.pad[i]));
  }
  return w;
}

MaybeShape convolutionWeight(ArrayRef<int64_t> data, const ConvAttrs &attrs,
                             std::string &error) {
  if (!convolutionWindow(data, attrs, error))
    return std::nullopt;
  Shape weight = {attrs.numFilter,
                  isDyn(data[1]) ? kDyn : data[1] / attrs.numGroup};
  weight.append(attrs.kernel.begin(), attrs.kernel.end());
  return weight;
}

MaybeShape convolution(ArrayRef<int64_t> data, ArrayRef<int64_t> weight,
                       std::optional<ArrayRef<int64_t>> bias,
                       const ConvAttrs &attrs, std::string &error) {
  auto window = convolutionWindow(data, attrs, error);
  if (!window)
    return std::nullopt;
  Shape expected = *convolutionWeight(data, attrs, error);
  bool weightOk = weight.size() == expected.size();
  for (size_t i = 0; weightOk && i < weight.size(); ++i)
    weightOk =
        weight[i] == expected[i] || isDyn(weight[i]) || isDyn(expected[i]);
  if (!weightOk)
    return fail(error, "weight shape inconsistent, provided " + format(weight) +
                           ", inferred " + format(expected) + " from data " +
                           format(data));
  if (bias && (bias->size() != 1 ||
               ((*bias)[0] != attrs.numFilter && !isDyn((*bias)[0]))))
    return fail(error, "bias shape inconsistent, provided " + format(*bias) +
                           ", inferred (" + std::to_string(attrs.numFilter) +
                           ")");
  Shape out = {data[0], attrs.numFilter};
  for (size_t i = 0; i < attrs.kernel.size(); ++i) {
    int64_t x = data[i + 2];
    int64_t extent = window->dilate[i] * (window->kernel[i] - 1) + 1;
    out.push_back(
        isDyn(x) ? kDyn
                 : (x + 2 * window->pad[i] - extent) / window->stride[i] + 1);
  }
  return out;
}

std::optional<PoolWindow> poolingWindow(ArrayRef<int64_t> data,
                                        const PoolAttrs &attrs,
                                        std::string &error) {
  PoolWindow w;
  if (attrs.globalPool) {
    if (data.size() < 3 || data.size() > 5)
      return fail(error, "global pooling needs NCW, NCHW or NCDHW data, got " +
                             format(data));
    w.kernel.assign(data.begin() + 2, data.end());
    w.stride.assign(w.kernel.size(), 1);
    w.pad.assign(w.kernel.size(), 0);
    return w;
  }
  ArrayRef<int64_t> kernel = attrs.kernel;
  if (!checkLayout("pooling", data, kernel, error))
    return std::nullopt;
  w.kernel.assign(kernel.begin(), kernel.end());
  auto stride = perAxis("stride", attrs.stride, kernel, 1, error);
  auto pad = perAxis("pad", attrs.pad, kernel, 0, error);
  if (!stride || !pad)
    return std::nullopt;
  w.stride = *stride;
  w.pad = *pad;
  if (!allAtLeast(w.kernel, 1))
    return fail(error, "incorrect kernel size: " + format(kernel));
  if (!allAtLeast(w.stride, 1))
    return fail(error, "incorrect stride size: " + format(w.stride));
  if (!allAtLeast(w.pad, 0))
    return fail(error, "incorrect pad size: " + format(w.pad));
  if (!allWithinLimit({w.kernel, w.stride, w.pad}))
    return fail(error, "kernel, stride and pad must not exceed " +
                           std::to_string(kMaxWindow));
  for (size_t i = 0; i < kernel.size(); ++i) {
    int64_t x = data[i + 2];
    if (!isDyn(x) && kernel[i] > x + 2 * w.pad[i])
      return fail(error, "kernel size (" + std::to_string(kernel[i]) +
                             ") exceeds input (" + std::to_string(x) +
                             " padded to " + std::to_string(x + 2 * w.pad[i]) +
                             ") on axis " + std::to_string(i + 2) +
                             " of data " + format(data));
  }
  return w;
}

MaybeShape pooling(ArrayRef<int64_t> data, const PoolAttrs &attrs,
                   std::string &error) {
  auto w = poolingWindow(data, attrs, error);
  if (!w)
    return std::nullopt;
  Shape out = {data[0], data[1]};
  for (size_t i = 0; i < w->kernel.size(); ++i) {
    int64_t x = data[i + 2];
    if (isDyn(x) || isDyn(w->kernel[i])) {
      out.push_back(attrs.globalPool ? 1 : kDyn);
      continue;
    }
    int64_t span = x + 2 * w->pad[i] - w->kernel[i], s = w->stride[i];
    out.push_back(1 + (attrs.fullConvention ? (span + s - 1) / s : span / s));
  }
  return out;
}

} // namespace mxjit::shape
