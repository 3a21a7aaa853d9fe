// Fuzz target: bytes -> NDJSON (plain, or gzip when the bytes start with its magic) -> schema
// inference -> every batch, through the reader's public API only.
//
// The first byte picks the options (tiny batches, a small record limit, rejecting records on
// conversion errors, case-sensitive names) so that every option path meets hostile input; the rest
// is the file. The file is read twice: with the schema inferred from it, and with a fixed schema of
// every type, nested ones included (so each conversion sees arbitrary JSON values). Errors are
// expected; crashes, sanitizer reports, leaks, timeouts and runaway allocations are the bugs.
// Every batch is validated.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "columnar/record_batch.h"
#include "columnar/schema.h"
#include "format/ndjson_reader.h"
#include "read_all.h"

namespace {

using tarn::columnar::DataType;
using tarn::columnar::Field;
using tarn::columnar::Schema;
using tarn::format::NdjsonReader;
using tarn::format::NdjsonReaderOptions;

void ReadAll(std::string_view data, Schema schema, const NdjsonReaderOptions& options) {
    tarn::fuzz::ReadAll(NdjsonReader::Open(data, "fuzz.ndjson", std::move(schema), options));
}

Schema EveryType() {
    auto schema = Schema::Make({
        Field{"b", DataType::Boolean()},
        Field{"i8", DataType::Int8()},
        Field{"i", DataType::Int64()},
        Field{"f", DataType::Float()},
        Field{"d", DataType::Double()},
        Field{"dec", DataType::Decimal(9, 3)},
        Field{"big", DataType::Decimal(38, 10)},
        Field{"s", DataType::Varchar()},
        Field{"bin", DataType::Varbinary()},
        Field{"day", DataType::Date()},
        Field{"ts", DataType::Timestamp()},
        Field{"st", DataType::Struct({Field{"a", DataType::Int32()},
                                      Field{"l", DataType::List(DataType::Varchar())}})},
        Field{"l", DataType::List(DataType::List(DataType::Int64()))},
        Field{"m", DataType::Map(DataType::Varchar(), DataType::Double())},
        Field{"mi", DataType::Map(DataType::Int32(), DataType::Varchar())},
    });
    return *schema;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const uint8_t knobs = data[0];
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    NdjsonReaderOptions options;
    options.batch_rows = (knobs & 1) ? 3 : 2048;
    options.max_record_bytes = (knobs & 2) ? 64 : size_t{1} << 20;
    options.reject_records_on_conversion_error = (knobs & 4) != 0;
    options.case_insensitive_names = (knobs & 8) == 0;
    options.max_reported_errors = 4;
    tarn::format::NdjsonInferOptions infer;
    infer.max_records = 100;
    infer.max_record_bytes = options.max_record_bytes;
    auto inferred = tarn::format::InferNdjsonSchema(text, "fuzz.ndjson", infer);
    if (inferred.ok()) ReadAll(text, std::move(*inferred), options);
    ReadAll(text, EveryType(), options);
    return 0;
}
