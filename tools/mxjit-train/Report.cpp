//===- Report.cpp - the end-of-run summary and the training-curve SVG -----===//
//
// The SVG is written by hand so the demo needs nothing beyond the C++
// library: two panels (loss, accuracy) sharing the epoch axis, one
// polyline with markers per series.
//
//===----------------------------------------------------------------------===//

#include "Train.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace mxjit::train {
namespace {

struct Series {
  std::vector<double> values;
  const char *label, *color;
};

/// One panel at vertical offset `top`: axes, y ticks and the series.
void panel(std::ostringstream &s, double top, const char *title,
           const std::vector<Series> &series, size_t epochs) {
  const double left = 60, width = 440, height = 180;
  double lo = INFINITY, hi = -INFINITY;
  for (const Series &se : series)
    for (double v : se.values)
      lo = std::min(lo, v), hi = std::max(hi, v);
  if (!(lo <= hi))
    lo = 0, hi = 1;
  // Pad the range so flat curves stay visible and points avoid the frame.
  double pad = std::max((hi - lo) * 0.1, 1e-3);
  lo -= pad, hi += pad;
  auto x = [&](size_t i) {
    return epochs > 1 ? left + width * i / (epochs - 1) : left + width / 2;
  };
  auto y = [&](double v) { return top + height * (hi - v) / (hi - lo); };

  s << "<text x='" << left << "' y='" << top - 8
    << "' font-size='13' font-weight='bold'>" << title << "</text>\n";
  s << "<rect x='" << left << "' y='" << top << "' width='" << width
    << "' height='" << height << "' fill='none' stroke='#888'/>\n";
  for (int t = 0; t <= 4; ++t) {
    double v = lo + (hi - lo) * t / 4;
    s << "<line x1='" << left << "' x2='" << left + width << "' y1='" << y(v)
      << "' y2='" << y(v) << "' stroke='#eee'/>\n";
    char label[32];
    std::snprintf(label, sizeof label, "%.3f", v);
    s << "<text x='" << left - 6 << "' y='" << y(v) + 4
      << "' font-size='10' text-anchor='end'>" << label << "</text>\n";
  }
  for (size_t i = 0; i < epochs; ++i)
    s << "<text x='" << x(i) << "' y='" << top + height + 14
      << "' font-size='10' text-anchor='middle'>" << i + 1 << "</text>\n";
  // The legend sits on the title row, right-aligned, so it never covers
  // the curves (accuracy ends top right).
  double legendX = left + width;
  for (auto it = series.rbegin(); it != series.rend(); ++it) {
    s << "<text x='" << legendX << "' y='" << top - 8
      << "' font-size='11' text-anchor='end' fill='" << it->color << "'>"
      << it->label << "</text>\n";
    legendX -= 7.0 * std::string(it->label).size() + 16;
  }
  for (const Series &se : series) {
    s << "<polyline fill='none' stroke-width='2' stroke='" << se.color
      << "' points='";
    for (size_t i = 0; i < se.values.size(); ++i)
      s << x(i) << ',' << y(se.values[i]) << ' ';
    s << "'/>\n";
    for (size_t i = 0; i < se.values.size(); ++i)
      s << "<circle r='3' fill='" << se.color << "' cx='" << x(i) << "' cy='"
        << y(se.values[i]) << "'/>\n";
  }
}

} // namespace

bool writeCurveSvg(const std::string &path, const std::vector<EpochStats> &e,
                   const std::string &title) {
  Series loss{{}, "train loss", "#c0392b"};
  Series trainAcc{{}, "train accuracy", "#2980b9"};
  Series testAcc{{}, "test accuracy", "#27ae60"};
  for (const EpochStats &s : e) {
    loss.values.push_back(s.trainLoss);
    trainAcc.values.push_back(s.trainAcc);
    testAcc.values.push_back(s.testAcc);
  }
  std::ostringstream s;
  s << "<svg xmlns='http://www.w3.org/2000/svg' width='540' height='520' "
       "font-family='sans-serif'>\n<rect width='540' height='520' "
       "fill='white'/>\n";
  s << "<text x='270' y='20' font-size='14' text-anchor='middle'>" << title
    << "</text>\n";
  panel(s, 50, "loss", {loss}, e.size());
  panel(s, 300, "accuracy", {trainAcc, testAcc}, e.size());
  s << "<text x='280' y='510' font-size='11' text-anchor='middle'>epoch"
       "</text>\n</svg>\n";
  std::ofstream out(path);
  out << s.str();
  return static_cast<bool>(out.flush());
}

double steadyStepMs(const std::vector<double> &stepMs, int64_t perEpoch) {
  // Skip the warm-up: compiles happen on the first steps (forward,
  // backward and each optimizer update compile once per shape).
  size_t skip = std::min<size_t>(
      stepMs.size() / 2, static_cast<size_t>(std::min<int64_t>(perEpoch, 20)));
  std::vector<double> v(stepMs.begin() + skip, stepMs.end());
  if (v.empty())
    return 0;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

void printReport(const RunSummary &s) {
  int64_t perEpoch =
      s.epochs.empty()
          ? 0
          : static_cast<int64_t>(s.stepMs.size() / s.epochs.size());
  std::printf("\n== mxjit-train report ==\n");
  std::printf("model %s, optimizer %s (lr %g), batch size %lld, %lld train / "
              "%lld test samples\n",
              s.model.c_str(), s.optimizer.c_str(), s.lr,
              (long long)s.batchSize, (long long)s.trainSamples,
              (long long)s.testSamples);
  std::printf("epoch  train loss  train acc  test acc   time\n");
  for (size_t i = 0; i < s.epochs.size(); ++i) {
    const EpochStats &e = s.epochs[i];
    std::printf("%5zu  %10.4f  %9.4f  %8.4f  %5.1f s\n", i + 1, e.trainLoss,
                e.trainAcc, e.testAcc, e.seconds);
  }
  double acc = s.epochs.empty() ? 0 : s.epochs.back().testAcc;
  std::printf("test accuracy      %.4f\n", acc);
  std::printf("step time          %.2f ms (median of steady-state steps, "
              "%zu steps)\n",
              steadyStepMs(s.stepMs, perEpoch), s.stepMs.size());
  std::printf("compile time       %.0f ms (cache: %llu hits, %llu misses)\n",
              s.compileMs, (unsigned long long)s.cacheHits,
              (unsigned long long)s.cacheMisses);
  std::printf("peak memory        %.1f MiB (ru_maxrss)\n",
              s.peakRssKb / 1024.0);
  std::printf("total time         %.1f s\n", s.totalSeconds);
  for (const std::string &f : s.files)
    std::printf("wrote              %s\n", f.c_str());
}

} // namespace mxjit::train
