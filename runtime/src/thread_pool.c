/* pthread thread pool behind mnnrt_parallel_for.
 *
 * Dispatch protocol (one job at a time per pool):
 *  - the dispatching thread writes the job (fn, ctx, n, active) and bumps
 *    `generation`;
 *  - workers notice the new generation by spinning for a short, bounded time
 *    (with a pause/yield instruction) and otherwise sleep on `work_cv`;
 *  - every thread runs the contiguous chunk of its index (the dispatcher is
 *    index 0) from its front: the same thread handles the same part of
 *    every layer's tiles, which keeps data it produced in its own caches.
 *    A worker first joins the job by storing its generation in its own
 *    `claimed_generation` (a compare-and-swap; one cache line per worker);
 *  - a thread done with its chunk takes blocks of the others' chunks from
 *    their backs (run_chunk), so nobody waits for a late or slow thread's
 *    whole chunk: a worker that was asleep takes ~110 us to run again on
 *    the VMs measured (more than many layers take), and on those VMs one
 *    vCPU often ran its chunks 10-15% slower than the other;
 *  - the dispatcher, done, also claims the slots of workers that have not
 *    joined yet (their iterations are all taken by then), so that they do
 *    not join late; such a worker goes back to waiting for the next job;
 *  - each thread that joined counts in `finished` once it finds nothing
 *    left to take and its own blocks are done; the dispatcher spins until
 *    all have, then sleeps on `done_cv`.
 * Chunks of workers with no work (n < threads) are marked claimed before
 * the job is published, so that a late worker never touches a job whose
 * fields may already belong to the next one: a claim succeeds only while
 * its chunk is unfinished, so its job is still the current one.
 * Sleepers announce themselves in `sleeping_workers` / `dispatcher_sleeping`
 * before re-checking the condition under the mutex, and wakers look at those
 * after publishing, so the mutex is taken only when somebody actually sleeps.
 * Each side puts a seq_cst fence between its store and its load (Dekker), so
 * at least one of them sees the other and no wake-up is lost. Explicit fences
 * rather than seq_cst store/load pairs: they also hold under qemu-user on an
 * x86 host, which does not order an AArch64 STLR before a later LDAR.
 */
#define _POSIX_C_SOURCE 200809L

#include "thread_pool.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mnn/runtime_abi.h"

/* How long an idle thread spins before it sleeps. Layers dispatch back to
 * back, so a short spin catches the next job without a futex round trip. */
#define MNNRT_SPIN_NS 50000u
/* Pause instructions between two clock reads while spinning. */
#define MNNRT_SPIN_BATCH 64
#define MNNRT_CACHE_LINE 64

/* The iterations of one thread's chunk not claimed yet: offsets [front,
 * back) from `base`, packed in one word (front in the low half) so that the
 * owner taking blocks from the front and thieves taking them from the back
 * agree through one compare-and-swap. */
typedef struct mnnrt_slot {
  _Alignas(MNNRT_CACHE_LINE) atomic_uint_fast64_t range;
  int64_t base;
  int64_t step; /* iterations per claim */
} mnnrt_slot;

typedef struct mnnrt_worker {
  /* The last generation whose chunk of this worker's index was claimed, by
   * the worker or by the dispatcher. */
  _Alignas(MNNRT_CACHE_LINE) atomic_uint_fast64_t claimed_generation;
  pthread_t thread;
  struct mnnrt_pool* pool;
  int32_t index; /* 1..num_threads-1; the dispatcher is 0 */
  /* This worker's scratch (mnnrt_thread_scratch), 64-byte aligned; NULL
   * until mnnrt_pool_reserve_scratch. */
  uint8_t* scratch;
} mnnrt_worker;

struct mnnrt_pool {
  int32_t num_threads; /* caller included */
  int32_t num_workers; /* workers actually started */
  /* More threads than online CPUs: spinners yield the CPU between batches,
   * so that a thread with work to do gets to run. */
  bool oversubscribed;
  mnnrt_worker* workers;
  mnnrt_slot* slots; /* one per thread, the caller's first */

