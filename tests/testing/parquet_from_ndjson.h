// Parquet files with exact column types for tests and fuzzers: NDJSON text read with a tarn
// schema (columnar/type_parser.h's text, e.g. "a BIGINT, b STRUCT<c: VARCHAR>") and written as
// one object by tarn's Parquet writer.
#pragma once

#include <string>
#include <string_view>

#include "columnar/type_parser.h"
#include "common/status.h"
#include "format/ndjson_reader.h"
#include "format/parquet_writer.h"
#include "storage/storage.h"

namespace tarn::testing {

// row_group_bytes 0: the writer's default (one row group for small files).
inline Status WriteParquetFromNdjson(storage::ObjectStore* store, const std::string& key,
                                     std::string_view ndjson, std::string_view schema_text,
                                     uint64_t row_group_bytes = 0) {
    TARN_ASSIGN_OR_RETURN(columnar::Schema schema, columnar::ParseSchema(schema_text));
    TARN_ASSIGN_OR_RETURN(auto reader, format::NdjsonReader::Open(ndjson, key, schema));
    TARN_ASSIGN_OR_RETURN(auto out, store->OpenWriter(key));
    format::ParquetWriterOptions options;
    if (row_group_bytes) options.row_group_bytes = row_group_bytes;
    TARN_ASSIGN_OR_RETURN(auto writer, format::ParquetWriter::Open(out.get(), reader->schema(),
                                                                   options));
    columnar::RecordBatch batch = reader->NewBatch();
    while (true) {
        TARN_ASSIGN_OR_RETURN(bool more, reader->Next(&batch));
        if (!more) break;
        TARN_RETURN_IF_ERROR(writer->Write(batch));
    }
    TARN_RETURN_IF_ERROR(writer->Close().status());
    return out->Commit();
}

}  // namespace tarn::testing
