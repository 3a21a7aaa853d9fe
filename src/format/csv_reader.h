// CsvReader: reads a CSV file (RFC 4180, optionally gzip-compressed) into record batches of a
// given schema; CsvReader::InferSchema finds that schema from a sample of the file.
//
// Use:
//   CsvReadOptions options;                      // ',' '"', header line, batches of 2048 rows
//   TARN_ASSIGN_OR_RETURN(auto schema, CsvReader::InferSchema(bytes, "raw/x.csv", options));
//   TARN_ASSIGN_OR_RETURN(auto reader, CsvReader::Open(bytes, "raw/x.csv", schema, options));
//   columnar::RecordBatch batch = reader->NewBatch();
//   while (true) {
//       TARN_ASSIGN_OR_RETURN(bool more, reader->Next(&batch));
//       if (!more) break;
//       ...
//   }
//   for (const CsvError& e : reader->errors()) ...   // the bad rows and values, bounded
//
// Text: the tokenizer's grammar (csv_tokenizer.h): quoted fields hold delimiters, doubled quotes
// and line breaks; LF, CRLF and lone-CR line endings; a UTF-8 BOM at the start is skipped; the
// last line needs no line break. Gzip input is recognised by its magic and inflated as it is read
// (csv_input.h; several members are fine). Line numbers in messages are physical lines.
//
// Columns: with a header line, schema fields are matched to header names exactly, then ignoring
// ASCII case; a schema field missing from the header is all NULL and header columns that no field
// names are skipped. Without a header, fields are taken by position and every row must have as
// many as the schema. Nested types (STRUCT, LIST, MAP) are not in CSV: InvalidArgument at Open.
//
// Values: an empty unquoted field is NULL, as is an unquoted field equal to `null_text` when that
// is set; a quoted field is never NULL by its text, so "" is the empty string in a VARCHAR column
// (and NULL in other columns, having no value to convert). Conversions, by column type:
//   BOOLEAN true/false (any case); INT8..INT64 decimal integers (range-checked); FLOAT/DOUBLE
//   decimal numbers; DECIMAL(p,s) rounded half away from zero to s digits; DATE YYYY-MM-DD;
//   TIMESTAMP ISO-8601 (offsets applied, a bare date is midnight UTC); VARCHAR any valid UTF-8;
//   VARBINARY base64 (as tarn's CSV writer writes it). Numeric columns also take true/false as
//   1/0, since inference widens boolean into numbers (type_inference.h).
//
// Bad input never aborts the file. A row whose field count differs from the header's (or the
// schema's), an unterminated quote, a stray byte after a closing quote or a row longer than
// max_row_bytes: the row is skipped. A value that does not convert (or a VARCHAR that is not
// UTF-8): that value is NULL and the row is kept. Each is a CsvError (line, column, reason);
// errors() keeps the first max_errors of them and error_count() counts all. Blank lines are no
// rows when there is more than one column; with one column a blank line is a NULL value, as that
// is how a CSV writer writes it.
// Fatal: a damaged gzip stream (Corruption; Next keeps returning it), and at Open bad options, a
// nested column or a header line that cannot be read (InvalidArgument), each naming the file.
//
// Memory: the caller's buffer (not copied) plus one batch, the field spans of one batch of rows
// and, for gzip, about 1 MiB of inflated text plus the longest row. Batches end early, before
// batch_rows, when their rows hold more than 256 MiB of text, so string columns stay far from
// the 4 GiB offset limit.
//
// Thread-safety: one thread at a time per reader. The buffer must outlive the reader.
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
#include "format/csv_input.h"
#include "format/csv_tokenizer.h"

