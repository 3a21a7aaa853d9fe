// parquet_tool: a test-only driver of tarn's Parquet code (never shipped).
//
//   parquet_tool write SPEC.json OUT.parquet     (SPEC "-" reads stdin)
//   parquet_tool bench ROWS OUT.parquet [OPTIONS-JSON]
//   parquet_tool read FILE [--columns a,b.c] [--batch-rows N] [--bench [REPEAT]]
//                          [--where 'COL OP JSON-VALUE' ...] [--groups]
//   parquet_tool csv IN.csv[.gz] OUT.parquet [--delimiter C] [--no-header]
//
// writes the rows of SPEC with format::ParquetWriter through a storage::LocalStore rooted at OUT's
// folder, commits the file, and prints a JSON summary of the footer on stdout
// ({"rows": N, "bytes": B, "row_groups": [{"num_rows": n, "columns": [{"path", "encodings",
// "num_values", "dictionary_page_offset", "data_page_offset", "total_compressed_size"}]}]}).
// `bench` writes ROWS rows of a synthetic clickstream table (the columns of `tarn gen` events)
// and prints the time spent in Write/Close; OPTIONS-JSON is like SPEC's "options".
// `csv` infers IN's schema with format::CsvReader, reads it and writes it to OUT.parquet, printing
// {"schema": "...", "rows": N, "error_count": E, "errors": [first messages], "bytes": IN's size,
//  "read_seconds": time in CsvReader::Next, "infer_seconds": ...} (OUT "-": read only).
// Errors go to stderr with exit status 1 (2 for usage errors).
//
// SPEC:
//   {"schema":  [FIELD, ...],
//    "options": {"codec": "SNAPPY" | "ZSTD" | "GZIP" | "LZ4_RAW" | "UNCOMPRESSED",
//                "compression_level": int, "row_group_bytes": int, "data_page_bytes": int,
//                "data_page_max_rows": int,
//                "dictionary": bool, "dictionary_page_limit": int, "delta": bool,
//                "data_page_version": 1 | 2, "key_value_metadata": {"key": "value", ...},
//                "created_by": str, "max_statistics_bytes": int,
//                "batch_rows": int (rows per RecordBatch handed to Write; default 1000)},
//    "rows":    [[value per top-level field, ...], ...]}
//   FIELD := {"name": str, "type": TYPE, "nullable": bool (default true), "field_id": int}
//   TYPE  := "BOOLEAN" | "INT8" | "INT16" | "INT32" | "INT64" | "FLOAT" | "DOUBLE"
//          | "DECIMAL(p,s)" | "VARCHAR" | "VARBINARY" | "DATE" | "TIMESTAMP"
//          | {"struct": [FIELD, ...]}
//          | {"list": FIELD | TYPE}            (a bare TYPE: nullable field "element")
//          | {"map": [FIELD | TYPE, FIELD | TYPE]}  (bare: "key" NOT NULL, nullable "value")
//
// Values (null is null for any type):
//   BOOLEAN true/false; INT* a JSON integer or a string of one (for 64-bit extremes);
//   FLOAT/DOUBLE a number or "NaN", "Infinity", "-Infinity", "-0";
//   DECIMAL a string "-123.45" (at most `s` fraction digits) or an integer;
//   VARCHAR a string; VARBINARY base64 text;
//   DATE "YYYY-MM-DD" (proleptic Gregorian, years may be negative) or an integer day number;
//   TIMESTAMP integer microseconds since 1970-01-01 (or a string of one), or
//     "YYYY-MM-DD HH:MM:SS[.ffffff]" (UTC, no zone);
//   STRUCT an object by member name (missing members are null) or an array by position;
//   LIST an array; MAP an array of [key, value] pairs, or an object (string keys).
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli/clickstream.h"
#include "columnar/columnar.h"
#include "common/base64.h"
#include "common/time_format.h"
#include "format/csv_reader.h"
#include "format/parquet_reader.h"
#include "format/parquet_writer.h"
#include "storage/local_store.h"

