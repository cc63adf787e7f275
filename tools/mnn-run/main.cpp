// mnn-run: runs a model .so built by mnn-compile on .npy inputs, writes its
// outputs as .npy files, and optionally benchmarks it.
//
// Every failure is one line "mnn-run: error: ..." on stderr with exit code 1
// (2 for usage errors). Outputs are written to temporary names and renamed
// only once all of them are complete; on any failure everything this run
// wrote (files and directories it created) is removed again.
#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "mnn/model_api.h"
#include "npy.h"

namespace mnnrun {
namespace {

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

const char kUsage[] =
    "usage: mnn-run MODEL.so --input NAME=FILE.npy ... --output-dir DIR\n"
    "               [--threads T] [--bench N] [--warmup W]\n"
    "\n"
    "Runs a model compiled by mnn-compile on .npy inputs and writes each\n"
    "output to DIR/<output name>.npy ('/' in names becomes '_').\n"
    "\n"
    "  --input NAME=FILE.npy  input NAME from FILE.npy; every model input is\n"
    "                         required, with exactly the model's dtype and\n"
    "                         shape. A model with one input also takes\n"
    "                         --input FILE.npy.\n"
    "  --output-dir DIR       where outputs go (created if missing); optional\n"
    "                         with --bench\n"
    "  --threads T            threads of the run (default 1; 0 means 1)\n"
    "  --bench N              W warm-up runs, then N timed runs; prints\n"
    "                         'median_ms=<x> min_ms=<y>'\n"
    "  --warmup W             warm-up runs of --bench (default 3)\n"
    "  --profile              after the runs, print the time of each fused op\n"
    "                         (model compiled with mnn-compile --profile)\n"
    "  --poison-arena         run in an arena of NaNs that mnn-run allocates,\n"
    "                         refilled before every run (a test aid: a value\n"
    "                         read before the run writes it shows as NaN)\n"
    "  --help                 print this help\n"
    "\n"
    ".npy files: versions 1.0/2.0/3.0, C order, little-endian, dtypes\n"
    "f8 f4 f2 i1 i2 i4 i8 u1 u2 u4 u8 b1, and V1/V2/f1 (raw bytes, how numpy\n"
    "saves ml_dtypes arrays) for bfloat16, float8, int4/uint4 and int2/uint2\n"
    "(one element per byte); outputs of those types are written as V1/V2.\n"
    "Exit status: 0 success, 1 error, 2 usage error.\n";

// Ends the program: Main's objects unwind (removing partial outputs), then
// main() prints the message and returns the code.
struct Error {
  int code;
  std::string message;
};

[[noreturn]] void Fail(std::string message) {
  throw Error{kExitError, std::move(message)};
}
[[noreturn]] void UsageFail(std::string message) {
  throw Error{kExitUsage, std::move(message) + " (see mnn-run --help)"};
}

struct Options {
  std::string model_path;
  std::vector<std::string> inputs;  // raw --input values
  std::string output_dir;
  bool has_output_dir = false;
  int32_t threads = 1;
  int64_t bench = 0;  // 0: no benchmark
  int64_t warmup = 3;
  bool profile = false;
  bool poison_arena = false;
  bool has_warmup = false;
  bool help = false;
};

int64_t ParseInt(const std::string& option, const std::string& text,
                 int64_t min, int64_t max) {
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE || v < min || v > max) {
    UsageFail(option + " needs an integer in [" + std::to_string(min) + ", " +
              std::to_string(max) + "], got '" + text + "'");
  }
  return v;
}

Options ParseArgs(int argc, char** argv) {
  Options opts;
  bool only_positional = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (only_positional || arg.empty() || arg[0] != '-' || arg == "-") {
      if (!opts.model_path.empty()) {
        UsageFail("unexpected argument '" + arg + "'; one model .so expected");
      }
      opts.model_path = arg;
      continue;
    }
    if (arg == "--") {
      only_positional = true;
      continue;
    }
    if (arg == "--help" || arg == "-h") {
      opts.help = true;
      continue;
    }
    if (arg == "--profile") {
      opts.profile = true;
      continue;
    }
    if (arg == "--poison-arena") {
      opts.poison_arena = true;
      continue;
    }
    // --name value or --name=value
    std::string name = arg, value;
    bool has_value = false;
    size_t eq = arg.find('=');
    if (arg.compare(0, 2, "--") == 0 && eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_value = true;
    }
    if (name != "--input" && name != "--output-dir" && name != "--threads" &&
        name != "--bench" && name != "--warmup") {
      UsageFail("unknown option '" + name + "'");
    }
    if (!has_value) {
      if (i + 1 >= argc) UsageFail(name + " needs a value");
      value = argv[++i];
    }
    if (name == "--input") {
      opts.inputs.push_back(value);
    } else if (name == "--output-dir") {
      if (value.empty()) UsageFail("--output-dir needs a directory");
      opts.output_dir = value;
      opts.has_output_dir = true;
    } else if (name == "--threads") {
      opts.threads = static_cast<int32_t>(
          ParseInt(name, value, std::numeric_limits<int32_t>::min(),
                   std::numeric_limits<int32_t>::max()));
    } else if (name == "--bench") {
      opts.bench = ParseInt(name, value, 1, 1000000000);
    } else {
      opts.warmup = ParseInt(name, value, 0, 1000000000);
      opts.has_warmup = true;
    }
  }
  if (opts.help) return opts;
  if (opts.model_path.empty()) UsageFail("no model .so given");
  if (opts.has_warmup && opts.bench == 0) UsageFail("--warmup needs --bench");
  if (!opts.has_output_dir && opts.bench == 0) {
    UsageFail("--output-dir is required (optional only with --bench)");
  }
  return opts;
}

