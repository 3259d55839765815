/* The MLP compiled with --weights=args: every buffer the function takes,
   weights included, is filled with the pattern `mxjit-compile --jit-run`
   uses; prints every output value, one per line. */
#include "mlp_args.h"

#include <stdio.h>

static void fill(float *p, int n) {
  for (int i = 0; i < n; ++i)
    p[i] = (float)(((i * 37) % 101) / 101.0 - 0.5);
}

static float data[MLP_ARGS_DATA_SIZE];
static float w1[MLP_ARGS_FC1_WEIGHT_SIZE], b1[MLP_ARGS_FC1_BIAS_SIZE];
static float w2[MLP_ARGS_FC2_WEIGHT_SIZE], b2[MLP_ARGS_FC2_BIAS_SIZE];
static float w3[MLP_ARGS_FC3_WEIGHT_SIZE], b3[MLP_ARGS_FC3_BIAS_SIZE];
static float out[MLP_ARGS_SOFTMAX_OUTPUT_SIZE];

int main(void) {
  fill(data, MLP_ARGS_DATA_SIZE);
  fill(w1, MLP_ARGS_FC1_WEIGHT_SIZE);
  fill(b1, MLP_ARGS_FC1_BIAS_SIZE);
  fill(w2, MLP_ARGS_FC2_WEIGHT_SIZE);
  fill(b2, MLP_ARGS_FC2_BIAS_SIZE);
  fill(w3, MLP_ARGS_FC3_WEIGHT_SIZE);
  fill(b3, MLP_ARGS_FC3_BIAS_SIZE);
  if (mlp_args_infer(data, w1, b1, w2, b2, w3, b3, out) != 0)
    return 1;
  for (int i = 0; i < MLP_ARGS_SOFTMAX_OUTPUT_SIZE; ++i)
    printf("%.9g\n", out[i]);
  return 0;
}