namespace {

using json = nlohmann::json;
using tarn::Result;
using tarn::Status;
using namespace tarn::columnar;
namespace fmt = tarn::format;

Status Bad(const std::string& msg) { return Status::InvalidArgument(msg); }

// ---- schema -----------------------------------------------------------------------------------

Result<DataType> ParseType(const json& t, const std::string& where);

Result<Field> ParseField(const json& f, const std::string& where) {
    if (!f.is_object() || !f.contains("name") || !f.contains("type")) {
        return Bad(where + ": a field needs \"name\" and \"type\"");
    }
    Field field{.name = f["name"].get<std::string>(), .type = DataType::Int32()};
    TARN_ASSIGN_OR_RETURN(field.type, ParseType(f["type"], where + "." + field.name));
    field.nullable = f.value("nullable", true);
    field.field_id = f.value("field_id", kNoFieldId);
    return field;
}

// A FIELD, or a bare TYPE given the default name and nullability.
Result<Field> FieldOrType(const json& j, const std::string& name, bool nullable,
                          const std::string& where) {
    if (j.is_object() && j.contains("name")) return ParseField(j, where);
    Field f{.name = name, .type = DataType::Int32(), .nullable = nullable};
    TARN_ASSIGN_OR_RETURN(f.type, ParseType(j, where + "." + name));
    return f;
}

Result<DataType> ParseType(const json& t, const std::string& where) {
    if (t.is_string()) {
        const std::string s = t.get<std::string>();
        static const std::pair<const char*, DataType (*)()> kSimple[] = {
            {"BOOLEAN", DataType::Boolean},     {"INT8", DataType::Int8},
            {"INT16", DataType::Int16},         {"INT32", DataType::Int32},
            {"INT64", DataType::Int64},         {"FLOAT", DataType::Float},
            {"DOUBLE", DataType::Double},       {"VARCHAR", DataType::Varchar},
            {"VARBINARY", DataType::Varbinary}, {"DATE", DataType::Date},
            {"TIMESTAMP", DataType::Timestamp},
        };
        for (const auto& [name, make] : kSimple) {
            if (s == name) return make();
        }
        int p = 0;
        int sc = 0;
        if (std::sscanf(s.c_str(), "DECIMAL(%d,%d)", &p, &sc) == 2) {
            return DataType::MakeDecimal(p, sc);
        }
        return Bad(where + ": unknown type \"" + s + "\"");
    }
    if (t.is_object() && t.contains("struct")) {
        std::vector<Field> fields;
        for (const json& f : t["struct"]) {
            TARN_ASSIGN_OR_RETURN(Field field, ParseField(f, where));
            fields.push_back(std::move(field));
        }
        return DataType::Struct(std::move(fields));
    }
    if (t.is_object() && t.contains("list")) {
        TARN_ASSIGN_OR_RETURN(Field e, FieldOrType(t["list"], "element", true, where));
        return DataType::List(std::move(e));
    }
    if (t.is_object() && t.contains("map") && t["map"].is_array() && t["map"].size() == 2) {
        TARN_ASSIGN_OR_RETURN(Field k, FieldOrType(t["map"][0], "key", false, where));
        TARN_ASSIGN_OR_RETURN(Field v, FieldOrType(t["map"][1], "value", true, where));
        return DataType::Map(std::move(k), std::move(v));
    }
    return Bad(where + ": bad type " + t.dump());
}

// ---- values -----------------------------------------------------------------------------------

Result<int64_t> ToInt(const json& v, const std::string& where) {
    if (v.is_number_integer()) return v.get<int64_t>();
    if (v.is_number_unsigned()) return static_cast<int64_t>(v.get<uint64_t>());
    if (v.is_string()) {
        const std::string s = v.get<std::string>();
        int64_t out = 0;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        if (ec == std::errc() && p == s.data() + s.size()) return out;
    }
    return Bad(where + ": not an integer: " + v.dump());
}

Result<double> ToDouble(const json& v, const std::string& where) {
    if (v.is_number()) return v.get<double>();
    if (v.is_string()) {
        const std::string s = v.get<std::string>();
        if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
        if (s == "Infinity") return std::numeric_limits<double>::infinity();
        if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
        if (s == "-0") return -0.0;
    }
    return Bad(where + ": not a number: " + v.dump());
}

Result<int128_t> ToDecimal(const json& v, int scale, const std::string& where) {
    std::string s;
    if (v.is_number_integer()) {
        s = std::to_string(v.get<int64_t>());
    } else if (v.is_string()) {
        s = v.get<std::string>();
    } else {
        return Bad(where + ": a DECIMAL is a string or an integer: " + v.dump());
    }
    size_t i = 0;
    const bool neg = !s.empty() && s[0] == '-';
    if (neg || (!s.empty() && s[0] == '+')) ++i;
    int128_t out = 0;
    int frac = -1;
    bool digits = false;
    for (; i < s.size(); ++i) {
        if (s[i] == '.' && frac < 0) {
            frac = 0;
            continue;
        }
        if (s[i] < '0' || s[i] > '9') return Bad(where + ": bad DECIMAL \"" + s + "\"");
        out = out * 10 + (s[i] - '0');
        digits = true;
        if (frac >= 0) ++frac;
    }
    if (!digits || frac > scale) return Bad(where + ": bad DECIMAL \"" + s + "\" for its scale");
    for (int k = std::max(frac, 0); k < scale; ++k) out *= 10;
    return neg ? -out : out;
}

Result<int32_t> ToDate(const json& v, const std::string& where) {
    if (v.is_number_integer()) return static_cast<int32_t>(v.get<int64_t>());
    if (v.is_string()) {
        long long y = 0;
        unsigned m = 0;
        unsigned d = 0;
        if (std::sscanf(v.get<std::string>().c_str(), "%lld-%u-%u", &y, &m, &d) == 3) {
            return static_cast<int32_t>(tarn::DaysFromCivil(y, m, d));
        }
    }
    return Bad(where + ": bad DATE " + v.dump());
}

Result<int64_t> ToTimestamp(const json& v, const std::string& where) {
    if (v.is_number_integer()) return v.get<int64_t>();
    if (v.is_string()) {
        const std::string s = v.get<std::string>();
        long long y = 0;
        unsigned mo = 0;
        unsigned d = 0;
        unsigned h = 0;
        unsigned mi = 0;
        unsigned sec = 0;
        int used = 0;
        if (std::sscanf(s.c_str(), "%lld-%u-%u %u:%u:%u%n", &y, &mo, &d, &h, &mi, &sec, &used) ==
            6) {
            int64_t micros = 0;
            if (static_cast<size_t>(used) < s.size() && s[static_cast<size_t>(used)] == '.') {
                std::string f = s.substr(static_cast<size_t>(used) + 1);
                f.resize(6, '0');
                micros = std::stoll(f);
            }
            const int64_t days = tarn::DaysFromCivil(y, mo, d);
            return ((days * 86400 + h * 3600 + mi * 60 + sec) * 1000000) + micros;
        }
        return ToInt(v, where);
    }
    return Bad(where + ": bad TIMESTAMP " + v.dump());
}

Status AppendValue(ColumnVector* col, const Field& field, const json& v, const std::string& where) {
    if (v.is_null()) {
        if (!field.nullable) return Bad(where + ": null in NOT NULL field '" + field.name + "'");
        col->AppendNull();
        return Status::Ok();
    }
    const DataType& t = field.type;
    switch (t.id()) {
        case TypeId::kBoolean:
            if (!v.is_boolean()) return Bad(where + ": not a boolean: " + v.dump());
            col->Append<uint8_t>(v.get<bool>() ? 1 : 0);
            return Status::Ok();
        case TypeId::kInt8:
        case TypeId::kInt16:
        case TypeId::kInt32:
        case TypeId::kInt64: {
            TARN_ASSIGN_OR_RETURN(const int64_t x, ToInt(v, where));
            if (t.id() == TypeId::kInt8) col->Append<int8_t>(static_cast<int8_t>(x));
            if (t.id() == TypeId::kInt16) col->Append<int16_t>(static_cast<int16_t>(x));
            if (t.id() == TypeId::kInt32) col->Append<int32_t>(static_cast<int32_t>(x));
            if (t.id() == TypeId::kInt64) col->Append<int64_t>(x);
            return Status::Ok();
        }
        case TypeId::kFloat: {
            TARN_ASSIGN_OR_RETURN(const double x, ToDouble(v, where));
            col->Append<float>(static_cast<float>(x));
            return Status::Ok();
        }
        case TypeId::kDouble: {
            TARN_ASSIGN_OR_RETURN(const double x, ToDouble(v, where));
            col->Append<double>(x);
            return Status::Ok();
        }
        case TypeId::kDecimal: {
            TARN_ASSIGN_OR_RETURN(const int128_t x, ToDecimal(v, t.scale(), where));
            if (t.precision() <= kMaxDecimal64Precision) {
                col->Append<int64_t>(static_cast<int64_t>(x));
            } else {
                col->Append<int128_t>(x);
            }
            return Status::Ok();
        }
        case TypeId::kVarchar:
            if (!v.is_string()) return Bad(where + ": not a string: " + v.dump());
            col->AppendString(v.get<std::string>());
            return Status::Ok();
        case TypeId::kVarbinary: {
            if (!v.is_string()) return Bad(where + ": VARBINARY is base64 text: " + v.dump());
            TARN_ASSIGN_OR_RETURN(const std::string bytes,
                                  tarn::Base64Decode(v.get<std::string>()));
            col->AppendString(bytes);
            return Status::Ok();
        }
        case TypeId::kDate: {
            TARN_ASSIGN_OR_RETURN(const int32_t x, ToDate(v, where));
            col->Append<int32_t>(x);
            return Status::Ok();
        }
        case TypeId::kTimestamp: {
            TARN_ASSIGN_OR_RETURN(const int64_t x, ToTimestamp(v, where));
            col->Append<int64_t>(x);
            return Status::Ok();
        }
        case TypeId::kStruct: {
            for (size_t i = 0; i < t.num_fields(); ++i) {
                const Field& m = t.field(i);
                json member = nullptr;
                if (v.is_object() && v.contains(m.name)) member = v[m.name];
                if (v.is_array() && i < v.size()) member = v[i];
                TARN_RETURN_IF_ERROR(AppendValue(&col->child(i), m, member, where + "." + m.name));
            }
            col->AppendStructEnd();
            return Status::Ok();
        }
        case TypeId::kList: {
            if (!v.is_array()) return Bad(where + ": a LIST is an array: " + v.dump());
            for (const json& e : v) {
                TARN_RETURN_IF_ERROR(AppendValue(&col->child(0), t.element_field(), e, where));
            }
            col->AppendListEnd();
            return Status::Ok();
        }
        case TypeId::kMap: {
            if (v.is_object()) {
                for (const auto& [k, val] : v.items()) {
                    TARN_RETURN_IF_ERROR(AppendValue(&col->child(0), t.key_field(), k, where));
                    TARN_RETURN_IF_ERROR(AppendValue(&col->child(1), t.value_field(), val, where));
                }
            } else if (v.is_array()) {
                for (const json& kv : v) {
                    if (!kv.is_array() || kv.size() != 2) {
                        return Bad(where + ": a MAP entry is [key, value]: " + kv.dump());
                    }
                    TARN_RETURN_IF_ERROR(AppendValue(&col->child(0), t.key_field(), kv[0], where));
                    TARN_RETURN_IF_ERROR(
                        AppendValue(&col->child(1), t.value_field(), kv[1], where));
                }
            } else {
                return Bad(where + ": a MAP is an array of pairs or an object: " + v.dump());
            }
            col->AppendListEnd();
            return Status::Ok();
        }
    }
    return Bad(where + ": unsupported type");
}

// ---- options ----------------------------------------------------------------------------------

Result<fmt::ParquetWriterOptions> ParseOptions(const json& o, size_t* batch_rows) {
    fmt::ParquetWriterOptions opt;
    if (o.is_null()) return opt;
    if (o.contains("codec")) {
        const std::string c = o["codec"].get<std::string>();
        using C = fmt::CompressionCodec;
        const std::pair<const char*, C> kCodecs[] = {
            {"UNCOMPRESSED", C::kUncompressed},
            {"SNAPPY", C::kSnappy},
            {"GZIP", C::kGzip},
            {"ZSTD", C::kZstd},
            {"LZ4_RAW", C::kLz4Raw},
            {"LZ4", C::kLz4},
            {"BROTLI", C::kBrotli},
        };
        bool found = false;
        for (const auto& [name, codec] : kCodecs) {
            if (c == name) {
                opt.codec = codec;
                found = true;
            }
        }
        if (!found) return Bad("unknown codec \"" + c + "\"");
    }
    if (o.contains("compression_level")) opt.compression_level = o["compression_level"].get<int>();
    opt.row_group_bytes = o.value("row_group_bytes", opt.row_group_bytes);
    opt.data_page_bytes = o.value("data_page_bytes", opt.data_page_bytes);
    opt.data_page_max_rows = o.value("data_page_max_rows", opt.data_page_max_rows);
    opt.dictionary = o.value("dictionary", opt.dictionary);
    opt.dictionary_page_limit = o.value("dictionary_page_limit", opt.dictionary_page_limit);
    opt.delta = o.value("delta", opt.delta);
    opt.data_page_version = o.value("data_page_version", opt.data_page_version);
    opt.created_by = o.value("created_by", opt.created_by);
    opt.max_statistics_bytes = o.value("max_statistics_bytes", opt.max_statistics_bytes);
    if (o.contains("key_value_metadata")) {
        for (const auto& [k, v] : o["key_value_metadata"].items()) {
            opt.key_value_metadata.push_back(
                fmt::KeyValue{.key = k, .value = v.get<std::string>()});
        }
    }
    *batch_rows = o.value("batch_rows", *batch_rows);
    if (*batch_rows == 0) return Bad("batch_rows must be positive");
    return opt;
}

json Summary(const fmt::FileMetaData& md, uint64_t bytes) {
    json groups = json::array();
    for (const fmt::RowGroup& rg : md.row_groups) {
        json cols = json::array();
        for (const fmt::ColumnChunk& c : rg.columns) {
            const fmt::ColumnMetaData& m = *c.meta_data;
            json encs = json::array();
            for (fmt::Encoding e : m.encodings) encs.push_back(static_cast<int>(e));
            std::string path;
            for (const std::string& p : m.path_in_schema) path += (path.empty() ? "" : ".") + p;
            cols.push_back({{"path", path},
                            {"encodings", encs},
                            {"num_values", m.num_values},
                            {"dictionary_page_offset",
                             m.dictionary_page_offset ? json(*m.dictionary_page_offset) : json()},
                            {"data_page_offset", m.data_page_offset},
                            {"total_compressed_size", m.total_compressed_size}});
        }
        groups.push_back({{"num_rows", rg.num_rows}, {"columns", cols}});
    }
    return {{"rows", md.num_rows}, {"bytes", bytes}, {"row_groups", groups}};
}

Status Write(const std::string& spec_path, const std::string& out_path) {
    json spec;
    try {
        if (spec_path == "-") {
            spec = json::parse(std::cin);
        } else {
            std::ifstream in(spec_path);
            if (!in) return Status::NotFound("cannot open " + spec_path);
            spec = json::parse(in);
        }
    } catch (const std::exception& e) {
        return Bad(std::string("SPEC is not JSON: ") + e.what());
    }
    try {
        std::vector<Field> fields;
        for (const json& f : spec.at("schema")) {
            TARN_ASSIGN_OR_RETURN(Field field, ParseField(f, "schema"));
            fields.push_back(std::move(field));
        }
        TARN_ASSIGN_OR_RETURN(Schema schema_value, Schema::Make(std::move(fields)));
        auto schema = std::make_shared<const Schema>(std::move(schema_value));
        size_t batch_rows = 1000;
        TARN_ASSIGN_OR_RETURN(fmt::ParquetWriterOptions options,
                              ParseOptions(spec.value("options", json()), &batch_rows));

        const size_t slash = out_path.find_last_of('/');
        const std::string dir = slash == std::string::npos ? "." : out_path.substr(0, slash);
        const std::string key = slash == std::string::npos ? out_path : out_path.substr(slash + 1);
        TARN_ASSIGN_OR_RETURN(auto store, tarn::storage::LocalStore::Open(dir.empty() ? "/" : dir));
        TARN_ASSIGN_OR_RETURN(auto object, store->OpenWriter(key));
        TARN_ASSIGN_OR_RETURN(auto writer, fmt::ParquetWriter::Open(object.get(), schema, options));

        RecordBatch batch(schema, batch_rows);
        const json& rows = spec.at("rows");
        size_t in_batch = 0;
        for (size_t r = 0; r < rows.size(); ++r) {
            const json& row = rows[r];
            if (!row.is_array() || row.size() != schema->num_fields()) {
                return Bad("row " + std::to_string(r) + " must be an array of " +
                           std::to_string(schema->num_fields()) + " values");
            }
            for (size_t c = 0; c < schema->num_fields(); ++c) {
                TARN_RETURN_IF_ERROR(
                    AppendValue(&batch.column(c), schema->field(c), row[c],
                                "row " + std::to_string(r) + " " + schema->field(c).name));
            }
            if (++in_batch == batch_rows || r + 1 == rows.size()) {
                batch.set_num_rows(in_batch);
                TARN_RETURN_IF_ERROR(batch.Validate());
                TARN_RETURN_IF_ERROR(writer->Write(batch));
                batch.Reset();
                in_batch = 0;
            }
        }
        TARN_ASSIGN_OR_RETURN(fmt::FileMetaData md, writer->Close());
        const uint64_t bytes = object->size();
        TARN_RETURN_IF_ERROR(object->Commit());
        std::cout << Summary(md, bytes).dump() << "\n";
        return Status::Ok();
    } catch (const std::exception& e) {
        return Bad(std::string("bad SPEC: ") + e.what());
    }
}

// ---- bench ------------------------------------------------------------------------------------

uint64_t Mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// Fills `batch` with rows [first, first + n) of a deterministic clickstream-shaped table (the
// columns of `tarn gen` events, all nullable as a crawled schema is).
void FillClickstream(RecordBatch* batch, uint64_t first, size_t n, uint64_t total) {
    static const char* kTypes[] = {"view",  "view",   "view",        "view",     "view",  "click",
                                   "click", "search", "add_to_cart", "purchase", "login", "logout"};
    static const char* kRefs[] = {nullptr,
                                  nullptr,
                                  nullptr,
                                  nullptr,
                                  "https://www.google.com/",
                                  "https://www.google.com/",
                                  "https://www.google.com/",
                                  "https://www.bing.com/",
                                  "https://t.co/",
                                  "https://news.ycombinator.com/"};
    static const char* kCountries[] = {"US", "US", "US", "IN", "GB", "DE", "BR", "FR",
                                       "JP", "CA", "MX", "ES", "IT", "AU", "NL", "KR"};
    static const char* kDevices[] = {"mobile", "mobile", "desktop", "tablet"};
    static const char* kOs[] = {"iOS 17",     "iOS 16",   "Android 14", "Android 13",
                                "Windows 11", "macOS 14", "Linux",      "iPadOS 17"};
    static const char* kVersions[] = {"3.4.1", "3.4.1", "3.4.0", "3.3.2", "3.2.0"};
    static const char* kTags[] = {"sale", "promo", "new", "returning", "vip", "email"};
    static const char kHex[] = "0123456789abcdef";
    char buf[64];
    for (size_t i = 0; i < n; ++i) {
        const uint64_t idx = first + i;
        const uint64_t r0 = Mix(idx * 3 + 1);
        const uint64_t r1 = Mix(idx * 3 + 2);
        const uint64_t a = Mix(idx + 77);
        const uint64_t b = Mix(a);
        for (int k = 0; k < 16; ++k) buf[k] = kHex[(a >> (4 * k)) & 15];
        for (int k = 16; k < 32; ++k) buf[k] = kHex[(b >> (4 * (k - 16))) & 15];
        std::string uuid(buf, 8);
        uuid += '-';
        uuid.append(buf + 8, 4);
        uuid += "-4";
        uuid.append(buf + 13, 3);
        uuid += '-';
        uuid.append(buf + 16, 4);
        uuid += '-';
        uuid.append(buf + 20, 12);
        batch->column(0).AppendString(uuid);
        const double x = static_cast<double>(r0 & 0xffffff) / 16777216.0;
        const auto user = static_cast<int64_t>(1 + 100000 * x * x * x);
        batch->column(1).Append<int64_t>(user);
        const int64_t ts = 1767225600000000LL +
                           static_cast<int64_t>(259200000000.0 * static_cast<double>(idx) /
                                                static_cast<double>(total)) +
                           static_cast<int64_t>(r1 % 1000000);
        const uint64_t session = Mix(static_cast<uint64_t>(user) * 1315423911u +
                                     static_cast<uint64_t>(ts / 1800000000LL));
        for (int k = 0; k < 16; ++k) buf[k] = kHex[(session >> (4 * k)) & 15];
        batch->column(2).AppendString(std::string_view(buf, 16));
        const char* type = kTypes[r1 % std::size(kTypes)];
        batch->column(3).AppendString(type);
        std::string page;
        switch ((r1 >> 8) % 4) {
            case 0:
                page = "/";
                break;
            case 1:
                page = "/category/" + std::to_string((r1 >> 12) % 10);
                break;
            default:
                page = "/products/" +
                       std::to_string(1 + ((r1 >> 16) % 5000) * ((r1 >> 32) % 5000) / 5000);
        }
        batch->column(4).AppendString(page);
        if (const char* ref = kRefs[(r1 >> 40) % std::size(kRefs)]) {
            batch->column(5).AppendString(ref);
        } else {
            batch->column(5).AppendNull();
        }
        batch->column(6).AppendString(
            kCountries[Mix(static_cast<uint64_t>(user)) % std::size(kCountries)]);
        batch->column(7).AppendString(kDevices[session % std::size(kDevices)]);
        if (std::string_view(type) == "purchase") {
            batch->column(8).Append<int64_t>(static_cast<int64_t>(499 + (r0 >> 40) % 100000));
        } else {
            batch->column(8).AppendNull();
        }
        batch->column(9).Append<int64_t>(ts);
        ColumnVector& ctx = batch->column(10);
        ctx.child(0).AppendString(kVersions[(session >> 8) % std::size(kVersions)]);
        ctx.child(1).AppendString(kOs[(session >> 16) % std::size(kOs)]);
        ColumnVector& screen = ctx.child(2);
        screen.child(0).Append<int32_t>(static_cast<int32_t>(360 + (session >> 24) % 8 * 160));
        screen.child(1).Append<int32_t>(static_cast<int32_t>(640 + (session >> 28) % 8 * 90));
        screen.AppendStructEnd();
        ctx.AppendStructEnd();
        ColumnVector& tags = batch->column(11);
        const uint64_t ntags = (r0 >> 50) % 4;
        for (uint64_t k = 0; k < ntags; ++k) {
            tags.child(0).AppendString(kTags[(r0 >> (20 + 3 * k)) % std::size(kTags)]);
        }
        tags.AppendListEnd();
    }
    batch->set_num_rows(n);
}

// parquet_tool bench ROWS OUT.parquet [SPEC-OPTIONS-JSON]: writes ROWS clickstream rows in
// batches of batch_rows (default 2048); only Write and Close are timed.
Status Bench(uint64_t rows, const std::string& out_path, const std::string& options_json) {
    size_t batch_rows = 2048;
    json o = options_json.empty() ? json() : json::parse(options_json);
    TARN_ASSIGN_OR_RETURN(fmt::ParquetWriterOptions options, ParseOptions(o, &batch_rows));
    auto schema = tarn::cli::ClickstreamEventSchema();
    const size_t slash = out_path.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "." : out_path.substr(0, slash);
    const std::string key = slash == std::string::npos ? out_path : out_path.substr(slash + 1);
    TARN_ASSIGN_OR_RETURN(auto store, tarn::storage::LocalStore::Open(dir.empty() ? "/" : dir));
    TARN_ASSIGN_OR_RETURN(auto object, store->OpenWriter(key));
    TARN_ASSIGN_OR_RETURN(auto writer, fmt::ParquetWriter::Open(object.get(), schema, options));
    RecordBatch batch(schema, batch_rows);
    std::chrono::steady_clock::duration spent{};
    double cpu = 0;  // thread CPU seconds in Write/Close (wall time is noisy on shared machines)
    auto cpu_now = [] {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
    };
    for (uint64_t first = 0; first < rows; first += batch_rows) {
        const size_t n = static_cast<size_t>(std::min<uint64_t>(batch_rows, rows - first));
        batch.Reset();
        FillClickstream(&batch, first, n, rows);
        const auto t0 = std::chrono::steady_clock::now();
        const double c0 = cpu_now();
        TARN_RETURN_IF_ERROR(writer->Write(batch));
        cpu += cpu_now() - c0;
        spent += std::chrono::steady_clock::now() - t0;
    }
    const auto t0 = std::chrono::steady_clock::now();
    const double c0 = cpu_now();
    TARN_ASSIGN_OR_RETURN(fmt::FileMetaData md, writer->Close());
    cpu += cpu_now() - c0;
    spent += std::chrono::steady_clock::now() - t0;
    const uint64_t bytes = object->size();
    TARN_RETURN_IF_ERROR(object->Commit());
    const double secs = std::chrono::duration<double>(spent).count();
    std::cout << json{{"rows", rows},
                      {"bytes", bytes},
                      {"row_groups", md.row_groups.size()},
                      {"write_seconds", secs},
                      {"write_cpu_seconds", cpu},
                      {"rows_per_second", static_cast<double>(rows) / secs}}
                     .dump()
              << "\n";
    return Status::Ok();
}

// ---- read (the reader's side) -------------------------------------------------------------------
// `read` reads FILE with format::ParquetReader through a storage::LocalStore rooted at its folder
// and prints every row as one JSON object per line (columnar/value_format.h), or with --bench
// decodes the file REPEAT times (default 3) without printing and reports the fastest pass:
// {"rows", "columns", "bytes", "seconds", "cpu_seconds", "rows_per_second", "mb_per_second"}
// (bytes: the projected column chunks, compressed).
// --where adds a row-group predicate (ANDed): 'COL OP VALUE' with OP one of = < <= > >= (spaces
// around it) and VALUE a JSON value as in SPEC rows ("2024-01-01" for a DATE, "1.50" for a
// DECIMAL, ...), or 'COL IS NULL' / 'COL IS NOT NULL'. --groups prints, instead of the rows,
// {"rows": N, "read": [row groups read], "skipped": [row groups skipped]}.

// The predicate of a --where argument, its constant typed by the column's type in `schema`.
Result<fmt::ParquetPredicate> ParseWhere(const std::string& text, const Schema& schema) {
    using Op = fmt::ParquetPredicate::Op;
    fmt::ParquetPredicate pred;
    const size_t sp = text.find(' ');
    if (sp == std::string::npos) return Bad("--where '" + text + "': COL OP VALUE expected");
    pred.column = text.substr(0, sp);
    std::string rest = text.substr(sp + 1);
    if (rest == "IS NULL" || rest == "IS NOT NULL") {
        pred.op = rest == "IS NULL" ? Op::kIsNull : Op::kIsNotNull;
        return pred;
    }
    const size_t sp2 = rest.find(' ');
    if (sp2 == std::string::npos) return Bad("--where '" + text + "': COL OP VALUE expected");
    const std::string op = rest.substr(0, sp2);
    static const std::pair<const char*, Op> kOps[] = {
        {"=", Op::kEq}, {"<", Op::kLt}, {"<=", Op::kLe}, {">", Op::kGt}, {">=", Op::kGe}};
    bool known = false;
    for (const auto& [name, o] : kOps) {
        if (op == name) {
            pred.op = o;
            known = true;
        }
    }
    if (!known) return Bad("--where '" + text + "': unknown operator " + op);
    json value;
    try {
        value = json::parse(rest.substr(sp2 + 1));
    } catch (const std::exception& e) {
        return Bad("--where '" + text + "': the value is not JSON");
    }
    // The column's type: a top-level field or struct members below one.
    const Field* field = nullptr;
    if (int i = schema.FindField(pred.column); i >= 0)
        field = &schema.field(static_cast<size_t>(i));
    if (field == nullptr) {
        std::stringstream parts(pred.column);
        for (std::string part; std::getline(parts, part, '.');) {
            if (field == nullptr) {
                const int i = schema.FindField(part);
                if (i < 0) break;
                field = &schema.field(static_cast<size_t>(i));
                continue;
            }
            const Field* next = nullptr;
            for (const Field& m : field->type.fields()) {
                if (m.name == part) next = &m;
            }
            field = next;
            if (field == nullptr) break;
        }
    }
    if (field == nullptr) return Bad("--where: no column " + pred.column);
    const std::string where = "--where " + pred.column;
    switch (field->type.id()) {
        case TypeId::kBoolean:
            pred.value = value.get<bool>();
            break;
        case TypeId::kDecimal: {
            TARN_ASSIGN_OR_RETURN(int128_t v, ToDecimal(value, field->type.scale(), where));
            pred.value = v;
            break;
        }
        case TypeId::kFloat:
        case TypeId::kDouble: {
            TARN_ASSIGN_OR_RETURN(double v, ToDouble(value, where));
            pred.value = v;
            break;
        }
        case TypeId::kVarchar:
        case TypeId::kVarbinary:
            pred.value = value.get<std::string>();
            break;
        case TypeId::kDate: {
            TARN_ASSIGN_OR_RETURN(int32_t v, ToDate(value, where));
            pred.value = int64_t{v};
            break;
        }
        case TypeId::kTimestamp: {
            TARN_ASSIGN_OR_RETURN(int64_t v, ToTimestamp(value, where));
            pred.value = v;
            break;
        }
        default: {
            TARN_ASSIGN_OR_RETURN(int64_t v, ToInt(value, where));
            pred.value = v;
            break;
        }
    }
    return pred;
}

Status Read(const std::vector<std::string>& args) {
    std::string path;
    fmt::ParquetReaderOptions options;
    int repeat = 0;
    std::vector<std::string> wheres;
    bool groups = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--where" && i + 1 < args.size()) {
            wheres.push_back(args[++i]);
        } else if (a == "--groups") {
            groups = true;
        } else if (a == "--columns" && i + 1 < args.size()) {
            std::vector<std::string> names;
            std::stringstream list(args[++i]);
            for (std::string name; std::getline(list, name, ',');) {
                if (!name.empty()) names.push_back(name);
            }
            options.columns = names;
        } else if (a == "--batch-rows" && i + 1 < args.size()) {
            options.batch_rows = std::stoul(args[++i]);
        } else if (a == "--bench") {
            repeat = 3;
            if (i + 1 < args.size() &&
                args[i + 1].find_first_not_of("0123456789") == std::string::npos) {
                repeat = std::stoi(args[++i]);
            }
        } else if (path.empty()) {
            path = a;
        } else {
            return Bad("read: unexpected argument " + a);
        }
    }
    if (path.empty()) return Bad("read: FILE is missing");
    const size_t slash = path.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
    const std::string key = slash == std::string::npos ? path : path.substr(slash + 1);
    TARN_ASSIGN_OR_RETURN(auto store, tarn::storage::LocalStore::Open(dir.empty() ? "/" : dir));
    if (!wheres.empty()) {
        fmt::ParquetReaderOptions probe_options;
        probe_options.columns = std::vector<std::string>{};
        TARN_ASSIGN_OR_RETURN(auto probe,
                              fmt::ParquetReader::Open(store.get(), key, probe_options));
        for (const std::string& w : wheres) {
            TARN_ASSIGN_OR_RETURN(fmt::ParquetPredicate p,
                                  ParseWhere(w, probe->file_schema().schema));
            options.predicates.push_back(std::move(p));
        }
    }
    if (repeat == 0) {
        TARN_ASSIGN_OR_RETURN(auto reader, fmt::ParquetReader::Open(store.get(), key, options));
        RecordBatch batch = reader->NewBatch();
        std::string out;
        int64_t total = 0;
        while (true) {
            TARN_ASSIGN_OR_RETURN(const bool more, reader->Next(&batch));
            if (!more) break;
            total += static_cast<int64_t>(batch.num_rows());
            if (groups) continue;
            for (size_t r = 0; r < batch.num_rows(); ++r) {
                AppendRowJson(batch, r, &out);
                out += '\n';
            }
            std::cout << out;
            out.clear();
        }
        if (groups) {
            std::cout << json{{"rows", total},
                              {"read", reader->row_groups()},
                              {"skipped", reader->skipped_row_groups()}}
                             .dump()
                      << "\n";
        }
        return Status::Ok();
    }
    auto cpu_now = [] {
        timespec t{};
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
    };
    double best = 1e300;
    double best_cpu = 0;
    int64_t rows = 0;
    size_t columns = 0;
    uint64_t bytes = 0;
    for (int k = 0; k < repeat; ++k) {
        const auto t0 = std::chrono::steady_clock::now();
        const double c0 = cpu_now();
        TARN_ASSIGN_OR_RETURN(auto reader, fmt::ParquetReader::Open(store.get(), key, options));
        RecordBatch batch = reader->NewBatch();
        rows = 0;
        while (true) {
            TARN_ASSIGN_OR_RETURN(const bool more, reader->Next(&batch));
            if (!more) break;
            rows += static_cast<int64_t>(batch.num_rows());
        }
        const double secs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (secs < best) {
            best = secs;
            best_cpu = cpu_now() - c0;
        }
        columns = reader->schema()->num_fields();
        bytes = reader->scan_bytes();
    }
    std::cout << json{{"rows", rows},
                      {"columns", columns},
                      {"bytes", bytes},
                      {"seconds", best},
                      {"cpu_seconds", best_cpu},
                      {"rows_per_second", static_cast<double>(rows) / best},
                      {"mb_per_second", static_cast<double>(bytes) / best / 1e6}}
                     .dump()
              << "\n";
    return Status::Ok();
}

