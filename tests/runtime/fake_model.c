/* A fake compiled model for the runtime and mnn-run tests; see fake_model.h.
 * Built with -fvisibility=hidden: in a .so only mnn_model_descriptor (from
 * the runtime) is exported. */
#include "fake_model.h"

#include <string.h>

#include "mnn/runtime_abi.h"

uint8_t* fake_model_last_arena;
void* fake_model_last_pool;
int fake_model_calls;

#ifdef FAKE_MODEL_BAD_ABI
#define FAKE_ABI 99
#else
#define FAKE_ABI MNN_ABI_VERSION
#endif

#ifndef FAKE_MODEL_SINGLE_INPUT

static const mnn_tensor_desc kInputs[2] = {
    {"a", MNN_DTYPE_F32, MNN_LAYOUT_ROW_MAJOR, 2, {2, 3}, 6, 24},
    {"b", MNN_DTYPE_F32, MNN_LAYOUT_ROW_MAJOR, 2, {2, 3}, 6, 24},
};
static const mnn_tensor_desc kOutputs[1] = {
    {"sum", MNN_DTYPE_F32, MNN_LAYOUT_ROW_MAJOR, 2, {2, 3}, 6, 24},
};

typedef struct add_ctx {
  const float* a;
  const float* b;
  float* y;
} add_ctx;

static void add_task(void* ctx, int64_t begin, int64_t end) {
  const add_ctx* c = (const add_ctx*)ctx;
  for (int64_t i = begin; i < end; ++i) c->y[i] = c->a[i] + c->b[i];
}

__attribute__((visibility("hidden"))) void __mnn_entry(
    void* const* inputs, void* const* outputs, uint8_t* arena, void* pool) {
  fake_model_last_arena = arena;
  fake_model_last_pool = pool;
  ++fake_model_calls;
  memset(arena, 0x5A, FAKE_MODEL_ARENA_BYTES); /* the arena must be usable */
  add_ctx ctx = {(const float*)inputs[0], (const float*)inputs[1],
                 (float*)outputs[0]};
  mnnrt_parallel_for(pool, 6, add_task, &ctx);
}

#define FAKE_NAME "fake_add"
#define FAKE_NUM_INPUTS 2

#else /* FAKE_MODEL_SINGLE_INPUT */

static const mnn_tensor_desc kInputs[1] = {
    {"x", MNN_DTYPE_I32, MNN_LAYOUT_ROW_MAJOR, 1, {4}, 4, 16},
};
static const mnn_tensor_desc kOutputs[1] = {
    {"out/double", MNN_DTYPE_I32, MNN_LAYOUT_ROW_MAJOR, 1, {4}, 4, 16},
};

__attribute__((visibility("hidden"))) void __mnn_entry(
    void* const* inputs, void* const* outputs, uint8_t* arena, void* pool) {
  fake_model_last_arena = arena;
  fake_model_last_pool = pool;
  ++fake_model_calls;
  const int32_t* x = (const int32_t*)inputs[0];
  int32_t* y = (int32_t*)outputs[0];
  for (int i = 0; i < 4; ++i) y[i] = 2 * x[i];
}

#define FAKE_NAME "fake_single"
#define FAKE_NUM_INPUTS 1

#endif

__attribute__((visibility("hidden"))) const uint64_t __mnn_thread_scratch_bytes = 0;

__attribute__((visibility("hidden"))) const mnn_model_desc __mnn_model_desc = {
    FAKE_ABI,
    FAKE_NAME,
#if defined(__aarch64__)
    "aarch64",
#else
    "x86_64",
#endif
    FAKE_NUM_INPUTS,
    1,
    kInputs,
    kOutputs,
    FAKE_MODEL_ARENA_BYTES,
    mnnrt_create,
    mnnrt_run,
    mnnrt_destroy,
};
