// NdjsonReader: reads newline-delimited JSON (and concatenated objects, Firehose's default layout)
// into columnar record batches of a given schema; InferNdjsonType/InferNdjsonSchema infer that
// schema from a sample of the same input with the lattice of type_inference.h.
//
// Use:
//   TARN_ASSIGN_OR_RETURN(auto schema, InferNdjsonSchema(bytes, "raw/events/x.json.gz"));
//   TARN_ASSIGN_OR_RETURN(auto reader, NdjsonReader::Open(bytes, "raw/events/x.json.gz", schema));
//   columnar::RecordBatch batch = reader->NewBatch();
//   while (true) {
//       TARN_ASSIGN_OR_RETURN(bool more, reader->Next(&batch));
//       if (!more) break;
//       ... batch.num_rows() rows ...
//   }
//   reader->stats(), reader->errors(): what was skipped or converted to NULL, and where.
//
// Input: the whole file's bytes. Input starting with the gzip magic (1f 8b) is inflated as it is
// read, in chunks of whole lines (multi-member gzip too), so memory is about one chunk (or the
// longest line) plus a batch; plain input is parsed in place. A UTF-8 byte-order mark is skipped.
// Records: one JSON object per line; blank and whitespace-only lines and CRLF endings are fine;
// several objects on one line ({..}{..} or {..} {..}) are read one after another. A record may
// not span lines (pretty-printed JSON is not NDJSON).
//
// Malformed records never abort the file: a line that is not valid JSON, whose top-level value is
// not an object, or that has trailing content after its object is skipped and reported as
// kMalformed with its line (1-based) and column (1-based byte offset in the line). After a
// malformed object on a line of concatenated objects, reading resumes at the next "}{" boundary
// (whitespace allowed between) on that line, or at the next line. Values of fields the schema
// does not have are skipped without being validated beyond their nesting.
//
// Conversions into the schema (a JSON null, or a missing field, is NULL; names match exactly, else
// case-insensitively (ASCII) as Athena/Glue do, unless disabled; of a key that appears twice in one
// object the first wins):
//   BOOLEAN             true/false; the strings "true"/"false" (any case)
//   INT8..INT64         integers in range; numbers with an integral value (1.0, 1e3); true/false
//                       as 1/0; strings holding an integer
//   FLOAT, DOUBLE       any number (nearest value); true/false as 1/0; strings holding a number
//   DECIMAL(p,s)        the number's text exactly (ParseDecimalText: rounded half away from zero
//                       to s digits), or a string holding one
//   VARCHAR, VARBINARY  strings (unescaped); numbers as their original text; true/false; objects
//                       and arrays as their JSON text as written
//   DATE                "YYYY-MM-DD"; a timestamp string gives its UTC date
//   TIMESTAMP           ISO-8601 strings (ParseTimestampText: with or without fraction and offset);
//                       integers as milliseconds since the epoch (as the OpenX JSON SerDe does)
//   STRUCT              objects, fields by name as at the top level
//   LIST                arrays, element by element
//   MAP                 objects; keys converted to the key type from their text
// A value that does not convert (wrong JSON type, out of range, bad text) becomes NULL and is
// reported as kConversion, and the record is kept; with `reject_records_on_conversion_error`,
// the whole record is skipped instead (kRejected). A NULL for a non-nullable field always
// rejects the record.
//
// Errors: Next returns an error only for input that cannot be read on: damaged gzip
// (Corruption), a line longer than max_line_bytes (ResourceExhausted); the error names the input
// and the byte offset. After an error Next returns the same error again.
//
// Thread-safety: one thread at a time per reader; separate readers are independent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/record_batch.h"
#include "columnar/schema.h"
#include "common/status.h"
#include "format/type_inference.h"

