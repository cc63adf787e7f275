#include "codegen/SharedLibraryLinker.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#ifndef MNN_DEFAULT_LD_LLD
#define MNN_DEFAULT_LD_LLD ""
#endif
#ifndef MNN_RUNTIME_LIBDIR
#define MNN_RUNTIME_LIBDIR "lib/mnn-compiler/runtime"
#endif

namespace mnn::codegen {
namespace {

constexpr llvm::StringLiteral kRuntimeArchiveName = "libmnnrt.a";

llvm::StringRef emulation(llvm::StringRef arch) {
  if (arch == "x86_64")
    return "elf_x86_64";
  if (arch == "aarch64")
    return "aarch64linux";
  return "";
}

llvm::StringRef gnuTriple(llvm::StringRef arch) {
  if (arch == "x86_64")
    return "x86_64-linux-gnu";
  if (arch == "aarch64")
    return "aarch64-linux-gnu";
  return "";
}

// libgcc.a of the newest GCC (native or cross) that targets `arch`.
std::string findLibgcc(llvm::StringRef arch) {
  std::string best;
  unsigned bestVersion = 0;
  for (const char *root : {"/usr/lib/gcc", "/usr/lib/gcc-cross"}) {
    llvm::SmallString<128> dir(root);
    llvm::sys::path::append(dir, gnuTriple(arch));
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(dir, ec), end; !ec && it != end;
         it.increment(ec)) {
      unsigned version = 0;
      if (llvm::sys::path::filename(it->path())
              .split('.')
              .first.getAsInteger(10, version))
        continue;
      llvm::SmallString<128> lib(it->path());
      llvm::sys::path::append(lib, "libgcc.a");
      if (version >= bestVersion && llvm::sys::fs::exists(lib)) {
        bestVersion = version;
        best = std::string(lib);
      }
    }
  }
  return best;
}

std::string quoteForMessage(llvm::ArrayRef<llvm::StringRef> args) {
  std::string out;
  for (llvm::StringRef arg : args) {
    if (!out.empty())
      out += ' ';
    if (arg.find_first_of(" \t'\"") != llvm::StringRef::npos)
      out += ("'" + arg + "'").str();
    else
      out += arg.str();
  }
  return out;
}

} // namespace

llvm::Expected<std::string> findLinker(llvm::StringRef explicitPath) {
  if (!explicitPath.empty()) {
    if (llvm::sys::fs::can_execute(explicitPath))
      return explicitPath.str();
    if (!explicitPath.contains('/'))
      if (auto found = llvm::sys::findProgramByName(explicitPath))
        return *found;
    return llvm::createStringError("linker '" + explicitPath +
                                   "' not found or not executable");
  }
  llvm::StringRef builtIn = MNN_DEFAULT_LD_LLD;
  if (!builtIn.empty() && llvm::sys::fs::can_execute(builtIn))
    return builtIn.str();
  for (const char *name : {"ld.lld-19", "ld.lld"})
    if (auto found = llvm::sys::findProgramByName(name))
      return *found;
  return llvm::createStringError(
      "cannot find ld.lld (built-in default '" + builtIn +
      "', nor ld.lld-19/ld.lld on PATH); install lld-19 or pass a linker path");
}

std::string defaultSystemLibDir(llvm::StringRef arch) {
  if (arch == "x86_64")
    return "/usr/lib/x86_64-linux-gnu";
  if (arch == "aarch64")
    return "/usr/aarch64-linux-gnu/lib";
  return "";
}

