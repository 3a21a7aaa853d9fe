// Fuzz target: bytes -> CSV text (plain, or gzip when the bytes start with its magic) -> schema
// inference -> every batch, through the reader's public API only.
//
// The first byte picks the options (delimiter, quote, header, a null text, tiny batches and a
// small row limit) so that every option path meets hostile text; the rest is the file. The file
// is read twice: with the schema inferred from it, and with a fixed schema of every scalar type
// (so each conversion sees arbitrary field text). Errors are expected; crashes, sanitizer
// reports, leaks, timeouts and runaway allocations are the bugs. Every batch is validated.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "columnar/record_batch.h"
#include "columnar/schema.h"
#include "format/csv_reader.h"
#include "read_all.h"

namespace {

using tarn::columnar::DataType;
using tarn::columnar::Field;
using tarn::columnar::Schema;
using tarn::format::CsvReader;
using tarn::format::CsvReadOptions;

void ReadAll(std::string_view data, Schema schema, const CsvReadOptions& options) {
    tarn::fuzz::ReadAll(CsvReader::Open(data, "fuzz.csv", std::move(schema), options));
}

Schema EveryScalar() {
    auto schema = Schema::Make({
        Field{"b", DataType::Boolean()},
        Field{"i8", DataType::Int8()},
        Field{"i64", DataType::Int64()},
        Field{"f", DataType::Float()},
        Field{"d", DataType::Double()},
        Field{"dec", DataType::Decimal(9, 3)},
        Field{"big", DataType::Decimal(38, 10)},
        Field{"s", DataType::Varchar()},
        Field{"bin", DataType::Varbinary()},
        Field{"day", DataType::Date()},
        Field{"ts", DataType::Timestamp()},
    });
    return *schema;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    const uint8_t knobs = data[0];
    const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
    CsvReadOptions options;
    static constexpr char kDelimiters[] = {',', '\t', ';', '|'};
    options.delimiter = kDelimiters[knobs & 3];
    options.quote = (knobs & 4) ? '\'' : '"';
    options.header = (knobs & 8) == 0;
    if (knobs & 16) options.null_text = "NULL";
    options.batch_rows = (knobs & 32) ? 3 : 2048;
    options.max_row_bytes = (knobs & 64) ? 64 : size_t{1} << 20;
    options.max_errors = 4;
    auto inferred = CsvReader::InferSchema(text, "fuzz.csv", options, 100);
    if (inferred.ok()) ReadAll(text, std::move(*inferred), options);
    ReadAll(text, EveryScalar(), options);
    return 0;
}