namespace tarn::format {

struct NdjsonReaderOptions {
    size_t batch_rows = columnar::kDefaultBatchRows;
    // Match JSON keys to schema field names case-insensitively when no field has the exact name.
    bool case_insensitive_names = true;
    // Skip a record with a value that does not convert, instead of storing NULL for the value.
    bool reject_records_on_conversion_error = false;
    // errors() keeps at most this many entries; stats() counts every one.
    size_t max_reported_errors = 100;
    // The largest single JSON record; a larger one is reported as malformed and skipped. It also
    // bounds the parser's memory (about 6 bytes per byte of the longest line up to this size).
    size_t max_record_bytes = size_t{16} << 20;
    // The longest line (gzip input only: plain input is read in place). Several concatenated
    // objects without newlines make one long line.
    size_t max_line_bytes = size_t{2} << 30;
    // Gzip input is inflated in chunks of about this many bytes.
    size_t chunk_bytes = size_t{4} << 20;
    // The number of the input's first line in messages: a reader of one piece of a file (split at
    // line boundaries to parse the pieces in parallel) reports the file's line numbers. >= 1.
    uint64_t first_line = 1;
};

struct NdjsonError {
    enum class Kind : uint8_t {
        kMalformed,   // not JSON, not an object, or trailing content: the record was skipped
        kConversion,  // a value did not convert to its column's type: NULL was stored
        kRejected,    // the record was skipped because of a conversion (or a NULL in NOT NULL)
    };
    Kind kind;
    uint64_t line;    // 1-based
    uint64_t column;  // 1-based byte offset of the record (kMalformed) in its line
    // "<name>: line 12, column 1: malformed JSON (...)" / "...: field 'a.b': ... stored NULL".
    std::string message;
};

struct NdjsonStats {
    uint64_t rows = 0;               // rows returned in batches
    uint64_t malformed_records = 0;  // skipped as malformed
    uint64_t rejected_records = 0;   // skipped because of conversion errors
    uint64_t conversion_errors = 0;  // values that did not convert (stored NULL or rejected)
    uint64_t ignored_fields = 0;     // keys the schema does not have (all levels)
    uint64_t unreported_errors = 0;  // errors beyond max_reported_errors
};

class NdjsonReader {
public:
    // A reader of `data` (not copied: it must outlive the reader) named `name` in messages.
    // InvalidArgument for options out of range (batch_rows 0, max_record_bytes 0 or above 1 GiB).
    static Result<std::unique_ptr<NdjsonReader>> Open(std::string_view data, std::string name,
                                                      columnar::Schema schema,
                                                      NdjsonReaderOptions options = {});
    ~NdjsonReader();
    NdjsonReader(const NdjsonReader&) = delete;
    NdjsonReader& operator=(const NdjsonReader&) = delete;

    const std::shared_ptr<const columnar::Schema>& schema() const;
    // An empty batch of schema() sized for batch_rows.
    columnar::RecordBatch NewBatch() const;
    // Resets `batch` and fills it with the next rows (at most batch_rows). false (with an empty
    // batch) at the end of the input. REQUIRES: batch was made by NewBatch().
    Result<bool> Next(columnar::RecordBatch* batch);

    const NdjsonStats& stats() const;
    // The first max_reported_errors errors, in input order.
    const std::vector<NdjsonError>& errors() const;

private:
    struct Impl;
    explicit NdjsonReader(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

struct NdjsonInferOptions {
    // The sample: the first max_records well-formed objects (0: every record).
    size_t max_records = 10000;
    // Values nested deeper than this infer as kString (the reader then stores their JSON text).
    int max_depth = 32;
    // As in NdjsonReaderOptions.
    size_t max_record_bytes = size_t{16} << 20;
    size_t max_line_bytes = size_t{2} << 30;
    size_t chunk_bytes = size_t{4} << 20;
};

// The merged type of the sample's top-level objects: kStruct whose fields are the top-level
// fields in first-seen order (kNull with no fields when the sample holds no object). Malformed
// records are skipped (counted in *malformed_records when given). The crawler merges these across
// files with InferredType::Merge. Errors as NdjsonReader::Next.
Result<InferredType> InferNdjsonType(std::string_view data, std::string_view name,
                                     const NdjsonInferOptions& options = {},
                                     uint64_t* malformed_records = nullptr);

// InferredSchema() of InferNdjsonType()'s fields (the empty schema when there are none).
Result<columnar::Schema> InferNdjsonSchema(std::string_view data, std::string_view name,
                                           const NdjsonInferOptions& options = {});

}  // namespace tarn::format