  pthread_mutex_t mutex;
  pthread_cond_t work_cv; /* workers sleep here */
  pthread_cond_t done_cv; /* the dispatcher sleeps here */

  /* Written by the dispatcher once per job, read by every worker: the job
   * shares the cache line of `generation`, so a worker that sees the new
   * generation has the job in the same transfer. */
  _Alignas(MNNRT_CACHE_LINE) atomic_uint_fast64_t generation;
  mnnrt_task_fn fn;
  void* ctx;
  int32_t active; /* threads with a non-empty chunk: min(n, num_threads) */
  atomic_bool stop;

  /* Chunks of the current job finished so far. */
  _Alignas(MNNRT_CACHE_LINE) atomic_int_fast32_t finished;

  /* Rarely written: who sleeps, and whether a dispatch is running. */
  _Alignas(MNNRT_CACHE_LINE) atomic_int sleeping_workers;
  /* Set by a dispatch that woke the sleepers, cleared by the first of them
   * to run: later dispatches do not wake them again meanwhile. A woken
   * vCPU took ~110 us to run, and a broadcast per layer until then made
   * the dispatcher fight the waking worker for the mutex. A sleeper that
   * this skips is woken by a later dispatch; its chunks are taken by the
   * dispatcher meanwhile, so nothing waits for it. */
  atomic_bool wake_pending;
  atomic_int dispatcher_sleeping;
  atomic_bool busy; /* a parallel_for is running on this pool */
};

/* Set on worker threads, and on a dispatcher while it dispatches: a
 * parallel_for issued from there runs inline. */
static _Thread_local int tls_in_parallel_region;

/* The worker a pool thread is (NULL on any other thread), for
 * mnnrt_thread_scratch. */
static _Thread_local mnnrt_worker* tls_worker;

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
  __asm__ __volatile__("yield" ::: "memory");
#else
  atomic_signal_fence(memory_order_seq_cst);
#endif
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Called between spin batches; true once the spin time is used up. */
static bool spin_expired(const mnnrt_pool* pool, uint64_t start) {
  if (pool->oversubscribed) sched_yield();
  return now_ns() - start > MNNRT_SPIN_NS;
}

/* Blocks of a chunk a claim takes: a thief takes at most this fraction of
 * another thread's chunk at a time. */
#define MNNRT_BLOCKS_PER_CHUNK 8

static uint64_t pack_range(uint64_t front, uint64_t back) { return front | back << 32; }

/* Sets up the chunk of thread `index` for a job of n iterations. Chunks are
 * contiguous and differ in size by at most one iteration. */
static void init_slot(mnnrt_pool* pool, int32_t index, int64_t n, int32_t active) {
  int64_t base = n / active, rem = n % active;
  int64_t begin = index * base + (index < rem ? index : rem);
  int64_t len = base + (index < rem ? 1 : 0);
  mnnrt_slot* slot = &pool->slots[index];
  slot->base = begin;
  slot->step = len / MNNRT_BLOCKS_PER_CHUNK > 1 ? len / MNNRT_BLOCKS_PER_CHUNK : 1;
  atomic_store_explicit(&slot->range, pack_range(0, (uint64_t)len), memory_order_relaxed);
}

/* Claims the next block of `slot` from its front (owner) or back (thief);
 * false once it has none left. */
static bool claim_block(mnnrt_slot* slot, bool from_back, int64_t* begin, int64_t* end) {
  uint64_t old = atomic_load_explicit(&slot->range, memory_order_relaxed);
  for (;;) {
    int64_t front = (int64_t)(old & 0xffffffffu), back = (int64_t)(old >> 32);
    if (front >= back) return false;
    /* A thief takes one block; the owner half of what is left (at least a
     * block): few claims while nobody steals. */
    int64_t left = back - front, take = slot->step;
    if (!from_back && left / 2 > take) take = left / 2;
    if (take > left) take = left;
    int64_t first = from_back ? back - take : front;
    uint64_t next = from_back ? pack_range((uint64_t)front, (uint64_t)first)
                              : pack_range((uint64_t)(front + take), (uint64_t)back);
    if (atomic_compare_exchange_weak_explicit(&slot->range, &old, next,
                                              memory_order_relaxed,
                                              memory_order_relaxed)) {
      *begin = slot->base + first;
      *end = *begin + take;
      return true;
    }
  }
}

