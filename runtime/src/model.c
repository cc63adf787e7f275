/* The model handle: mnnrt_create / mnnrt_run / mnnrt_destroy.
 *
 * Every model .so links this file with exactly one compiled model, whose
 * network and descriptor the compiler emits as the hidden symbols
 * __mnn_entry and __mnn_model_desc (see mnn/runtime_abi.h). The only symbol
 * this file exports is mnn_model_descriptor().
 *
 * A handle owns its thread pool and, unless the caller passed one, its arena.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mnn/model_api.h"
#include "mnn/runtime_abi.h"
#include "thread_pool.h"

extern void __mnn_entry(void* const* inputs, void* const* outputs,
                        uint8_t* arena, void* pool)
    __attribute__((visibility("hidden")));
extern const mnn_model_desc __mnn_model_desc
    __attribute__((visibility("hidden")));
extern const uint64_t __mnn_thread_scratch_bytes
    __attribute__((visibility("hidden")));

struct mnn_model {
  mnnrt_pool* pool;     /* NULL when the model runs on one thread */
  uint8_t* arena;       /* what __mnn_entry gets; NULL if arena_bytes is 0 */
  uint8_t* owned_arena; /* arena when allocated here, else NULL */
  /* Profile (desc->num_ops > 0 only): summed time per op, runs, and the
   * start time of the op in progress. */
  double* op_ms;
  uint64_t runs;
  double op_start_ms;
};

/* The model whose run() is on this thread's stack, for the profile hooks. */
static __thread mnn_model* running_model;

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

void mnnrt_profile_begin(int32_t op) {
  (void)op;
  if (running_model && running_model->op_ms)
    running_model->op_start_ms = now_ms();
}

void mnnrt_profile_end(int32_t op) {
  mnn_model* m = running_model;
  if (m && m->op_ms && op >= 0 && (uint32_t)op < __mnn_model_desc.num_ops)
    m->op_ms[op] += now_ms() - m->op_start_ms;
}

int mnnrt_profile(const mnn_model* model, double* op_ms, uint64_t* runs) {
  if (!model || !op_ms || !runs || !model->op_ms)
    return MNN_ERROR_INVALID_ARGUMENT;
  memcpy(op_ms, model->op_ms, __mnn_model_desc.num_ops * sizeof(double));
  *runs = model->runs;
  return MNN_OK;
}

