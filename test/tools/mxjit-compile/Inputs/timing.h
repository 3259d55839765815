/* Timing helpers of the test drivers' timing modes. */
#ifndef MXJIT_TEST_TIMING_H
#define MXJIT_TEST_TIMING_H

#include <time.h>

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/* qsort comparator for doubles. */
static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

#endif
