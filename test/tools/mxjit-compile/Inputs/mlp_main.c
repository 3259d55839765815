/* Runs the AOT-compiled MLP once on the input pattern of
   `mxjit-compile --jit-run` and prints every output value, one per line. */
#include "mlp.h"

#include <stdio.h>

static float data[MLP_DATA_SIZE];
static float out[MLP_SOFTMAX_OUTPUT_SIZE];

int main(void) {
  for (int i = 0; i < MLP_DATA_SIZE; ++i)
    data[i] = (float)(((i * 37) % 101) / 101.0 - 0.5);
  if (mlp_infer(data, out) != 0)
    return 1;
  for (int i = 0; i < MLP_SOFTMAX_OUTPUT_SIZE; ++i)
    printf("%.9g\n", out[i]);
  /* A null buffer is reported, not dereferenced. */
  return mlp_infer(data, 0) == 1 ? 0 : 2;
}
