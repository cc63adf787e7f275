// Tests of the C runtime: thread pool, model handle, arena and API misuse.
// Linked with fake_model.c, which plays the compiled model.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "fake_model.h"
#include "mnn/runtime_abi.h"
#include "thread_pool.h"

extern "C" const mnn_model_desc* mnn_model_descriptor(void);

namespace {

// ---- Thread pool -------------------------------------------------------------

struct PoolDeleter {
  void operator()(mnnrt_pool* p) const { mnnrt_pool_destroy(p); }
};
using PoolPtr = std::unique_ptr<mnnrt_pool, PoolDeleter>;

PoolPtr MakePool(int32_t threads) {
  mnnrt_pool* pool = nullptr;
  EXPECT_EQ(mnnrt_pool_create(threads, &pool), 0) << threads << " threads";
  return PoolPtr(pool);
}

// Records every [begin, end) chunk and counts visits per index.
struct Recorder {
  explicit Recorder(int64_t n) : visits(static_cast<size_t>(n)) {}
  std::vector<std::atomic<int>> visits;
  std::mutex mutex;
  std::vector<std::pair<int64_t, int64_t>> chunks;
  std::set<std::thread::id> threads;

  static void Task(void* ctx, int64_t begin, int64_t end) {
    auto* self = static_cast<Recorder*>(ctx);
    for (int64_t i = begin; i < end; ++i) self->visits[i].fetch_add(1);
    std::lock_guard<std::mutex> lock(self->mutex);
    self->chunks.emplace_back(begin, end);
    self->threads.insert(std::this_thread::get_id());
  }
};

// Counts the caller in `arrived` and waits until `count` have arrived; false
// if that takes over 20 s (fewer threads than `count` run at once).
bool ArriveAndWaitForAll(std::atomic<int>& arrived, int count) {
  arrived.fetch_add(1);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (arrived.load() < count) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

TEST(ThreadPool, VisitsEveryIndexExactlyOnceInContiguousRanges) {
  const int32_t thread_counts[] = {1, 2, 3, 4, 7, 8};
  const int64_t sizes[] = {1, 2, 3, 5, 7, 8, 9, 16, 63, 100, 1000, 12345};
  for (int32_t threads : thread_counts) {
    PoolPtr pool = MakePool(threads);
    ASSERT_EQ(mnnrt_pool_num_threads(pool.get()), threads);
    for (int64_t n : sizes) {
      Recorder rec(n);
      mnnrt_parallel_for(pool.get(), n, &Recorder::Task, &rec);
      for (int64_t i = 0; i < n; ++i) {
        ASSERT_EQ(rec.visits[i].load(), 1)
            << "index " << i << " n=" << n << " threads=" << threads;
      }
      // The calls' ranges tile [0, n): each thread's chunk (they differ in
      // size by at most one) in blocks, some run by threads that took them
      // from another's chunk; at least one call per participating thread's
      // chunk, at most a few per block of it.
      std::sort(rec.chunks.begin(), rec.chunks.end());
      ASSERT_GE(rec.chunks.size(), static_cast<size_t>(std::min<int64_t>(n, threads)))
          << "n=" << n << " threads=" << threads;
      int64_t next = 0;
      for (auto [b, e] : rec.chunks) {
        EXPECT_EQ(b, next);
        EXPECT_LT(b, e);
        next = e;
      }
      EXPECT_EQ(next, n);
    }
  }
}

TEST(ThreadPool, ZeroIterationsCallNothing) {
  PoolPtr pool = MakePool(4);
  Recorder rec(0);
  mnnrt_parallel_for(pool.get(), 0, &Recorder::Task, &rec);
  mnnrt_parallel_for(pool.get(), -5, &Recorder::Task, &rec);
  mnnrt_parallel_for(nullptr, 0, &Recorder::Task, &rec);
  EXPECT_TRUE(rec.chunks.empty());
}

TEST(ThreadPool, FewerIterationsThanThreadsGivesOneEach) {
  PoolPtr pool = MakePool(8);
  Recorder rec(3);
  mnnrt_parallel_for(pool.get(), 3, &Recorder::Task, &rec);
  std::sort(rec.chunks.begin(), rec.chunks.end());
  std::vector<std::pair<int64_t, int64_t>> expected = {{0, 1}, {1, 2}, {2, 3}};
  EXPECT_EQ(rec.chunks, expected);
}

TEST(ThreadPool, NullPoolAndSingleThreadPoolRunInline) {
  PoolPtr one = MakePool(1);
  for (mnnrt_pool* pool : {static_cast<mnnrt_pool*>(nullptr), one.get()}) {
    Recorder rec(100);
    mnnrt_parallel_for(pool, 100, &Recorder::Task, &rec);
    ASSERT_EQ(rec.chunks.size(), 1u);
    EXPECT_EQ(rec.chunks[0].first, 0);
    EXPECT_EQ(rec.chunks[0].second, 100);
    EXPECT_EQ(*rec.threads.begin(), std::this_thread::get_id());
  }
  EXPECT_EQ(mnnrt_pool_num_threads(nullptr), 1);
}

TEST(ThreadPool, UsesAllThreadsConcurrently) {
  // Each chunk waits until all four have started: only possible when four
  // threads run at once (the caller and three workers).
  constexpr int kThreads = 4;
  PoolPtr pool = MakePool(kThreads);
  struct Ctx {
    std::atomic<int> arrived{0};
    std::atomic<bool> timed_out{false};
    std::mutex mutex;
    std::set<std::thread::id> ids;
  } ctx;
  auto task = [](void* p, int64_t, int64_t) {
    auto* c = static_cast<Ctx*>(p);
    {
      std::lock_guard<std::mutex> lock(c->mutex);
      c->ids.insert(std::this_thread::get_id());
    }
    if (!ArriveAndWaitForAll(c->arrived, kThreads)) c->timed_out = true;
  };
  mnnrt_parallel_for(pool.get(), kThreads, task, &ctx);
  EXPECT_FALSE(ctx.timed_out.load());
  EXPECT_EQ(ctx.ids.size(), static_cast<size_t>(kThreads));
  EXPECT_TRUE(ctx.ids.count(std::this_thread::get_id()));
}

TEST(ThreadPool, EachThreadHasScratchOfItsOwn) {
  // Four threads that all wait for each other (as in UsesAllThreadsConcurrently)
  // each get a different buffer: the caller its `own`, every worker the
  // buffer mnnrt_pool_reserve_scratch gave it, which it can fill without
  // disturbing the others.
  constexpr int kThreads = 4;
  constexpr size_t kBytes = 100000;
  PoolPtr pool = MakePool(kThreads);
  ASSERT_EQ(mnnrt_pool_reserve_scratch(pool.get(), kBytes), 0);
  std::vector<uint8_t> own(kBytes);
  struct Ctx {
    mnnrt_pool* pool;
    uint8_t* own;
    std::atomic<int> arrived{0};
    std::atomic<bool> timed_out{false};
    std::mutex mutex;
    std::set<uint8_t*> buffers;
    std::set<std::thread::id> ids;
    std::atomic<int> intact{0};
  } ctx;
  ctx.pool = pool.get();
  ctx.own = own.data();
  auto task = [](void* p, int64_t begin, int64_t) {
    auto* c = static_cast<Ctx*>(p);
    uint8_t* mine = mnnrt_thread_scratch(c->pool, c->own);
    std::memset(mine, static_cast<int>(begin + 1), kBytes);
    {
      std::lock_guard<std::mutex> lock(c->mutex);
      c->buffers.insert(mine);
      c->ids.insert(std::this_thread::get_id());
    }
    if (!ArriveAndWaitForAll(c->arrived, kThreads)) {
      c->timed_out = true;
      return;
    }
    if (std::all_of(mine, mine + kBytes, [&](uint8_t v) { return v == begin + 1; }))
      c->intact.fetch_add(1);
  };
  mnnrt_parallel_for(pool.get(), kThreads, task, &ctx);
  ASSERT_FALSE(ctx.timed_out.load());
  EXPECT_EQ(ctx.ids.size(), static_cast<size_t>(kThreads));
  EXPECT_EQ(ctx.buffers.size(), static_cast<size_t>(kThreads));
  EXPECT_TRUE(ctx.buffers.count(own.data()));
  EXPECT_FALSE(ctx.buffers.count(nullptr));
  EXPECT_EQ(ctx.intact.load(), kThreads);
}

TEST(ThreadPool, ScratchOfAnotherPoolOrNoPoolIsTheCallersOwn) {
  PoolPtr pool = MakePool(2), other = MakePool(2);
  ASSERT_EQ(mnnrt_pool_reserve_scratch(pool.get(), 64), 0);
  uint8_t own[64];
  EXPECT_EQ(mnnrt_thread_scratch(nullptr, own), own);
  EXPECT_EQ(mnnrt_thread_scratch(pool.get(), own), own);
  // A worker of `pool` asking for `other`'s scratch (a model run from a task
  // of another model) gets the own buffer it passes.
  struct Ctx {
    mnnrt_pool* other;
    uint8_t* own;
    std::atomic<int> wrong{0};
  } ctx{other.get(), own};
  auto task = [](void* p, int64_t, int64_t) {
    auto* c = static_cast<Ctx*>(p);
    if (mnnrt_thread_scratch(c->other, c->own) != c->own) c->wrong.fetch_add(1);
  };
  mnnrt_parallel_for(pool.get(), 64, task, &ctx);
  EXPECT_EQ(ctx.wrong.load(), 0);
  EXPECT_EQ(mnnrt_num_threads(pool.get()), 2);
  EXPECT_EQ(mnnrt_num_threads(nullptr), 1);
}

TEST(ThreadPool, NestedCallRunsInlineOnTheSameThread) {
  PoolPtr pool = MakePool(4);
  struct Ctx {
    mnnrt_pool* pool;
    std::atomic<int> inline_ok{0};
    std::atomic<int> outer_chunks{0};
  } ctx{pool.get()};
  auto outer = [](void* p, int64_t, int64_t) {
    auto* c = static_cast<Ctx*>(p);
    c->outer_chunks.fetch_add(1);
    Recorder rec(10);
    mnnrt_parallel_for(c->pool, 10, &Recorder::Task, &rec);
    if (rec.chunks.size() == 1 && rec.chunks[0].first == 0 &&
        rec.chunks[0].second == 10 &&
        *rec.threads.begin() == std::this_thread::get_id()) {
      c->inline_ok.fetch_add(1);
    }
  };
  mnnrt_parallel_for(pool.get(), 4, outer, &ctx);
  EXPECT_EQ(ctx.outer_chunks.load(), 4);
  EXPECT_EQ(ctx.inline_ok.load(), 4);
}

TEST(ThreadPool, ManyRepeatedDispatchesIncludingAfterWorkersSleep) {
  PoolPtr pool = MakePool(4);
  std::vector<int64_t> data(1000, 0);
  auto add_one = [](void* p, int64_t b, int64_t e) {
    auto* d = static_cast<int64_t*>(p);
    for (int64_t i = b; i < e; ++i) d[i] += 1;
  };
  constexpr int kRounds = 20000;
  for (int round = 0; round < kRounds; ++round) {
    mnnrt_parallel_for(pool.get(), static_cast<int64_t>(data.size()), add_one,
                       data.data());
    // Now and then idle long enough for the workers to stop spinning.
    if (round % 2000 == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  for (int64_t v : data) ASSERT_EQ(v, kRounds);
}

// Counts visits per index and how many of the indices from `from` on the
// calling thread ran; the other threads sleep `worker_sleep_ms` per index.
struct CallerShare {
  CallerShare(int64_t n, int64_t from, int worker_sleep_ms)
      : visits(static_cast<size_t>(n)), from(from), worker_sleep_ms(worker_sleep_ms) {}
  std::vector<std::atomic<int>> visits;
  std::atomic<int> on_caller{0};
  const std::thread::id caller = std::this_thread::get_id();
  const int64_t from;
  const int worker_sleep_ms;

  static void Task(void* p, int64_t begin, int64_t end) {
    auto* c = static_cast<CallerShare*>(p);
    for (int64_t i = begin; i < end; ++i) {
      c->visits[i].fetch_add(1);
      if (std::this_thread::get_id() != c->caller) {
        if (c->worker_sleep_ms > 0)
          std::this_thread::sleep_for(std::chrono::milliseconds(c->worker_sleep_ms));
      } else if (i >= c->from) {
        c->on_caller.fetch_add(1);
      }
    }
  }
};

TEST(ThreadPool, CallerRunsTheChunksOfWorkersThatSleep) {
  // After an idle spell the workers sleep. The caller's chunk is empty, so
  // it is done long before a sleeping worker can run (a futex wake-up takes
  // microseconds, ~110 us on the VMs measured): it then claims the workers'
  // chunks and runs them itself instead of waiting. Every index is still
  // visited exactly once. A worker may win the race now and then, not in
  // every one of 20 tries.
  PoolPtr pool = MakePool(3);
  CallerShare ctx(3, /*from=*/1, /*worker_sleep_ms=*/0);
  constexpr int kTries = 20;
  for (int t = 0; t < kTries; ++t) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    mnnrt_parallel_for(pool.get(), 3, &CallerShare::Task, &ctx);
  }
  for (auto& v : ctx.visits) EXPECT_EQ(v.load(), kTries);
  EXPECT_GT(ctx.on_caller.load(), 0);
}

TEST(ThreadPool, OthersTakeOverTheChunkOfASlowThread) {
  // The worker's iterations are slow (a vCPU that was descheduled, or a
  // little core): after its own chunk the caller takes blocks of the
  // worker's chunk from its back instead of waiting for all of it. With
  // static chunks the caller would run exactly its own 32 iterations.
  PoolPtr pool = MakePool(2);
  CallerShare ctx(64, /*from=*/0, /*worker_sleep_ms=*/2);
  mnnrt_parallel_for(pool.get(), 64, &CallerShare::Task, &ctx);
  for (auto& v : ctx.visits) EXPECT_EQ(v.load(), 1);
  EXPECT_GT(ctx.on_caller.load(), 32);
}

TEST(ThreadPool, ConcurrentCallersOnOnePoolBothComplete) {
  PoolPtr pool = MakePool(3);
  auto worker = [&](int64_t n, std::atomic<int64_t>* total) {
    for (int round = 0; round < 2000; ++round) {
      std::atomic<int64_t> count{0};
      auto task = [](void* p, int64_t b, int64_t e) {
        static_cast<std::atomic<int64_t>*>(p)->fetch_add(e - b);
      };
      mnnrt_parallel_for(pool.get(), n, task, &count);
      total->fetch_add(count.load() == n ? 1 : 0);
    }
  };
  std::atomic<int64_t> ok_a{0}, ok_b{0};
  std::thread a(worker, 97, &ok_a), b(worker, 31, &ok_b);
  a.join();
  b.join();
  EXPECT_EQ(ok_a.load(), 2000);
  EXPECT_EQ(ok_b.load(), 2000);
}

TEST(ThreadPool, CreateAndDestroyRepeatedly) {
  for (int i = 0; i < 200; ++i) {
    PoolPtr pool = MakePool(1 + i % 6);
    if (i % 2) {
      Recorder rec(50);
      mnnrt_parallel_for(pool.get(), 50, &Recorder::Task, &rec);
      for (auto& v : rec.visits) ASSERT_EQ(v.load(), 1);
    }
  }
}

TEST(ThreadPool, RejectsBadThreadCounts) {
  mnnrt_pool* pool = reinterpret_cast<mnnrt_pool*>(0x1);
  EXPECT_NE(mnnrt_pool_create(0, &pool), 0);
  EXPECT_EQ(pool, nullptr);
  EXPECT_NE(mnnrt_pool_create(MNNRT_MAX_THREADS + 1, &pool), 0);
  EXPECT_NE(mnnrt_pool_create(-1, &pool), 0);
  EXPECT_NE(mnnrt_pool_create(2, nullptr), 0);
  mnnrt_pool_destroy(nullptr);  // no-op
}

// ---- Model handle ------------------------------------------------------------

struct ModelDeleter {
  void operator()(mnn_model* m) const { mnnrt_destroy(m); }
};
using ModelPtr = std::unique_ptr<mnn_model, ModelDeleter>;

struct AddData {
  alignas(64) float a[6] = {1, 2, 3, 4, 5, 6};
  alignas(64) float b[6] = {10, 20, 30, 40, 50, 60};
  alignas(64) float y[6] = {0, 0, 0, 0, 0, 0};
  const void* inputs[2] = {a, b};
  void* outputs[1] = {y};
  bool SumIsRight() const {
    for (int i = 0; i < 6; ++i) {
      if (y[i] != a[i] + b[i]) return false;
    }
    return true;
  }
};

struct AlignedFree {
  void operator()(void* p) const { std::free(p); }
};
std::unique_ptr<uint8_t, AlignedFree> AlignedArena(size_t bytes) {
  return std::unique_ptr<uint8_t, AlignedFree>(
      static_cast<uint8_t*>(std::aligned_alloc(MNN_ARENA_ALIGNMENT, bytes)));
}

ModelPtr Create(const mnn_options* options, mnn_status* status) {
  mnn_model* model = nullptr;
  int rc = mnnrt_create(options, &model, status);
  EXPECT_EQ(rc, MNN_OK) << (status ? status->message : "");
  return ModelPtr(model);
}

TEST(Model, DescriptorIsTheModelsDescriptor) {
  const mnn_model_desc* desc = mnn_model_descriptor();
  EXPECT_EQ(desc, &__mnn_model_desc);
  EXPECT_EQ(desc->abi_version, static_cast<uint32_t>(MNN_ABI_VERSION));
  EXPECT_EQ(desc->num_inputs, 2u);
  EXPECT_EQ(desc->create, &mnnrt_create);
  EXPECT_EQ(desc->run, &mnnrt_run);
  EXPECT_EQ(desc->destroy, &mnnrt_destroy);
}

TEST(Model, RunsWithDefaultOptionsOnOneThread) {
  mnn_status status;
  std::memset(&status, 0x7F, sizeof(status));
  ModelPtr model = Create(nullptr, &status);
  EXPECT_EQ(status.code, MNN_OK);
  EXPECT_STREQ(status.message, "");
  AddData d;
  ASSERT_EQ(mnnrt_run(model.get(), d.inputs, d.outputs, &status), MNN_OK);
  EXPECT_TRUE(d.SumIsRight());
  EXPECT_EQ(fake_model_last_pool, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(fake_model_last_arena) %
                MNN_ARENA_ALIGNMENT,
            0u);
}

TEST(Model, ZeroThreadsMeansOne) {
  mnn_options options = MNN_OPTIONS_INIT;
  options.num_threads = 0;
  ModelPtr model = Create(&options, nullptr);
  AddData d;
  ASSERT_EQ(mnnrt_run(model.get(), d.inputs, d.outputs, nullptr), MNN_OK);
  EXPECT_TRUE(d.SumIsRight());
  EXPECT_EQ(fake_model_last_pool, nullptr);
}

TEST(Model, RunsOnSeveralThreadsRepeatedly) {
  for (int32_t threads : {2, 4, 6}) {
    mnn_options options = MNN_OPTIONS_INIT;
    options.num_threads = threads;
    ModelPtr model = Create(&options, nullptr);
    for (int i = 0; i < 100; ++i) {
      AddData d;
      d.a[i % 6] = static_cast<float>(i);
      ASSERT_EQ(mnnrt_run(model.get(), d.inputs, d.outputs, nullptr), MNN_OK);
      ASSERT_TRUE(d.SumIsRight()) << threads << " threads, round " << i;
    }
    EXPECT_NE(fake_model_last_pool, nullptr);
  }
}

TEST(Model, AcceptsTheMaximumThreadCount) {
  mnn_options options = MNN_OPTIONS_INIT;
  options.num_threads = MNNRT_MAX_THREADS;
  ModelPtr model = Create(&options, nullptr);
  AddData d;
  ASSERT_EQ(mnnrt_run(model.get(), d.inputs, d.outputs, nullptr), MNN_OK);
  EXPECT_TRUE(d.SumIsRight());
}

TEST(Model, RejectsBadThreadCounts) {
  for (int32_t threads : {-1, -100, MNNRT_MAX_THREADS + 1, 100000}) {
    mnn_options options = MNN_OPTIONS_INIT;
    options.num_threads = threads;
    mnn_status status;
    mnn_model* model = reinterpret_cast<mnn_model*>(0x1);
    EXPECT_EQ(mnnrt_create(&options, &model, &status),
              MNN_ERROR_INVALID_ARGUMENT);
    EXPECT_EQ(status.code, MNN_ERROR_INVALID_ARGUMENT);
    EXPECT_NE(std::strstr(status.message, "num_threads"), nullptr)
        << status.message;
    EXPECT_EQ(model, nullptr);
    // Same without a status.
    EXPECT_EQ(mnnrt_create(&options, &model, nullptr),
              MNN_ERROR_INVALID_ARGUMENT);
  }
}

TEST(Arena, CallerArenaIsPassedToTheEntry) {
  auto arena = AlignedArena(1024);
  mnn_options options = MNN_OPTIONS_INIT;
  options.arena = arena.get();
  options.arena_size = FAKE_MODEL_ARENA_BYTES;  // exactly enough
  ModelPtr model = Create(&options, nullptr);
  AddData d;
  fake_model_last_arena = nullptr;
  ASSERT_EQ(mnnrt_run(model.get(), d.inputs, d.outputs, nullptr), MNN_OK);
  EXPECT_EQ(fake_model_last_arena, arena.get());
  EXPECT_EQ(arena.get()[FAKE_MODEL_ARENA_BYTES - 1], 0x5A);
  EXPECT_TRUE(d.SumIsRight());
}

TEST(Arena, CallerArenaTooSmallIsRejected) {
  auto arena = AlignedArena(1024);
  mnn_options options = MNN_OPTIONS_INIT;
  options.arena = arena.get();
  options.arena_size = FAKE_MODEL_ARENA_BYTES - 1;
  mnn_status status;
  mnn_model* model = nullptr;
  EXPECT_EQ(mnnrt_create(&options, &model, &status),
            MNN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(model, nullptr);
  EXPECT_NE(std::strstr(status.message, "255 bytes"), nullptr)
      << status.message;
  EXPECT_NE(std::strstr(status.message, "256"), nullptr) << status.message;
}

TEST(Arena, MisalignedCallerArenaIsRejected) {
  auto arena = AlignedArena(1024);
  mnn_options options = MNN_OPTIONS_INIT;
  options.arena = arena.get() + 8;
  options.arena_size = 512;
  mnn_status status;
  mnn_model* model = nullptr;
  EXPECT_EQ(mnnrt_create(&options, &model, &status),
            MNN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(model, nullptr);
  EXPECT_NE(std::strstr(status.message, "aligned"), nullptr) << status.message;
}

TEST(Arena, OwnArenaIsAlignedAndStable) {
  ModelPtr model = Create(nullptr, nullptr);
  AddData d;
  ASSERT_EQ(mnnrt_run(model.get(), d.inputs, d.outputs, nullptr), MNN_OK);
  uint8_t* first = fake_model_last_arena;
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(first) % MNN_ARENA_ALIGNMENT, 0u);
  ASSERT_EQ(mnnrt_run(model.get(), d.inputs, d.outputs, nullptr), MNN_OK);
  EXPECT_EQ(fake_model_last_arena, first);
}

TEST(ApiMisuse, NullModelOutPointer) {
  mnn_status status;
  EXPECT_EQ(mnnrt_create(nullptr, nullptr, &status),
            MNN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(status.code, MNN_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::strstr(status.message, "model"), nullptr);
  EXPECT_EQ(mnnrt_create(nullptr, nullptr, nullptr),
            MNN_ERROR_INVALID_ARGUMENT);
}

TEST(ApiMisuse, RunWithNullModel) {
  AddData d;
  mnn_status status;
  EXPECT_EQ(mnnrt_run(nullptr, d.inputs, d.outputs, &status),
            MNN_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::strstr(status.message, "model is NULL"), nullptr)
      << status.message;
  EXPECT_EQ(mnnrt_run(nullptr, d.inputs, d.outputs, nullptr),
            MNN_ERROR_INVALID_ARGUMENT);
}

TEST(ApiMisuse, RunWithNullArrays) {
  ModelPtr model = Create(nullptr, nullptr);
  AddData d;
  mnn_status status;
  int calls = fake_model_calls;
  EXPECT_EQ(mnnrt_run(model.get(), nullptr, d.outputs, &status),
            MNN_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::strstr(status.message, "inputs array is NULL"), nullptr)
      << status.message;
  EXPECT_EQ(mnnrt_run(model.get(), d.inputs, nullptr, &status),
            MNN_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::strstr(status.message, "outputs array is NULL"), nullptr)
      << status.message;
  EXPECT_EQ(mnnrt_run(model.get(), nullptr, nullptr, nullptr),
            MNN_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(fake_model_calls, calls);  // the entry never ran
}

TEST(ApiMisuse, NullBufferIsNamed) {
  ModelPtr model = Create(nullptr, nullptr);
  AddData d;
  mnn_status status;
  d.inputs[1] = nullptr;
  EXPECT_EQ(mnnrt_run(model.get(), d.inputs, d.outputs, &status),
            MNN_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::strstr(status.message, "input 'b' buffer is NULL"), nullptr)
      << status.message;
  d.inputs[1] = d.b;
  d.outputs[0] = nullptr;
  EXPECT_EQ(mnnrt_run(model.get(), d.inputs, d.outputs, &status),
            MNN_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::strstr(status.message, "output 'sum' buffer is NULL"),
            nullptr)
      << status.message;
  EXPECT_EQ(mnnrt_run(model.get(), d.inputs, d.outputs, nullptr),
            MNN_ERROR_INVALID_ARGUMENT);
}

TEST(ApiMisuse, DestroyNullIsANoOp) { mnnrt_destroy(nullptr); }

}  // namespace
