/* Public C types shared by every model compiled with mnn-compile.
 *
 * Each generated header (NAME.h) embeds this file, so an application needs
 * nothing but the header that came with its model. The guard lets several
 * model headers be included in one translation unit.
 *
 * Ownership rules, for every function of a model:
 *  - input and output buffers belong to the caller; the model never keeps them
 *    after run() returns;
 *  - a caller-provided arena (mnn_options.arena) belongs to the caller and must
 *    outlive the model handle;
 *  - one handle runs one inference at a time: calling run() on the same handle
 *    from two threads at once is not allowed (create one handle per thread).
 */
#ifndef MNN_MODEL_API_H_
#define MNN_MODEL_API_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever mnn_model_desc or the runtime ABI changes. */
#define MNN_ABI_VERSION 2
#define MNN_MAX_RANK 8
/* Arena and buffer alignment the generated code is built for. */
#define MNN_ARENA_ALIGNMENT 64
/* Name of the symbol every model .so exports (see mnn_model_descriptor_fn). */
#define MNN_MODEL_DESCRIPTOR_SYMBOL "mnn_model_descriptor"

typedef enum mnn_status_code {
  MNN_OK = 0,
  MNN_ERROR_INVALID_ARGUMENT = 1, /* NULL pointer, bad option, small arena */
  MNN_ERROR_OUT_OF_MEMORY = 2,
  MNN_ERROR_INTERNAL = 3
} mnn_status_code;

/* Optional out-parameter of every call: the code again plus a message that
 * names what was wrong. Pass NULL when the code is enough. */
typedef struct mnn_status {
  mnn_status_code code;
  char message[256];
} mnn_status;

/* Element types. Every element takes whole bytes: the sub-byte types INT4,
 * UINT4, INT2 and UINT2 take one byte each, the value in the low bits and the
 * high bits zero (as numpy's ml_dtypes stores them); BF16 and the float8
 * types hold their bits (2 and 1 bytes). Float8 names follow ONNX:
 * E4M3FN (no inf, max 448), E4M3FNUZ and E5M2FNUZ (no inf, no -0, one NaN
 * 0x80), E5M2 (IEEE-like, with inf). Codes are appended, never renumbered. */
typedef enum mnn_dtype {
  MNN_DTYPE_F32 = 1,
  MNN_DTYPE_F16 = 2,
  MNN_DTYPE_I8 = 3,
  MNN_DTYPE_U8 = 4,
  MNN_DTYPE_I32 = 5,
  MNN_DTYPE_I64 = 6,
  MNN_DTYPE_BOOL = 7,
  MNN_DTYPE_F64 = 8,
  MNN_DTYPE_I16 = 9,
  MNN_DTYPE_U16 = 10,
  MNN_DTYPE_U32 = 11,
  MNN_DTYPE_U64 = 12,
  MNN_DTYPE_BF16 = 13,
  MNN_DTYPE_F8E4M3FN = 14,
  MNN_DTYPE_F8E4M3FNUZ = 15,
  MNN_DTYPE_F8E5M2 = 16,
  MNN_DTYPE_F8E5M2FNUZ = 17,
  MNN_DTYPE_I4 = 18,
  MNN_DTYPE_U4 = 19,
  MNN_DTYPE_I2 = 20,
  MNN_DTYPE_U2 = 21
} mnn_dtype;

/* Memory layout of a buffer the caller passes or receives. Models keep the
 * layout of the source model at their interface (NCHW images stay NCHW); the
 * compiler converts to its internal layouts inside. */
typedef enum mnn_layout {
  MNN_LAYOUT_ROW_MAJOR = 0 /* dense, C order, in the model's dim order */
} mnn_layout;

typedef struct mnn_tensor_desc {
  const char* name;
  mnn_dtype dtype;
  mnn_layout layout;
  int32_t rank;
  int64_t shape[MNN_MAX_RANK];
  uint64_t num_elements;
  uint64_t size_bytes;
} mnn_tensor_desc;

typedef struct mnn_options {
  /* Threads used by run(); 0 means 1. The calling thread is one of them. */
  int32_t num_threads;
  /* Optional arena of at least desc->arena_bytes, MNN_ARENA_ALIGNMENT-aligned.
   * NULL: the model allocates its own. Its size does not depend on
   * num_threads: with more than one thread, create also allocates the
   * threads and any scratch of their own that the model needs. */
  void* arena;
  uint64_t arena_size;
} mnn_options;

#define MNN_OPTIONS_INIT {1, NULL, 0}

typedef struct mnn_model mnn_model;

typedef struct mnn_model_desc {
  uint32_t abi_version;
  const char* name;
  const char* target; /* "x86_64" or "aarch64" */
  uint32_t num_inputs;
  uint32_t num_outputs;
  const mnn_tensor_desc* inputs;
  const mnn_tensor_desc* outputs;
  uint64_t arena_bytes;
  /* The same functions as NAME_create/NAME_run/NAME_destroy of the header. */
  int (*create)(const mnn_options* options, mnn_model** model,
                mnn_status* status);
  int (*run)(mnn_model* model, const void* const* inputs,
             void* const* outputs, mnn_status* status);
  void (*destroy)(mnn_model* model);
  /* Per-op profile, for models compiled with `mnn-compile --profile` (else
   * num_ops is 0 and both pointers are NULL). op_names[i] names fused op i
   * ("node (op)"); profile() writes, for every op, the milliseconds it took
   * summed over all runs of `model` since create, and the number of runs. */
  uint32_t num_ops;
  const char* const* op_names;
  int (*profile)(const mnn_model* model, double* op_ms, uint64_t* runs);
} mnn_model_desc;

/* Type of the MNN_MODEL_DESCRIPTOR_SYMBOL function, for dlsym(). */
typedef const mnn_model_desc* (*mnn_model_descriptor_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* MNN_MODEL_API_H_ */
