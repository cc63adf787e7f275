// HeaderWriter: the C header that ships with libNAME.so.
//
// NAME.h is self-contained (it embeds mnn/model_api.h, whose own guard lets
// several model headers share a translation unit), compiles as C99 and C++,
// and describes the model's tensors with macros:
//   NAME_NUM_INPUTS, NAME_NUM_OUTPUTS, NAME_ARENA_BYTES,
//   NAME_INPUT_<i>_{NAME,DTYPE,LAYOUT,RANK,SHAPE,NUM_ELEMENTS,SIZE_BYTES}
//   (and NAME_OUTPUT_<i>_...), plus the NAME_create/run/destroy/descriptor
//   prototypes.
#ifndef MNN_CODEGEN_HEADERWRITER_H
#define MNN_CODEGEN_HEADERWRITER_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace mnn::codegen {

struct ModelInterface;

/// The text of NAME.h. The interface must be valid (validateModelInterface).
std::string renderModelHeader(const ModelInterface &model);

/// Validates the interface and writes renderModelHeader() to `path`.
llvm::Error writeModelHeader(const ModelInterface &model,
                             llvm::StringRef path);

/// The embedded text of runtime/include/mnn/model_api.h.
llvm::StringRef modelApiHeaderText();

/// `text` as a C string literal, quotes included; escapes quotes,
/// backslashes, '?' (trigraphs) and non-printable bytes.
std::string cStringLiteral(llvm::StringRef text);

} // namespace mnn::codegen

#endif // MNN_CODEGEN_HEADERWRITER_H
