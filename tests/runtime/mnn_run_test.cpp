// Tests of mnn-run: the .npy reader/writer directly, and the tool end to end
// on fake model .so files (fake_model.c linked with the runtime), run with
// posix_spawn. Paths come from CMake: MNN_RUN_BINARY, FAKE_ADD_SO,
// FAKE_SINGLE_SO, FAKE_BAD_ABI_SO.
#include <dlfcn.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "npy.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using mnnrun::NpyArray;
using mnnrun::ReadNpy;
using mnnrun::WriteNpy;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

// A .npy file with a hand-written header dict, for parser tests.
std::string MakeRawNpy(int major, const std::string& dict,
                       const std::string& data) {
  std::string s("\x93NUMPY", 6);
  s.push_back(static_cast<char>(major));
  s.push_back(0);
  std::string header = dict + "\n";
  uint32_t len = static_cast<uint32_t>(header.size());
  int len_bytes = major == 1 ? 2 : 4;
  for (int i = 0; i < len_bytes; ++i) {
    s.push_back(static_cast<char>((len >> (8 * i)) & 0xFF));
  }
  return s + header + data;
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "mnn-run-test-XXXXXX");
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    path_ = mkdtemp(buf.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// ---- .npy reader/writer ------------------------------------------------------

class Npy : public ::testing::Test {
 protected:
  std::string Path(const std::string& name) { return tmp_.path() + "/" + name; }

  // Reads `bytes` as a .npy file; returns the error ("" on success).
  std::string ReadError(const std::string& bytes, NpyArray* array = nullptr) {
    std::string path = Path("f.npy");
    WriteFile(path, bytes);
    NpyArray local;
    std::string error;
    bool ok = ReadNpy(path, array ? array : &local, &error);
    EXPECT_EQ(ok, error.empty());
    return error;
  }

  TempDir tmp_;
};

TEST_F(Npy, RoundTripsEveryDtypeAndRank) {
  const mnn_dtype dtypes[] = {MNN_DTYPE_F32, MNN_DTYPE_F16, MNN_DTYPE_I8,
                              MNN_DTYPE_U8,  MNN_DTYPE_I32, MNN_DTYPE_I64,
                              MNN_DTYPE_BOOL};
  const std::vector<std::vector<int64_t>> shapes = {
      {}, {0}, {3}, {2, 3}, {1, 2, 1, 2, 1, 2, 1, 2}};
  for (mnn_dtype dtype : dtypes) {
    for (const auto& shape : shapes) {
      size_t n = 1;
      for (int64_t d : shape) n *= static_cast<size_t>(d);
      std::vector<uint8_t> data(n * mnnrun::DtypeSize(dtype));
      for (size_t i = 0; i < data.size(); ++i) {
        data[i] = dtype == MNN_DTYPE_BOOL ? i % 2 : static_cast<uint8_t>(i * 7);
      }
      std::string path = Path("rt.npy"), error;
      ASSERT_TRUE(WriteNpy(path, dtype, shape.data(), shape.size(), data.data(),
                           data.size(), &error))
          << error;
      std::string bytes = ReadFile(path);
      // numpy's layout: header padded to a multiple of 64 bytes.
      EXPECT_EQ((bytes.size() - data.size()) % 64, 0u);
      NpyArray array;
      ASSERT_TRUE(ReadNpy(path, &array, &error)) << error;
      EXPECT_EQ(array.dtype, dtype);
      EXPECT_EQ(array.shape, shape);
      ASSERT_EQ(array.data.size(), data.size());
      EXPECT_EQ(reinterpret_cast<uintptr_t>(array.data.data()) %
                    MNN_ARENA_ALIGNMENT,
                0u);
      if (!data.empty()) {
        EXPECT_EQ(std::memcmp(array.data.data(), data.data(), data.size()), 0);
      }
    }
  }
}

TEST_F(Npy, WritesNumpysHeaderText) {
  int64_t shape1[] = {3};
  std::string h = mnnrun::MakeNpyHeader(MNN_DTYPE_F32, shape1, 1);
  const std::string dict =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }";
  EXPECT_EQ(h.substr(10, dict.size()), dict);
  EXPECT_EQ(h.size(), 128u);  // 10 + 57 + 1 bytes, padded to 64 like numpy
  EXPECT_EQ(h.back(), '\n');
  int64_t shape2[] = {2, 3};
  h = mnnrun::MakeNpyHeader(MNN_DTYPE_BOOL, shape2, 2);
  EXPECT_NE(h.find("'descr': '|b1'"), std::string::npos);
  EXPECT_NE(h.find("'shape': (2, 3)"), std::string::npos);
  h = mnnrun::MakeNpyHeader(MNN_DTYPE_I64, nullptr, 0);
  EXPECT_NE(h.find("'shape': ()"), std::string::npos);
}

