//===- ConvPoolReferenceTest.cpp - convolution and pooling vs. C++ --------===//
//
// mx.convolution and mx.pooling JIT-compiled through the whole stack and
// compared with the naive loops of Reference.cpp, in f32 and f64, over
// every attribute: rank, stride, pad, dilate, groups, bias, pool type,
// global pooling, the "full" convention and count_include_pad.
//
//===----------------------------------------------------------------------===//

#include "Reference.h"

#include "runtime/HostBuffer.h"
#include "runtime/Jit.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mxjit;
using ref::Shape;
using ref::Tensor;

namespace {

Jit &jit() {
  static Jit *instance = new Jit;
  return *instance;
}

HostBuffer toBuffer(const Tensor &t) {
  HostBuffer b(TensorSpec(t.shape, t.dtype));
  for (int64_t i = 0; i < t.size(); ++i) {
    if (t.dtype == DType::Float32)
      b.values<float>()[i] = static_cast<float>(t.v[i]);
    else
      b.values<double>()[i] = t.v[i];
  }
  return b;
}

std::string array(const Shape &v) {
  std::string s = "array<i64";
  for (size_t i = 0; i < v.size(); ++i)
    s += (i ? ", " : ": ") + std::to_string(v[i]);
  return s + ">";
}

/// Runs `mx.<op> %a0, ... {attrs}` on `inputs` and compares with `expected`.
void check(const std::string &op, const std::string &attrs,
           const std::vector<Tensor> &inputs, const Tensor &expected) {
  std::string args, operands, types;
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::string t = ref::typeString(inputs[i]);
    args += (i ? ", %a" : "%a") + std::to_string(i) + ": " + t;
    operands += (i ? ", %a" : "%a") + std::to_string(i);
    types += (i ? ", " : "") + t;
  }
  std::string out = ref::typeString(expected);
  std::string text = "func.func @f(" + args + ") -> " + out + " {\n  %r = mx." +
                     op + " " + operands + " {" + attrs + "} : (" + types +
                     ") -> " + out + "\n  return %r : " + out + "\n}\n";
  SCOPED_TRACE(text);
  auto fn = jit().getSource(text, "f");
  std::vector<HostBuffer> in;
  std::vector<const HostBuffer *> ptrs;
  for (const Tensor &t : inputs)
    in.push_back(toBuffer(t));
  for (const HostBuffer &b : in)
    ptrs.push_back(&b);
  std::vector<HostBuffer> outs = fn->run(ptrs);
  const HostBuffer &result = outs.at(0);
  ASSERT_EQ(result.spec().shape, expected.shape);
  bool f32 = expected.dtype == DType::Float32;
  double rtol = f32 ? 1e-5 : 1e-12, atol = f32 ? 1e-5 : 1e-12;
  int reported = 0;
  for (int64_t i = 0; i < expected.size(); ++i) {
    double a = f32 ? result.values<float>()[i] : result.values<double>()[i];
    double e = expected.v[i];
    if (!(std::fabs(a - e) <= atol + rtol * std::fabs(e)) && reported++ < 5)
      ADD_FAILURE() << "element " << i << " is " << a << ", expected " << e;
  }
}

const DType kFloats[] = {DType::Float32, DType::Float64};

struct ConvCase {
  Shape data, kernel, stride, dilate, pad;
  int64_t numFilter, numGroup;
  bool bias;
};

std::string convAttrs(const ConvCase &c) {
  std::string s = "kernel = " + array(c.kernel) +
                  ", num_filter = " + std::to_string(c.numFilter) + " : i64";
  if (c.numGroup != 1)
    s += ", num_group = " + std::to_string(c.numGroup) + " : i64";
  if (!c.stride.empty())
    s += ", stride = " + array(c.stride);
  if (!c.dilate.empty())
    s += ", dilate = " + array(c.dilate);
  if (!c.pad.empty())
    s += ", pad = " + array(c.pad);
  return s;
}

