// .npy reader and writer; see npy.h. Format reference: the NumPy docs,
// "numpy.lib.format": magic "\x93NUMPY", major, minor, header length (uint16
// LE for 1.0, uint32 LE for 2.0/3.0), then a Python dict literal with the
// keys 'descr', 'fortran_order' and 'shape', padded with spaces and ended by
// '\n'; then the raw data.
#include "npy.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>

namespace mnnrun {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;
constexpr size_t kHeaderAlignment = 64;

struct DtypeInfo {
  mnn_dtype dtype;
  char kind;
  unsigned size;
  const char* name;
  const char* descr;  // what WriteNpy writes
};

constexpr DtypeInfo kDtypes[] = {
    // Raw bytes first, so that ParseDescr maps '|V1'/'|V2' to them rather
    // than to one of the ml_dtypes types below (the file can't tell which).
    {kNpyVoid1, 'V', 1, "void8", "|V1"},
    {kNpyVoid2, 'V', 2, "void16", "|V2"},
    // ml_dtypes' float8_e5m2 saves as '<f1' (its numpy type code), which
    // says no more than '|V1' does.
    {kNpyVoid1, 'f', 1, "void8", "|V1"},
    {MNN_DTYPE_F32, 'f', 4, "float32", "<f4"},
    {MNN_DTYPE_F16, 'f', 2, "float16", "<f2"},
    {MNN_DTYPE_I8, 'i', 1, "int8", "|i1"},
    {MNN_DTYPE_U8, 'u', 1, "uint8", "|u1"},
    {MNN_DTYPE_I32, 'i', 4, "int32", "<i4"},
    {MNN_DTYPE_I64, 'i', 8, "int64", "<i8"},
    {MNN_DTYPE_BOOL, 'b', 1, "bool", "|b1"},
    {MNN_DTYPE_F64, 'f', 8, "float64", "<f8"},
    {MNN_DTYPE_I16, 'i', 2, "int16", "<i2"},
    {MNN_DTYPE_U16, 'u', 2, "uint16", "<u2"},
    {MNN_DTYPE_U32, 'u', 4, "uint32", "<u4"},
    {MNN_DTYPE_U64, 'u', 8, "uint64", "<u8"},
    // ml_dtypes types: numpy saves them as raw bytes, one element per byte
    // for the sub-byte ones (see model_api.h).
    {MNN_DTYPE_BF16, 'V', 2, "bfloat16", "|V2"},
    {MNN_DTYPE_F8E4M3FN, 'V', 1, "float8_e4m3fn", "|V1"},
    {MNN_DTYPE_F8E4M3FNUZ, 'V', 1, "float8_e4m3fnuz", "|V1"},
    {MNN_DTYPE_F8E5M2, 'V', 1, "float8_e5m2", "|V1"},
    {MNN_DTYPE_F8E5M2FNUZ, 'V', 1, "float8_e5m2fnuz", "|V1"},
    {MNN_DTYPE_I4, 'V', 1, "int4", "|V1"},
    {MNN_DTYPE_U4, 'V', 1, "uint4", "|V1"},
    {MNN_DTYPE_I2, 'V', 1, "int2", "|V1"},
    {MNN_DTYPE_U2, 'V', 1, "uint2", "|V1"},
};

const DtypeInfo* FindDtype(int dtype) {
  for (const DtypeInfo& info : kDtypes) {
    if (info.dtype == dtype) return &info;
  }
  return nullptr;
}

// Value of the header dict: a string, a bool or a tuple of ints.
struct Value {
  enum Kind { kString, kBool, kTuple } kind = kString;
  std::string str;
  bool boolean = false;
  std::vector<int64_t> ints;
};

// Parses the Python dict literal numpy writes, e.g.
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
class DictParser {
 public:
  explicit DictParser(const std::string& text) : text_(text) {}

  bool Parse(std::map<std::string, Value>* dict, std::string* error) {
    SkipSpace();
    if (!Expect('{', error)) return false;
    for (;;) {
      SkipSpace();
      if (Peek() == '}') break;
      std::string key;
      if (!ParseString(&key, error)) return false;
      SkipSpace();
      if (!Expect(':', error)) return false;
      SkipSpace();
      Value value;
      if (!ParseValue(&value, error)) return false;
      (*dict)[key] = value;
      SkipSpace();
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (Peek() != '}') return Fail("expected ',' or '}'", error);
    }
    ++pos_;  // '}'
    SkipSpace();
    if (pos_ != text_.size()) return Fail("unexpected text after '}'", error);
    return true;
  }

 private:
  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

