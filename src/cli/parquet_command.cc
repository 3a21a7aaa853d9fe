// `tarn parquet`: look inside Parquet files with tarn's own reader.
//
//   tarn parquet schema FILE   the columnar schema tarn reads, then the file's Parquet schema tree
//   tarn parquet meta FILE     file, row groups and column chunks: encodings, codec, sizes,
//                              statistics, null counts
//   tarn parquet cat FILE [--columns a,b.c] [--format csv|json] [--limit N]
//                              rows as CSV (a header line, NULL as an empty field, nested values
//                              as JSON text) or JSON (one object per line); see
//                              columnar/value_format.h for how each type is written
//
// FILE is a local path, read through a storage::LocalStore on its folder (the same byte-range
// reads as lake files). `cat` leaves out (with a note on stderr) top-level columns of types tarn
// does not read, such as INTERVAL; `schema` and `meta` show them from the footer. Errors are one
// line on stderr ("tarn parquet: x.parquet: not a Parquet file (no PAR1 magic)") and exit status 1;
// usage errors exit 2. A closed stdout (`| head`) ends `cat` quietly with status 0.
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.h"
#include "cli/local_files.h"
#include "columnar/columnar.h"
#include "format/parquet_reader.h"
#include "format/parquet_stats_filter.h"
#include "storage/local_store.h"

namespace tarn::cli {
namespace {

using format::ParquetReader;
using format::ParquetReaderOptions;

Result<std::unique_ptr<ParquetReader>> OpenFile(const std::string& path,
                                                const ParquetReaderOptions& options) {
    TARN_ASSIGN_OR_RETURN(std::unique_ptr<format::RandomAccessSource> source, OpenLocalSource(path));
    return ParquetReader::Open(std::move(source), options);
}

// The footer and, when tarn can map it, the schema (else the reason it cannot).
struct Footer {
    format::FileMetaData meta;
    uint64_t file_size = 0;
    uint32_t footer_size = 0;
    Result<format::ParquetSchema> schema = Status::Unimplemented("not mapped");
};

Result<Footer> OpenFooter(const std::string& path) {
    TARN_ASSIGN_OR_RETURN(std::unique_ptr<format::RandomAccessSource> source, OpenLocalSource(path));
    Footer f;
    TARN_ASSIGN_OR_RETURN(f.meta,
                          format::ReadParquetFooter(source.get(), &f.file_size, &f.footer_size));
    f.schema = format::FromParquetSchema(f.meta.schema);
    return f;
}

int Report(const Status& s) {
    std::fprintf(stderr, "tarn parquet: %s\n", s.message().c_str());
    return 1;
}

// ---- Output -----------------------------------------------------------------------------------

// Buffers stdout; false once a write fails (errno kept).
class Out {
public:
    ~Out() { (void)Flush(); }
    std::string& buf() { return buf_; }
    bool MaybeFlush() { return buf_.size() < (1 << 20) || Flush(); }
    bool Flush() {
        if (failed_) return false;
        if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), stdout) != buf_.size()) {
            failed_ = true;
            error_ = errno;
        }
        buf_.clear();
        if (!failed_ && std::fflush(stdout) != 0) {
            failed_ = true;
            error_ = errno;
        }
        return !failed_;
    }
    int error() const { return error_; }

private:
    std::string buf_;
    bool failed_ = false;
    int error_ = 0;
};

int OutputFailed(const Out& out) {
    if (out.error() == EPIPE) return 0;
    return Report(Status::FromErrno(out.error(), "writing to stdout"));
}

// ---- schema -----------------------------------------------------------------------------------

const char* PhysicalName(format::Type t) {
    switch (t) {
        case format::Type::kBoolean:
            return "boolean";
        case format::Type::kInt32:
            return "int32";
        case format::Type::kInt64:
            return "int64";
        case format::Type::kInt96:
            return "int96";
        case format::Type::kFloat:
            return "float";
        case format::Type::kDouble:
            return "double";
        case format::Type::kByteArray:
            return "binary";
        case format::Type::kFixedLenByteArray:
            return "fixed_len_byte_array";
    }
    return "unknown";
}

