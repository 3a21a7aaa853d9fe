#include "catalog/table_storage.h"

#include <charconv>
#include <optional>
#include <span>

#include "common/text.h"

namespace tarn::catalog {
namespace {

constexpr std::string_view kClassification = "classification";
constexpr std::string_view kCompressionType = "compressionType";
constexpr std::string_view kTypeOfData = "typeOfData";
constexpr std::string_view kSkipHeader = "skip.header.line.count";
constexpr std::string_view kDelimiter = "delimiter";
constexpr std::string_view kKind = "tarn.kind";
constexpr std::string_view kTimePartitionSource = "tarn.time_partition_source";
constexpr std::string_view kSchemaVersion = "tarn.schema_version";
constexpr std::string_view kDeprecated = "tarn.deprecated";
constexpr std::string_view kInputFormat = "tarn.input_format";
constexpr std::string_view kOutputFormat = "tarn.output_format";
constexpr std::string_view kSerde = "tarn.serde";

bool Contains(std::string_view haystack, std::string_view needle) {
    return AsciiLower(haystack).find(AsciiLower(needle)) != std::string::npos;
}

const std::string* Find(const Parameters& parameters, std::string_view key) {
    auto it = parameters.find(std::string(key));
    return it == parameters.end() ? nullptr : &it->second;
}

std::string CommaSeparatedNames(const std::vector<Column>& columns) {
    std::string out;
    for (const Column& column : columns) {
        if (!out.empty()) out += ',';
        out += column.name;
    }
    return out;
}

bool IsTextCompressed(const Table& table) {
    return table.format != DataFormat::kParquet && !table.compression.empty() &&
           table.compression != "none";
}

// CSV: OpenCSVSerde rather than LazySimpleSerDe. tarn's CSV writer (and most CSV producers)
// quote fields that hold the delimiter, a quote or a line break (RFC 4180); LazySimpleSerDe knows
// no quoting and would silently split such fields, while OpenCSVSerde reads them right. Its cost
// (every engine reads typed columns through it, but timestamps only as epoch numbers) is the
// lesser harm. escapeChar is left at OpenCSVSerde's default, the quote itself: RFC 4180's
// doubled quote; a backslash escape would eat backslashes in the data.
StorageDescriptor CsvDescriptor(const Table& table) {
    return {.input_format = std::string(kTextInputFormat),
            .output_format = std::string(kTextOutputFormat),
            .serde_library = std::string(kOpenCsvSerde),
            .serde_parameters = {{"separatorChar", std::string(1, table.csv_delimiter)},
                                 {"quoteChar", "\""}},
            .compressed = IsTextCompressed(table)};
}

StorageDescriptor DescriptorKeptInParameters(const Table& table) {
    StorageDescriptor out;
    if (const std::string* v = Find(table.parameters, kInputFormat)) out.input_format = *v;
    if (const std::string* v = Find(table.parameters, kOutputFormat)) out.output_format = *v;
    if (const std::string* v = Find(table.parameters, kSerde)) out.serde_library = *v;
    return out;
}

// The delimiter a SerDe parameter names: one character, or a Hive octal/decimal escape such as
// "\001" or "1" for a control character.
std::optional<char> DelimiterFrom(std::string_view text) {
    if (text.size() == 1) return text[0];
    if (text == "\\t") return '\t';
    std::string_view digits = text;
    int base = 10;
    if (!digits.empty() && digits[0] == '\\') {
        digits.remove_prefix(1);
        base = 8;
    }
    int value = 0;
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
    if (ec != std::errc() || ptr != digits.data() + digits.size() || value <= 0 || value > 127) {
        return std::nullopt;
    }
    return static_cast<char>(value);
}

std::optional<DataFormat> FormatOfSerde(std::string_view serde) {
    if (Contains(serde, "parquet")) return DataFormat::kParquet;
    if (Contains(serde, "JsonSerDe")) return DataFormat::kJson;
    if (Contains(serde, "OpenCSVSerde") || Contains(serde, "LazySimpleSerDe")) {
        return DataFormat::kCsv;
    }
    return std::nullopt;
}

char CsvDelimiterOf(const StorageDescriptor& descriptor, const Parameters& table_parameters) {
    const Parameters& serde = descriptor.serde_parameters;
    static constexpr std::string_view kOpenCsvKeys[] = {"separatorChar"};
    static constexpr std::string_view kLazySimpleKeys[] = {"field.delim", "serialization.format"};
    const bool open_csv = Contains(descriptor.serde_library, "OpenCSVSerde");
    for (std::string_view key : open_csv ? std::span<const std::string_view>(kOpenCsvKeys)
                                         : std::span<const std::string_view>(kLazySimpleKeys)) {
        const std::string* text = Find(serde, key);
        if (!text) continue;
        // serialization.format is often "1" (Thrift's protocol), which is no delimiter.
        if (key == "serialization.format" && *text == "1") continue;
        if (auto c = DelimiterFrom(*text)) return *c;
    }
    if (const std::string* text = Find(table_parameters, kDelimiter)) {
        if (auto c = DelimiterFrom(*text)) return *c;
    }
    const bool lazy_simple = Contains(descriptor.serde_library, "LazySimpleSerDe");
    return lazy_simple ? '\x01' : ',';
}

}  // namespace

StorageDescriptor StorageDescriptorOf(const Table& table) {
    switch (table.format) {
        case DataFormat::kParquet:
            return {.input_format = std::string(kParquetInputFormat),
                    .output_format = std::string(kParquetOutputFormat),
                    .serde_library = std::string(kParquetSerde),
                    .serde_parameters = {{"serialization.format", "1"}},
                    .compressed = false};
        case DataFormat::kJson:
            // `paths` lists the top-level fields, as a Glue crawler writes it.
            return {.input_format = std::string(kTextInputFormat),
                    .output_format = std::string(kTextOutputFormat),
                    .serde_library = std::string(kOpenxJsonSerde),
                    .serde_parameters = {{"paths", CommaSeparatedNames(table.columns)}},
                    .compressed = IsTextCompressed(table)};
        case DataFormat::kCsv:
            return CsvDescriptor(table);
        case DataFormat::kUnknown:
            break;
    }
    return DescriptorKeptInParameters(table);
}

Parameters TableParametersOf(const Table& table) {
    Parameters out = table.parameters;
    if (table.format != DataFormat::kUnknown) {
        out[std::string(kClassification)] = DataFormatName(table.format);
        out[std::string(kCompressionType)] = table.compression.empty() ? "none" : table.compression;
        out[std::string(kTypeOfData)] = "file";
        if (table.format == DataFormat::kCsv) {
            out[std::string(kDelimiter)] = std::string(1, table.csv_delimiter);
            if (table.csv_header) out[std::string(kSkipHeader)] = "1";
        }
    }
    out[std::string(kKind)] = table.kind == TableKind::kManaged ? "managed" : "external";
    if (!table.time_partition_source.empty()) {
        out[std::string(kTimePartitionSource)] = table.time_partition_source;
    }
    out[std::string(kSchemaVersion)] = std::to_string(table.schema_version);
    if (table.deprecated) out[std::string(kDeprecated)] = "true";
    return out;
}

StorageFormat FormatFromStorage(const StorageDescriptor& descriptor,
                                const Parameters& table_parameters) {
    StorageFormat out;
    if (auto f = FormatOfSerde(descriptor.serde_library)) {
        out.format = *f;
    } else if (Contains(descriptor.input_format, "parquet")) {
        out.format = DataFormat::kParquet;
    } else if (const std::string* c = Find(table_parameters, kClassification)) {
        out.format = ParseDataFormat(*c).value_or(DataFormat::kUnknown);
    }
    if (const std::string* c = Find(table_parameters, kCompressionType)) {
        out.compression = AsciiLower(*c);
    } else if (descriptor.compressed && out.format != DataFormat::kParquet) {
        out.compression = "gzip";  // what Hive's text readers assume of a .gz object
    }
    if (out.format == DataFormat::kCsv) {
        out.csv_delimiter = CsvDelimiterOf(descriptor, table_parameters);
        const std::string* skip = Find(table_parameters, kSkipHeader);
        int lines = 0;
        if (skip) std::from_chars(skip->data(), skip->data() + skip->size(), lines);
        out.csv_header = lines >= 1;
    }
    return out;
}

Parameters UserParameters(Parameters parameters, DataFormat format) {
    for (std::string_view key : {kKind, kTimePartitionSource, kSchemaVersion, kDeprecated}) {
        parameters.erase(std::string(key));
    }
    if (format == DataFormat::kUnknown) return parameters;
    for (std::string_view key : {kClassification, kCompressionType, kTypeOfData, kSkipHeader,
                                 kDelimiter, kInputFormat, kOutputFormat, kSerde}) {
        parameters.erase(std::string(key));
    }
    return parameters;
}

bool IsUri(std::string_view location) {
    size_t colon = location.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    for (size_t i = 0; i < colon; ++i) {
        char c = location[i];
        bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        bool other = (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
        if (!alpha && !(i > 0 && other)) return false;
    }
    return true;
}

namespace {

// One spelling per place: "file:/abs/path/" or "<scheme>:<rest>", with s3a/s3n as s3. A bare
// absolute path is a file path; anything else that is not a URI yields nullopt.
std::optional<std::string> CanonicalPlace(std::string_view uri) {
    if (!IsUri(uri)) {
        if (!uri.empty() && uri[0] == '/') return "file:" + std::string(uri);
        return std::nullopt;
    }
    size_t colon = uri.find(':');
    std::string scheme = AsciiLower(uri.substr(0, colon));
    std::string_view rest = uri.substr(colon + 1);
    if (scheme == "file") {
        if (rest.starts_with("//localhost/"))
            rest.remove_prefix(std::string_view("//localhost").size());
        while (rest.starts_with("//")) rest.remove_prefix(1);
        return "file:" + std::string(rest);
    }
    if (scheme == "s3a" || scheme == "s3n") scheme = "s3";
    return scheme + ":" + std::string(rest);
}

bool HasDotSegment(std::string_view path) {
    size_t start = 0;
    while (start <= path.size()) {
        size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        std::string_view segment = path.substr(start, end - start);
        if (segment == "." || segment == "..") return true;
        start = end + 1;
    }
    return false;
}

std::string AsFolder(std::string_view key) {
    std::string out(key);
    if (!out.empty() && out.back() != '/') out += '/';
    return out;
}

}  // namespace

LakeLocation::LakeLocation(std::string root_uri) : root_(std::move(root_uri)) {
    if (root_.empty() || root_.back() != '/') root_ += '/';
}

std::string LakeLocation::ToUri(std::string_view location) const {
    if (IsUri(location)) return std::string(location);
    return root_ + std::string(location);
}

LakeLocation::Resolved LakeLocation::FromUri(std::string_view uri) const {
    Resolved outside{.location = std::string(uri), .inside = false};
    std::optional<std::string> place = CanonicalPlace(uri);
    if (!place) {
        // Not a URI: a key prefix already ("raw/events/").
        if (HasDotSegment(uri)) return outside;
        return {.location = AsFolder(uri), .inside = true};
    }
    std::optional<std::string> root = CanonicalPlace(root_);
    if (!root) return outside;
    if (*place + "/" == *root) return {.location = "", .inside = true};
    if (!place->starts_with(*root)) return outside;
    std::string_view key = std::string_view(*place).substr(root->size());
    if (HasDotSegment(key)) return outside;
    return {.location = AsFolder(key), .inside = true};
}

}  // namespace tarn::catalog