// ---- Model descriptor --------------------------------------------------------

std::string TensorName(const mnn_tensor_desc& t, const char* kind,
                       uint32_t index) {
  return t.name ? t.name : std::string(kind) + std::to_string(index);
}

std::string NameList(const mnn_tensor_desc* tensors, uint32_t n,
                     const char* kind) {
  if (n == 0) return std::string("the model has no ") + kind + "s";
  std::string s = std::string("model ") + kind + "s: ";
  for (uint32_t i = 0; i < n; ++i) {
    if (i) s += ", ";
    s += TensorName(tensors[i], kind, i);
  }
  return s;
}

std::string TypeOf(const mnn_tensor_desc& t) {
  return TypeString(t.dtype, t.shape, static_cast<size_t>(t.rank));
}

// The descriptor comes from an arbitrary .so: check it before trusting it.
void CheckTensorDesc(const mnn_tensor_desc& t, const char* kind,
                     uint32_t index) {
  std::string where = std::string("bad model descriptor: ") + kind + " '" +
                      TensorName(t, kind, index) + "' ";
  if (t.rank < 0 || t.rank > MNN_MAX_RANK) {
    Fail(where + "has rank " + std::to_string(t.rank));
  }
  size_t item = DtypeSize(t.dtype);
  if (item == 0) Fail(where + "has unknown " + DtypeName(t.dtype));
  uint64_t elements = 1;
  for (int32_t d = 0; d < t.rank; ++d) {
    if (t.shape[d] < 0 ||
        __builtin_mul_overflow(elements, static_cast<uint64_t>(t.shape[d]),
                               &elements)) {
      Fail(where + "has a bad shape");
    }
  }
  uint64_t bytes = 0;
  if (elements != t.num_elements ||
      __builtin_mul_overflow(elements, static_cast<uint64_t>(item), &bytes) ||
      bytes != t.size_bytes) {
    Fail(where + "has inconsistent sizes");
  }
  if (t.size_bytes > std::numeric_limits<size_t>::max() / 2) {
    Fail(where + "is too large");
  }
}