// numpy saves ml_dtypes arrays (bfloat16, float8, int4, ...) as raw bytes:
// they read as void of that size, feed any model dtype of the same item size
// that is carried that way, and such outputs are written as '|V1'/'|V2'.
TEST_F(Npy, ReadsAndWritesRawBytesForMlDtypes) {
  NpyArray array;
  EXPECT_EQ(ReadError(MakeRawNpy(1, "{'descr': '<V1', 'fortran_order': "
                                    "False, 'shape': (2, 2), }",
                                 "abcd"),
                      &array),
            "");
  EXPECT_EQ(array.dtype, mnnrun::kNpyVoid1);
  EXPECT_EQ(array.shape, (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(ReadError(MakeRawNpy(1, "{'descr': '|V2', 'fortran_order': "
                                    "False, 'shape': (3,), }",
                                 "abcdef"),
                      &array),
            "");
  EXPECT_EQ(array.dtype, mnnrun::kNpyVoid2);
  // ml_dtypes.float8_e5m2 arrays are saved as '<f1'.
  EXPECT_EQ(ReadError(MakeRawNpy(1, "{'descr': '<f1', 'fortran_order': "
                                    "False, 'shape': (1,), }",
                                 "a"),
                      &array),
            "");
  EXPECT_EQ(array.dtype, mnnrun::kNpyVoid1);
  using mnnrun::NpyDtypeMatches;
  EXPECT_TRUE(NpyDtypeMatches(mnnrun::kNpyVoid1, MNN_DTYPE_F8E4M3FN));
  EXPECT_TRUE(NpyDtypeMatches(mnnrun::kNpyVoid1, MNN_DTYPE_I4));
  EXPECT_TRUE(NpyDtypeMatches(mnnrun::kNpyVoid1, MNN_DTYPE_U2));
  EXPECT_TRUE(NpyDtypeMatches(mnnrun::kNpyVoid2, MNN_DTYPE_BF16));
  EXPECT_FALSE(NpyDtypeMatches(mnnrun::kNpyVoid1, MNN_DTYPE_BF16));  // size
  EXPECT_FALSE(NpyDtypeMatches(mnnrun::kNpyVoid2, MNN_DTYPE_F8E5M2));
  EXPECT_FALSE(NpyDtypeMatches(mnnrun::kNpyVoid1, MNN_DTYPE_U8));  // has a descr
  EXPECT_FALSE(NpyDtypeMatches(MNN_DTYPE_U8, MNN_DTYPE_F8E4M3FN));
  int64_t shape[] = {3};
  EXPECT_NE(mnnrun::MakeNpyHeader(MNN_DTYPE_BF16, shape, 1).find("'descr': '|V2'"),
            std::string::npos);
  EXPECT_NE(mnnrun::MakeNpyHeader(MNN_DTYPE_I4, shape, 1).find("'descr': '|V1'"),
            std::string::npos);
  EXPECT_EQ(mnnrun::DtypeName(MNN_DTYPE_F8E4M3FNUZ), "float8_e4m3fnuz");
  EXPECT_EQ(mnnrun::DtypeSize(MNN_DTYPE_U4), 1u);
}

TEST_F(Npy, ReadsVersions2And3AndLooseFormatting) {
  std::string data(8, '\x01');
  NpyArray a;
  EXPECT_EQ(ReadError(MakeRawNpy(2, "{'descr': '<i4', 'fortran_order': "
                                    "False, 'shape': (2,), }",
                                 data),
                      &a),
            "");
  EXPECT_EQ(a.dtype, MNN_DTYPE_I32);
  EXPECT_EQ(a.shape, std::vector<int64_t>{2});
  EXPECT_EQ(ReadError(MakeRawNpy(3, "{\"shape\":(2,1),\"descr\":\"<f2\","
                                    "\"fortran_order\":False}",
                                 std::string(4, '\0')),
                      &a),
            "");
  EXPECT_EQ(a.dtype, MNN_DTYPE_F16);
  EXPECT_EQ(a.shape, (std::vector<int64_t>{2, 1}));
  // Fortran order is the same as C order for rank <= 1.
  EXPECT_EQ(ReadError(MakeRawNpy(1, "{ 'descr' : '|u1' , 'fortran_order' : "
                                    "True , 'shape' : ( 3 , ) }   ",
                                 "abc")),
            "");
  // 1-byte types may say '>' or '|'.
  EXPECT_EQ(ReadError(MakeRawNpy(1, "{'descr': '>i1', 'fortran_order': "
                                    "False, 'shape': (), }",
                                 "x")),
            "");
}

TEST_F(Npy, RejectsBadFiles) {
  auto has = [](const std::string& error, const char* what) {
    return error.find(what) != std::string::npos;
  };
  const std::string f4 = "{'descr': '<f4', 'fortran_order': False, ";
  EXPECT_PRED2(has, ReadError(""), "not a .npy file");
  EXPECT_PRED2(has, ReadError("hello world, not numpy"), "not a .npy file");
  EXPECT_PRED2(has, ReadError(std::string("\x93NUMPY\x01", 7)), "truncated");
  EXPECT_PRED2(has, ReadError(MakeRawNpy(4, f4 + "'shape': ()}", "abcd")),
               "unsupported .npy version 4.0");
  std::string good = MakeRawNpy(1, f4 + "'shape': (2, 3), }",
                                std::string(24, '\0'));
  EXPECT_EQ(ReadError(good), "");
  EXPECT_PRED2(has, ReadError(good.substr(0, 20)), "truncated .npy header");
  EXPECT_PRED2(has, ReadError(good.substr(0, good.size() - 14)),
               "truncated data: float32[2,3] needs 24 bytes, the file has 10");
  EXPECT_PRED2(has, ReadError(good + "xx"), "2 unexpected bytes");
  EXPECT_PRED2(has,
               ReadError(MakeRawNpy(1, "{'descr': '>f4', 'fortran_order': "
                                       "False, 'shape': (1,)}",
                                    "abcd")),
               "big-endian");
  EXPECT_PRED2(has,
               ReadError(MakeRawNpy(1, "{'descr': '<c8', 'fortran_order': "
                                       "False, 'shape': (1,)}",
                                    std::string(8, '\0'))),
               "unsupported dtype '<c8'");
  EXPECT_PRED2(has,
               ReadError(MakeRawNpy(1, "{'descr': '<f4', 'fortran_order': "
                                       "True, 'shape': (2, 2)}",
                                    std::string(16, '\0'))),
               "Fortran");
  EXPECT_PRED2(has, ReadError(MakeRawNpy(1, f4 + "'shape': (1,1,1,1,1,1,1,1,1)}",
                                         "abcd")),
               "rank 9");
  EXPECT_PRED2(has, ReadError(MakeRawNpy(1, f4 + "'shape': (-1,)}", "")),
               "expected an integer");
  EXPECT_PRED2(has,
               ReadError(MakeRawNpy(1, f4 + "'shape': (4294967296, "
                                            "4294967296, 4294967296)}",
                                    "")),
               "too large");
  EXPECT_PRED2(has, ReadError(MakeRawNpy(1, "{'descr': [('a', '<f4')], "
                                            "'fortran_order': False, "
                                            "'shape': ()}",
                                         "abcd")),
               "structured");
  EXPECT_PRED2(has, ReadError(MakeRawNpy(1, "{'descr': '<f4'}", "abcd")),
               "needs the keys");
  EXPECT_PRED2(has, ReadError(MakeRawNpy(1, "{'descr': '<f4', 'shape", "")),
               "bad .npy header");
  EXPECT_PRED2(has, ReadError(MakeRawNpy(1, f4 + "'shape': (1,)} x", "abcd")),
               "after '}'");
  std::string error;
  NpyArray array;
  EXPECT_FALSE(ReadNpy(Path("missing.npy"), &array, &error));
  EXPECT_PRED2(has, error, "cannot open");
  EXPECT_FALSE(ReadNpy(tmp_.path(), &array, &error));
  EXPECT_PRED2(has, error, "not a regular file");
}

// ---- Symbols of a model .so --------------------------------------------------

TEST(ModelSo, ExportsOnlyTheDescriptor) {
  void* handle = dlopen(FAKE_ADD_SO, RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(handle, nullptr) << dlerror();
  EXPECT_NE(dlsym(handle, MNN_MODEL_DESCRIPTOR_SYMBOL), nullptr);
  for (const char* hidden :
       {"__mnn_entry", "__mnn_model_desc", "mnnrt_create", "mnnrt_run",
        "mnnrt_destroy", "mnnrt_parallel_for", "mnnrt_pool_create"}) {
    EXPECT_EQ(dlsym(handle, hidden), nullptr) << hidden << " is exported";
  }
  dlclose(handle);
}

// ---- mnn-run end to end ------------------------------------------------------

struct ToolResult {
  int exit_code = -1;  // 128 + signal when killed
  std::string out, err;
};

class MnnRun : public ::testing::Test {
 protected:
  std::string Path(const std::string& name) { return work_.path() + "/" + name; }
  std::string OutDir() { return Path("out"); }

  ToolResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), MNN_RUN_BINARY);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::string out_path = logs_.path() + "/stdout", err_path =
                                                         logs_.path() + "/stderr";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid;
    int rc = posix_spawn(&pid, MNN_RUN_BINARY, &actions, nullptr, argv.data(),
                         environ);
    posix_spawn_file_actions_destroy(&actions);
    ToolResult result;
    EXPECT_EQ(rc, 0) << "posix_spawn: " << std::strerror(rc);
    if (rc != 0) return result;
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status)) {
      result.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
      result.exit_code = 128 + WTERMSIG(status);
    }
    result.out = ReadFile(out_path);
    result.err = ReadFile(err_path);
    return result;
  }

  // Asserts a failure: the exit code and exactly one stderr line of the form
  // "mnn-run: error: ..." containing every `part`.
  void ExpectError(const ToolResult& r, int code,
                   std::initializer_list<const char*> parts) {
    EXPECT_EQ(r.exit_code, code) << r.err;
    EXPECT_EQ(r.err.rfind("mnn-run: error: ", 0), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.back(), '\n');
    for (const char* part : parts) {
      EXPECT_NE(r.err.find(part), std::string::npos)
          << "'" << part << "' not in: " << r.err;
    }
  }

  std::string WriteF32(const std::string& name, std::vector<int64_t> shape,
                       const std::vector<float>& values) {
    std::string path = Path(name), error;
    EXPECT_TRUE(WriteNpy(path, MNN_DTYPE_F32, shape.data(), shape.size(),
                         values.data(), values.size() * sizeof(float), &error))
        << error;
    return path;
  }
  std::string WriteI32(const std::string& name, std::vector<int64_t> shape,
                       const std::vector<int32_t>& values) {
    std::string path = Path(name), error;
    EXPECT_TRUE(WriteNpy(path, MNN_DTYPE_I32, shape.data(), shape.size(),
                         values.data(), values.size() * sizeof(int32_t),
                         &error))
        << error;
    return path;
  }

  // --input a=... --input b=... for the add model.
  std::vector<std::string> AddInputs() {
    return {"--input", "a=" + WriteF32("a.npy", {2, 3}, {1, 2, 3, 4, 5, 6}),
            "--input",
            "b=" + WriteF32("b.npy", {2, 3}, {0.5f, 1, 1.5f, 2, 2.5f, 3})};
  }
  std::vector<std::string> AddArgs(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {FAKE_ADD_SO};
    for (auto& a : AddInputs()) args.push_back(a);
    args.push_back("--output-dir");
    args.push_back(OutDir());
    for (auto& a : extra) args.push_back(a);
    return args;
  }

  void ExpectSum(const std::string& path) {
    NpyArray y;
    std::string error;
    ASSERT_TRUE(ReadNpy(path, &y, &error)) << error;
    EXPECT_EQ(y.dtype, MNN_DTYPE_F32);
    EXPECT_EQ(y.shape, (std::vector<int64_t>{2, 3}));
    const float* v = reinterpret_cast<const float*>(y.data.data());
    const float expected[] = {1.5f, 3, 4.5f, 6, 7.5f, 9};
    for (int i = 0; i < 6; ++i) EXPECT_EQ(v[i], expected[i]) << i;
  }

  std::vector<std::string> List(const std::string& dir) {
    std::vector<std::string> names;
    std::error_code ec;
    for (auto& e : fs::directory_iterator(dir, ec)) {
      names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  TempDir work_, logs_;
};

TEST_F(MnnRun, HelpPrintsUsage) {
  ToolResult r = Run({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("usage: mnn-run"), std::string::npos);
  EXPECT_EQ(r.err, "");
}

TEST_F(MnnRun, AddModelWritesTheRightOutput) {
  ToolResult r = Run(AddArgs());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
  ExpectSum(OutDir() + "/sum.npy");
  EXPECT_EQ(List(OutDir()), std::vector<std::string>{"sum.npy"});
}

TEST_F(MnnRun, CreatesNestedOutputDirAndAcceptsOptionEqualsValue) {
  std::vector<std::string> args = {FAKE_ADD_SO};
  for (auto& a : AddInputs()) args.push_back(a);
  args.push_back("--output-dir=" + Path("x/y/z"));
  args.push_back("--threads=3");
  ToolResult r = Run(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectSum(Path("x/y/z/sum.npy"));
}

TEST_F(MnnRun, RunsOnSeveralThreads) {
  ToolResult r = Run(AddArgs({"--threads", "4"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectSum(OutDir() + "/sum.npy");
}

TEST_F(MnnRun, SingleInputModelTakesABarePathAndSanitizesOutputNames) {
  std::string x = WriteI32("x.npy", {4}, {1, -2, 3, 40});
  for (const std::string& spec : {x, "x=" + x}) {
    ToolResult r = Run({FAKE_SINGLE_SO, "--input", spec, "--output-dir",
                        OutDir()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // Output "out/double" is written as out_double.npy.
    NpyArray y;
    std::string error;
    ASSERT_TRUE(ReadNpy(OutDir() + "/out_double.npy", &y, &error)) << error;
    EXPECT_EQ(y.dtype, MNN_DTYPE_I32);
    const int32_t* v = reinterpret_cast<const int32_t*>(y.data.data());
    EXPECT_EQ(v[0], 2);
    EXPECT_EQ(v[1], -4);
    EXPECT_EQ(v[2], 6);
    EXPECT_EQ(v[3], 80);
  }
}

TEST_F(MnnRun, WrongShapeFailsAndWritesNothing) {
  std::string a = WriteF32("a.npy", {3, 2}, {1, 2, 3, 4, 5, 6});
  std::string b = WriteF32("b.npy", {2, 3}, {1, 2, 3, 4, 5, 6});
  ToolResult r = Run({FAKE_ADD_SO, "--input", "a=" + a, "--input", "b=" + b,
                      "--output-dir", OutDir()});
  ExpectError(r, 1, {"input 'a'", "expected float32[2,3], got float32[3,2]"});
  EXPECT_FALSE(fs::exists(OutDir()));
}

TEST_F(MnnRun, WrongDtypeFails) {
  std::string a = WriteI32("a.npy", {2, 3}, {1, 2, 3, 4, 5, 6});
  std::string b = WriteF32("b.npy", {2, 3}, {1, 2, 3, 4, 5, 6});
  ToolResult r = Run({FAKE_ADD_SO, "--input", "a=" + a, "--input", "b=" + b,
                      "--output-dir", OutDir()});
  ExpectError(r, 1, {"input 'a'", "expected float32[2,3], got int32[2,3]"});
  EXPECT_FALSE(fs::exists(OutDir()));
}

TEST_F(MnnRun, MissingInputIsNamed) {
  std::string a = WriteF32("a.npy", {2, 3}, {1, 2, 3, 4, 5, 6});
  ToolResult r = Run({FAKE_ADD_SO, "--input", "a=" + a, "--output-dir",
                      OutDir()});
  ExpectError(r, 1, {"missing input 'b'", "model inputs: a, b"});
  EXPECT_FALSE(fs::exists(OutDir()));
}

TEST_F(MnnRun, UnknownInputNameListsTheValidOnes) {
  std::vector<std::string> args = AddArgs();
  args.push_back("--input");
  args.push_back("c=" + Path("a.npy"));
  ToolResult r = Run(args);
  ExpectError(r, 1, {"unknown input 'c'", "model inputs: a, b"});
}

TEST_F(MnnRun, BarePathNeedsASingleInputModel) {
  ToolResult r = Run({FAKE_ADD_SO, "--input",
                      WriteF32("a.npy", {2, 3}, {1, 2, 3, 4, 5, 6}),
                      "--output-dir", OutDir()});
  ExpectError(r, 1, {"NAME=FILE.npy", "model inputs: a, b"});
}

TEST_F(MnnRun, InputGivenTwiceFails) {
  std::vector<std::string> args = AddArgs();
  args.push_back("--input");
  args.push_back("a=" + Path("b.npy"));
  ExpectError(Run(args), 1, {"input 'a' given twice"});
}

TEST_F(MnnRun, GarbageNpyFails) {
  WriteFile(Path("g.npy"), "this is not a numpy file\n");
  ToolResult r = Run({FAKE_ADD_SO, "--input", "a=" + Path("g.npy"), "--input",
                      "b=" + Path("g.npy"), "--output-dir", OutDir()});
  ExpectError(r, 1, {"input 'a'", "not a .npy file"});
  EXPECT_FALSE(fs::exists(OutDir()));
}

TEST_F(MnnRun, TruncatedNpyFails) {
  std::string a = WriteF32("a.npy", {2, 3}, {1, 2, 3, 4, 5, 6});
  std::string bytes = ReadFile(a);
  WriteFile(Path("data.npy"), bytes.substr(0, bytes.size() - 3));
  WriteFile(Path("head.npy"), bytes.substr(0, 30));
  std::vector<std::string> args = AddArgs();
  args[2] = "a=" + Path("data.npy");
  ExpectError(Run(args), 1, {"input 'a'", "truncated data"});
  args[2] = "a=" + Path("head.npy");
  ExpectError(Run(args), 1, {"input 'a'", "truncated .npy header"});
  EXPECT_FALSE(fs::exists(OutDir()));
}

TEST_F(MnnRun, MissingNpyFileFails) {
  std::vector<std::string> args = AddArgs();
  args[4] = "b=" + Path("nope.npy");
  ExpectError(Run(args), 1, {"input 'b'", "cannot open", "nope.npy"});
}

TEST_F(MnnRun, MissingOrInvalidModelFails) {
  std::vector<std::string> args = AddArgs();
  args[0] = Path("libmissing.so");
  ExpectError(Run(args), 1, {"cannot load model", "libmissing.so"});
  WriteFile(Path("libgarbage.so"), "not an ELF file");
  args[0] = Path("libgarbage.so");
  ExpectError(Run(args), 1, {"cannot load model", "libgarbage.so"});
  args[0] = work_.path();
  ExpectError(Run(args), 1, {"is not a file"});
}

TEST_F(MnnRun, AbiMismatchFails) {
  std::vector<std::string> args = AddArgs();
  args[0] = FAKE_BAD_ABI_SO;
  ExpectError(Run(args), 1, {"ABI version 99"});
  EXPECT_FALSE(fs::exists(OutDir()));
}

TEST_F(MnnRun, BadThreadCountFailsAndRemovesTheOutputDir) {
  std::vector<std::string> args = AddArgs({"--threads", "-1"});
  args[6] = Path("new/sub");  // --output-dir
  ExpectError(Run(args), 1, {"num_threads"});
  EXPECT_FALSE(fs::exists(Path("new")));
  ExpectError(Run(AddArgs({"--threads", "257"})), 1, {"num_threads"});
}

TEST_F(MnnRun, BenchPrintsOneTimingLineAndStillWritesOutputs) {
  ToolResult r = Run(AddArgs({"--bench", "5", "--warmup", "1"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_match(
      r.out, std::regex("median_ms=[0-9]+\\.[0-9]{3} min_ms=[0-9]+\\.[0-9]{3}\n")))
      << r.out;
  ExpectSum(OutDir() + "/sum.npy");
}

TEST_F(MnnRun, BenchWithoutOutputDirWritesNothing) {
  std::vector<std::string> args = {FAKE_ADD_SO};
  for (auto& a : AddInputs()) args.push_back(a);
  args.push_back("--bench");
  args.push_back("3");
  ToolResult r = Run(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("median_ms=", 0), 0u) << r.out;
  EXPECT_FALSE(fs::exists(OutDir()));
}

TEST_F(MnnRun, UnwritableOutputLeavesNoPartialFiles) {
  // A non-empty directory where sum.npy should go: the final rename fails.
  fs::create_directories(OutDir() + "/sum.npy/keep");
  ExpectError(Run(AddArgs()), 1, {"sum.npy"});
  EXPECT_EQ(List(OutDir()), std::vector<std::string>{"sum.npy"});
  EXPECT_TRUE(fs::is_directory(OutDir() + "/sum.npy/keep"));
}

TEST_F(MnnRun, OutputDirThatIsAFileFails) {
  WriteFile(OutDir(), "a file");
  ExpectError(Run(AddArgs()), 1, {"not a directory"});
  EXPECT_EQ(ReadFile(OutDir()), "a file");
}

TEST_F(MnnRun, UsageErrorsExitWith2) {
  ExpectError(Run({}), 2, {"no model .so given"});
  ExpectError(Run({FAKE_ADD_SO, "--frobnicate"}), 2,
              {"unknown option '--frobnicate'"});
  ExpectError(Run({FAKE_ADD_SO, "--input"}), 2, {"--input needs a value"});
  ExpectError(Run({FAKE_ADD_SO, FAKE_ADD_SO, "--output-dir", OutDir()}), 2,
              {"unexpected argument"});
  ExpectError(Run(AddArgs({"--threads", "many"})), 2,
              {"--threads needs an integer"});
  ExpectError(Run(AddArgs({"--bench", "0"})), 2, {"--bench"});
  ExpectError(Run(AddArgs({"--warmup", "2"})), 2, {"--warmup needs --bench"});
  std::vector<std::string> no_dir = {FAKE_ADD_SO};
  for (auto& a : AddInputs()) no_dir.push_back(a);
  ExpectError(Run(no_dir), 2, {"--output-dir is required"});
}

}  // namespace
