/* Runs the AOT-compiled LeNet on the input pattern of
   `mxjit-compile --jit-run` and prints every output value, one per line.
   With an argument N, instead times N calls and prints the best and the
   median latency in microseconds. */
#include "lenet.h"

#include <stdio.h>
#include <stdlib.h>

#include "timing.h"

static float data[LENET_DATA_SIZE];
static float out[LENET_SOFTMAX_OUTPUT_SIZE];

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
