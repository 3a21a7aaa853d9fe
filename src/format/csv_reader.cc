// CsvReader: header mapping, the batch loop and schema inference (see csv_reader.h). The
// per-type conversion of a batch's fields into columns is in csv_reader_convert.cc.
#include "format/csv_reader.h"

#include <algorithm>
#include <unordered_set>
#include <utility>

#include "common/text.h"
#include "format/type_inference.h"

namespace tarn::format {
namespace {

using Event = CsvTokenizer::Event;

// A batch ends early once its rows hold this much text (string arenas stay far below 4 GiB).
constexpr size_t kMaxBatchTextBytes = size_t{256} << 20;
constexpr size_t kMaxRowBytesLimit = size_t{1} << 30;

Status CheckOptions(const CsvReadOptions& o, std::string_view name) {
    auto bad = [&](std::string_view why) {
        return Status::InvalidArgument(std::string(name) + ": CSV options: " + std::string(why));
    };
    if (o.delimiter == o.quote) return bad("the delimiter and the quote are the same character");
    for (char c : {o.delimiter, o.quote}) {
        if (c == '\n' || c == '\r') return bad("the delimiter or quote is a line break");
    }
    if (o.batch_rows == 0) return bad("batch_rows is 0");
    if (o.max_row_bytes == 0 || o.max_row_bytes > kMaxRowBytesLimit) {
        return bad("max_row_bytes is outside 1 .. 1 GiB");
    }
    return Status::Ok();
}

// The next row, refilling the window and growing `fields` until the row fits: kRow, kError or
// kEnd. Field spans are valid until the next call.
Result<Event> NextRowGrowing(CsvInput* input, CsvTokenizer* tokenizer,
                             std::vector<CsvField>* fields, CsvRow* row) {
    while (true) {
        const CsvTokenizer::State before = tokenizer->state();
        const Event e =
            tokenizer->Next(input->window(), input->final(), fields->data(), fields->size(), row);
        if (e == Event::kNeedMore) {
            const size_t consumed = tokenizer->position();
            TARN_RETURN_IF_ERROR(input->Refill(consumed));
            tokenizer->Rebase(consumed);
            continue;
        }
        if (e == Event::kRow && row->num_fields > fields->size()) {
            fields->resize(row->num_fields);
            tokenizer->Restore(before);
            continue;
        }
        return e;
    }
}

// Column names from header fields (or, with header == false, column0, ...): an empty name is
// column<i>, a repeated one gets the first free suffix _1, _2, ... .
std::vector<std::string> ColumnNames(const std::vector<std::string>& raw) {
    std::vector<std::string> names;
    std::unordered_set<std::string> used;
    for (size_t i = 0; i < raw.size(); ++i) {
        std::string name = raw[i].empty() ? "column" + std::to_string(i) : raw[i];
        if (used.contains(name)) {
            for (size_t k = 1;; ++k) {
                std::string candidate = name + "_" + std::to_string(k);
                if (!used.contains(candidate)) {
                    name = std::move(candidate);
                    break;
                }
            }
        }
        used.insert(name);
        names.push_back(std::move(name));
    }
    return names;
}

// Reads the header line: the column names, empty for an empty file.
Result<std::vector<std::string>> ReadHeaderNames(CsvInput* input, CsvTokenizer* tokenizer,
                                                 char quote, std::string_view name) {
    std::vector<CsvField> fields(64);
    CsvRow row;
    TARN_ASSIGN_OR_RETURN(Event e, NextRowGrowing(input, tokenizer, &fields, &row));
    if (e == Event::kEnd) return std::vector<std::string>{};
    if (e == Event::kError) {
        return Status::InvalidArgument(std::string(name) + ":" + std::to_string(row.error_line) +
                                       ": header line: " + row.error);
    }
    std::vector<std::string> raw;
    std::string scratch;
    for (size_t i = 0; i < row.num_fields; ++i) {
        raw.emplace_back(UnescapeField(fields[i], quote, &scratch));
    }
    return ColumnNames(raw);
}

InferredType ClassifyField(const CsvField& field, const CsvReadOptions& options,
                           std::string* scratch) {
    if (field.quoted()) {
        if (field.size == 0) return InferredType::Scalar(InferredType::Kind::kString);
        return ClassifyCsvField(UnescapeField(field, options.quote, scratch));
    }
    if (!options.null_text.empty() && field.text() == options.null_text) {
        return InferredType::Scalar(InferredType::Kind::kNull);
    }
    return ClassifyCsvField(field.text());
}

}  // namespace

Result<columnar::Schema> CsvReader::InferSchema(std::string_view data, std::string_view name,
                                                const CsvReadOptions& options, size_t max_rows) {
    TARN_RETURN_IF_ERROR(CheckOptions(options, name));
    TARN_ASSIGN_OR_RETURN(auto input, CsvInput::Open(data, std::string(name)));
    CsvTokenizer tokenizer(options.delimiter, options.quote, options.max_row_bytes);
    std::vector<std::string> names;
    if (options.header) {
        TARN_ASSIGN_OR_RETURN(names, ReadHeaderNames(input.get(), &tokenizer, options.quote, name));
    }
    std::vector<InferredType> types(names.size());
    std::vector<CsvField> fields(std::max<size_t>(names.size(), 64));
    std::string scratch;
    CsvRow row;
    for (size_t rows = 0; rows < max_rows;) {
        TARN_ASSIGN_OR_RETURN(Event e, NextRowGrowing(input.get(), &tokenizer, &fields, &row));
        if (e == Event::kEnd) break;
        if (e == Event::kError) continue;
        if (!options.header && names.empty() && !row.blank) {
            names = ColumnNames(std::vector<std::string>(row.num_fields));
            types.resize(names.size());
        }
        if (row.blank && names.size() != 1) continue;
        if (row.num_fields != names.size()) continue;
        for (size_t i = 0; i < row.num_fields; ++i) {
            types[i].Merge(ClassifyField(fields[i], options, &scratch));
        }
        ++rows;
    }
    std::vector<std::pair<std::string, InferredType>> columns;
    for (size_t i = 0; i < names.size(); ++i) columns.emplace_back(names[i], std::move(types[i]));
    auto schema = InferredSchema(columns);
    if (!schema.ok()) return schema.status().WithContext(name);
    return schema;
}

CsvReader::CsvReader(std::string name, columnar::Schema schema, const CsvReadOptions& options,
                     std::unique_ptr<CsvInput> input)
    : name_(std::move(name)),
      schema_(std::make_shared<const columnar::Schema>(std::move(schema))),
      options_(options),
      input_(std::move(input)),
      tokenizer_(options.delimiter, options.quote, options.max_row_bytes) {}

CsvReader::~CsvReader() = default;

Result<std::unique_ptr<CsvReader>> CsvReader::Open(std::string_view data, std::string name,
                                                   columnar::Schema schema,
                                                   const CsvReadOptions& options) {
    TARN_RETURN_IF_ERROR(CheckOptions(options, name));
    for (const columnar::Field& field : schema.fields()) {
        if (field.type.is_nested()) {
            return Status::InvalidArgument(name + ": column '" + field.name + "' is " +
                                           field.type.ToString() + "; CSV holds no nested types");
        }
    }
    TARN_ASSIGN_OR_RETURN(auto input, CsvInput::Open(data, name));
    std::unique_ptr<CsvReader> reader(
        new CsvReader(std::move(name), std::move(schema), options, std::move(input)));
    TARN_RETURN_IF_ERROR(reader->ReadHeader());
    return reader;
}

Status CsvReader::ReadHeader() {
    const columnar::Schema& schema = *schema_;
    source_column_.assign(schema.num_fields(), -1);
    if (!options_.header) {
        file_columns_ = schema.num_fields();
        for (size_t i = 0; i < schema.num_fields(); ++i) source_column_[i] = static_cast<int>(i);
    } else {
        TARN_ASSIGN_OR_RETURN(auto names,
                              ReadHeaderNames(input_.get(), &tokenizer_, options_.quote, name_));
        file_columns_ = names.size();
        for (size_t i = 0; i < schema.num_fields(); ++i) {
            const std::string& want = schema.field(i).name;
            auto it = std::find(names.begin(), names.end(), want);
            if (it == names.end()) {
                it = std::find_if(names.begin(), names.end(), [&](const std::string& n) {
                    return EqualsIgnoreAsciiCase(n, want);
                });
            }
            if (it != names.end()) source_column_[i] = static_cast<int>(it - names.begin());
        }
    }
    spans_.resize(options_.batch_rows * std::max<size_t>(file_columns_, 1));
    row_lines_.resize(options_.batch_rows);
    return Status::Ok();
}

columnar::RecordBatch CsvReader::NewBatch() const {
    return columnar::RecordBatch(schema_, options_.batch_rows);
}

void CsvReader::AddError(uint64_t line, std::string_view column, std::string reason) {
    ++error_count_;
    if (errors_.size() >= options_.max_errors) return;
    CsvError e;
    e.line = line;
    e.column = column;
    e.message = name_ + ":" + std::to_string(line) + ": ";
    if (!column.empty()) e.message += "column '" + e.column + "': ";
    e.message += reason;
    e.reason = std::move(reason);
    errors_.push_back(std::move(e));
}

Event CsvReader::TokenizeRows(size_t max_rows, size_t* bytes) {
    const std::string_view text = input_->window();
    const bool final = input_->final();
    while (pending_rows_ < max_rows && *bytes < kMaxBatchTextBytes) {
        CsvField* fields = spans_.data() + pending_rows_ * file_columns_;
        const size_t before = tokenizer_.position();
        CsvRow row;
        const Event e = tokenizer_.Next(text, final, fields, file_columns_, &row);
        if (e == Event::kError) {
            ++skipped_rows_;
            AddError(row.error_line, "", row.error);
            continue;
        }
        if (e != Event::kRow) return e;
        *bytes += tokenizer_.position() - before;
        if (row.blank && file_columns_ != 1) continue;
        if (row.num_fields != file_columns_) {
            ++skipped_rows_;
            AddError(row.line, "",
                     "expected " + std::to_string(file_columns_) + " fields, found " +
                         std::to_string(row.num_fields));
            continue;
        }
        row_lines_[pending_rows_++] = row.line;
    }
    return Event::kRow;  // the batch is full
}

void CsvReader::ConvertRows(columnar::RecordBatch* batch) {
    for (size_t i = 0; i < schema_->num_fields(); ++i) ConvertColumn(i, &batch->column(i));
    batch->set_num_rows(batch->num_rows() + pending_rows_);
    rows_read_ += pending_rows_;
    pending_rows_ = 0;
}

Result<bool> CsvReader::Next(columnar::RecordBatch* batch) {
    if (!fatal_.ok()) return fatal_;
    batch->Reset();
    // Text of skipped rows counts towards the byte limit too, so a run of bad rows may end a
    // batch with no rows: then go on with the next.
    while (batch->num_rows() == 0 && !at_end_) {
        size_t bytes = 0;
        while (!at_end_ && batch->num_rows() < options_.batch_rows && bytes < kMaxBatchTextBytes) {
            const size_t first_error = errors_.size();
            const Event e = TokenizeRows(options_.batch_rows - batch->num_rows(), &bytes);
            ConvertRows(batch);
            // Conversion reports column by column: put these rows' errors in line order.
            std::stable_sort(errors_.begin() + first_error, errors_.end(),
                             [](const CsvError& a, const CsvError& b) { return a.line < b.line; });
            if (e == Event::kEnd) at_end_ = true;
            if (e != Event::kNeedMore) continue;
            const size_t consumed = tokenizer_.position();
            Status refilled = input_->Refill(consumed);
            if (!refilled.ok()) {
                fatal_ = std::move(refilled);
                // Hand out the rows read before the damage; the error comes with the next call.
                return batch->num_rows() > 0 ? Result<bool>(true) : Result<bool>(fatal_);
            }
            tokenizer_.Rebase(consumed);
        }
    }
    return batch->num_rows() > 0;
}

}  // namespace tarn::format
