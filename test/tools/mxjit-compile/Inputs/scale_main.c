/* Runs Inputs/scale.mlir, compiled ahead of time, on the input pattern of
   `mxjit-compile --jit-run`; prints every output value, one per line. */
#include "scale.h"

#include <stdio.h>

static void fill(float *p, int n) {
  for (int i = 0; i < n; ++i)
    p[i] = (float)(((i * 37) % 101) / 101.0 - 0.5);
}

int main(void) {
  float x[SCALE_ARG0_SIZE], w[SCALE_ARG1_SIZE], b[SCALE_ARG2_SIZE];
  float y[SCALE_OUTPUT0_SIZE], sum[SCALE_OUTPUT1_SIZE];
  fill(x, SCALE_ARG0_SIZE);
  fill(w, SCALE_ARG1_SIZE);
  fill(b, SCALE_ARG2_SIZE);
  if (scale_infer(x, w, b, y, sum) != 0)
    return 1;
  for (int i = 0; i < SCALE_OUTPUT0_SIZE; ++i)
    printf("%.9g\n", y[i]);
  printf("%.9g\n", sum[0]);
  return 0;
}
