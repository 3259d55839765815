/* Runs N training steps (argv[1], default 3) of the MLP compiled with
   `mxjit-compile --train --name mlp_train` on the input pattern of
   `mxjit-compile --jit-run`: data ((i*37) % 101)/101 - 0.5, labels
   ((i*37) % 101) % 10, weights the data pattern (or, with -DINIT_PARAMS,
   mlp_train_init_params), optimizer states zero. Prints the outputs of the
   last step, then every weight, then every optimizer state, one value per
   line, as --jit-run --train does. With -DADAM the step takes Adam's states
   and the step number; with -DPLAIN (SGD without momentum) no state; with
   -DREGRESSION the graph ends in LinearRegressionOutput 'lro' and the
   labels get the data pattern. With "time N" as arguments, instead times N
   steps and prints the best and the median latency in microseconds. */
#include "mlp_train.h"

#include <stdio.h>
#include <stdlib.h>

#include "timing.h"
#include <string.h>

#ifdef REGRESSION /* LinearRegressionOutput 'lro' instead of SoftmaxOutput */
#define LABEL_SIZE MLP_TRAIN_LRO_LABEL_SIZE
#define OUT_SIZE MLP_TRAIN_LRO_OUTPUT_SIZE
#else
#define LABEL_SIZE MLP_TRAIN_SOFTMAX_LABEL_SIZE
#define OUT_SIZE MLP_TRAIN_SOFTMAX_OUTPUT_SIZE
#endif
static float data[MLP_TRAIN_DATA_SIZE], label[LABEL_SIZE];
static float out[OUT_SIZE];
static float w1[MLP_TRAIN_FC1_WEIGHT_SIZE], b1[MLP_TRAIN_FC1_BIAS_SIZE];
static float w2[MLP_TRAIN_FC2_WEIGHT_SIZE], b2[MLP_TRAIN_FC2_BIAS_SIZE];
static float w3[MLP_TRAIN_FC3_WEIGHT_SIZE], b3[MLP_TRAIN_FC3_BIAS_SIZE];
static float *weights[] = {w1, b1, w2, b2, w3, b3};
static const int sizes[] = {MLP_TRAIN_FC1_WEIGHT_SIZE, MLP_TRAIN_FC1_BIAS_SIZE,
                            MLP_TRAIN_FC2_WEIGHT_SIZE, MLP_TRAIN_FC2_BIAS_SIZE,
                            MLP_TRAIN_FC3_WEIGHT_SIZE, MLP_TRAIN_FC3_BIAS_SIZE};
#if defined(ADAM)
#define STATES 2
#elif defined(PLAIN) /* SGD without momentum: no state */
#define STATES 0
#else
#define STATES 1
#endif
/* Per weight, its optimizer states (momentum; or Adam's mean and var). */
static float *states[6][STATES > 0 ? STATES : 1];

static void fill(float *p, int n) {
  for (int i = 0; i < n; ++i)
    p[i] = (float)(((i * 37) % 101) / 101.0 - 0.5);
}

static void print(const float *p, int n) {
  for (int i = 0; i < n; ++i)
    printf("%.9g\n", p[i]);
}

static int step(long t) {
  float **s = &states[0][0];
#ifdef ADAM
  return mlp_train_train_step(data, label, w1, b1, w2, b2, w3, b3, s[0], s[1],
                              s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9],
                              s[10], s[11], t, out);
#elif defined(PLAIN)
  (void)t;
  (void)s;
  return mlp_train_train_step(data, label, w1, b1, w2, b2, w3, b3, out);
#else
  (void)t;
  return mlp_train_train_step(data, label, w1, b1, w2, b2, w3, b3, s[0], s[1],
                              s[2], s[3], s[4], s[5], out);
#endif
}

int main(int argc, char **argv) {
  fill(data, MLP_TRAIN_DATA_SIZE);
#ifdef REGRESSION
  fill(label, LABEL_SIZE);
#else
  for (int i = 0; i < LABEL_SIZE; ++i)
    label[i] = (float)(((i * 37) % 101) % 10);
#endif
#ifdef INIT_PARAMS
  if (mlp_train_init_params(w1, b1, w2, b2, w3, b3) != 0)
    return 1;
#else
  for (int w = 0; w < 6; ++w)
    fill(weights[w], sizes[w]);
#endif
  for (int w = 0; w < 6; ++w)
    for (int k = 0; k < STATES; ++k)
      states[w][k] = calloc(sizes[w], sizeof(float));
  if (argc > 2 && strcmp(argv[1], "time") == 0) {
    int n = atoi(argv[2]);
    double *us = malloc(sizeof(double) * n);
    step(1); /* warm up */
    for (int i = 0; i < n; ++i) {
      double start = now_us();
      step(i + 2);
      us[i] = now_us() - start;
    }
    qsort(us, n, sizeof(double), by_value);
    printf("steps: %d best: %.1f us median: %.1f us\n", n, us[0], us[n / 2]);
    return 0;
  }
  int steps = argc > 1 ? atoi(argv[1]) : 3;
  for (int t = 1; t <= steps; ++t)
    if (step(t) != 0)
      return 1;
  if (mlp_train_train_step(data, label, w1, b1, w2, b2, w3, b3,
#if defined(ADAM)
                           NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                           NULL, NULL, NULL, 1,
#elif !defined(PLAIN)
                           NULL, NULL, NULL, NULL, NULL, NULL,
#endif
                           NULL) != 1)
    return 2; /* a null pointer must be refused */
  print(out, OUT_SIZE);
  for (int w = 0; w < 6; ++w)
    print(weights[w], sizes[w]);
  for (int w = 0; w < 6; ++w)
    for (int k = 0; k < STATES; ++k)
      print(states[w][k], sizes[w]);
  return 0;
}
