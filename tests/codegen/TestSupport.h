// Shared helpers of codegen_tests: the hand-written vector-add model, temp
// directories, running programs, locating the runtime archives.
#ifndef MNN_TESTS_CODEGEN_TESTSUPPORT_H
#define MNN_TESTS_CODEGEN_TESTSUPPORT_H

#include "codegen/ModelGlue.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace llvm {
class LLVMContext;
class Module;
} // namespace llvm

namespace mnn::codegen::test {

/// A module with
///   @bias = global <4 x float> 0.5           (a "weight", external linkage)
///   void @add_bias(ptr dst, ptr src)         (a helper, external linkage)
///   void @__mnn_main(ptr a, ptr b, ptr sum, ptr arena, ptr pool)
/// computing sum = a + b + bias through the arena, for float[4] tensors.
std::unique_ptr<llvm::Module> buildVectorAddModule(llvm::LLVMContext &ctx);

/// Its interface: inputs "a", "b", output "sum" (f32[4]), 64 arena bytes.
ModelInterface vectorAddInterface(const std::string &name,
                                  const std::string &arch);

/// A fresh directory, removed with its contents on destruction.
class TempDir {
public:
  TempDir();
  ~TempDir();
  const std::string &path() const { return path_; }
  std::string file(llvm::StringRef name) const;
  /// Names of the entries in the directory, sorted.
  std::vector<std::string> list() const;

private:
  std::string path_;
};

struct ProcessResult {
  int exitCode = -1;
  std::string output; // stdout and stderr
};
ProcessResult runProgram(llvm::StringRef program,
                         llvm::ArrayRef<std::string> args);

/// The stand-in runtime built by tests/codegen for `arch` ("" if missing).
std::string stubRuntimeArchive(llvm::StringRef arch);
/// The real runtime of this build ("" if it has not been built).
std::string realRuntimeArchive(llvm::StringRef arch);

/// Consumes the error and returns its message ("" for success).
std::string errorText(llvm::Error err);

} // namespace mnn::codegen::test

#endif // MNN_TESTS_CODEGEN_TESTSUPPORT_H