/* Fills the optional status and returns code. */
__attribute__((format(printf, 3, 4))) static int set_status(
    mnn_status* status, mnn_status_code code, const char* fmt, ...) {
  if (status) {
    status->code = code;
    va_list args;
    va_start(args, fmt);
    vsnprintf(status->message, sizeof(status->message), fmt, args);
    va_end(args);
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

static const char* tensor_name(const mnn_tensor_desc* t) {
  return t->name ? t->name : "?";
}

int mnnrt_create(const mnn_options* options, mnn_model** model,
                 mnn_status* status) {
  if (!model) {
    return set_status(status, MNN_ERROR_INVALID_ARGUMENT,
                      "create: the model out-pointer is NULL");
  }
  *model = NULL;

  const mnn_model_desc* desc = &__mnn_model_desc;
  if (desc->abi_version != MNN_ABI_VERSION) {
    return set_status(status, MNN_ERROR_INTERNAL,
                      "create: model built for ABI version %u, runtime is "
                      "version %d",
                      (unsigned)desc->abi_version, MNN_ABI_VERSION);
  }

  mnn_options opts = MNN_OPTIONS_INIT;
  if (options) opts = *options;
  if (opts.num_threads < 0 || opts.num_threads > MNNRT_MAX_THREADS) {
    return set_status(status, MNN_ERROR_INVALID_ARGUMENT,
                      "create: num_threads is %d; expected 0 (meaning 1) "
                      "to %d",
                      (int)opts.num_threads, MNNRT_MAX_THREADS);
  }
  int32_t num_threads = opts.num_threads == 0 ? 1 : opts.num_threads;

  uint64_t need = desc->arena_bytes;
  if (opts.arena) {
    if (opts.arena_size < need) {
      return set_status(status, MNN_ERROR_INVALID_ARGUMENT,
                        "create: caller arena is %llu bytes; the model needs "
                        "%llu",
                        (unsigned long long)opts.arena_size,
                        (unsigned long long)need);
    }
    if ((uintptr_t)opts.arena % MNN_ARENA_ALIGNMENT != 0) {
      return set_status(status, MNN_ERROR_INVALID_ARGUMENT,
                        "create: caller arena %p is not %d-byte aligned",
                        opts.arena, MNN_ARENA_ALIGNMENT);
    }
  }

  mnn_model* m = (mnn_model*)calloc(1, sizeof(*m));
  if (!m) {
    return set_status(status, MNN_ERROR_OUT_OF_MEMORY,
                      "create: out of memory for the model handle");
  }

  if (opts.arena) {
    m->arena = (uint8_t*)opts.arena;
  } else if (need > 0) {
    uint64_t rounded = (need + MNN_ARENA_ALIGNMENT - 1) /
                       MNN_ARENA_ALIGNMENT * MNN_ARENA_ALIGNMENT;
    void* mem = NULL;
    if (rounded < need || rounded > SIZE_MAX ||
        posix_memalign(&mem, MNN_ARENA_ALIGNMENT, (size_t)rounded) != 0) {
      free(m);
      return set_status(status, MNN_ERROR_OUT_OF_MEMORY,
                        "create: cannot allocate the %llu-byte arena",
                        (unsigned long long)need);
    }
    m->owned_arena = (uint8_t*)mem;
    m->arena = m->owned_arena;
  }

  if (__mnn_model_desc.num_ops > 0) {
    m->op_ms = (double*)calloc(__mnn_model_desc.num_ops, sizeof(double));
    if (!m->op_ms) {
      mnnrt_destroy(m);
      return set_status(status, MNN_ERROR_OUT_OF_MEMORY,
                        "create: out of memory for the profile");
    }
  }

  if (num_threads > 1) {
    int err = mnnrt_pool_create(num_threads, &m->pool);
    if (err != 0) {
      mnnrt_destroy(m);
      return set_status(status, MNN_ERROR_INTERNAL,
                        "create: cannot start %d threads (errno %d)",
                        (int)num_threads, err);
    }
    if (mnnrt_pool_reserve_scratch(m->pool, __mnn_thread_scratch_bytes) != 0) {
      mnnrt_destroy(m);
      return set_status(status, MNN_ERROR_OUT_OF_MEMORY,
                        "create: cannot allocate %llu bytes of scratch for "
                        "each of %d threads",
                        (unsigned long long)__mnn_thread_scratch_bytes,
                        (int)num_threads - 1);
    }
  }

  *model = m;
  return ok(status);
}

int mnnrt_run(mnn_model* model, const void* const* inputs,
              void* const* outputs, mnn_status* status) {
  const mnn_model_desc* desc = &__mnn_model_desc;
  if (!model) {
    return set_status(status, MNN_ERROR_INVALID_ARGUMENT,
                      "run: model is NULL");
  }
  if (!inputs && desc->num_inputs > 0) {
    return set_status(status, MNN_ERROR_INVALID_ARGUMENT,
                      "run: inputs array is NULL (the model has %u inputs)",
                      (unsigned)desc->num_inputs);
  }
  if (!outputs && desc->num_outputs > 0) {
    return set_status(status, MNN_ERROR_INVALID_ARGUMENT,
                      "run: outputs array is NULL (the model has %u outputs)",
                      (unsigned)desc->num_outputs);
  }
  for (uint32_t i = 0; i < desc->num_inputs; ++i) {
    if (!inputs[i]) {
      return set_status(status, MNN_ERROR_INVALID_ARGUMENT,
                        "run: input '%s' buffer is NULL",
                        tensor_name(&desc->inputs[i]));
    }
  }
  for (uint32_t i = 0; i < desc->num_outputs; ++i) {
    if (!outputs[i]) {
      return set_status(status, MNN_ERROR_INVALID_ARGUMENT,
                        "run: output '%s' buffer is NULL",
                        tensor_name(&desc->outputs[i]));
    }
  }
  /* The entry only reads inputs; its signature is shared with outputs. */
  mnn_model* outer = running_model;
  running_model = model;
  __mnn_entry((void* const*)inputs, outputs, model->arena, model->pool);
  running_model = outer;
  model->runs++;
  return ok(status);
}

void mnnrt_destroy(mnn_model* model) {
  if (!model) return;
  mnnrt_pool_destroy(model->pool);
  free(model->op_ms);
  free(model->owned_arena);
  free(model);
}

/* The one exported symbol of every model .so (MNN_MODEL_DESCRIPTOR_SYMBOL). */
__attribute__((visibility("default"))) const mnn_model_desc*
mnn_model_descriptor(void) {
  return &__mnn_model_desc;
}
