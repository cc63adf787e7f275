/* Compiled by codegen_tests against generated headers: vadd.h (TestSupport's
 * vector-add model) and other.h (odd names, rank 0, big arena). Must build
 * as C89 (-pedantic), C99 and C++; linked with libvadd.so it runs the model
 * through the header's API and exits 0 on success. */
#include "vadd.h"
#include "vadd.h" /* the guard makes a second include harmless */
#include "other.h" /* two model headers share model_api.h */

#include <stdio.h>
#include <string.h>

#define STATIC_CHECK(name, cond) typedef char name[(cond) ? 1 : -1]

STATIC_CHECK(vadd_inputs, vadd_NUM_INPUTS == 2);
STATIC_CHECK(vadd_outputs, vadd_NUM_OUTPUTS == 1);
STATIC_CHECK(vadd_arena, vadd_ARENA_BYTES == 64);
STATIC_CHECK(vadd_thread_scratch, vadd_THREAD_SCRATCH_BYTES == 0);
STATIC_CHECK(vadd_rank, vadd_INPUT_0_RANK == 1);
STATIC_CHECK(vadd_elements, vadd_OUTPUT_0_NUM_ELEMENTS == 4);
STATIC_CHECK(vadd_bytes, vadd_INPUT_1_SIZE_BYTES == 16);
STATIC_CHECK(other_rank0, other_OUTPUT_0_RANK == 0);
STATIC_CHECK(other_bytes, other_INPUT_0_SIZE_BYTES == 12);
STATIC_CHECK(other_arena, other_ARENA_BYTES / 1024 / 1024 / 1024 == 8);

static const int64_t vadd_shape[] = vadd_INPUT_0_SHAPE;
static const int64_t other_shape[] = other_INPUT_0_SHAPE;
static const int64_t scalar_shape[] = other_OUTPUT_0_SHAPE;
static const mnn_dtype other_dtype = other_INPUT_0_DTYPE;
static const mnn_layout vadd_layout = vadd_OUTPUT_0_LAYOUT;

int main(void) {
  float a[vadd_INPUT_0_NUM_ELEMENTS] = {1, 2, 3, 4};
  float b[vadd_INPUT_1_NUM_ELEMENTS] = {10, 20, 30, 40};
  float sum[vadd_OUTPUT_0_NUM_ELEMENTS] = {0, 0, 0, 0};
  const void* inputs[vadd_NUM_INPUTS];
  void* outputs[vadd_NUM_OUTPUTS];
  mnn_options options = MNN_OPTIONS_INIT;
  mnn_status status;
  vadd_model* model = NULL;
  const mnn_model_desc* desc;
  int i;

  if (vadd_shape[0] != 4 || other_shape[1] != 3 || scalar_shape[0] != 0 ||
      other_dtype != MNN_DTYPE_U8 || vadd_layout != MNN_LAYOUT_ROW_MAJOR ||
      vadd_INPUT_0_DTYPE != MNN_DTYPE_F32 ||
      strcmp(vadd_OUTPUT_0_NAME, "sum") != 0 ||
      strcmp(other_INPUT_0_NAME, "weird \"name\"\\ \?\?= \303\251\n") != 0 ||
      sizeof(a) != vadd_INPUT_0_SIZE_BYTES) {
    fprintf(stderr, "macro values are wrong\n");
    return 1;
  }

  inputs[0] = a;
  inputs[1] = b;
  outputs[0] = sum;
  if (vadd_create(&options, &model, &status) != MNN_OK) {
    fprintf(stderr, "create: %s\n", status.message);
    return 1;
  }
  if (vadd_run(model, inputs, outputs, &status) != MNN_OK) {
    fprintf(stderr, "run: %s\n", status.message);
    return 1;
  }
  vadd_destroy(model);
  for (i = 0; i < 4; ++i) {
    if (sum[i] != a[i] + b[i] + 0.5f) {
      fprintf(stderr, "sum[%d] = %g\n", i, sum[i]);
      return 1;
    }
  }
  desc = vadd_descriptor();
  if (strcmp(desc->name, "vadd") != 0 || desc->num_inputs != vadd_NUM_INPUTS) {
    fprintf(stderr, "descriptor is wrong\n");
    return 1;
  }
  printf("OK\n");
  return 0;
}
