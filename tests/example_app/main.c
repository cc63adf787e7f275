/* digits_example [image.npy]
 *
 * Runs the digits model compiled by add_mnn_model() on one input (a float32
 * .npy file with digits_INPUT_0_NUM_ELEMENTS values, or a zero image) and
 * prints the argmax of the first output. Exit code 0 on success. */
#include "digits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if digits_NUM_INPUTS < 1 || digits_NUM_OUTPUTS < 1
#error "the example expects a model with inputs and outputs"
#endif

/* Model buffers: MNN_ARENA_ALIGNMENT-aligned, as the generated code prefers. */
static void* alloc_buffer(size_t bytes) {
  size_t rounded = (bytes + MNN_ARENA_ALIGNMENT - 1) / MNN_ARENA_ALIGNMENT *
                   MNN_ARENA_ALIGNMENT;
  void* p = aligned_alloc(MNN_ARENA_ALIGNMENT, rounded ? rounded : MNN_ARENA_ALIGNMENT);
  if (p)
    memset(p, 0, rounded ? rounded : MNN_ARENA_ALIGNMENT);
  return p;
}

/* Reads a little-endian float32, C-order .npy (format 1.x-3.x) holding
 * exactly `count` values into dst. Returns 0 on success. */
static int read_npy_f32(const char* path, float* dst, size_t count) {
  unsigned char prefix[12];
  size_t header_len, elements = 1;
  char* header;
  const char* shape;
  FILE* f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return 1;
  }
  if (fread(prefix, 1, 10, f) != 10 || memcmp(prefix, "\x93NUMPY", 6) != 0) {
    fprintf(stderr, "%s: not a .npy file\n", path);
    fclose(f);
    return 1;
  }
  if (prefix[6] == 1) {
    header_len = prefix[8] | (size_t)prefix[9] << 8;
  } else {
    if (fread(prefix + 10, 1, 2, f) != 2) {
      fclose(f);
      return 1;
    }
    header_len = prefix[8] | (size_t)prefix[9] << 8 | (size_t)prefix[10] << 16 |
                 (size_t)prefix[11] << 24;
  }
  header = (char*)malloc(header_len + 1);
  if (!header || fread(header, 1, header_len, f) != header_len) {
    fprintf(stderr, "%s: truncated header\n", path);
    free(header);
    fclose(f);
    return 1;
  }
  header[header_len] = '\0';
  if (!strstr(header, "'descr': '<f4'") || !strstr(header, "'fortran_order': False")) {
    fprintf(stderr, "%s: need little-endian float32 in C order, got %s\n", path, header);
    free(header);
    fclose(f);
    return 1;
  }
  shape = strstr(header, "'shape': (");
  if (shape) {
    const char* p = shape + strlen("'shape': (");
    while (*p && *p != ')') {
      char* end;
      unsigned long dim = strtoul(p, &end, 10);
      if (end == p) {
        ++p;
        continue;
      }
      elements *= dim;
      p = end;
    }
  }
  free(header);
  if (!shape || elements != count) {
    fprintf(stderr, "%s: has %lu values, the model wants %lu\n", path,
            (unsigned long)elements, (unsigned long)count);
    fclose(f);
    return 1;
  }
  if (fread(dst, sizeof(float), count, f) != count) {
    fprintf(stderr, "%s: truncated data\n", path);
    fclose(f);
    return 1;
  }
  fclose(f);
  return 0;
}

int main(int argc, char** argv) {
  const mnn_model_desc* desc = digits_descriptor();
  mnn_options options = MNN_OPTIONS_INIT;
  mnn_status status;
  digits_model* model = NULL;
  void* input_buffers[digits_NUM_INPUTS];
  const void* inputs[digits_NUM_INPUTS];
  void* outputs[digits_NUM_OUTPUTS];
  const float* scores;
  uint32_t i;
  size_t best = 0;
  int rc = 1;

  printf("model %s (%s): %u input(s), %u output(s), arena %llu bytes\n",
         desc->name, desc->target, desc->num_inputs, desc->num_outputs,
         (unsigned long long)digits_ARENA_BYTES);

  for (i = 0; i < digits_NUM_INPUTS; ++i)
    inputs[i] = input_buffers[i] = alloc_buffer(desc->inputs[i].size_bytes);
  for (i = 0; i < digits_NUM_OUTPUTS; ++i)
    outputs[i] = alloc_buffer(desc->outputs[i].size_bytes);

  for (i = 0; i < digits_NUM_INPUTS; ++i)
    if (!input_buffers[i])
      goto out_of_memory;
  for (i = 0; i < digits_NUM_OUTPUTS; ++i)
    if (!outputs[i])
      goto out_of_memory;

  if (argc > 1) {
    if (digits_INPUT_0_DTYPE != MNN_DTYPE_F32 ||
        read_npy_f32(argv[1], (float*)input_buffers[0],
                     digits_INPUT_0_NUM_ELEMENTS))
      goto done;
    printf("input: %s\n", argv[1]);
  } else {
    printf("input: zero image\n");
  }

  if (digits_create(&options, &model, &status) != MNN_OK) {
    fprintf(stderr, "create failed: %s\n", status.message);
    goto done;
  }
  if (digits_run(model, inputs, outputs, &status) != MNN_OK) {
    fprintf(stderr, "run failed: %s\n", status.message);
    goto done;
  }

  if (digits_OUTPUT_0_DTYPE != MNN_DTYPE_F32) {
    fprintf(stderr, "output 0 is not float32\n");
    goto done;
  }
  scores = (const float*)outputs[0];
  for (i = 1; i < digits_OUTPUT_0_NUM_ELEMENTS; ++i)
    if (scores[i] > scores[best])
      best = i;
  printf("argmax: %lu (score %g)\n", (unsigned long)best, scores[best]);
  rc = 0;
  goto done;

out_of_memory:
  fprintf(stderr, "out of memory\n");
done:
  digits_destroy(model);
  for (i = 0; i < digits_NUM_INPUTS; ++i)
    free(input_buffers[i]);
  for (i = 0; i < digits_NUM_OUTPUTS; ++i)
    free(outputs[i]);
  return rc;
}