void CheckDesc(const mnn_model_desc* desc) {
  if (!desc) Fail("the model's descriptor is NULL");
  if (desc->abi_version != MNN_ABI_VERSION) {
    Fail("the model has ABI version " + std::to_string(desc->abi_version) +
         ", this mnn-run supports version " + std::to_string(MNN_ABI_VERSION) +
         " (rebuild the model or mnn-run)");
  }
  if ((desc->num_inputs && !desc->inputs) ||
      (desc->num_outputs && !desc->outputs) || !desc->create || !desc->run ||
      !desc->destroy || desc->num_inputs > 65536 ||
      desc->num_outputs > 65536) {
    Fail("bad model descriptor: missing tensors or functions");
  }
  for (uint32_t i = 0; i < desc->num_inputs; ++i) {
    CheckTensorDesc(desc->inputs[i], "input", i);
  }
  for (uint32_t i = 0; i < desc->num_outputs; ++i) {
    CheckTensorDesc(desc->outputs[i], "output", i);
  }
}

// dlopen'ed model library and the model handle made from it; the handle is
// destroyed before the library is closed.
class LoadedModel {
 public:
  LoadedModel() = default;
  LoadedModel(const LoadedModel&) = delete;
  LoadedModel& operator=(const LoadedModel&) = delete;
  ~LoadedModel() {
    if (model_) desc_->destroy(model_);
    if (handle_) dlclose(handle_);
    std::free(arena_);
  }

  void Load(const std::string& path) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
      Fail("cannot load model '" + path + "': " + std::strerror(errno));
    }
    if (!S_ISREG(st.st_mode)) Fail("model '" + path + "' is not a file");
    // A name without '/' would be looked up in the library search path.
    std::string dl_path = path.find('/') == std::string::npos ? "./" + path
                                                              : path;
    handle_ = dlopen(dl_path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle_) {
      const char* why = dlerror();
      Fail("cannot load model '" + path + "': " + (why ? why : "dlopen failed"));
    }
    dlerror();
    void* sym = dlsym(handle_, MNN_MODEL_DESCRIPTOR_SYMBOL);
    if (!sym) {
      Fail("'" + path + "' is not an mnn model: no " +
           MNN_MODEL_DESCRIPTOR_SYMBOL + "() symbol");
    }
    mnn_model_descriptor_fn fn;
    static_assert(sizeof(fn) == sizeof(sym), "function pointer size");
    std::memcpy(&fn, &sym, sizeof(fn));
    desc_ = fn();
    CheckDesc(desc_);
  }

  // poison: the arena is ours, filled with NaNs before every run.
  void Create(int32_t threads, bool poison) {
    mnn_options options = MNN_OPTIONS_INIT;
    options.num_threads = threads;
    if (poison && desc_->arena_bytes > 0) {
      arena_bytes_ = (desc_->arena_bytes + MNN_ARENA_ALIGNMENT - 1) /
                     MNN_ARENA_ALIGNMENT * MNN_ARENA_ALIGNMENT;
      arena_ = std::aligned_alloc(MNN_ARENA_ALIGNMENT, arena_bytes_);
      if (!arena_) Fail("--poison-arena: cannot allocate the arena");
      options.arena = arena_;
      options.arena_size = arena_bytes_;
    }
    mnn_status status = {};
    if (desc_->create(&options, &model_, &status) != MNN_OK) {
      model_ = nullptr;
      Fail("cannot create the model: " + std::string(status.message));
    }
  }

  void Run(const std::vector<const void*>& inputs,
           const std::vector<void*>& outputs) {
    if (arena_) {
      // 0xFF bytes: a quiet NaN in every float and double.
      std::memset(arena_, 0xFF, arena_bytes_);
    }
    mnn_status status = {};
    if (desc_->run(model_, inputs.data(), outputs.data(), &status) != MNN_OK) {
      Fail("run failed: " + std::string(status.message));
    }
  }

  const mnn_model_desc& desc() const { return *desc_; }
  const mnn_model* handle() const { return model_; }

 private:
  void* handle_ = nullptr;
  const mnn_model_desc* desc_ = nullptr;
  mnn_model* model_ = nullptr;
  void* arena_ = nullptr;  // --poison-arena
  size_t arena_bytes_ = 0;
};