// ---- csv --------------------------------------------------------------------------------------

Status CsvToParquet(const std::vector<std::string>& args) {
    fmt::CsvReadOptions options;
    for (size_t i = 2; i < args.size(); ++i) {
        if (args[i] == "--no-header") {
            options.header = false;
        } else if (args[i] == "--delimiter" && i + 1 < args.size() && args[i + 1].size() == 1) {
            options.delimiter = args[++i][0];
        } else {
            return Bad("csv: unknown argument " + args[i]);
        }
    }
    std::ifstream in(args[0], std::ios::binary);
    if (!in) return Status::NotFound("cannot open " + args[0]);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    using Clock = std::chrono::steady_clock;
    auto seconds = [](Clock::duration d) { return std::chrono::duration<double>(d).count(); };
    const auto t0 = Clock::now();
    TARN_ASSIGN_OR_RETURN(Schema schema, fmt::CsvReader::InferSchema(data, args[0], options));
    const double infer_seconds = seconds(Clock::now() - t0);
    TARN_ASSIGN_OR_RETURN(auto reader, fmt::CsvReader::Open(data, args[0], schema, options));
    std::unique_ptr<tarn::storage::LocalStore> store;
    std::unique_ptr<tarn::storage::ObjectWriter> object;
    std::unique_ptr<fmt::ParquetWriter> writer;
    const std::string& out_path = args[1];
    if (out_path != "-") {
        const size_t slash = out_path.find_last_of('/');
        const std::string dir = slash == std::string::npos ? "." : out_path.substr(0, slash);
        const std::string key = slash == std::string::npos ? out_path : out_path.substr(slash + 1);
        TARN_ASSIGN_OR_RETURN(store, tarn::storage::LocalStore::Open(dir.empty() ? "/" : dir));
        TARN_ASSIGN_OR_RETURN(object, store->OpenWriter(key));
        TARN_ASSIGN_OR_RETURN(writer, fmt::ParquetWriter::Open(object.get(), reader->schema(),
                                                               fmt::ParquetWriterOptions()));
    }
    RecordBatch batch = reader->NewBatch();
    Clock::duration read_time{};
    while (true) {
        const auto start = Clock::now();
        TARN_ASSIGN_OR_RETURN(bool more, reader->Next(&batch));
        read_time += Clock::now() - start;
        if (!more) break;
        if (writer) TARN_RETURN_IF_ERROR(writer->Write(batch));
    }
    if (writer) {
        TARN_RETURN_IF_ERROR(writer->Close().status());
        TARN_RETURN_IF_ERROR(object->Commit());
    }
    json errors = json::array();
    for (const auto& e : reader->errors()) errors.push_back(e.message);
    std::cout << json{{"schema", reader->schema()->ToString()},
                      {"rows", reader->rows_read()},
                      {"error_count", reader->error_count()},
                      {"errors", errors},
                      {"bytes", data.size()},
                      {"infer_seconds", infer_seconds},
                      {"read_seconds", seconds(read_time)}}
                     .dump()
              << "\n";
    return Status::Ok();
}

}  // namespace

