#include "codegen/StagedOutputs.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

namespace mnn::codegen {

llvm::Expected<std::string> StagedOutputs::stage(llvm::StringRef finalPath) {
  llvm::StringRef dir = llvm::sys::path::parent_path(finalPath);
  llvm::StringRef name = llvm::sys::path::filename(finalPath);
  if (name.empty())
    return llvm::createStringError("output path '" + finalPath +
                                   "' has no file name");
  if (!dir.empty())
    if (std::error_code ec = llvm::sys::fs::create_directories(dir))
      return llvm::createStringError(ec, "cannot create directory '" + dir +
                                             "': " + ec.message());

  llvm::SmallString<256> model(dir);
  llvm::sys::path::append(model, "." + name + ".tmp-%%%%%%");
  llvm::SmallString<256> tempPath;
  int fd;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueFile(model, fd, tempPath))
    return llvm::createStringError(ec, "cannot create a temporary file in '" +
                                           (dir.empty() ? "." : dir) +
                                           "': " + ec.message());
  llvm::sys::Process::SafelyCloseFileDescriptor(fd);
  entries_.push_back({std::string(tempPath), finalPath.str()});
  return std::string(tempPath);
}

llvm::Error StagedOutputs::commit() {
  std::vector<Entry> entries = std::move(entries_);
  entries_.clear();
  for (size_t i = 0; i < entries.size(); ++i) {
    if (std::error_code ec = llvm::sys::fs::rename(entries[i].tempPath,
                                                   entries[i].finalPath)) {
      for (size_t j = i; j < entries.size(); ++j)
        llvm::sys::fs::remove(entries[j].tempPath);
      return llvm::createStringError(
          ec, "cannot move '" + entries[i].tempPath + "' to '" +
                  entries[i].finalPath + "': " + ec.message());
    }
  }
  return llvm::Error::success();
}

void StagedOutputs::discard() {
  for (const Entry &entry : entries_)
    llvm::sys::fs::remove(entry.tempPath);
  entries_.clear();
}

} // namespace mnn::codegen