namespace tarn::format {

struct CsvReadOptions {
    char delimiter = ',';
    char quote = '"';
    // The first line names the columns. Without it, InferSchema names them column0, column1, ...
    bool header = true;
    // An unquoted field with exactly this text is NULL too (e.g. "NULL" or "\N"); empty: only
    // the empty field is.
    std::string null_text;
    size_t batch_rows = columnar::kDefaultBatchRows;
    // Longer rows are reported and skipped; bounds what an unterminated quote can make the
    // reader scan or (gzip) hold. At most 1 GiB.
    size_t max_row_bytes = size_t{16} << 20;
    // How many CsvErrors errors() keeps.
    size_t max_errors = 100;
};

struct CsvError {
    uint64_t line = 0;   // physical line (1-based)
    std::string column;  // empty for errors of a whole row
    std::string reason;
    // "<file>:<line>: column 'c': <reason>" (without the column part for row errors).
    std::string message;
};

class CsvReader {
public:
    // The schema of `data` from its header (or column0, ...) and the first `max_rows` rows:
    // each column's type merges ClassifyCsvField of its unquoted fields (a quoted field counts as
    // text of its value, a quoted "" as a string); rows with the wrong field count are left
    // out. Empty header names become column<i>, a repeated name gets a suffix _1, _2, ... .
    // Corruption for a damaged gzip stream; InvalidArgument for bad options or a bad header.
    static Result<columnar::Schema> InferSchema(std::string_view data, std::string_view name,
                                                const CsvReadOptions& options = {},
                                                size_t max_rows = 10000);

    // Reads the header (if any) and maps `schema` onto it. Does not take ownership of `data`.
    static Result<std::unique_ptr<CsvReader>> Open(std::string_view data, std::string name,
                                                   columnar::Schema schema,
                                                   const CsvReadOptions& options = {});
    ~CsvReader();
    CsvReader(const CsvReader&) = delete;
    CsvReader& operator=(const CsvReader&) = delete;

    const std::shared_ptr<const columnar::Schema>& schema() const { return schema_; }
    // An empty batch of schema() sized for batch_rows.
    columnar::RecordBatch NewBatch() const;
    // Fills *batch (Reset first) with the next rows: true when it holds at least one, false at
    // the end. REQUIRES: batch was made by NewBatch().
    Result<bool> Next(columnar::RecordBatch* batch);

    const std::vector<CsvError>& errors() const { return errors_; }
    uint64_t error_count() const { return error_count_; }
    uint64_t skipped_rows() const { return skipped_rows_; }
    uint64_t rows_read() const { return rows_read_; }

private:
    CsvReader(std::string name, columnar::Schema schema, const CsvReadOptions& options,
              std::unique_ptr<CsvInput> input);
    Status ReadHeader();
    // Tokenizes rows into spans_ until the batch is full or the window needs a refill.
    CsvTokenizer::Event TokenizeRows(size_t max_rows, size_t* bytes);
    // Appends the tokenized rows to the batch's columns.
    void ConvertRows(columnar::RecordBatch* batch);
    void ConvertColumn(size_t column, columnar::ColumnVector* out);
    void AddError(uint64_t line, std::string_view column, std::string reason);

    std::string name_;
    std::shared_ptr<const columnar::Schema> schema_;
    CsvReadOptions options_;
    std::unique_ptr<CsvInput> input_;
    CsvTokenizer tokenizer_;
    size_t file_columns_ = 0;
    std::vector<int> source_column_;  // per schema field: the file column, or -1
    // The fields of the rows tokenized but not yet converted: row r's are
    // spans_[r * file_columns_, (r + 1) * file_columns_); their first lines in row_lines_.
    std::vector<CsvField> spans_;
    std::vector<uint64_t> row_lines_;
    size_t pending_rows_ = 0;
    std::string scratch_;         // unescaped field text
    std::string binary_scratch_;  // decoded VARBINARY
    Status fatal_;
    bool at_end_ = false;
    std::vector<CsvError> errors_;
    uint64_t error_count_ = 0;
    uint64_t skipped_rows_ = 0;
    uint64_t rows_read_ = 0;
};

}  // namespace tarn::format
