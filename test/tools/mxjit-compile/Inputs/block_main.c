/* Runs the AOT-compiled ResNet block (BatchNorm, convolutions, a strided
   shortcut) on the input pattern of `mxjit-compile --jit-run`; prints every
   output value, one per line. */
#include "block.h"

#include <stdio.h>

static float data[BLOCK_DATA_SIZE];
static float out[BLOCK__PLUS0_OUTPUT_SIZE];

int main(void) {
  for (int i = 0; i < BLOCK_DATA_SIZE; ++i)
    data[i] = (float)(((i * 37) % 101) / 101.0 - 0.5);
  if (block_infer(data, out) != 0)
    return 1;
  for (int i = 0; i < BLOCK__PLUS0_OUTPUT_SIZE; ++i)
    printf("%.9g\n", out[i]);
  return 0;
}
