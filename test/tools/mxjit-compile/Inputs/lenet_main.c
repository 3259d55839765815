/* Runs the AOT-compiled LeNet on the input pattern of
   `mxjit-compile --jit-run` and prints every output value, one per line.
   With an argument N, instead times N calls and prints the best and the
   median latency in microseconds. */
#include "lenet.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static float data[LENET_DATA_SIZE];
static float out[LENET_SOFTMAX_OUTPUT_SIZE];

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  for (int i = 0; i < LENET_DATA_SIZE; ++i)
    data[i] = (float)(((i * 37) % 101) / 101.0 - 0.5);
  if (argc > 1) {
    int n = atoi(argv[1]);
    if (n < 1)
      return 1;
    double *us = malloc(sizeof(double) * n);
    lenet_infer(data, out); /* warm up */
    for (int i = 0; i < n; ++i) {
      double start = now_us();
      lenet_infer(data, out);
      us[i] = now_us() - start;
    }
    qsort(us, n, sizeof(double), by_value);
    printf("calls: %d best: %.1f us median: %.1f us\n", n, us[0], us[n / 2]);
    free(us);
    return 0;
  }
  if (lenet_infer(data, out) != 0)
    return 1;
  for (int i = 0; i < LENET_SOFTMAX_OUTPUT_SIZE; ++i)
    printf("%.9g\n", out[i]);
  return 0;
}
