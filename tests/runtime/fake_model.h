/* Test hooks of fake_model.c, a stand-in for a model compiled by
 * mnn-compile: it defines __mnn_entry and __mnn_model_desc.
 *
 * Default build: inputs a, b (float32[2,3]), output "sum" = a + b, computed
 * with mnnrt_parallel_for. FAKE_MODEL_SINGLE_INPUT: input x (int32[4]),
 * output "out/double" = 2 * x. FAKE_MODEL_BAD_ABI: abi_version 99. */
#ifndef MNN_TESTS_RUNTIME_FAKE_MODEL_H_
#define MNN_TESTS_RUNTIME_FAKE_MODEL_H_

#include <stdint.h>

#include "mnn/model_api.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FAKE_MODEL_ARENA_BYTES 256

/* What the last __mnn_entry call received, and how many calls there were. */
extern uint8_t* fake_model_last_arena;
extern void* fake_model_last_pool;
extern int fake_model_calls;

/* The descriptor under its ABI name (hidden in a .so). */
extern const mnn_model_desc __mnn_model_desc
    __attribute__((visibility("hidden")));

#ifdef __cplusplus
}
#endif

#endif /* MNN_TESTS_RUNTIME_FAKE_MODEL_H_ */