  void SkipSpace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' ||
            text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool Fail(const char* what, std::string* error) const {
    *error = std::string("bad .npy header: ") + what + " at offset " +
             std::to_string(pos_);
    return false;
  }

  bool Expect(char c, std::string* error) {
    if (Peek() != c) {
      std::string what = std::string("expected '") + c + "'";
      return Fail(what.c_str(), error);
    }
    ++pos_;
    return true;
  }

  bool ParseString(std::string* out, std::string* error) {
    char quote = Peek();
    if (quote != '\'' && quote != '"') return Fail("expected a string", error);
    ++pos_;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
      out->push_back(text_[pos_++]);
    }
    if (pos_ >= text_.size()) return Fail("unterminated string", error);
    ++pos_;
    return true;
  }

  bool ParseInt(int64_t* out, std::string* error) {
    if (Peek() < '0' || Peek() > '9') return Fail("expected an integer", error);
    int64_t v = 0;
    while (Peek() >= '0' && Peek() <= '9') {
      int digit = Peek() - '0';
      if (v > (std::numeric_limits<int64_t>::max() - digit) / 10) {
        return Fail("integer too large", error);
      }
      v = v * 10 + digit;
      ++pos_;
    }
    if (Peek() == 'L') ++pos_;  // Python 2 long
    *out = v;
    return true;
  }

  bool ParseValue(Value* value, std::string* error) {
    char c = Peek();
    if (c == '\'' || c == '"') {
      value->kind = Value::kString;
      return ParseString(&value->str, error);
    }
    if (text_.compare(pos_, 4, "True") == 0) {
      value->kind = Value::kBool;
      value->boolean = true;
      pos_ += 4;
      return true;
    }
    if (text_.compare(pos_, 5, "False") == 0) {
      value->kind = Value::kBool;
      value->boolean = false;
      pos_ += 5;
      return true;
    }
    if (c == '(') {
      value->kind = Value::kTuple;
      ++pos_;
      for (;;) {
        SkipSpace();
        if (Peek() == ')') break;
        int64_t v = 0;
        if (!ParseInt(&v, error)) return false;
        value->ints.push_back(v);
        SkipSpace();
        if (Peek() == ',') {
          ++pos_;
          continue;
        }
        if (Peek() != ')') return Fail("expected ',' or ')'", error);
      }
      ++pos_;
      return true;
    }
    if (c == '[') return Fail("structured dtypes are not supported", error);
    return Fail("expected a string, True, False or a tuple", error);
  }

  const std::string& text_;
  size_t pos_ = 0;
};

bool ParseDescr(const std::string& descr, mnn_dtype* dtype,
                std::string* error) {
  std::string body = descr;
  char order = '=';
  if (!body.empty() && (body[0] == '<' || body[0] == '>' || body[0] == '|' ||
                        body[0] == '=')) {
    order = body[0];
    body = body.substr(1);
  }
  for (const DtypeInfo& info : kDtypes) {
    if (body == std::string(1, info.kind) + std::to_string(info.size)) {
      if (order == '>' && info.size > 1) {
        *error = "unsupported dtype '" + descr +
                 "': big-endian data (save it as little-endian)";
        return false;
      }
      *dtype = info.dtype;
      return true;
    }
  }
  *error = "unsupported dtype '" + descr +
           "' (supported: f8 f4 f2 i1 i2 i4 i8 u1 u2 u4 u8 b1, and V1 V2 f1 for "
           "ml_dtypes types, little-endian)";
  return false;
}

uint32_t ReadLE(const uint8_t* p, size_t n) {
  uint32_t v = 0;
  for (size_t i = 0; i < n; ++i) v |= static_cast<uint32_t>(p[i]) << (8 * i);
  return v;
}

// Bytes of magic + version + header length field for a major version.
size_t PreambleSize(unsigned major) { return major == 1 ? 10 : 12; }

// Checks the magic and version at the start of `bytes`; sets the preamble
// size and the announced header length.
bool ParsePreamble(const uint8_t* bytes, size_t size, size_t* preamble,
                   uint64_t* header_len, std::string* error) {
  if (size < kMagicSize || std::memcmp(bytes, kMagic, kMagicSize) != 0) {
    *error = "not a .npy file (bad magic)";
    return false;
  }
  if (size < 8) {
    *error = "truncated .npy header";
    return false;
  }
  unsigned major = bytes[6], minor = bytes[7];
  if (major < 1 || major > 3 || minor != 0) {
    *error = "unsupported .npy version " + std::to_string(major) + "." +
             std::to_string(minor) + " (supported: 1.0, 2.0, 3.0)";
    return false;
  }
  *preamble = PreambleSize(major);
  if (size < *preamble) {
    *error = "truncated .npy header";
    return false;
  }
  *header_len = ReadLE(bytes + 8, *preamble - 8);
  return true;
}

}  // namespace

