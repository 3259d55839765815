//===- ContractionSharedInitTest.cpp - products sharing an init -----------===//
//
// Regression tests for a miscompile of register-blocked products whose zero
// init is shared with another product (CSE merges identical fills): the
// tiled product's accumulator rows were written back as rank-1 transfers,
// one-shot-bufferize took the first row's write at [0, 0] for a write of
// the whole tensor and left out the copy of the shared init, and the rows
// after the first register block read uninitialized memory (NaN, or the
// previous call's result). Gluon MLP training steps at batch 10/11 and 13/14
// hit it. See test/lowering/tile-and-vectorize-shared-init.mlir.
//
//===----------------------------------------------------------------------===//

#include "runtime/Jit.h"
#include "runtime/JitEngine.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

using namespace mxjit;

namespace {

std::string ty(std::vector<int64_t> shape) {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s + "f32>";
}

std::vector<float> filled(int64_t n, double seed) {
  std::vector<float> v(n);
  for (int64_t i = 0; i < n; ++i)
    v[i] = float(std::sin(0.37 * double(i) + seed) * 0.5);
  return v;
}

/// Runs `fn` twice on `data` (so a result that depends on the previous
/// call's output buffer shows up) and returns the second call's outputs.
std::vector<std::vector<float>>
runTwice(const std::shared_ptr<CompiledFunction> &fn,
         const std::vector<std::vector<float>> &data) {
  std::vector<HostBuffer> ins;
  for (size_t i = 0; i < data.size(); ++i) {
    HostBuffer b(fn->inputs()[i]);
    std::copy(data[i].begin(), data[i].end(), static_cast<float *>(b.data()));
    ins.push_back(std::move(b));
  }
  std::vector<const HostBuffer *> ptrs;
  for (HostBuffer &b : ins)
    ptrs.push_back(&b);
  (void)fn->run(ptrs);
  std::vector<std::vector<float>> result;
  for (HostBuffer &out : fn->run(ptrs)) {
    const float *p = static_cast<const float *>(out.data());
    result.emplace_back(p, p + out.spec().numElements());
  }
  return result;
}

void expectClose(const std::vector<std::vector<float>> &got,
                 const std::vector<std::vector<float>> &want, double tol,
                 const std::string &what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t o = 0; o < got.size(); ++o) {
    ASSERT_EQ(got[o].size(), want[o].size()) << what << " output " << o;
    for (size_t i = 0; i < got[o].size(); ++i)
      ASSERT_NEAR(got[o][i], want[o][i], tol * (1 + std::fabs(want[o][i])))
          << what << " output " << o << " element " << i;
  }
}

// The reduced function: dot, relu, dot (relu fused into it, so it stays a
// generic reading the shared init after the first, blocked, product), and
// the transpose_a weight gradient.
const char *reduced = R"(
func.func @reduced(%a: tensor<10x10xf32>, %b: tensor<10x16xf32>,
                   %c: tensor<16x16xf32>, %x: tensor<10x20xf32>)
    -> (tensor<10x16xf32>, tensor<16x20xf32>) {
  %0 = mx.dot %a, %b : (tensor<10x10xf32>, tensor<10x16xf32>) -> tensor<10x16xf32>
  %1 = mx.relu %0 : tensor<10x16xf32>
  %2 = mx.dot %1, %c : (tensor<10x16xf32>, tensor<16x16xf32>) -> tensor<10x16xf32>
  %3 = mx.dot %2, %x {transpose_a = true} : (tensor<10x16xf32>, tensor<10x20xf32>) -> tensor<16x20xf32>
  return %2, %3 : tensor<10x16xf32>, tensor<16x20xf32>
}
)";

std::vector<float> matmul(const std::vector<float> &a,
                          const std::vector<float> &b, int64_t m, int64_t n,
                          int64_t k, bool transposeA) {
  std::vector<float> c(m * n, 0.f);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double sum = 0;
      for (int64_t l = 0; l < k; ++l)
        sum += double(transposeA ? a[l * m + i] : a[i * k + l]) * b[l * n + j];
      c[i * n + j] = float(sum);
    }
  return c;
}

TEST(ContractionSharedInit, ReducedMatchesReference) {
  std::vector<std::vector<float>> data = {filled(100, 1), filled(160, 2),
                                          filled(256, 3), filled(200, 4)};
  std::vector<float> ab = matmul(data[0], data[1], 10, 16, 10, false);
  for (float &v : ab)
    v = std::max(v, 0.f);
  std::vector<float> abc = matmul(ab, data[2], 10, 16, 16, false);
  std::vector<std::vector<float>> want = {
      abc, matmul(abc, data[3], 16, 20, 10, /*transposeA=*/true)};

  Jit jit;
  for (int vectorize : {0, 1})
    for (int fuse : {0, 1})
      for (int plan : {0, 1})
        for (int parallel : {0, 1}) {
          CompileOptions o;
          if (!vectorize)
            o.vectorWidth = 0;
          o.fuseElementwise = fuse;
          o.planMemory = plan;
          o.parallelize = parallel;
          std::ostringstream what;
          what << "vectorize=" << vectorize << " fuse=" << fuse
               << " plan=" << plan << " parallel=" << parallel;
          expectClose(runTwice(jit.getSource(reduced, "reduced", o), data),
                      want, 1e-5, what.str());
        }
}

