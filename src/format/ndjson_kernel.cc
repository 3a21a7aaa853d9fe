#include "format/ndjson_kernel.h"

#include <simdjson.h>

namespace tarn::format::ndjson_internal {

#define TARN_NDJSON_STRINGIFY_(x) #x
#define TARN_NDJSON_STRINGIFY(x) TARN_NDJSON_STRINGIFY_(x)

TARN_NDJSON_DECLARE_KERNEL(SIMDJSON_BUILTIN_IMPLEMENTATION)

std::unique_ptr<BatchFiller> MakeBatchFiller(std::string_view data, const columnar::Schema& schema,
                                             const NdjsonReaderOptions& options, ErrorLog* log,
                                             NdjsonStats* stats) {
    return SIMDJSON_BUILTIN_IMPLEMENTATION::MakeBatchFiller(data, schema, options, log, stats);
}

Result<InferredType> InferType(std::string_view data, ErrorLog* log,
                               const NdjsonInferOptions& options, uint64_t* malformed_records) {
    return SIMDJSON_BUILTIN_IMPLEMENTATION::InferType(data, log, options, malformed_records);
}

std::string_view KernelName() { return TARN_NDJSON_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION); }

}  // namespace tarn::format::ndjson_internal
