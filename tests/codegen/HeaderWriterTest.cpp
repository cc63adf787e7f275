#include "codegen/HeaderWriter.h"
#include "codegen/ModelGlue.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

using namespace mnn::codegen;
using namespace mnn::codegen::test;

namespace {

ModelInterface otherInterface() {
  ModelInterface model;
  model.name = "other";
  model.arch = "x86_64";
  model.inputs = {{"weird \"name\"\\ ?\?= \xc3\xa9\n", MNN_DTYPE_U8, {1, 3, 2, 2}}};
  model.outputs = {{"score", MNN_DTYPE_I64, {}}};
  model.arenaBytes = uint64_t(8) << 30;
  model.threadScratchBytes = 744192;
  return model;
}

bool contains(const std::string &text, const std::string &piece) {
  return text.find(piece) != std::string::npos;
}

TEST(HeaderWriter, CStringLiteral) {
  EXPECT_EQ(cStringLiteral("plain_name.1"), "\"plain_name.1\"");
  EXPECT_EQ(cStringLiteral("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(cStringLiteral("?\?="), "\"\\?\\?=\"");
  EXPECT_EQ(cStringLiteral("\n1\xc3"), "\"\\0121\\303\"");
}

TEST(HeaderWriter, Macros) {
  std::string h = renderModelHeader(vectorAddInterface("vadd", "x86_64"));
  EXPECT_TRUE(contains(h, "#ifndef MNN_MODEL_vadd_H_\n#define MNN_MODEL_vadd_H_\n"));
  EXPECT_TRUE(contains(h, std::string(modelApiHeaderText())));
  EXPECT_TRUE(contains(h, "#ifndef MNN_MODEL_API_H_"));
  EXPECT_TRUE(contains(h, "typedef struct vadd_model vadd_model;"));
  EXPECT_TRUE(contains(h, "#define vadd_NUM_INPUTS 2\n"));
  EXPECT_TRUE(contains(h, "#define vadd_NUM_OUTPUTS 1\n"));
  EXPECT_TRUE(contains(h, "#define vadd_ARENA_BYTES 64\n"));
  EXPECT_TRUE(contains(h, "#define vadd_THREAD_SCRATCH_BYTES 0\n"));
  EXPECT_TRUE(contains(h, "#define vadd_INPUT_1_NAME \"b\"\n"));
  EXPECT_TRUE(contains(h, "#define vadd_INPUT_0_DTYPE MNN_DTYPE_F32\n"));
  EXPECT_TRUE(contains(h, "#define vadd_INPUT_0_LAYOUT MNN_LAYOUT_ROW_MAJOR\n"));
  EXPECT_TRUE(contains(h, "#define vadd_OUTPUT_0_RANK 1\n"));
  EXPECT_TRUE(contains(h, "#define vadd_OUTPUT_0_SHAPE {4}\n"));
  EXPECT_TRUE(contains(h, "#define vadd_OUTPUT_0_NUM_ELEMENTS 4\n"));
  EXPECT_TRUE(contains(h, "#define vadd_OUTPUT_0_SIZE_BYTES 16\n"));
  EXPECT_TRUE(contains(h, "int vadd_create(const mnn_options* options, "
                          "vadd_model** model,\n    mnn_status* status);"));
  EXPECT_TRUE(contains(h, "int vadd_run(vadd_model* model, const void* const* "
                          "inputs,\n    void* const* outputs, mnn_status* "
                          "status);"));
  EXPECT_TRUE(contains(h, "void vadd_destroy(vadd_model* model);"));
  EXPECT_TRUE(contains(h, "const mnn_model_desc* vadd_descriptor(void);"));
  EXPECT_TRUE(llvm::StringRef(h).ends_with("#endif /* MNN_MODEL_vadd_H_ */\n"));

  std::string o = renderModelHeader(otherInterface());
  EXPECT_TRUE(contains(o, "#define other_INPUT_0_SHAPE {1, 3, 2, 2}\n"));
  EXPECT_TRUE(contains(o, "#define other_INPUT_0_SIZE_BYTES 12\n"));
  EXPECT_TRUE(contains(o, "#define other_OUTPUT_0_RANK 0\n"));
  EXPECT_TRUE(contains(o, "#define other_OUTPUT_0_NUM_ELEMENTS 1\n"));
  EXPECT_TRUE(contains(o, "#define other_OUTPUT_0_SIZE_BYTES 8\n"));
  EXPECT_TRUE(contains(o, "#define other_ARENA_BYTES 8589934592\n"));
  EXPECT_TRUE(contains(o, "#define other_THREAD_SCRATCH_BYTES 744192\n"));
}

TEST(HeaderWriter, RejectsInvalidInterface) {
  TempDir dir;
  ModelInterface bad = vectorAddInterface("my-model", "x86_64");
  EXPECT_TRUE(contains(errorText(writeModelHeader(bad, dir.file("x.h"))),
                       "contains '-'"));
  EXPECT_TRUE(dir.list().empty());
}

// The headers must compile as C89 and C99 with -pedantic-errors, and as C++.
TEST(HeaderWriter, CompilesAsCAndCxx) {
  TempDir dir;
  ASSERT_EQ(errorText(writeModelHeader(vectorAddInterface("vadd", "x86_64"),
                                       dir.file("vadd.h"))),
            "");
  ASSERT_EQ(errorText(writeModelHeader(otherInterface(), dir.file("other.h"))),
            "");
  std::string source = MNN_TEST_SOURCE_DIR "/header_usage.c";
  std::string include = "-I" + dir.path();
  struct Mode {
    const char *compiler;
    std::vector<std::string> flags;
  } modes[] = {
      {MNN_TEST_C_COMPILER, {"-std=c89", "-pedantic-errors"}},
      {MNN_TEST_C_COMPILER,
       {"-std=c99", "-pedantic-errors", "-Wall", "-Wextra", "-Werror"}},
      {MNN_TEST_CXX_COMPILER,
       {"-x", "c++", "-std=c++11", "-pedantic-errors", "-Wall", "-Wextra",
        "-Werror"}},
  };
  for (const Mode &mode : modes) {
    std::vector<std::string> args = mode.flags;
    args.insert(args.end(), {"-fsyntax-only", include, source});
    ProcessResult r = runProgram(mode.compiler, args);
    EXPECT_EQ(r.exitCode, 0) << mode.compiler << " " << mode.flags[0] << " "
                             << mode.flags[1] << ":\n"
                             << r.output;
  }
}

} // namespace
