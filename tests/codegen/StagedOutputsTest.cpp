#include "codegen/StagedOutputs.h"

#include "TestSupport.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

using namespace mnn::codegen;
using namespace mnn::codegen::test;

namespace {

void writeFile(const std::string &path, llvm::StringRef text) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  ASSERT_FALSE(ec) << path;
  os << text;
}

std::string readFile(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  return buffer ? (*buffer)->getBuffer().str() : "<missing>";
}

TEST(StagedOutputs, CommitPublishesAll) {
  TempDir dir;
  std::string lib = dir.file("out/libm.so"), header = dir.file("out/m.h");
  StagedOutputs staged;
  llvm::Expected<std::string> tmpLib = staged.stage(lib);
  llvm::Expected<std::string> tmpHeader = staged.stage(header);
  ASSERT_TRUE(tmpLib && tmpHeader);
  EXPECT_NE(*tmpLib, lib);
  EXPECT_TRUE(llvm::StringRef(*tmpLib).contains("/out/.libm.so.tmp-"));
  writeFile(*tmpLib, "lib");
  writeFile(*tmpHeader, "header");
  EXPECT_FALSE(llvm::sys::fs::exists(lib));
  ASSERT_EQ(errorText(staged.commit()), "");
  EXPECT_EQ(readFile(lib), "lib");
  EXPECT_EQ(readFile(header), "header");
  EXPECT_FALSE(llvm::sys::fs::exists(*tmpLib));
}

TEST(StagedOutputs, DestructionDiscardsAndKeepsOldFiles) {
  TempDir dir;
  std::string lib = dir.file("libm.so");
  writeFile(lib, "old");
  {
    StagedOutputs staged;
    llvm::Expected<std::string> tmp = staged.stage(lib);
    ASSERT_TRUE(bool(tmp));
    writeFile(*tmp, "half-written");
    // no commit: an error happened later
  }
  EXPECT_EQ(readFile(lib), "old");
  EXPECT_EQ(dir.list(), std::vector<std::string>{"libm.so"});
}

} // namespace
