/* model_loader LIB.so NAME
 *
 * Loads a model library built from TestSupport's vector-add module, reads
 * its descriptor through mnn_model_descriptor() with the C compiler's view
 * of model_api.h (so it checks the struct layout the back end emitted for
 * the target this program is compiled for), runs it through the descriptor
 * and through the exported NAME_* functions, and prints "OK" on success.
 * Built for the host and for AArch64 (run under qemu-aarch64). */
#include "mnn/model_api.h"

#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

typedef int (*create_fn)(const mnn_options*, mnn_model**, mnn_status*);
typedef int (*run_fn)(mnn_model*, const void* const*, void* const*,
                      mnn_status*);
typedef void (*destroy_fn)(mnn_model*);
typedef const mnn_model_desc* (*descriptor_fn)(void);

static int failures = 0;

#define CHECK(cond)                                               \
  do {                                                            \
    if (!(cond)) {                                                \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,      \
              __LINE__, #cond);                                   \
      ++failures;                                                 \
    }                                                             \
  } while (0)

static void check_tensor(const mnn_tensor_desc* t, const char* name) {
  CHECK(strcmp(t->name, name) == 0);
  CHECK(t->dtype == MNN_DTYPE_F32);
  CHECK(t->layout == MNN_LAYOUT_ROW_MAJOR);
  CHECK(t->rank == 1);
  CHECK(t->shape[0] == 4);
  CHECK(t->shape[1] == 0 && t->shape[MNN_MAX_RANK - 1] == 0);
  CHECK(t->num_elements == 4);
  CHECK(t->size_bytes == 16);
}

static void run_and_check(create_fn create, run_fn run, destroy_fn destroy) {
  static const float a[4] = {1, 2, 3, 4};
  static const float b[4] = {10, 20, 30, 40};
  float out[4] = {0, 0, 0, 0};
  const void* inputs[2];
  void* outputs[1];
  mnn_options options = MNN_OPTIONS_INIT;
  mnn_model* model = NULL;
  mnn_status status;
  int i;
  inputs[0] = a;
  inputs[1] = b;
  outputs[0] = out;
  CHECK(create(&options, &model, &status) == MNN_OK);
  if (!model)
    return;
  CHECK(run(model, inputs, outputs, &status) == MNN_OK);
  for (i = 0; i < 4; ++i)
    CHECK(fabsf(out[i] - (a[i] + b[i] + 0.5f)) < 1e-6f);
  printf("out = %g %g %g %g\n", out[0], out[1], out[2], out[3]);
  destroy(model);
}

int main(int argc, char** argv) {
  void* lib;
  descriptor_fn descriptor;
  const mnn_model_desc* desc;
  char symbol[128];
  if (argc != 3) {
    fprintf(stderr, "usage: %s LIB.so NAME\n", argv[0]);
    return 2;
  }
  lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return 1;
  }
  descriptor = (descriptor_fn)dlsym(lib, MNN_MODEL_DESCRIPTOR_SYMBOL);
  CHECK(descriptor != NULL);
  if (!descriptor)
    return 1;
  desc = descriptor();
  CHECK(desc->abi_version == MNN_ABI_VERSION);
  CHECK(strcmp(desc->name, argv[2]) == 0);
  printf("model %s, target %s, %u inputs, %u outputs, arena %llu\n",
         desc->name, desc->target, desc->num_inputs, desc->num_outputs,
         (unsigned long long)desc->arena_bytes);
  CHECK(desc->num_inputs == 2);
  CHECK(desc->num_outputs == 1);
  CHECK(desc->arena_bytes == 64);
  check_tensor(&desc->inputs[0], "a");
  check_tensor(&desc->inputs[1], "b");
  check_tensor(&desc->outputs[0], "sum");
  run_and_check(desc->create, desc->run, desc->destroy);

  snprintf(symbol, sizeof(symbol), "%s_descriptor", argv[2]);
  CHECK(dlsym(lib, symbol) != NULL &&
        ((descriptor_fn)dlsym(lib, symbol))() == desc);
  {
    create_fn create;
    run_fn run;
    destroy_fn destroy;
    snprintf(symbol, sizeof(symbol), "%s_create", argv[2]);
    create = (create_fn)dlsym(lib, symbol);
    snprintf(symbol, sizeof(symbol), "%s_run", argv[2]);
    run = (run_fn)dlsym(lib, symbol);
    snprintf(symbol, sizeof(symbol), "%s_destroy", argv[2]);
    destroy = (destroy_fn)dlsym(lib, symbol);
    CHECK(create && run && destroy);
    if (create && run && destroy)
      run_and_check(create, run, destroy);
  }
  CHECK(dlsym(lib, "__mnn_entry") == NULL);
  CHECK(dlsym(lib, "mnnrt_create") == NULL);
  dlclose(lib);
  if (failures) {
    fprintf(stderr, "%d checks failed\n", failures);
    return 1;
  }
  printf("OK\n");
  return 0;
}