bool AlignedBuffer::Allocate(size_t bytes) {
  size_t rounded = bytes == 0 ? MNN_ARENA_ALIGNMENT : bytes;
  if (rounded > std::numeric_limits<size_t>::max() - MNN_ARENA_ALIGNMENT) {
    return false;
  }
  rounded = (rounded + MNN_ARENA_ALIGNMENT - 1) / MNN_ARENA_ALIGNMENT *
            MNN_ARENA_ALIGNMENT;
  void* p = std::aligned_alloc(MNN_ARENA_ALIGNMENT, rounded);
  if (!p) return false;
  std::memset(p, 0, rounded);
  data_.reset(static_cast<uint8_t*>(p));
  size_ = bytes;
  return true;
}

size_t DtypeSize(mnn_dtype dtype) {
  const DtypeInfo* info = FindDtype(dtype);
  return info ? info->size : 0;
}

std::string DtypeName(int dtype) {
  const DtypeInfo* info = FindDtype(dtype);
  return info ? info->name : "dtype(" + std::to_string(dtype) + ")";
}

bool NpyDtypeMatches(mnn_dtype file, mnn_dtype model) {
  if (file == model) return true;
  const DtypeInfo* f = FindDtype(file);
  const DtypeInfo* m = FindDtype(model);
  return f && m && (file == kNpyVoid1 || file == kNpyVoid2) &&
         m->kind == 'V' && m->size == f->size;
}