const char* UnitName(format::TimeUnit u) {
    switch (u) {
        case format::TimeUnit::kMillis:
            return "MILLIS";
        case format::TimeUnit::kMicros:
            return "MICROS";
        case format::TimeUnit::kNanos:
            return "NANOS";
    }
    return "?";
}

std::string LogicalName(const format::LogicalType& t) {
    using K = format::LogicalType::Kind;
    switch (t.kind) {
        case K::kString:
            return "STRING";
        case K::kMap:
            return "MAP";
        case K::kList:
            return "LIST";
        case K::kEnum:
            return "ENUM";
        case K::kDecimal:
            return "DECIMAL(" + std::to_string(t.precision) + "," + std::to_string(t.scale) + ")";
        case K::kDate:
            return "DATE";
        case K::kTime:
            return std::string("TIME(") + UnitName(t.unit) + "," +
                   (t.is_adjusted_to_utc ? "true" : "false") + ")";
        case K::kTimestamp:
            return std::string("TIMESTAMP(") + UnitName(t.unit) + "," +
                   (t.is_adjusted_to_utc ? "true" : "false") + ")";
        case K::kInteger:
            return "INTEGER(" + std::to_string(t.bit_width) + "," +
                   (t.is_signed ? "true" : "false") + ")";
        case K::kUnknown:
            return "UNKNOWN";
        case K::kJson:
            return "JSON";
        case K::kBson:
            return "BSON";
        case K::kUuid:
            return "UUID";
    }
    if (static_cast<int>(t.kind) == 15) return "FLOAT16";
    return "LOGICAL(" + std::to_string(static_cast<int>(t.kind)) + ")";
}

const char* ConvertedName(format::ConvertedType c) {
    static const char* const kNames[] = {"UTF8",
                                         "MAP",
                                         "MAP_KEY_VALUE",
                                         "LIST",
                                         "ENUM",
                                         "DECIMAL",
                                         "DATE",
                                         "TIME_MILLIS",
                                         "TIME_MICROS",
                                         "TIMESTAMP_MILLIS",
                                         "TIMESTAMP_MICROS",
                                         "UINT_8",
                                         "UINT_16",
                                         "UINT_32",
                                         "UINT_64",
                                         "INT_8",
                                         "INT_16",
                                         "INT_32",
                                         "INT_64",
                                         "JSON",
                                         "BSON",
                                         "INTERVAL"};
    const auto i = static_cast<size_t>(c);
    return i < std::size(kNames) ? kNames[i] : "?";
}

// One element and its subtree, parquet-mr style; returns the next element index.
size_t PrintElement(const std::vector<format::SchemaElement>& el, size_t i, int depth,
                    std::string* out) {
    const format::SchemaElement& e = el[i];
    const std::string indent(static_cast<size_t>(depth) * 2, ' ');
    *out += indent;
    if (e.repetition_type) {
        switch (*e.repetition_type) {
            case format::FieldRepetitionType::kRequired:
                *out += "required ";
                break;
            case format::FieldRepetitionType::kOptional:
                *out += "optional ";
                break;
            case format::FieldRepetitionType::kRepeated:
                *out += "repeated ";
                break;
        }
    }
    const bool group = e.num_children.has_value() && (*e.num_children > 0 || !e.type);
    if (group) {
        *out += "group ";
    } else if (e.type) {
        *out += PhysicalName(*e.type);
        if (*e.type == format::Type::kFixedLenByteArray) {
            *out += "(" + std::to_string(e.type_length.value_or(0)) + ")";
        }
        *out += " ";
    }
    *out += e.name;
    if (e.logical_type) {
        *out += " (" + LogicalName(*e.logical_type) + ")";
    } else if (e.converted_type) {
        *out += std::string(" (") + ConvertedName(*e.converted_type);
        if (*e.converted_type == format::ConvertedType::kDecimal) {
            *out += "(" + std::to_string(e.precision.value_or(0)) + "," +
                    std::to_string(e.scale.value_or(0)) + ")";
        }
        *out += ")";
    }
    if (e.field_id) *out += " = " + std::to_string(*e.field_id);
    size_t next = i + 1;
    if (!group) {
        *out += ";\n";
        return next;
    }
    *out += " {\n";
    for (int32_t c = 0; c < *e.num_children && next < el.size(); ++c) {
        next = PrintElement(el, next, depth + 1, out);
    }
    *out += indent + "}\n";
    return next;
}