// ---- Inputs ------------------------------------------------------------------

bool IsRegularFile(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// Maps the --input values to one file per model input, in descriptor order.
std::vector<std::string> ResolveInputs(const mnn_model_desc& desc,
                                       const std::vector<std::string>& specs) {
  const uint32_t n = desc.num_inputs;
  std::vector<std::string> paths(n);
  auto find = [&](const std::string& name) -> int64_t {
    for (uint32_t i = 0; i < n; ++i) {
      if (TensorName(desc.inputs[i], "input", i) == name) return i;
    }
    return -1;
  };
  for (const std::string& spec : specs) {
    int64_t index = -1;
    std::string path;
    size_t eq = spec.find('=');
    if (eq != std::string::npos) {
      std::string name = spec.substr(0, eq);
      index = find(name);
      path = spec.substr(eq + 1);
      if (index < 0 && n == 1 && IsRegularFile(spec)) {
        index = 0;  // a bare path that contains '='
        path = spec;
      }
      if (index < 0) {
        Fail("unknown input '" + name + "' (" +
             NameList(desc.inputs, n, "input") + ")");
      }
    } else if (n == 1) {
      index = 0;
      path = spec;
    } else {
      Fail("--input '" + spec + "' needs the form NAME=FILE.npy (" +
           NameList(desc.inputs, n, "input") + ")");
    }
    std::string name = TensorName(desc.inputs[index], "input",
                                  static_cast<uint32_t>(index));
    if (path.empty()) Fail("input '" + name + "': empty file name");
    if (!paths[index].empty()) Fail("input '" + name + "' given twice");
    paths[index] = path;
  }
  for (uint32_t i = 0; i < n; ++i) {
    if (paths[i].empty()) {
      std::string name = TensorName(desc.inputs[i], "input", i);
      Fail("missing input '" + name + "': pass --input " + name +
           "=FILE.npy (" + NameList(desc.inputs, n, "input") + ")");
    }
  }
  return paths;
}

NpyArray LoadInput(const mnn_tensor_desc& t, uint32_t index,
                   const std::string& path) {
  std::string name = TensorName(t, "input", index);
  NpyArray array;
  std::string error;
  if (!ReadNpy(path, &array, &error)) Fail("input '" + name + "': " + error);
  bool same = NpyDtypeMatches(array.dtype, t.dtype) &&
              array.shape.size() == static_cast<size_t>(t.rank) &&
              std::equal(array.shape.begin(), array.shape.end(), t.shape);
  if (!same) {
    Fail("input '" + name + "': expected " + TypeOf(t) + ", got " +
         TypeString(array.dtype, array.shape.data(), array.shape.size()) +
         " from '" + path + "'");
  }
  return array;
}

// ---- Outputs -----------------------------------------------------------------

// File stem for an output: '/' becomes '_'; names that can't be a file name
// become outputN; collisions get a _N suffix.
std::vector<std::string> OutputFileStems(const mnn_model_desc& desc) {
  std::vector<std::string> stems;
  std::set<std::string> used;
  for (uint32_t i = 0; i < desc.num_outputs; ++i) {
    std::string stem = TensorName(desc.outputs[i], "output", i);
    std::replace(stem.begin(), stem.end(), '/', '_');
    if (stem.empty() || stem == "." || stem == "..") {
      stem = "output" + std::to_string(i);
    }
    if (used.count(stem)) stem += "_" + std::to_string(i);
    used.insert(stem);
    stems.push_back(stem);
  }
  return stems;
}

// Writes outputs all-or-nothing: each file goes to a temporary name first;
// Commit() renames them; destruction without a successful Commit() removes
// every file and directory this object created.
class OutputWriter {
 public:
  OutputWriter() = default;
  OutputWriter(const OutputWriter&) = delete;
  OutputWriter& operator=(const OutputWriter&) = delete;
  ~OutputWriter() {
    if (!committed_) Rollback();
  }

  // mkdir -p, remembering the directories it made.
  void CreateDir(const std::string& dir) {
    size_t pos = 0;
    while (pos != std::string::npos) {
      pos = dir.find('/', pos + 1);
      std::string prefix = dir.substr(0, pos);
      if (prefix.empty()) continue;
      struct stat st;
      if (stat(prefix.c_str(), &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
          Fail("output directory: '" + prefix + "' is not a directory");
        }
        continue;
      }
      if (mkdir(prefix.c_str(), 0777) != 0 && errno != EEXIST) {
        Fail("cannot create output directory '" + prefix +
             "': " + std::strerror(errno));
      }
      created_dirs_.push_back(prefix);
    }
  }

  void Stage(const std::string& final_path, const mnn_tensor_desc& t,
             const void* data) {
    std::string tmp = TempName(final_path);
    std::string error;
    if (!WriteNpy(tmp, t.dtype, t.shape, static_cast<size_t>(t.rank), data,
                  static_cast<size_t>(t.size_bytes), &error)) {
      Fail(error);
    }
    staged_.emplace_back(tmp, final_path);
  }

  void Commit() {
    for (auto& [tmp, final_path] : staged_) {
      if (std::rename(tmp.c_str(), final_path.c_str()) != 0) {
        Fail("cannot write '" + final_path + "': " + std::strerror(errno));
      }
      renamed_.push_back(final_path);
      tmp.clear();
    }
    committed_ = true;
  }

 private:
  static std::string TempName(const std::string& final_path) {
    size_t slash = final_path.rfind('/');
    size_t base = slash == std::string::npos ? 0 : slash + 1;
    return final_path.substr(0, base) + "." + final_path.substr(base) +
           ".tmp" + std::to_string(static_cast<long>(getpid()));
  }

  void Rollback() {
    for (const auto& staged : staged_) {
      if (!staged.first.empty()) unlink(staged.first.c_str());
    }
    for (const std::string& path : renamed_) unlink(path.c_str());
    for (auto it = created_dirs_.rbegin(); it != created_dirs_.rend(); ++it) {
      rmdir(it->c_str());
    }
  }

  std::vector<std::string> created_dirs_;
  std::vector<std::pair<std::string, std::string>> staged_;  // tmp, final
  std::vector<std::string> renamed_;
  bool committed_ = false;
};

// ---- Main --------------------------------------------------------------------

void PrintProfile(const mnn_model_desc& desc, const mnn_model* model);

int Main(int argc, char** argv) {
  Options opts = ParseArgs(argc, argv);
  if (opts.help) {
    std::fputs(kUsage, stdout);
    return 0;
  }

  LoadedModel model;
  model.Load(opts.model_path);
  const mnn_model_desc& desc = model.desc();

  std::vector<std::string> paths = ResolveInputs(desc, opts.inputs);
  std::vector<NpyArray> inputs;
  std::vector<const void*> input_ptrs;
  for (uint32_t i = 0; i < desc.num_inputs; ++i) {
    inputs.push_back(LoadInput(desc.inputs[i], i, paths[i]));
  }
  for (const NpyArray& a : inputs) input_ptrs.push_back(a.data.data());

  std::vector<AlignedBuffer> outputs(desc.num_outputs);
  std::vector<void*> output_ptrs;
  for (uint32_t i = 0; i < desc.num_outputs; ++i) {
    if (!outputs[i].Allocate(static_cast<size_t>(desc.outputs[i].size_bytes))) {
      Fail("out of memory for output '" +
           TensorName(desc.outputs[i], "output", i) + "'");
    }
    output_ptrs.push_back(outputs[i].data());
  }

  OutputWriter writer;
  if (opts.has_output_dir) writer.CreateDir(opts.output_dir);

  if (opts.profile && (desc.num_ops == 0 || !desc.profile)) {
    Fail("--profile: the model has no profile hooks (compile it with "
         "mnn-compile --profile)");
  }
  model.Create(opts.threads, opts.poison_arena);
  if (opts.bench == 0) {
    model.Run(input_ptrs, output_ptrs);
  } else {
    for (int64_t i = 0; i < opts.warmup; ++i) model.Run(input_ptrs, output_ptrs);
    std::vector<double> ms;
    ms.reserve(static_cast<size_t>(opts.bench));
    for (int64_t i = 0; i < opts.bench; ++i) {
      auto start = std::chrono::steady_clock::now();
      model.Run(input_ptrs, output_ptrs);
      auto stop = std::chrono::steady_clock::now();
      ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    }
    std::sort(ms.begin(), ms.end());
    size_t mid = ms.size() / 2;
    double median = ms.size() % 2 ? ms[mid] : (ms[mid - 1] + ms[mid]) / 2;
    std::printf("median_ms=%.3f min_ms=%.3f\n", median, ms.front());
    std::fflush(stdout);
  }

  if (opts.profile) PrintProfile(desc, model.handle());

  if (opts.has_output_dir) {
    std::vector<std::string> stems = OutputFileStems(desc);
    for (uint32_t i = 0; i < desc.num_outputs; ++i) {
      writer.Stage(opts.output_dir + "/" + stems[i] + ".npy", desc.outputs[i],
                   outputs[i].data());
    }
    writer.Commit();
  }
  return 0;
}

// Per-op times, slowest first, averaged over the runs so far.
void PrintProfile(const mnn_model_desc& desc, const mnn_model* model) {
  std::vector<double> ms(desc.num_ops);
  uint64_t runs = 0;
  if (desc.profile(model, ms.data(), &runs) != MNN_OK || runs == 0) {
    Fail("--profile: the model returned no profile");
  }
  std::vector<uint32_t> order(desc.num_ops);
  for (uint32_t i = 0; i < desc.num_ops; ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return ms[a] > ms[b]; });
  double total = 0;
  for (double v : ms) total += v;
  std::printf("profile: %llu runs, %u ops, %.3f ms/run in ops\n",
              static_cast<unsigned long long>(runs), desc.num_ops,
              total / static_cast<double>(runs));
  std::printf("%5s %10s %7s  %s\n", "rank", "ms/run", "share", "op");
  for (uint32_t r = 0; r < desc.num_ops; ++r) {
    uint32_t i = order[r];
    std::printf("%5u %10.4f %6.1f%%  %s\n", r + 1,
                ms[i] / static_cast<double>(runs),
                total > 0 ? 100.0 * ms[i] / total : 0.0, desc.op_names[i]);
  }
  std::fflush(stdout);
}

// One line: control characters (newlines in a dlerror, say) become spaces.
void PrintError(const std::string& message) {
  std::string line = message;
  for (char& c : line) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  std::fprintf(stderr, "mnn-run: error: %s\n", line.c_str());
}

}  // namespace
}  // namespace mnnrun

int main(int argc, char** argv) {
  try {
    return mnnrun::Main(argc, argv);
  } catch (const mnnrun::Error& e) {
    mnnrun::PrintError(e.message);
    return e.code;
  } catch (const std::bad_alloc&) {
    mnnrun::PrintError("out of memory");
  } catch (const std::exception& e) {
    mnnrun::PrintError(e.what());
  } catch (...) {
    mnnrun::PrintError("unexpected failure");
  }
  return 1;
}
