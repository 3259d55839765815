//===- Progress.cpp - the live training line
//-------------------------------===//
//
// On a terminal the line is redrawn with '\r' at most ten times a second
// (drawing every step would cost more than a small step). Redirected to a
// file or a CI log, '\r' would pile up into one huge line, so there it
// prints a plain line about ten times per epoch instead.
//
//===----------------------------------------------------------------------===//

#include "Train.h"

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace mxjit::train {

Progress::Progress(int epoch, int epochs, int64_t batches)
    : epoch_(epoch), epochs_(epochs), batches_(batches),
      every_(std::max<int64_t>(1, batches / 10)),
      tty_(isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()), lastDraw_() {}

void Progress::update(int64_t i, double loss, double acc, int64_t samples) {
  auto now = std::chrono::steady_clock::now();
  if (tty_) {
    if (i != batches_ && now - lastDraw_ < std::chrono::milliseconds(100))
      return;
    lastDraw_ = now;
    print(i, loss, acc, samples);
  } else if (i % every_ == 0 || i == batches_) {
    print(i, loss, acc, samples);
  }
}

void Progress::print(int64_t i, double loss, double acc, int64_t samples) {
  double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_)
          .count();
  double rate = secs > 0 ? samples / secs : 0;
  constexpr int kWidth = 24;
  int filled = batches_ ? static_cast<int>(kWidth * i / batches_) : kWidth;
  char bar[kWidth + 1];
  for (int k = 0; k < kWidth; ++k)
    bar[k] = k < filled ? '#' : '.';
  bar[kWidth] = 0;
  std::fprintf(stderr,
               "%sepoch %d/%d [%s] batch %lld/%lld  loss %.4f  acc %.4f  "
               "%.0f samples/s%s",
               tty_ ? "\r" : "", epoch_, epochs_, bar, (long long)i,
               (long long)batches_, loss, acc, rate, tty_ ? "\033[K" : "\n");
  std::fflush(stderr);
}

void Progress::finish() {
  if (tty_)
    std::fputc('\n', stderr);
}

} // namespace mxjit::train
