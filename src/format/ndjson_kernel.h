// The NDJSON reader's kernel (internal): the record scanner, the row appender and the type
// collector (ndjson_kernel.inc) are compiled against simdjson's On-Demand API, which is
// header-only and takes its SIMD kernel from the compiler's target (its "builtin"
// implementation: "fallback" on generic x86-64, "haswell" with -march=haswell, "arm64" on ARM),
// unlike its DOM API, which dispatches at run time inside the library. The kernel code lives in
// a namespace named after that implementation, behind this interface, so that a second kernel
// compiled for another target could be added and chosen at run time. (Not done: simdjson 3.0's
// header defines On-Demand for the builtin implementation only, so a second kernel needs its own
// translation unit with different target flags, and the inline functions that both units define
// would make the linker's choice of copy decide whether the binary runs on CPUs without AVX2.)
//
// Thread-safety: the functions may be called from many threads; a BatchFiller is for one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "columnar/record_batch.h"
#include "columnar/schema.h"
#include "common/status.h"
#include "format/ndjson_reader.h"
#include "format/ndjson_scanner.h"
#include "format/type_inference.h"

namespace tarn::format::ndjson_internal {

// Reads records into batches: one per NdjsonReader.
class BatchFiller {
public:
    virtual ~BatchFiller() = default;
    // Appends the next complete rows to `batch` (empty, of the schema): *rows of them. *more
    // tells whether the input may hold more. On error the rows before it are kept in `batch`.
    virtual Status Fill(columnar::RecordBatch* batch, size_t* rows, bool* more) = 0;
    virtual uint64_t malformed_records() const = 0;
};

// Does not copy `data`, `log` or `stats`: they must outlive the filler.
std::unique_ptr<BatchFiller> MakeBatchFiller(std::string_view data, const columnar::Schema& schema,
                                             const NdjsonReaderOptions& options, ErrorLog* log,
                                             NdjsonStats* stats);

// InferNdjsonType's work (ndjson_reader.h).
Result<InferredType> InferType(std::string_view data, ErrorLog* log,
                               const NdjsonInferOptions& options, uint64_t* malformed_records);

// The kernel's simdjson implementation ("fallback", "haswell", "arm64", ...): for logs.
std::string_view KernelName();

// The per-kernel definitions behind the functions above (namespace `kernel`).
#define TARN_NDJSON_DECLARE_KERNEL(kernel)                                           \
    namespace kernel {                                                               \
    std::unique_ptr<BatchFiller> MakeBatchFiller(std::string_view data,              \
                                                 const columnar::Schema& schema,     \
                                                 const NdjsonReaderOptions& options, \
                                                 ErrorLog* log, NdjsonStats* stats); \
    Result<InferredType> InferType(std::string_view data, ErrorLog* log,             \
                                   const NdjsonInferOptions& options,                \
                                   uint64_t* malformed_records);                     \
    }

}  // namespace tarn::format::ndjson_internal