int RunSchema(const std::string& path) {
    Result<Footer> footer = OpenFooter(path);
    if (!footer.ok()) return Report(footer.status());
    Out out;
    std::string& s = out.buf();
    s += "columnar schema:\n";
    if (footer->schema.ok()) {
        for (const columnar::Field& f : footer->schema->schema.fields()) {
            s += "  " + f.ToString() + "\n";
        }
    } else {
        s += "  (tarn cannot read this file: " + footer->schema.status().message() + ")\n";
    }
    s += "\nparquet schema:\n";
    const auto& el = footer->meta.schema;
    if (!el.empty()) {
        s += "message " + el[0].name + " {\n";
        size_t next = 1;
        for (int32_t c = 0; c < el[0].num_children.value_or(0) && next < el.size(); ++c) {
            next = PrintElement(el, next, 1, &s);
        }
        s += "}\n";
    }
    return out.Flush() ? 0 : OutputFailed(out);
}

// ---- meta -------------------------------------------------------------------------------------

const char* EncodingName(format::Encoding e) {
    switch (e) {
        case format::Encoding::kPlain:
            return "PLAIN";
        case format::Encoding::kPlainDictionary:
            return "PLAIN_DICTIONARY";
        case format::Encoding::kRle:
            return "RLE";
        case format::Encoding::kBitPacked:
            return "BIT_PACKED";
        case format::Encoding::kDeltaBinaryPacked:
            return "DELTA_BINARY_PACKED";
        case format::Encoding::kDeltaLengthByteArray:
            return "DELTA_LENGTH_BYTE_ARRAY";
        case format::Encoding::kDeltaByteArray:
            return "DELTA_BYTE_ARRAY";
        case format::Encoding::kRleDictionary:
            return "RLE_DICTIONARY";
        case format::Encoding::kByteStreamSplit:
            return "BYTE_STREAM_SPLIT";
    }
    return "UNKNOWN";
}

std::string Hex(const std::string& raw) {
    static const char kHex[] = "0123456789abcdef";
    std::string hex = "0x";
    for (unsigned char c : raw) {
        hex += kHex[c >> 4];
        hex += kHex[c & 15];
    }
    return hex;
}

// A statistics bound as the column's value (JSON text), or its bytes in hex.
std::string StatText(const format::ParquetColumn* column, const std::string& raw) {
    if (column != nullptr && column->conversion != format::ValueConversion::kInt96ToMicros) {
        columnar::ColumnVector v(column->type);
        if (!format::DecodeStatValue(*column, raw, &v).ok()) return Hex(raw);
        std::string text;
        columnar::AppendValueJson(v, 0, &text);
        return text;
    }
    return Hex(raw);
}

void AppendStats(const format::ParquetColumn* column, const format::Statistics& st,
                 std::string* out) {
    std::string line;
    auto bound = [&](const char* what, const std::optional<std::string>& value,
                     const std::optional<std::string>& legacy, const std::optional<bool>& exact) {
        if (value) {
            line += std::string(" ") + what + " " + StatText(column, *value);
            if (exact && !*exact) line += " (inexact)";
        } else if (legacy) {
            line += std::string(" ") + what + " " + StatText(column, *legacy) + " (legacy)";
        }
    };
    bound("min", st.min_value, st.min, st.is_min_value_exact);
    bound("max", st.max_value, st.max, st.is_max_value_exact);
    if (st.null_count) line += " nulls " + std::to_string(*st.null_count);
    if (st.distinct_count) line += " distinct " + std::to_string(*st.distinct_count);
    if (line.empty()) line = " none";
    *out += "      statistics:" + line + "\n";
}

