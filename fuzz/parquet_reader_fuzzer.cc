// Fuzz target: bytes -> Parquet file -> every batch, through the reader's public API only.
//
// Each input is read three ways: ReadParquetFooter alone; ParquetReader::Open with default options
// (every column, every row group); and Open with a projection, a predicate and small batches, so
// that struct-member projection, statistics decoding and row-group skipping see hostile footers
// too. Errors are expected (most inputs are damaged files); crashes, sanitizer reports, leaks,
// timeouts and allocations past the fuzzer's RSS limit are the bugs. Every decoded batch is
// validated (RecordBatch::Validate) through validate_batches.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "columnar/record_batch.h"
#include "format/parquet_reader.h"
#include "format/parquet_source.h"

namespace {

using tarn::format::ParquetPredicate;
using tarn::format::ParquetReader;
using tarn::format::ParquetReaderOptions;
using tarn::format::ParquetScalar;
using tarn::columnar::TypeId;

// Reads every batch; stops at the first error (the reader repeats it, so one is enough).
void ReadAll(const std::string& bytes, ParquetReaderOptions options) {
    auto reader = ParquetReader::Open(tarn::format::MakeMemorySource("fuzz.parquet", bytes),
                                      std::move(options));
    if (!reader.ok()) return;
    tarn::columnar::RecordBatch batch = (*reader)->NewBatch();
    while (true) {
        auto more = (*reader)->Next(&batch);
        if (!more.ok() || !*more) return;
    }
}

// A value the column's type accepts, so the predicate reaches the statistics code instead of
// failing coercion in Open.
ParquetScalar ValueFor(TypeId id, uint8_t seed) {
    switch (id) {
        case TypeId::kBoolean:
            return (seed & 1) != 0;
        case TypeId::kFloat:
        case TypeId::kDouble:
            return static_cast<double>(seed) - 128.0;
        case TypeId::kVarchar:
        case TypeId::kVarbinary:
            return std::string(1, static_cast<char>(seed));
        default:  // integers, DECIMAL, DATE, TIMESTAMP
            return static_cast<int64_t>(seed) - 128;
    }
}

// Options derived from the file's own schema: the last top-level field as the projection, and
// a predicate on the first leaf outside any list or map (a top-level or struct-member path).
ParquetReaderOptions ProjectedOptions(const ParquetReader& reader, uint8_t seed) {
    ParquetReaderOptions options;
    options.batch_rows = 1 + seed % 7;
    options.validate_batches = true;
    const auto& pschema = reader.file_schema();
    if (pschema.schema.num_fields() > 0) {
        options.columns = std::vector<std::string>{
            pschema.schema.field(pschema.schema.num_fields() - 1).name};
    }
    for (const auto& column : pschema.columns) {
        if (column.max_rep_level != 0) continue;
        std::string path;
        for (const auto& part : column.path) path += (path.empty() ? "" : ".") + part;
        auto op = static_cast<ParquetPredicate::Op>(seed % 7);
        options.predicates.push_back({path, op, ValueFor(column.type.id(), seed)});
        break;
    }
    return options;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string bytes(reinterpret_cast<const char*>(data), size);
    {
        auto source = tarn::format::MakeMemorySource("fuzz.parquet", bytes);
        (void)tarn::format::ReadParquetFooter(source.get());
    }
    ParquetReaderOptions all;
    all.validate_batches = true;
    ReadAll(bytes, all);

    // The projected read needs the file's schema; the footer is decoded again (cheap) rather than
    // sharing state between the two reads.
    auto reader = ParquetReader::Open(tarn::format::MakeMemorySource("fuzz.parquet", bytes));
    if (!reader.ok()) return 0;
    uint8_t seed = size > 0 ? data[size / 2] : 0;
    ReadAll(bytes, ProjectedOptions(**reader, seed));
    return 0;
}
