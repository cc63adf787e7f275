// ModelGlue: turns the lowered network into a model object the runtime links.
//
// Input: an llvm::Module with
//   void __mnn_main(ptr in_0, ..., ptr in_{N-1},
//                   ptr out_0, ..., ptr out_{M-1}, ptr arena, ptr pool)
// plus whatever globals (weights) and helper functions it uses.
//
// Added (see runtime/include/mnn/runtime_abi.h):
//   hidden  void __mnn_entry(void* const* inputs, void* const* outputs,
//                            uint8_t* arena, void* pool)
//   hidden  const mnn_model_desc __mnn_model_desc
//   default NAME_create / NAME_run / NAME_destroy / NAME_descriptor
// Every other definition becomes internal, so the linked .so exports only the
// four wrappers and the runtime's mnn_model_descriptor.
#ifndef MNN_CODEGEN_MODELGLUE_H
#define MNN_CODEGEN_MODELGLUE_H

#include "mnn/model_api.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace llvm {
class LLVMContext;
class Module;
class StructType;
} // namespace llvm

namespace mnn::codegen {

/// One input or output of the model, as the caller sees it (row-major).
struct TensorSpec {
  std::string name;  ///< the source model's tensor name (any characters)
  mnn_dtype dtype = MNN_DTYPE_F32;
  std::vector<int64_t> shape; ///< static, every dim >= 0, rank <= MNN_MAX_RANK
};

struct ModelInterface {
  std::string name; ///< C identifier: prefix of the exported symbols
  std::vector<TensorSpec> inputs;
  std::vector<TensorSpec> outputs;
  uint64_t arenaBytes = 0; ///< scratch the entry needs (0: none)
  /// Scratch each pool worker needs besides the arena (mnnrt_thread_scratch).
  uint64_t threadScratchBytes = 0;
  std::string arch;        ///< "x86_64" or "aarch64"
  /// Names of the profiled ops (models compiled with --profile), else empty.
  std::vector<std::string> opNames;
};

/// Fixed symbol names of the runtime ABI.
inline constexpr llvm::StringLiteral kMainFunctionName = "__mnn_main";
inline constexpr llvm::StringLiteral kEntryFunctionName = "__mnn_entry";
inline constexpr llvm::StringLiteral kModelDescName = "__mnn_model_desc";
inline constexpr llvm::StringLiteral kThreadScratchBytesName = "__mnn_thread_scratch_bytes";
inline constexpr llvm::StringLiteral kDescriptorFunctionName =
    MNN_MODEL_DESCRIPTOR_SYMBOL;

/// Checks that `name` can prefix C symbols: [A-Za-z][A-Za-z0-9_]*, at most
/// 64 characters, and not clashing with the runtime's own names (mnn_*,
/// mnnrt*). The error says which rule failed.
llvm::Error validateModelName(llvm::StringRef name);

/// Checks the whole interface: name, arch, ranks, dims, dtypes, arena size.
llvm::Error validateModelInterface(const ModelInterface &model);

/// Bytes per element, 0 for a value that is not an mnn_dtype.
unsigned dtypeSizeBytes(mnn_dtype dtype);
/// "MNN_DTYPE_F32" etc., "" for an unknown value.
llvm::StringRef dtypeEnumName(mnn_dtype dtype);
/// Product of the dims (1 for rank 0).
uint64_t numElements(const TensorSpec &tensor);

/// The exported symbols of a model library: NAME_create, NAME_run,
/// NAME_destroy, NAME_descriptor and mnn_model_descriptor.
std::vector<std::string> exportedSymbols(llvm::StringRef modelName);

/// LLVM struct types with the field order and types of the C structs in
/// model_api.h. With a target DataLayout, their StructLayout gives the C
/// offsets (checked by a unit test against offsetof).
llvm::StructType *getTensorDescType(llvm::LLVMContext &ctx);
llvm::StructType *getModelDescType(llvm::LLVMContext &ctx);

/// Adds the glue described above. The module must already carry the target's
/// data layout and triple (ObjectEmitter's prepareModule), and must define
/// __mnn_main with inputs+outputs+2 pointer parameters returning void.
llvm::Error addModelGlue(llvm::Module &module, const ModelInterface &model);

} // namespace mnn::codegen

#endif // MNN_CODEGEN_MODELGLUE_H