/* Runs thread `index`'s chunk of the current job front to back, then takes
 * what is left of the others' from their backs. Each thread thus works on
 * the same part of every layer's tiles while all are on time (the data it
 * produced stays in its caches), and a thread that started late or runs
 * slower (a vCPU woken from sleep, data in the other core's cache) does not
 * make the others wait for its whole chunk. */
static void run_chunk(mnnrt_pool* pool, int32_t index) {
  int32_t active = pool->active;
  if (index >= active) return;
  int64_t begin, end;
  while (claim_block(&pool->slots[index], false, &begin, &end))
    pool->fn(pool->ctx, begin, end);
  for (int32_t k = 1; k < active; ++k) {
    mnnrt_slot* other = &pool->slots[(index + k) % active];
    while (claim_block(other, true, &begin, &end)) pool->fn(pool->ctx, begin, end);
  }
}

/* Returns once generation != seen or stop is set; the returned generation is
 * acquired, so the job fields written before it are visible. */
static uint64_t wait_for_work(mnnrt_pool* pool, uint64_t seen) {
  uint64_t gen;
  uint64_t start = now_ns();
  for (;;) {
    for (int i = 0; i < MNNRT_SPIN_BATCH; ++i) {
      gen = atomic_load_explicit(&pool->generation, memory_order_acquire);
      if (gen != seen ||
          atomic_load_explicit(&pool->stop, memory_order_relaxed)) {
        return gen;
      }
      cpu_relax();
    }
    if (spin_expired(pool, start)) break;
  }
  pthread_mutex_lock(&pool->mutex);
  atomic_fetch_add_explicit(&pool->sleeping_workers, 1, memory_order_relaxed);
  atomic_thread_fence(memory_order_seq_cst); /* pairs with parallel_for */
  while ((gen = atomic_load_explicit(&pool->generation,
                                    memory_order_acquire)) == seen &&
         !atomic_load_explicit(&pool->stop, memory_order_acquire)) {
    pthread_cond_wait(&pool->work_cv, &pool->mutex);
  }
  atomic_fetch_sub_explicit(&pool->sleeping_workers, 1, memory_order_relaxed);
  atomic_store_explicit(&pool->wake_pending, false, memory_order_relaxed);
  pthread_mutex_unlock(&pool->mutex);
  return gen;
}

/* Claims the chunk of `worker` for job `gen`; false if it was claimed
 * already (by the worker or the dispatcher). */
static bool claim_chunk(mnnrt_worker* worker, uint64_t gen) {
  uint64_t old = atomic_load_explicit(&worker->claimed_generation, memory_order_relaxed);
  while (old < gen) {
    if (atomic_compare_exchange_weak_explicit(&worker->claimed_generation, &old, gen,
                                              memory_order_acq_rel,
                                              memory_order_relaxed)) {
      return true;
    }
  }
  return false;
}

static void finish_chunk(mnnrt_pool* pool) {
  atomic_fetch_add_explicit(&pool->finished, 1, memory_order_release);
  atomic_thread_fence(memory_order_seq_cst); /* pairs with wait_for_chunks */
  if (atomic_load_explicit(&pool->dispatcher_sleeping, memory_order_relaxed)) {
    pthread_mutex_lock(&pool->mutex);
    pthread_cond_broadcast(&pool->done_cv);
    pthread_mutex_unlock(&pool->mutex);
  }
}

static bool all_finished(mnnrt_pool* pool) {
  return atomic_load_explicit(&pool->finished, memory_order_acquire) == pool->active;
}

static void wait_for_chunks(mnnrt_pool* pool) {
  uint64_t start = now_ns();
  for (;;) {
    for (int i = 0; i < MNNRT_SPIN_BATCH; ++i) {
      if (all_finished(pool)) return;
      cpu_relax();
    }
    if (spin_expired(pool, start)) break;
  }
  pthread_mutex_lock(&pool->mutex);
  atomic_store_explicit(&pool->dispatcher_sleeping, 1, memory_order_relaxed);
  atomic_thread_fence(memory_order_seq_cst); /* pairs with finish_chunk */
  while (!all_finished(pool)) {
    pthread_cond_wait(&pool->done_cv, &pool->mutex);
  }
  atomic_store_explicit(&pool->dispatcher_sleeping, 0, memory_order_relaxed);
  pthread_mutex_unlock(&pool->mutex);
}

