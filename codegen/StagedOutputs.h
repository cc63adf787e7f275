// StagedOutputs: write outputs under temporary names, publish them together.
//
// The driver stages libNAME.so and NAME.h, lets the linker and the header
// writer fill the temporary paths, and commits only when every step
// succeeded; on any error (or an early return) the destructor removes the
// temporaries, so the output directory never holds a half-written file.
#ifndef MNN_CODEGEN_STAGEDOUTPUTS_H
#define MNN_CODEGEN_STAGEDOUTPUTS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace mnn::codegen {

class StagedOutputs {
public:
  StagedOutputs() = default;
  StagedOutputs(const StagedOutputs &) = delete;
  StagedOutputs &operator=(const StagedOutputs &) = delete;
  ~StagedOutputs() { discard(); }

  /// Creates the directory of `finalPath` if needed and an empty temporary
  /// file next to it ("<dir>/.<name>.tmp-XXXXXX": same file system, so the
  /// final rename is atomic). Returns the temporary path to write.
  llvm::Expected<std::string> stage(llvm::StringRef finalPath);

  /// Renames every staged file onto its final path. Each rename is atomic;
  /// if one fails, the files not yet renamed are removed.
  llvm::Error commit();

  /// Removes every staged temporary that was not committed.
  void discard();

private:
  struct Entry {
    std::string tempPath;
    std::string finalPath;
  };
  std::vector<Entry> entries_;
};

} // namespace mnn::codegen

#endif // MNN_CODEGEN_STAGEDOUTPUTS_H