int RunMeta(const std::string& path) {
    Result<Footer> opened = OpenFooter(path);
    if (!opened.ok()) return Report(opened.status());
    const Footer& f = *opened;
    const format::FileMetaData& md = f.meta;
    // Statistics are shown as values when tarn maps the schema, else as bytes.
    const format::ParquetSchema* ps = f.schema.ok() ? &*f.schema : nullptr;
    Out out;
    std::string& s = out.buf();
    s += "file: " + path + "\n";
    s += "size: " + std::to_string(f.file_size) + " bytes (footer " +
         std::to_string(f.footer_size) + " bytes)\n";
    s += "format version: " + std::to_string(md.version) + "\n";
    s += "created by: " + md.created_by.value_or("(not set)") + "\n";
    s += "rows: " + std::to_string(md.num_rows) + "\n";
    s += "row groups: " + std::to_string(md.row_groups.size()) + "\n";
    if (ps != nullptr) {
        s += "columns: " + std::to_string(ps->columns.size()) + " leaves\n";
    } else {
        s += "columns: (tarn cannot read this file: " + f.schema.status().message() + ")\n";
    }
    if (md.key_value_metadata && !md.key_value_metadata->empty()) {
        s += "key-value metadata:\n";
        for (const format::KeyValue& kv : *md.key_value_metadata) {
            std::string value = kv.value.value_or("(null)");
            if (value.size() > 200) {
                value =
                    value.substr(0, 200) + "... (" + std::to_string(kv.value->size()) + " bytes)";
            }
            s += "  " + kv.key + " = " + value + "\n";
        }
    }
    for (size_t g = 0; g < md.row_groups.size(); ++g) {
        const format::RowGroup& rg = md.row_groups[g];
        s += "\nrow group " + std::to_string(g) + ": " + std::to_string(rg.num_rows) + " rows, " +
             std::to_string(rg.total_byte_size) + " bytes";
        if (rg.total_compressed_size) {
            s += " (" + std::to_string(*rg.total_compressed_size) + " compressed)";
        }
        s += "\n";
        for (size_t c = 0; c < rg.columns.size(); ++c) {
            if (!rg.columns[c].meta_data) {
                s += "  column " + std::to_string(c) + ": no metadata\n";
                continue;
            }
            const format::ColumnMetaData& cm = *rg.columns[c].meta_data;
            const format::ParquetColumn* col =
                ps != nullptr && c < ps->columns.size() ? &ps->columns[c] : nullptr;
            std::string name;
            for (const std::string& part : cm.path_in_schema) {
                name += (name.empty() ? "" : ".") + part;
            }
            s += "  " + name + ": " + PhysicalName(cm.type);
            if (col != nullptr) s += " -> " + col->type.ToString();
            s += "\n      codec " + std::string(format::CompressionCodecName(cm.codec)) +
                 ", encodings";
            for (size_t e = 0; e < cm.encodings.size(); ++e) {
                s += (e == 0 ? " " : ", ") + std::string(EncodingName(cm.encodings[e]));
            }
            s += "\n      values " + std::to_string(cm.num_values) + ", compressed " +
                 std::to_string(cm.total_compressed_size) + " bytes, uncompressed " +
                 std::to_string(cm.total_uncompressed_size) + " bytes\n";
            s += "      pages: ";
            if (cm.dictionary_page_offset) {
                s += "dictionary at " + std::to_string(*cm.dictionary_page_offset) + ", ";
            }
            s += "data at " + std::to_string(cm.data_page_offset) + "\n";
            if (cm.statistics) {
                AppendStats(col, *cm.statistics, &s);
            } else {
                s += "      statistics: none\n";
            }
        }
        if (!out.MaybeFlush()) return OutputFailed(out);
    }
    return out.Flush() ? 0 : OutputFailed(out);
}

// ---- cat --------------------------------------------------------------------------------------

struct CatFlags {
    std::string file;
    std::string columns;
    std::string format = "csv";
    int64_t limit = -1;
};

