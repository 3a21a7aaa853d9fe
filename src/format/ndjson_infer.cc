// Schema inference from an NDJSON sample; the work is in the kernels (ndjson_infer.inc).
#include "format/ndjson_kernel.h"
#include "format/ndjson_reader.h"

namespace tarn::format {

Result<InferredType> InferNdjsonType(std::string_view data, std::string_view name,
                                     const NdjsonInferOptions& options,
                                     uint64_t* malformed_records) {
    NdjsonStats stats;
    ndjson_internal::ErrorLog log(std::string(name), 0, &stats);
    return ndjson_internal::InferType(data, &log, options, malformed_records);
}

Result<columnar::Schema> InferNdjsonSchema(std::string_view data, std::string_view name,
                                           const NdjsonInferOptions& options) {
    TARN_ASSIGN_OR_RETURN(InferredType type, InferNdjsonType(data, name, options));
    if (type.kind != InferredType::Kind::kStruct) return columnar::Schema();
    return InferredSchema(type.fields);
}

}  // namespace tarn::format
