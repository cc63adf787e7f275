// SharedLibraryLinker: object + libmnnrt.a -> libNAME.so, by running ld.lld.
#ifndef MNN_CODEGEN_SHAREDLIBRARYLINKER_H
#define MNN_CODEGEN_SHAREDLIBRARYLINKER_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace mnn::codegen {

struct LinkOptions {
  std::string arch;           ///< "x86_64" or "aarch64"
  std::vector<std::string> objectPaths; ///< the model objects (ObjectEmitter)
  std::string runtimeArchive; ///< libmnnrt.a for `arch` (findRuntimeArchive)
  std::string outputPath;     ///< the .so to write (may be a temp name)
  std::string soname;         ///< DT_SONAME, "libNAME.so"
  /// Dynamic symbols to export; everything else is local (version script).
  std::vector<std::string> exportedSymbols;
  /// ld.lld to run; empty: MNN_DEFAULT_LD_LLD from the build, else ld.lld-19
  /// or ld.lld on PATH.
  std::string linkerPath;
  /// Where libc/libm/libpthread for `arch` live; unset: the Debian default
  /// (/usr/lib/x86_64-linux-gnu, /usr/aarch64-linux-gnu/lib). When the
  /// directory does not exist the .so is linked without them.
  std::optional<std::string> systemLibDir;
  /// Link GCC's libgcc.a for `arch` when found (helpers such as
  /// __aarch64_ldadd4_acq_rel or __udivti3 that compiled code may call).
  bool linkLibgcc = true;
  bool stripAll = true;
  std::vector<std::string> extraArgs; ///< appended before the inputs
};

/// Resolves the linker to run (see LinkOptions::linkerPath).
llvm::Expected<std::string> findLinker(llvm::StringRef explicitPath = "");

/// The Debian multiarch library directory for `arch` ("" if unknown arch).
std::string defaultSystemLibDir(llvm::StringRef arch);

/// Runs the linker. On failure the error holds the command line and the
/// linker's output.
llvm::Error linkSharedLibrary(const LinkOptions &options);

/// Finds `<arch>/libmnnrt.a`: in $MNN_RUNTIME_DIR when set (that directory
/// must then contain `<arch>/libmnnrt.a`), else relative to the executable
/// `argv0` belongs to: `<bindir>/../lib/mnn-compiler/runtime/<arch>/`.
/// The error lists the paths it tried.
llvm::Expected<std::string> findRuntimeArchive(llvm::StringRef arch,
                                               const char *argv0);

} // namespace mnn::codegen

#endif // MNN_CODEGEN_SHAREDLIBRARYLINKER_H