TEST(ConvPoolReference, Convolution) {
  const ConvCase cases[] = {
      // 1-D
      {{2, 3, 9}, {3}, {}, {}, {}, 4, 1, true},
      {{2, 3, 9}, {3}, {2}, {2}, {1}, 4, 1, false},
      {{1, 4, 10}, {2}, {3}, {}, {2}, 6, 2, true},
      {{1, 4, 8}, {3}, {}, {}, {1}, 4, 4, true}, // depthwise
      // 2-D
      {{2, 3, 7, 6}, {3, 3}, {}, {}, {}, 5, 1, true},
      {{2, 3, 7, 6}, {3, 2}, {2, 1}, {1, 2}, {1, 0}, 5, 1, false},
      {{1, 4, 8, 8}, {3, 3}, {2, 2}, {}, {1, 1}, 6, 2, true},
      {{2, 6, 6, 5}, {3, 3}, {1, 2}, {2, 1}, {2, 1}, 6, 6, true}, // depthwise
      {{1, 4, 5, 5}, {1, 1}, {}, {}, {}, 8, 4, false},
      {{1, 2, 4, 4}, {5, 5}, {}, {}, {2, 2}, 3, 1, true}, // kernel > input
      // 3-D
      {{1, 2, 5, 4, 6}, {3, 2, 3}, {1, 2, 2}, {}, {1, 0, 1}, 3, 1, true},
      {{1, 4, 4, 4, 4}, {2, 2, 2}, {}, {1, 2, 1}, {}, 4, 2, false},
  };
  unsigned seed = 1;
  for (const ConvCase &c : cases)
    for (DType d : kFloats) {
      int64_t cg = c.data[1] / c.numGroup;
      Shape wShape = {c.numFilter, cg};
      wShape.insert(wShape.end(), c.kernel.begin(), c.kernel.end());
      Tensor x = ref::random(c.data, d, -2, 2, seed++);
      Tensor w = ref::random(wShape, d, -2, 2, seed++);
      Tensor b = ref::random({c.numFilter}, d, -2, 2, seed++);
      std::optional<Tensor> bias;
      std::vector<Tensor> inputs = {x, w};
      if (c.bias) {
        bias = b;
        inputs.push_back(b);
      }
      Tensor e = ref::convolution(
          x, w, bias, {c.kernel, c.stride, c.dilate, c.pad, c.numGroup});
      check("convolution", convAttrs(c), inputs, e);
    }
}

struct PoolCase {
  Shape data;
  ref::PoolParams p;
};

std::string poolAttrs(const ref::PoolParams &p) {
  const char *type = p.type == ref::Pool::Max   ? "max"
                     : p.type == ref::Pool::Avg ? "avg"
                                                : "sum";
  std::string s = std::string("pool_type = \"") + type + "\"";
  if (p.global)
    s += ", global_pool = true";
  else
    s += ", kernel = " + array(p.kernel);
  if (!p.stride.empty())
    s += ", stride = " + array(p.stride);
  if (!p.pad.empty())
    s += ", pad = " + array(p.pad);
  if (p.full)
    s += ", pooling_convention = \"full\"";
  if (!p.countIncludePad)
    s += ", count_include_pad = false";
  return s;
}

TEST(ConvPoolReference, Pooling) {
  using ref::Pool;
  std::vector<PoolCase> cases;
  for (Pool t : {Pool::Max, Pool::Avg, Pool::Sum}) {
    cases.push_back({{2, 3, 9}, {t, {3}, {2}, {}}});
    cases.push_back({{2, 3, 9}, {t, {2}, {}, {1}}});
    cases.push_back({{2, 3, 8}, {t, {3}, {2}, {1}, false, true}});
    cases.push_back({{2, 3, 7, 8}, {t, {2, 2}, {2, 2}, {}}});
    cases.push_back({{2, 3, 7, 8}, {t, {3, 2}, {2, 1}, {1, 1}}});
    cases.push_back({{1, 2, 8, 7}, {t, {3, 3}, {2, 2}, {1, 1}, false, true}});
    cases.push_back({{2, 3, 5, 6}, {t, {}, {}, {}, true}});
    cases.push_back({{2, 3, 5}, {t, {}, {}, {}, true}});
    cases.push_back({{1, 2, 5, 4, 6}, {t, {2, 2, 3}, {2, 1, 2}, {1, 0, 1}}});
    cases.push_back(
        {{1, 2, 5, 4, 5}, {t, {2, 2, 2}, {2, 2, 2}, {}, false, true}});
  }
  // count_include_pad = false: the padding is not counted.
  cases.push_back(
      {{2, 3, 7, 8}, {Pool::Avg, {3, 3}, {2, 2}, {1, 1}, false, false, false}});
  cases.push_back(
      {{1, 2, 8, 7}, {Pool::Avg, {3, 3}, {2, 2}, {1, 1}, false, true, false}});
  cases.push_back({{2, 3, 9}, {Pool::Avg, {4}, {3}, {2}, false, true, false}});
  unsigned seed = 100;
  for (const PoolCase &c : cases)
    for (DType d : kFloats) {
      Tensor x = ref::random(c.data, d, -3, 3, seed++);
      check("pooling", poolAttrs(c.p), {x}, ref::pooling(x, c.p));
    }
}

} // namespace
