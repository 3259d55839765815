/* Runs N SGD steps (argv[1]) of LeNet compiled with `mxjit-compile --train
   --name lenet_train --params ...` on the pattern of `mxjit-compile
   --jit-run`: data ((i*37) % 101)/101 - 0.5, labels ((i*37) % 101) % 10,
   weights from lenet_train_init_params, momenta zero. Prints the outputs of
   the last step, then every weight, then every momentum, one value per
   line, as --jit-run --train does. */
#include "lenet_train.h"

#include <stdio.h>
#include <stdlib.h>

#define P(NAME) LENET_TRAIN_##NAME##_SIZE
static const int sizes[8] = {
    P(CONVOLUTION0_WEIGHT),    P(CONVOLUTION0_BIAS),
    P(CONVOLUTION1_WEIGHT),    P(CONVOLUTION1_BIAS),
    P(FULLYCONNECTED0_WEIGHT), P(FULLYCONNECTED0_BIAS),
    P(FULLYCONNECTED1_WEIGHT), P(FULLYCONNECTED1_BIAS)};
static float data[P(DATA)], label[P(SOFTMAX_LABEL)], out[P(SOFTMAX_OUTPUT)];

static void print(const float *p, int n) {
  for (int i = 0; i < n; ++i)
    printf("%.9g\n", p[i]);
}

int main(int argc, char **argv) {
  float *w[8], *m[8];
  for (int i = 0; i < P(DATA); ++i)
    data[i] = (float)(((i * 37) % 101) / 101.0 - 0.5);
  for (int i = 0; i < P(SOFTMAX_LABEL); ++i)
    label[i] = (float)(((i * 37) % 101) % 10);
  for (int k = 0; k < 8; ++k) {
    w[k] = malloc(sizes[k] * sizeof(float));
    m[k] = calloc(sizes[k], sizeof(float));
  }
  if (lenet_train_init_params(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]) !=
      0)
    return 1;
  int steps = argc > 1 ? atoi(argv[1]) : 3;
  for (int t = 0; t < steps; ++t)
    if (lenet_train_train_step(data, label, w[0], w[1], w[2], w[3], w[4], w[5],
                               w[6], w[7], m[0], m[1], m[2], m[3], m[4], m[5],
                               m[6], m[7], out) != 0)
      return 1;
  print(out, P(SOFTMAX_OUTPUT));
  for (int k = 0; k < 8; ++k)
    print(w[k], sizes[k]);
  for (int k = 0; k < 8; ++k)
    print(m[k], sizes[k]);
  return 0;
}
