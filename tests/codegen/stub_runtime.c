/* A minimal stand-in for libmnnrt.a, so codegen_tests can link and run a
 * model library without the real runtime (runtime/). It implements the
 * contract of mnn/runtime_abi.h in the simplest way: one thread, arena from
 * posix_memalign. Built for the host and, freestanding, for AArch64, hence
 * no libc headers: the few libc functions it calls are declared here. */
#include "mnn/runtime_abi.h"

#define MNN_HIDDEN __attribute__((visibility("hidden")))
#define MNN_EXPORT __attribute__((visibility("default")))

extern MNN_HIDDEN const mnn_model_desc __mnn_model_desc;
MNN_HIDDEN void __mnn_entry(void* const* inputs, void* const* outputs,
                            uint8_t* arena, void* pool);

void* malloc(size_t size);
void free(void* ptr);
int posix_memalign(void** ptr, size_t alignment, size_t size);

struct mnn_model {
  uint8_t* arena;
  int owns_arena;
};

static int fail(mnn_status* status, mnn_status_code code, const char* msg) {
  if (status) {
    size_t i = 0;
    status->code = code;
    for (; msg[i] && i + 1 < sizeof(status->message); ++i)
      status->message[i] = msg[i];
    status->message[i] = '\0';
  }
  return (int)code;
}

static int ok(mnn_status* status) {
  if (status) {
    status->code = MNN_OK;
    status->message[0] = '\0';
  }
  return MNN_OK;
}

MNN_HIDDEN int mnnrt_create(const mnn_options* options, mnn_model** model,
                            mnn_status* status) {
  uint64_t need = __mnn_model_desc.arena_bytes;
  mnn_model* m;
  if (!model)
    return fail(status, MNN_ERROR_INVALID_ARGUMENT, "model is NULL");
  *model = 0;
  m = (mnn_model*)malloc(sizeof(*m));
  if (!m)
    return fail(status, MNN_ERROR_OUT_OF_MEMORY, "out of memory");
  m->arena = 0;
  m->owns_arena = 0;
  if (options && options->arena) {
    if (options->arena_size < need) {
      free(m);
      return fail(status, MNN_ERROR_INVALID_ARGUMENT, "arena too small");
    }
    m->arena = (uint8_t*)options->arena;
  } else if (need) {
    void* p = 0;
    if (posix_memalign(&p, MNN_ARENA_ALIGNMENT, (size_t)need) != 0) {
      free(m);
      return fail(status, MNN_ERROR_OUT_OF_MEMORY, "out of memory");
    }
    m->arena = (uint8_t*)p;
    m->owns_arena = 1;
  }
  *model = m;
  return ok(status);
}

MNN_HIDDEN int mnnrt_run(mnn_model* model, const void* const* inputs,
                         void* const* outputs, mnn_status* status) {
  if (!model || (!inputs && __mnn_model_desc.num_inputs) || !outputs)
    return fail(status, MNN_ERROR_INVALID_ARGUMENT, "NULL argument");
  __mnn_entry((void* const*)(uintptr_t)inputs, outputs, model->arena, 0);
  return ok(status);
}

MNN_HIDDEN void mnnrt_destroy(mnn_model* model) {
  if (!model)
    return;
  if (model->owns_arena)
    free(model->arena);
  free(model);
}

MNN_HIDDEN void mnnrt_parallel_for(void* pool, int64_t n, mnnrt_task_fn fn,
                                   void* ctx) {
  (void)pool;
  if (n > 0)
    fn(ctx, 0, n);
}

MNN_HIDDEN int32_t mnnrt_num_threads(void* pool) {
  (void)pool;
  return 1;
}

MNN_HIDDEN uint8_t* mnnrt_thread_scratch(void* pool, uint8_t* own) {
  (void)pool;
  return own;
}

MNN_EXPORT const mnn_model_desc* mnn_model_descriptor(void) {
  return &__mnn_model_desc;
}
