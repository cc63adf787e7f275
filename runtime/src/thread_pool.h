/* Internal thread pool of the runtime (not part of the ABI).
 *
 * A pool of N threads is the calling thread plus N-1 pthread workers. Work is
 * handed out with mnnrt_parallel_for() (declared in mnn/runtime_abi.h), which
 * takes the pool as an opaque `void*`.
 *
 * Ownership: mnnrt_pool_create() returns a pool owned by the caller, released
 * with mnnrt_pool_destroy(). A pool runs one parallel_for at a time; a second
 * concurrent or nested call on any pool runs inline on its calling thread.
 */
#ifndef MNNRT_THREAD_POOL_H_
#define MNNRT_THREAD_POOL_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mnnrt_pool mnnrt_pool;

/* Upper bound accepted by mnnrt_pool_create (and by mnn_options). */
#define MNNRT_MAX_THREADS 256

/* Creates a pool of num_threads threads (1..MNNRT_MAX_THREADS, the caller
 * counted), starting num_threads - 1 workers. Returns 0 and sets *out_pool, or
 * an errno value (EINVAL, ENOMEM, EAGAIN, ...) and sets *out_pool to NULL. */
int mnnrt_pool_create(int32_t num_threads, mnnrt_pool** out_pool);

/* Stops and joins the workers and frees the pool. NULL is a no-op. Must not
 * be called while a parallel_for on this pool is running. */
void mnnrt_pool_destroy(mnnrt_pool* pool);

/* Threads of the pool, the caller included; 1 for NULL. */
int32_t mnnrt_pool_num_threads(const mnnrt_pool* pool);

/* Gives every worker `bytes` of scratch of its own (mnnrt_thread_scratch);
 * 0 or ENOMEM. */
int mnnrt_pool_reserve_scratch(mnnrt_pool* pool, uint64_t bytes);

#ifdef __cplusplus
}
#endif

#endif /* MNNRT_THREAD_POOL_H_ */