int main(int argc, char** argv) {
    if ((argc == 4 || argc == 5) && std::string(argv[1]) == "bench") {
        const Status s = Bench(std::stoull(argv[2]), argv[3], argc == 5 ? argv[4] : "");
        if (!s.ok()) {
            std::cerr << "parquet_tool: " << s.ToString() << "\n";
            return 1;
        }
        return 0;
    }
    if (argc >= 3 && std::string(argv[1]) == "read") {
        const Status s = Read(std::vector<std::string>(argv + 2, argv + argc));
        if (!s.ok()) {
            std::cerr << "parquet_tool: " << s.ToString() << "\n";
            return 1;
        }
        return 0;
    }
    if (argc >= 4 && std::string(argv[1]) == "csv") {  // CSV -> Parquet through CsvReader
        const Status s = CsvToParquet(std::vector<std::string>(argv + 2, argv + argc));
        if (!s.ok()) {
            std::cerr << "parquet_tool: " << s.ToString() << "\n";
            return 1;
        }
        return 0;
    }
    if (argc == 4 && std::string(argv[1]) == "write") {
        const Status s = Write(argv[2], argv[3]);
        if (!s.ok()) {
            std::cerr << "parquet_tool: " << s.ToString() << "\n";
            return 1;
        }
        return 0;
    }
    std::cerr << "usage: parquet_tool write SPEC.json OUT.parquet   (SPEC - reads stdin)\n"
                 "       parquet_tool bench ROWS OUT.parquet [OPTIONS-JSON]\n"
                 "       parquet_tool read FILE [--columns a,b.c] [--batch-rows N] [--bench [REPEAT]]\n"
                 "                         [--where 'COL OP JSON-VALUE' ...] [--groups]\n"
                 "       parquet_tool csv IN.csv OUT.parquet|- [--delimiter C] [--no-header]\n";
    return 2;
}