static void* worker_main(void* arg) {
  mnnrt_worker* self = (mnnrt_worker*)arg;
  mnnrt_pool* pool = self->pool;
  tls_in_parallel_region = 1;
  tls_worker = self;
  uint64_t seen = 0;
  for (;;) {
    seen = wait_for_work(pool, seen);
    if (atomic_load_explicit(&pool->stop, memory_order_acquire)) break;
    if (claim_chunk(self, seen)) {
      run_chunk(pool, self->index);
      finish_chunk(pool);
    }
  }
  return NULL;
}

static void stop_workers(mnnrt_pool* pool) {
  atomic_store(&pool->stop, true);
  pthread_mutex_lock(&pool->mutex);
  pthread_cond_broadcast(&pool->work_cv);
  pthread_mutex_unlock(&pool->mutex);
  for (int32_t i = 0; i < pool->num_workers; ++i) {
    pthread_join(pool->workers[i].thread, NULL);
  }
  pool->num_workers = 0;
}

int mnnrt_pool_create(int32_t num_threads, mnnrt_pool** out_pool) {
  if (!out_pool) return EINVAL;
  *out_pool = NULL;
  if (num_threads < 1 || num_threads > MNNRT_MAX_THREADS) return EINVAL;

  void* mem = NULL;
  if (posix_memalign(&mem, MNNRT_CACHE_LINE, sizeof(mnnrt_pool)) != 0) {
    return ENOMEM;
  }
  mnnrt_pool* pool = (mnnrt_pool*)mem;
  memset(pool, 0, sizeof(*pool));
  pool->num_threads = num_threads;
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  pool->oversubscribed = cpus > 0 && num_threads > cpus;
  atomic_init(&pool->generation, 0);
  atomic_init(&pool->sleeping_workers, 0);
  atomic_init(&pool->wake_pending, false);
  atomic_init(&pool->dispatcher_sleeping, 0);
  atomic_init(&pool->stop, false);
  atomic_init(&pool->busy, false);
  atomic_init(&pool->finished, 0);

  if (posix_memalign(&mem, MNNRT_CACHE_LINE, (size_t)num_threads * sizeof(mnnrt_slot)) != 0) {
    free(pool);
    return ENOMEM;
  }
  pool->slots = (mnnrt_slot*)mem;
  memset(pool->slots, 0, (size_t)num_threads * sizeof(mnnrt_slot));
  if (num_threads > 1) {
    size_t bytes = (size_t)(num_threads - 1) * sizeof(mnnrt_worker);
    if (posix_memalign(&mem, MNNRT_CACHE_LINE, bytes) != 0) {
      free(pool->slots);
      free(pool);
      return ENOMEM;
    }
    pool->workers = (mnnrt_worker*)mem;
    memset(pool->workers, 0, bytes);
  }
  pthread_mutex_init(&pool->mutex, NULL);
  pthread_cond_init(&pool->work_cv, NULL);
  pthread_cond_init(&pool->done_cv, NULL);

  /* Workers block every signal, so signals keep going to application
   * threads; the creating thread's mask is restored afterwards. */
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  int err = 0;
  for (int32_t i = 0; i < num_threads - 1; ++i) {
    mnnrt_worker* w = &pool->workers[i];
    w->pool = pool;
    w->index = i + 1;
    atomic_init(&w->claimed_generation, 0);
    err = pthread_create(&w->thread, NULL, worker_main, w);
    if (err != 0) break;
    pool->num_workers = i + 1;
  }
  pthread_sigmask(SIG_SETMASK, &old, NULL);

  if (err != 0) {
    mnnrt_pool_destroy(pool);
    return err;
  }
  *out_pool = pool;
  return 0;
}