/// One MLP layer pair's forward and backward over batch `b`, with the
/// contraction forms a training step uses: fully_connected, dot,
/// transpose_a (weight gradients), transpose_b, batch_dot, and elementwise
/// producers (relu mask) and a batch reduction around them.
std::string mlpStep(int64_t b, int64_t d, int64_t h, int64_t o) {
  std::ostringstream s;
  s << "func.func @step(%x: " << ty({b, d}) << ", %w: " << ty({h, d})
    << ", %bias: " << ty({h}) << ", %w2: " << ty({o, h}) << ", %b2: " << ty({o})
    << ", %gz: " << ty({b, o}) << ", %w3: " << ty({d, h})
    << ", %u: " << ty({2, b, h}) << ", %v: " << ty({2, h, d}) << ") -> ("
    << ty({b, o}) << ", " << ty({h, d}) << ", " << ty({b, d}) << ", "
    << ty({o, h}) << ", " << ty({h}) << ", " << ty({b, d}) << ", "
    << ty({2, b, d}) << ") {\n"
    << "  %y = mx.fully_connected %x, %w, %bias {num_hidden = " << h
    << " : i64} : (" << ty({b, d}) << ", " << ty({h, d}) << ", " << ty({h})
    << ") -> " << ty({b, h}) << "\n"
    << "  %r = mx.relu %y : " << ty({b, h}) << "\n"
    << "  %z = mx.fully_connected %r, %w2, %b2 {num_hidden = " << o
    << " : i64} : (" << ty({b, h}) << ", " << ty({o, h}) << ", " << ty({o})
    << ") -> " << ty({b, o}) << "\n"
    << "  %dr = mx.dot %gz, %w2 : (" << ty({b, o}) << ", " << ty({o, h})
    << ") -> " << ty({b, h}) << "\n"
    << "  %m = mx.greater_scalar %y, 0.0 : " << ty({b, h}) << "\n"
    << "  %dy = mx.multiply %dr, %m : (" << ty({b, h}) << ", " << ty({b, h})
    << ") -> " << ty({b, h}) << "\n"
    << "  %dw = mx.dot %dy, %x {transpose_a = true} : (" << ty({b, h}) << ", "
    << ty({b, d}) << ") -> " << ty({h, d}) << "\n"
    << "  %dx = mx.dot %dy, %w : (" << ty({b, h}) << ", " << ty({h, d})
    << ") -> " << ty({b, d}) << "\n"
    << "  %dw2 = mx.dot %gz, %r {transpose_a = true} : (" << ty({b, o}) << ", "
    << ty({b, h}) << ") -> " << ty({o, h}) << "\n"
    << "  %db = mx.sum %dy {axis = array<i64: 0>} : (" << ty({b, h}) << ") -> "
    << ty({h}) << "\n"
    << "  %t = mx.dot %dy, %w3 {transpose_b = true} : (" << ty({b, h}) << ", "
    << ty({d, h}) << ") -> " << ty({b, d}) << "\n"
    << "  %bd = mx.batch_dot %u, %v : (" << ty({2, b, h}) << ", "
    << ty({2, h, d}) << ") -> " << ty({2, b, d}) << "\n"
    << "  return %z, %dw, %dx, %dw2, %db, %t, %bd : " << ty({b, o}) << ", "
    << ty({h, d}) << ", " << ty({b, d}) << ", " << ty({o, h}) << ", " << ty({h})
    << ", " << ty({b, d}) << ", " << ty({2, b, d}) << "\n}\n";
  return s.str();
}

// Every batch size 1..33 with odd layer widths (around and between the
// vector width 16 and the 8-row register block), vectorized against
// vector width 0.
TEST(ContractionSharedInit, MlpStepSweepVectorizedMatchesScalar) {
  const int64_t widths[] = {5, 7, 11, 13, 17, 19, 21, 23, 31, 33, 37, 45};
  const int64_t nw = sizeof(widths) / sizeof(widths[0]);
  Jit jit;
  CompileOptions scalar;
  scalar.vectorWidth = 0;
  for (int64_t b = 1; b <= 33; ++b) {
    int64_t d = widths[b % nw], h = widths[(b * 5 + 3) % nw],
            o = widths[(b * 7 + 1) % nw];
    std::string src = mlpStep(b, d, h, o);
    std::vector<std::vector<float>> data;
    for (int64_t n :
         {b * d, h * d, h, o * h, o, b * o, d * h, 2 * b * h, 2 * h * d})
      data.push_back(filled(n, double(data.size()) + double(b)));
    std::ostringstream what;
    what << "batch " << b << " widths " << d << "-" << h << "-" << o;
    expectClose(runTwice(jit.getSource(src, "step", CompileOptions()), data),
                runTwice(jit.getSource(src, "step", scalar), data), 1e-4,
                what.str());
  }
}

} // namespace
