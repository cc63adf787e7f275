/* The C compiler's view of the structs in model_api.h, for ModelGlueTest:
 * the back end builds __mnn_model_desc from LLVM struct types and must match
 * these offsets exactly. */
#include "mnn/model_api.h"

#include <stddef.h>

const size_t mnn_probe_tensor_desc_layout[] = {
    offsetof(mnn_tensor_desc, name),
    offsetof(mnn_tensor_desc, dtype),
    offsetof(mnn_tensor_desc, layout),
    offsetof(mnn_tensor_desc, rank),
    offsetof(mnn_tensor_desc, shape),
    offsetof(mnn_tensor_desc, num_elements),
    offsetof(mnn_tensor_desc, size_bytes),
    sizeof(mnn_tensor_desc),
    _Alignof(mnn_tensor_desc),
};

const size_t mnn_probe_model_desc_layout[] = {
    offsetof(mnn_model_desc, abi_version),
    offsetof(mnn_model_desc, name),
    offsetof(mnn_model_desc, target),
    offsetof(mnn_model_desc, num_inputs),
    offsetof(mnn_model_desc, num_outputs),
    offsetof(mnn_model_desc, inputs),
    offsetof(mnn_model_desc, outputs),
    offsetof(mnn_model_desc, arena_bytes),
    offsetof(mnn_model_desc, create),
    offsetof(mnn_model_desc, run),
    offsetof(mnn_model_desc, destroy),
    offsetof(mnn_model_desc, num_ops),
    offsetof(mnn_model_desc, op_names),
    offsetof(mnn_model_desc, profile),
    sizeof(mnn_model_desc),
    _Alignof(mnn_model_desc),
};

/* Enum values are part of the ABI too (the back end writes them as i32). */
const size_t mnn_probe_enum_sizes[] = {sizeof(mnn_dtype), sizeof(mnn_layout)};