void mnnrt_pool_destroy(mnnrt_pool* pool) {
  if (!pool) return;
  stop_workers(pool);
  pthread_cond_destroy(&pool->done_cv);
  pthread_cond_destroy(&pool->work_cv);
  pthread_mutex_destroy(&pool->mutex);
  for (int32_t i = 0; i + 1 < pool->num_threads && pool->workers; ++i)
    free(pool->workers[i].scratch);
  free(pool->workers);
  free(pool->slots);
  free(pool);
}

int32_t mnnrt_pool_num_threads(const mnnrt_pool* pool) {
  return pool ? pool->num_threads : 1;
}

int mnnrt_pool_reserve_scratch(mnnrt_pool* pool, uint64_t bytes) {
  if (!pool || bytes == 0) return 0;
  if (bytes > SIZE_MAX - MNNRT_CACHE_LINE) return ENOMEM;
  size_t rounded = ((size_t)bytes + MNNRT_CACHE_LINE - 1) / MNNRT_CACHE_LINE * MNNRT_CACHE_LINE;
  for (int32_t i = 0; i < pool->num_workers; ++i) {
    void* mem = NULL;
    if (posix_memalign(&mem, MNNRT_CACHE_LINE, rounded) != 0) return ENOMEM;
    free(pool->workers[i].scratch);
    pool->workers[i].scratch = (uint8_t*)mem;
  }
  return 0;
}

int32_t mnnrt_num_threads(void* pool) {
  return mnnrt_pool_num_threads((const mnnrt_pool*)pool);
}

uint8_t* mnnrt_thread_scratch(void* pool, uint8_t* own) {
  mnnrt_worker* w = tls_worker;
  return w && w->pool == (mnnrt_pool*)pool && w->scratch ? w->scratch : own;
}

void mnnrt_parallel_for(void* pool_ptr, int64_t n, mnnrt_task_fn fn,
                        void* ctx) {
  if (n <= 0 || !fn) return;
  mnnrt_pool* pool = (mnnrt_pool*)pool_ptr;
  /* (Chunks are claimed in 32-bit offsets; no job comes near 2^32 tiles.) */
  if (!pool || pool->num_workers == 0 || n == 1 || n > (int64_t)UINT32_MAX ||
      tls_in_parallel_region ||
      atomic_exchange_explicit(&pool->busy, true, memory_order_acquire)) {
    fn(ctx, 0, n);
    return;
  }

  tls_in_parallel_region = 1;
  int32_t threads = pool->num_workers + 1;
  pool->fn = fn;
  pool->ctx = ctx;
  pool->active = n < threads ? (int32_t)n : threads;
  for (int32_t i = 0; i < pool->active; ++i) init_slot(pool, i, n, pool->active);
  atomic_store_explicit(&pool->finished, 0, memory_order_relaxed);
  /* Only this thread writes generation while it holds `busy`. */
  uint64_t gen = atomic_load_explicit(&pool->generation,
                                      memory_order_relaxed) + 1;
  for (int32_t i = pool->active; i < threads; ++i) {
    atomic_store_explicit(&pool->workers[i - 1].claimed_generation, gen,
                          memory_order_relaxed);
  }
  atomic_store_explicit(&pool->generation, gen, memory_order_release);
  atomic_thread_fence(memory_order_seq_cst); /* pairs with wait_for_work */
  if (atomic_load_explicit(&pool->sleeping_workers, memory_order_relaxed) > 0 &&
      !atomic_exchange_explicit(&pool->wake_pending, true, memory_order_relaxed)) {
    pthread_mutex_lock(&pool->mutex);
    pthread_cond_broadcast(&pool->work_cv);
    pthread_mutex_unlock(&pool->mutex);
  }

  run_chunk(pool, 0);
  finish_chunk(pool);
  for (int32_t i = 1; i < pool->active; ++i) {
    if (claim_chunk(&pool->workers[i - 1], gen)) {
      run_chunk(pool, i);
      finish_chunk(pool);
    }
  }
  wait_for_chunks(pool);

  tls_in_parallel_region = 0;
  atomic_store_explicit(&pool->busy, false, memory_order_release);
}