std::vector<std::string> SplitColumns(const std::string& list) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= list.size()) {
        const size_t comma = list.find(',', start);
        std::string name =
            list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        while (!name.empty() && name.front() == ' ') name.erase(name.begin());
        while (!name.empty() && name.back() == ' ') name.pop_back();
        if (!name.empty()) out.push_back(std::move(name));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

int RunCat(const CatFlags& flags) {
    const bool csv = flags.format == "csv";
    if (!csv && flags.format != "json") {
        std::fprintf(stderr, "tarn parquet cat: --format must be csv or json\n");
        return 2;
    }
    ParquetReaderOptions options;
    if (!flags.columns.empty()) options.columns = SplitColumns(flags.columns);
    options.skip_unsupported_columns = true;
    Result<std::unique_ptr<ParquetReader>> opened = OpenFile(flags.file, options);
    if (!opened.ok()) return Report(opened.status());
    ParquetReader& reader = **opened;
    if (flags.columns.empty()) {
        for (const auto& [name, why] : reader.unsupported_columns()) {
            std::fprintf(stderr, "tarn parquet: leaving out column '%s': %s\n", name.c_str(),
                         why.c_str());
        }
    }
    ::signal(SIGPIPE, SIG_IGN);
    Out out;
    std::string& s = out.buf();
    const columnar::Schema& schema = *reader.schema();
    if (csv) {
        for (size_t c = 0; c < schema.num_fields(); ++c) {
            if (c > 0) s += ',';
            columnar::AppendCsvText(schema.field(c).name, &s);
        }
        s += '\n';
    }
    int64_t left = flags.limit < 0 ? INT64_MAX : flags.limit;
    columnar::RecordBatch batch = reader.NewBatch();
    while (left > 0) {
        Result<bool> more = reader.Next(&batch);
        if (!more.ok()) {
            if (!out.Flush()) return OutputFailed(out);
            return Report(more.status());
        }
        if (!*more) break;
        const size_t rows =
            static_cast<size_t>(std::min<int64_t>(left, static_cast<int64_t>(batch.num_rows())));
        for (size_t r = 0; r < rows; ++r) {
            if (csv) {
                for (size_t c = 0; c < batch.num_columns(); ++c) {
                    if (c > 0) s += ',';
                    columnar::AppendValueCsv(batch.column(c), r, &s);
                }
            } else {
                columnar::AppendRowJson(batch, r, &s);
            }
            s += '\n';
            if (!out.MaybeFlush()) return OutputFailed(out);
        }
        left -= static_cast<int64_t>(rows);
    }
    return out.Flush() ? 0 : OutputFailed(out);
}

}  // namespace

void AddParquetCommand(CLI::App& app, int* exit_code) {
    CLI::App* cmd = app.add_subcommand("parquet", "Inspect Parquet files with tarn's reader");
    cmd->require_subcommand(1);

    auto schema_file = std::make_shared<std::string>();
    CLI::App* schema = cmd->add_subcommand(
        "schema", "Print the columnar schema and the Parquet schema tree of a file");
    schema->add_option("FILE", *schema_file, "Parquet file")->required();
    schema->callback([schema_file, exit_code] { *exit_code = RunSchema(*schema_file); });

    auto meta_file = std::make_shared<std::string>();
    CLI::App* meta = cmd->add_subcommand(
        "meta", "Print row groups and column chunks: encodings, codecs, sizes, statistics");
    meta->add_option("FILE", *meta_file, "Parquet file")->required();
    meta->callback([meta_file, exit_code] { *exit_code = RunMeta(*meta_file); });

    auto flags = std::make_shared<CatFlags>();
    CLI::App* cat = cmd->add_subcommand("cat", "Print the rows of a file as CSV or JSON lines");
    cat->add_option("FILE", flags->file, "Parquet file")->required();
    cat->add_option("--columns", flags->columns,
                    "Columns to print, comma-separated; struct members as a.b")
        ->type_name("LIST");
    cat->add_option("--format", flags->format, "csv (a header line, then rows) or json (lines)")
        ->type_name("csv|json")
        ->capture_default_str();
    cat->add_option("--limit", flags->limit, "Print at most N rows")->type_name("N");
    cat->callback([flags, exit_code] { *exit_code = RunCat(*flags); });
}

}  // namespace tarn::cli