llvm::Error linkSharedLibrary(const LinkOptions &options) {
  if (emulation(options.arch).empty())
    return llvm::createStringError("cannot link for unknown architecture '" +
                                   options.arch + "'");
  if (options.objectPaths.empty())
    return llvm::createStringError("link: no model object given");
  std::vector<std::pair<const char *, std::string>> inputs;
  for (const std::string &object : options.objectPaths)
    inputs.push_back({"model object", object});
  inputs.push_back({"runtime archive", options.runtimeArchive});
  for (const auto &[what, path] : inputs)
    if (!llvm::sys::fs::exists(path))
      return llvm::createStringError(llvm::Twine(what) + " '" + path +
                                     "' does not exist");
  if (options.outputPath.empty() || options.soname.empty())
    return llvm::createStringError("link: output path and soname are required");

  llvm::Expected<std::string> linker = findLinker(options.linkerPath);
  if (!linker)
    return linker.takeError();

  // Version script: only the public symbols stay global.
  llvm::SmallString<128> scriptPath;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
          "mnn-exports", "ver", scriptPath))
    return llvm::createStringError(
        ec, "cannot create the version script: " + ec.message());
  llvm::FileRemover removeScript(scriptPath);
  {
    std::error_code ec;
    llvm::raw_fd_ostream script(scriptPath, ec, llvm::sys::fs::OF_Text);
    if (ec)
      return llvm::createStringError(ec, "cannot write '" + scriptPath +
                                             "': " + ec.message());
    script << "{\n  global:\n";
    for (const std::string &symbol : options.exportedSymbols)
      script << "    " << symbol << ";\n";
    script << "  local: *;\n};\n";
  }

  llvm::SmallString<128> logPath;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("mnn-ld", "log", logPath))
    return llvm::createStringError(
        ec, "cannot create the linker log: " + ec.message());
  llvm::FileRemover removeLog(logPath);

  std::string sysLibDir = options.systemLibDir
                              ? *options.systemLibDir
                              : defaultSystemLibDir(options.arch);
  bool haveSysLibs =
      !sysLibDir.empty() && llvm::sys::fs::is_directory(sysLibDir);
  std::string libgcc = options.linkLibgcc ? findLibgcc(options.arch) : "";

  std::vector<std::string> args = {
      *linker,
      "-m", emulation(options.arch).str(),
      "-shared",
      "-soname", options.soname,
      "--gc-sections",
      "-z", "now",
      "-z", "relro",
      "--hash-style=gnu",
      "--eh-frame-hdr",
      "-O1",
      "--as-needed",
      "--version-script=" + std::string(scriptPath),
  };
  if (options.stripAll)
    args.push_back("--strip-all");
  if (haveSysLibs) {
    // With libc at hand, fail now on unresolved symbols instead of at dlopen.
    args.insert(args.end(), {"-z", "defs"});
  }
  args.insert(args.end(), options.extraArgs.begin(), options.extraArgs.end());
  args.insert(args.end(), {"-o", options.outputPath});
  args.insert(args.end(), options.objectPaths.begin(), options.objectPaths.end());
  args.push_back(options.runtimeArchive);
  if (!libgcc.empty())
    args.push_back(libgcc);
  if (haveSysLibs)
    args.insert(args.end(),
                {"-L" + sysLibDir, "-lc", "-lm", "-lpthread"});

  llvm::SmallVector<llvm::StringRef> argRefs(args.begin(), args.end());
  std::optional<llvm::StringRef> redirects[] = {llvm::StringRef(""),
                                                llvm::StringRef(logPath),
                                                llvm::StringRef(logPath)};
  std::string execError;
  bool execFailed = false;
  int rc = llvm::sys::ExecuteAndWait(*linker, argRefs, /*Env=*/std::nullopt,
                                     redirects, /*SecondsToWait=*/0,
                                     /*MemoryLimit=*/0, &execError,
                                     &execFailed);
  if (execFailed || rc != 0) {
    std::string log;
    if (auto buffer = llvm::MemoryBuffer::getFile(logPath))
      log = (*buffer)->getBuffer().rtrim().str();
    std::string message = "linking " + options.soname + " failed";
    if (execFailed)
      message += " (cannot run the linker: " + execError + ")";
    else if (rc < 0)
      message += " (linker crashed: " + execError + ")";
    else
      message += " (exit code " + std::to_string(rc) + ")";
    message += "\ncommand: " + quoteForMessage(argRefs);
    if (!log.empty())
      message += "\n" + log;
    return llvm::createStringError(message);
  }
  return llvm::Error::success();
}

llvm::Expected<std::string> findRuntimeArchive(llvm::StringRef arch,
                                               const char *argv0) {
  if (emulation(arch).empty())
    return llvm::createStringError("no runtime for unknown architecture '" +
                                   arch + "'");
  std::vector<std::string> tried;
  auto probe = [&](llvm::StringRef runtimeDir) -> std::optional<std::string> {
    llvm::SmallString<256> path(runtimeDir);
    llvm::sys::path::append(path, arch, kRuntimeArchiveName);
    llvm::sys::path::remove_dots(path, /*remove_dot_dot=*/true);
    if (llvm::sys::fs::exists(path))
      return std::string(path);
    tried.push_back(std::string(path));
    return std::nullopt;
  };

  if (std::optional<std::string> env =
          llvm::sys::Process::GetEnv("MNN_RUNTIME_DIR")) {
    if (auto found = probe(*env))
      return *found;
    return llvm::createStringError("MNN_RUNTIME_DIR is set but " +
                                   tried.back() + " does not exist");
  }

  static int anchor;
  std::string exe = llvm::sys::fs::getMainExecutable(
      argv0, reinterpret_cast<void *>(&anchor));
  if (exe.empty() && argv0)
    exe = argv0;
  llvm::StringRef binDir = llvm::sys::path::parent_path(exe);
  llvm::SmallVector<std::string, 2> candidates;
  for (llvm::StringRef libdir : {llvm::StringRef(MNN_RUNTIME_LIBDIR),
                                 llvm::StringRef("lib/mnn-compiler/runtime")}) {
    llvm::SmallString<256> dir(binDir);
    llvm::sys::path::append(dir, "..", libdir);
    if (!llvm::is_contained(candidates, std::string(dir)))
      candidates.push_back(std::string(dir));
  }
  for (const std::string &dir : candidates)
    if (auto found = probe(dir))
      return *found;
  return llvm::createStringError(
      "cannot find the " + arch + " runtime " + kRuntimeArchiveName +
      "; tried " + llvm::join(tried, ", ") +
      " (set MNN_RUNTIME_DIR to the directory holding <arch>/" +
      kRuntimeArchiveName + ")");
}

} // namespace mnn::codegen
