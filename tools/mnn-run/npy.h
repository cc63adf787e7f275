// Reader and writer of NumPy .npy files for mnn-run.
//
// Supports format versions 1.0, 2.0 and 3.0, C order (Fortran order only
// where it is the same, rank <= 1), little-endian data, and the dtypes that
// map to mnn_dtype: f8 f4 f2 i1 i2 i4 i8 u1 u2 u4 u8 b1, and raw bytes V1 V2
// for the ml_dtypes types (written as '|V1'/'|V2' too). Functions return false and set
// *error to a one-line message on failure; they never throw on bad input.
#ifndef MNN_TOOLS_MNN_RUN_NPY_H_
#define MNN_TOOLS_MNN_RUN_NPY_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "mnn/model_api.h"

namespace mnnrun {

// A heap buffer aligned to MNN_ARENA_ALIGNMENT (what generated code expects
// of input and output buffers). Never null once Allocate() succeeded, even
// for 0 bytes.
class AlignedBuffer {
 public:
  bool Allocate(size_t bytes);
  uint8_t* data() const { return data_.get(); }
  size_t size() const { return size_; }

 private:
  struct Free {
    void operator()(uint8_t* p) const { std::free(p); }
  };
  std::unique_ptr<uint8_t, Free> data_;
  size_t size_ = 0;
};

struct NpyArray {
  mnn_dtype dtype = MNN_DTYPE_F32;
  std::vector<int64_t> shape;
  AlignedBuffer data;  // num_elements * item size bytes
};

// Raw bytes ('|V1', '|V2'), which is how numpy saves ml_dtypes arrays
// (bfloat16, float8, int4, ...). ReadNpy reports such files with these
// values, outside mnn_dtype's range; an input of one of those model dtypes
// accepts them when the item size matches.
constexpr mnn_dtype kNpyVoid1 = static_cast<mnn_dtype>(0x101);
constexpr mnn_dtype kNpyVoid2 = static_cast<mnn_dtype>(0x102);

// Whether data read with dtype `file` can feed a model tensor of `model`.
bool NpyDtypeMatches(mnn_dtype file, mnn_dtype model);

// Bytes of one element; 0 for an unknown dtype.
size_t DtypeSize(mnn_dtype dtype);
// "float32", "int64", ...; "dtype(N)" for an unknown one.
std::string DtypeName(int dtype);
// "float32[1,3,224,224]"; a scalar is "float32[]".
std::string TypeString(int dtype, const int64_t* shape, size_t rank);

struct NpyHeader {
  mnn_dtype dtype = MNN_DTYPE_F32;
  std::vector<int64_t> shape;
  uint64_t data_offset = 0;  // where the data starts in the file
  uint64_t data_bytes = 0;   // num_elements * item size
};

// Parses the magic, version and header dict at the start of `bytes`
// (which must hold at least the whole header).
bool ParseNpyHeader(const uint8_t* bytes, size_t size, NpyHeader* header,
                    std::string* error);

// Header (magic .. trailing newline) that WriteNpy puts before the data.
std::string MakeNpyHeader(mnn_dtype dtype, const int64_t* shape, size_t rank);

// Reads a whole .npy file; the file must hold exactly header + data.
bool ReadNpy(const std::string& path, NpyArray* array, std::string* error);

// Writes a .npy file (version 1.0, or 2.0 for huge headers). On failure the
// partly written file is removed.
bool WriteNpy(const std::string& path, mnn_dtype dtype, const int64_t* shape,
              size_t rank, const void* data, size_t bytes, std::string* error);

}  // namespace mnnrun

#endif  // MNN_TOOLS_MNN_RUN_NPY_H_
