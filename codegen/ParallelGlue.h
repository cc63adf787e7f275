// ParallelGlue: connects outlined parallel loops to the runtime thread pool.
//
// mnn-outline-parallel leaves, per parallel loop N, a task
//   void __mnn_task_N(ptr a_0, ..., ptr a_{k-1}, i64 begin, i64 end)
// and a declaration
//   void __mnn_parallel_N(ptr a_0, ..., ptr a_{k-1}, i64 count)
// where a_0..a_{k-1} are __mnn_main's arguments (the last one is the pool).
// This defines __mnn_parallel_N: it stores the a_i in a stack array and calls
//   mnnrt_parallel_for(pool, count, __mnn_trampoline_N, array)
// whose trampoline reloads them and calls the task.
#ifndef MNN_CODEGEN_PARALLELGLUE_H
#define MNN_CODEGEN_PARALLELGLUE_H

#include "llvm/Support/Error.h"

namespace llvm {
class Module;
}

namespace mnn::codegen {

llvm::Error addParallelGlue(llvm::Module &module);

} // namespace mnn::codegen

#endif // MNN_CODEGEN_PARALLELGLUE_H