std::string TypeString(int dtype, const int64_t* shape, size_t rank) {
  std::string s = DtypeName(dtype) + "[";
  for (size_t i = 0; i < rank; ++i) {
    if (i) s += ",";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

bool ParseNpyHeader(const uint8_t* bytes, size_t size, NpyHeader* header,
                    std::string* error) {
  size_t preamble = 0;
  uint64_t header_len = 0;
  if (!ParsePreamble(bytes, size, &preamble, &header_len, error)) return false;
  if (header_len > size - preamble) {
    *error = "truncated .npy header (" + std::to_string(header_len) +
             " bytes announced, " + std::to_string(size - preamble) +
             " present)";
    return false;
  }
  std::string text(reinterpret_cast<const char*>(bytes + preamble),
                   static_cast<size_t>(header_len));
  if (text.find('\0') != std::string::npos) {
    *error = "bad .npy header: NUL byte in the header";
    return false;
  }

  std::map<std::string, Value> dict;
  if (!DictParser(text).Parse(&dict, error)) return false;
  auto descr = dict.find("descr");
  auto fortran = dict.find("fortran_order");
  auto shape = dict.find("shape");
  if (descr == dict.end() || fortran == dict.end() || shape == dict.end()) {
    *error = "bad .npy header: needs the keys 'descr', 'fortran_order' and "
             "'shape'";
    return false;
  }
  if (descr->second.kind != Value::kString ||
      fortran->second.kind != Value::kBool ||
      shape->second.kind != Value::kTuple) {
    *error = "bad .npy header: wrong type for 'descr', 'fortran_order' or "
             "'shape'";
    return false;
  }
  mnn_dtype dtype;
  if (!ParseDescr(descr->second.str, &dtype, error)) return false;
  const std::vector<int64_t>& dims = shape->second.ints;
  if (dims.size() > MNN_MAX_RANK) {
    *error = "rank " + std::to_string(dims.size()) + " exceeds the maximum " +
             std::to_string(MNN_MAX_RANK);
    return false;
  }
  if (fortran->second.boolean && dims.size() > 1) {
    *error = "Fortran-order arrays are not supported (save with C order)";
    return false;
  }
  uint64_t bytes_total = DtypeSize(dtype);
  for (int64_t d : dims) {
    if (__builtin_mul_overflow(bytes_total, static_cast<uint64_t>(d),
                               &bytes_total)) {
      *error = "array too large";
      return false;
    }
  }
  header->dtype = dtype;
  header->shape = dims;
  header->data_offset = preamble + header_len;
  header->data_bytes = bytes_total;
  return true;
}

std::string MakeNpyHeader(mnn_dtype dtype, const int64_t* shape, size_t rank) {
  const DtypeInfo* info = FindDtype(dtype);
  std::string dict = "{'descr': '";
  dict += info ? info->descr : "|V1";
  dict += "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < rank; ++i) {
    if (i) dict += ", ";
    dict += std::to_string(shape[i]);
  }
  if (rank == 1) dict += ",";
  dict += "), }";

  unsigned major = 1;
  size_t preamble = PreambleSize(major);
  size_t total = preamble + dict.size() + 1;
  total = (total + kHeaderAlignment - 1) / kHeaderAlignment * kHeaderAlignment;
  if (total - preamble > 0xFFFF) {
    major = 2;
    preamble = PreambleSize(major);
    total = preamble + dict.size() + 1;
    total = (total + kHeaderAlignment - 1) / kHeaderAlignment * kHeaderAlignment;
  }
  size_t header_len = total - preamble;
  std::string out(kMagic, kMagicSize);
  out.push_back(static_cast<char>(major));
  out.push_back(0);
  for (size_t i = 0; i < preamble - 8; ++i) {
    out.push_back(static_cast<char>((header_len >> (8 * i)) & 0xFF));
  }
  out += dict;
  out.append(header_len - dict.size() - 1, ' ');
  out.push_back('\n');
  return out;
}

bool ReadNpy(const std::string& path, NpyArray* array, std::string* error) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    *error = "cannot open '" + path + "': " + std::strerror(errno);
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    *error = "'" + path + "' is not a regular file";
    return false;
  }
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"),
                                             &std::fclose);
  if (!file) {
    *error = "cannot open '" + path + "': " + std::strerror(errno);
    return false;
  }
  uint64_t file_size = static_cast<uint64_t>(st.st_size);

  // Magic + version + length field, then the header text.
  uint8_t start[12] = {0};
  size_t got = std::fread(start, 1, sizeof(start), file.get());
  size_t preamble = 0;
  uint64_t header_len = 0;
  if (!ParsePreamble(start, got, &preamble, &header_len, error)) {
    *error = "'" + path + "': " + *error;
    return false;
  }
  if (header_len > file_size - preamble) {
    *error = "'" + path + "': truncated .npy header (" +
             std::to_string(header_len) + " bytes announced, " +
             std::to_string(file_size - preamble) + " present)";
    return false;
  }
  std::vector<uint8_t> head(preamble + header_len);
  std::memcpy(head.data(), start, preamble);
  if (std::fseek(file.get(), static_cast<long>(preamble), SEEK_SET) != 0 ||
      std::fread(head.data() + preamble, 1, header_len, file.get()) !=
          header_len) {
    *error = "'" + path + "': cannot read the .npy header";
    return false;
  }
  NpyHeader header;
  if (!ParseNpyHeader(head.data(), head.size(), &header, error)) {
    *error = "'" + path + "': " + *error;
    return false;
  }
  uint64_t available = file_size - header.data_offset;
  std::string type = TypeString(header.dtype, header.shape.data(),
                                header.shape.size());
  if (available < header.data_bytes) {
    *error = "'" + path + "': truncated data: " + type + " needs " +
             std::to_string(header.data_bytes) + " bytes, the file has " +
             std::to_string(available);
    return false;
  }
  if (available > header.data_bytes) {
    *error = "'" + path + "': " + std::to_string(available - header.data_bytes) +
             " unexpected bytes after the " + type + " data";
    return false;
  }
  if (header.data_bytes > std::numeric_limits<size_t>::max() ||
      !array->data.Allocate(static_cast<size_t>(header.data_bytes))) {
    *error = "'" + path + "': out of memory for " +
             std::to_string(header.data_bytes) + " bytes";
    return false;
  }
  if (std::fread(array->data.data(), 1, header.data_bytes, file.get()) !=
      header.data_bytes) {
    *error = "'" + path + "': read error: " + std::strerror(errno);
    return false;
  }
  array->dtype = header.dtype;
  array->shape = header.shape;
  return true;
}

bool WriteNpy(const std::string& path, mnn_dtype dtype, const int64_t* shape,
              size_t rank, const void* data, size_t bytes, std::string* error) {
  if (!FindDtype(dtype)) {
    *error = "cannot write '" + path + "': unsupported " + DtypeName(dtype);
    return false;
  }
  std::string header = MakeNpyHeader(dtype, shape, rank);
  FILE* file = std::fopen(path.c_str(), "wb");
  if (!file) {
    *error = "cannot create '" + path + "': " + std::strerror(errno);
    return false;
  }
  bool ok = std::fwrite(header.data(), 1, header.size(), file) == header.size();
  ok = ok && (bytes == 0 || std::fwrite(data, 1, bytes, file) == bytes);
  ok = ok && std::fflush(file) == 0;
  int saved_errno = errno;
  ok = (std::fclose(file) == 0) && ok;
  if (!ok) {
    if (saved_errno == 0) saved_errno = errno;
    std::remove(path.c_str());
    *error = "cannot write '" + path + "': " + std::strerror(saved_errno);
    return false;
  }
  return true;
}

}  // namespace mnnrun
