// Parquet metadata: the file footer (FileMetaData) and page headers (PageHeader) as plain C++
// structs, and their serialization with the Thrift compact protocol (format/thrift_compact.h).
// The structs mirror the Thrift definitions of the Apache Parquet format (parquet.thrift); each
// names the Thrift struct it maps, and the field ids in parquet_metadata_{read,write}.cc are the
// spec's. Only the parts tarn uses are modelled: anything else a file carries (size and geospatial
// statistics, bloom-filter and index-page details, future fields) is skipped by the readers, so
// files from newer writers still read. Optional Thrift fields are std::optional here (optional
// lists too, so "absent" and "empty" stay distinct); required ones are plain members.
//
// Enum fields hold whatever i32 the file holds: a value newer than the names below is kept as is,
// and the caller decides whether it can handle it. Likewise a LogicalType, TimeUnit or ColumnOrder
// union member tarn does not model (e.g. FLOAT16) keeps its Thrift field id as its `kind`; the
// writer writes such a member as an empty struct. As in Thrift-generated readers, an optional field
// of an unexpected wire type is skipped (some writers used ids from drafts of the spec).
//
// Readers treat their input as untrusted: a truncated or malformed input, a required field of the
// wrong type, a union with other than one member set, a missing required field ("FileMetaData:
// required field num_rows (id 3) is missing") or encrypted metadata (unsupported) is a non-OK
// Status (Corruption, or Unimplemented for encryption), never a crash; sizes are checked against
// the bytes left before anything is allocated. Writers cannot fail and append to a caller-owned
// string.
//
// Thread-safety: free functions over values; no shared state.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "format/compression.h"

namespace tarn::format {

// Thrift enum Type: physical types.
enum class Type : int32_t {
    kBoolean = 0,
    kInt32 = 1,
    kInt64 = 2,
    kInt96 = 3,
    kFloat = 4,
    kDouble = 5,
    kByteArray = 6,
    kFixedLenByteArray = 7,
};

// Thrift enum ConvertedType: the legacy logical annotations.
enum class ConvertedType : int32_t {
    kUtf8 = 0,
    kMap = 1,
    kMapKeyValue = 2,
    kList = 3,
    kEnum = 4,
    kDecimal = 5,
    kDate = 6,
    kTimeMillis = 7,
    kTimeMicros = 8,
    kTimestampMillis = 9,
    kTimestampMicros = 10,
    kUint8 = 11,
    kUint16 = 12,
    kUint32 = 13,
    kUint64 = 14,
    kInt8 = 15,
    kInt16 = 16,
    kInt32 = 17,
    kInt64 = 18,
    kJson = 19,
    kBson = 20,
    kInterval = 21,
};

// Thrift enum FieldRepetitionType.
enum class FieldRepetitionType : int32_t {
    kRequired = 0,
    kOptional = 1,
    kRepeated = 2,
};

// Thrift enum Encoding (1, the old GROUP_VAR_INT, is unused).
enum class Encoding : int32_t {
    kPlain = 0,
    kPlainDictionary = 2,
    kRle = 3,
    kBitPacked = 4,
    kDeltaBinaryPacked = 5,
    kDeltaLengthByteArray = 6,
    kDeltaByteArray = 7,
    kRleDictionary = 8,
    kByteStreamSplit = 9,
};

// Thrift enum CompressionCodec: see compression.h (one enum for the codecs and the metadata).

// Thrift enum PageType.
enum class PageType : int32_t {
    kDataPage = 0,
    kIndexPage = 1,
    kDictionaryPage = 2,
    kDataPageV2 = 3,
};

// Thrift struct Statistics. `max`/`min` are the deprecated signed-order fields; new writers set
// `max_value`/`min_value`.
struct Statistics {
    std::optional<std::string> max;
    std::optional<std::string> min;
    std::optional<int64_t> null_count;
    std::optional<int64_t> distinct_count;
    std::optional<std::string> max_value;
    std::optional<std::string> min_value;
    std::optional<bool> is_max_value_exact;
    std::optional<bool> is_min_value_exact;
    friend bool operator==(const Statistics&, const Statistics&) = default;
};

// Thrift union TimeUnit; the values are its member field ids.
enum class TimeUnit : int16_t {
    kMillis = 1,
    kMicros = 2,
    kNanos = 3,
};

// Thrift union LogicalType. `kind` is the id of the set member; the other members are the
// parameters of the kinds that have some (zero otherwise).
struct LogicalType {
    enum class Kind : int16_t {
        kString = 1,
        kMap = 2,
        kList = 3,
        kEnum = 4,
        kDecimal = 5,
        kDate = 6,
        kTime = 7,
        kTimestamp = 8,
        kInteger = 10,
        kUnknown = 11,  // NullType: only nulls
        kJson = 12,
        kBson = 13,
        kUuid = 14,
    };
    Kind kind = Kind::kString;
    int32_t scale = 0;  // kDecimal (DecimalType)
    int32_t precision = 0;
    bool is_adjusted_to_utc = false;  // kTime, kTimestamp
    TimeUnit unit = TimeUnit::kMillis;
    int8_t bit_width = 0;  // kInteger (IntType)
    bool is_signed = false;

    static LogicalType Of(Kind kind) { return LogicalType{.kind = kind}; }
    static LogicalType Decimal(int32_t scale, int32_t precision) {
        return {.kind = Kind::kDecimal, .scale = scale, .precision = precision};
    }
    static LogicalType Time(bool utc, TimeUnit unit) {
        return {.kind = Kind::kTime, .is_adjusted_to_utc = utc, .unit = unit};
    }
    static LogicalType Timestamp(bool utc, TimeUnit unit) {
        return {.kind = Kind::kTimestamp, .is_adjusted_to_utc = utc, .unit = unit};
    }
    static LogicalType Integer(int8_t bit_width, bool is_signed) {
        return {.kind = Kind::kInteger, .bit_width = bit_width, .is_signed = is_signed};
    }
    friend bool operator==(const LogicalType&, const LogicalType&) = default;
};

// Thrift struct SchemaElement: one node of the depth-first flattened schema tree.
struct SchemaElement {
    std::optional<Type> type;  // absent for groups
    std::optional<int32_t> type_length;
    std::optional<FieldRepetitionType> repetition_type;  // absent only for the root
    std::string name;
    std::optional<int32_t> num_children;  // set for groups
    std::optional<ConvertedType> converted_type;
    std::optional<int32_t> scale;
    std::optional<int32_t> precision;
    std::optional<int32_t> field_id;
    std::optional<LogicalType> logical_type;
    friend bool operator==(const SchemaElement&, const SchemaElement&) = default;
};

// Thrift struct KeyValue.
struct KeyValue {
    std::string key;
    std::optional<std::string> value;
    friend bool operator==(const KeyValue&, const KeyValue&) = default;
};

// Thrift struct DataPageHeader (data page v1).
struct DataPageHeader {
    int32_t num_values = 0;  // including nulls
    Encoding encoding = Encoding::kPlain;
    Encoding definition_level_encoding = Encoding::kRle;
    Encoding repetition_level_encoding = Encoding::kRle;
    std::optional<Statistics> statistics;
    friend bool operator==(const DataPageHeader&, const DataPageHeader&) = default;
};

// Thrift struct DictionaryPageHeader.
struct DictionaryPageHeader {
    int32_t num_values = 0;
    Encoding encoding = Encoding::kPlain;
    std::optional<bool> is_sorted;
    friend bool operator==(const DictionaryPageHeader&, const DictionaryPageHeader&) = default;
};

// Thrift struct DataPageHeaderV2.
struct DataPageHeaderV2 {
    int32_t num_values = 0;
    int32_t num_nulls = 0;
    int32_t num_rows = 0;
    Encoding encoding = Encoding::kPlain;
    int32_t definition_levels_byte_length = 0;
    int32_t repetition_levels_byte_length = 0;
    std::optional<bool> is_compressed;  // absent means true
    std::optional<Statistics> statistics;
    friend bool operator==(const DataPageHeaderV2&, const DataPageHeaderV2&) = default;
};

// Thrift struct PageHeader. Exactly one of the per-type headers is normally set; the reader does
// not enforce which (index pages have none here: IndexPageHeader is skipped).
struct PageHeader {
    PageType type = PageType::kDataPage;
    int32_t uncompressed_page_size = 0;
    int32_t compressed_page_size = 0;
    std::optional<int32_t> crc;
    std::optional<DataPageHeader> data_page_header;
    std::optional<DictionaryPageHeader> dictionary_page_header;
    std::optional<DataPageHeaderV2> data_page_header_v2;
    friend bool operator==(const PageHeader&, const PageHeader&) = default;
};

// Thrift struct PageEncodingStats.
struct PageEncodingStats {
    PageType page_type = PageType::kDataPage;
    Encoding encoding = Encoding::kPlain;
    int32_t count = 0;
    friend bool operator==(const PageEncodingStats&, const PageEncodingStats&) = default;
};

// Thrift struct ColumnMetaData.
struct ColumnMetaData {
    Type type = Type::kBoolean;
    std::vector<Encoding> encodings;
    std::vector<std::string> path_in_schema;
    CompressionCodec codec = CompressionCodec::kUncompressed;
    int64_t num_values = 0;
    int64_t total_uncompressed_size = 0;
    int64_t total_compressed_size = 0;
    std::optional<std::vector<KeyValue>> key_value_metadata;
    int64_t data_page_offset = 0;
    std::optional<int64_t> index_page_offset;
    std::optional<int64_t> dictionary_page_offset;
    std::optional<Statistics> statistics;
    std::optional<std::vector<PageEncodingStats>> encoding_stats;
    std::optional<int64_t> bloom_filter_offset;
    std::optional<int32_t> bloom_filter_length;
    friend bool operator==(const ColumnMetaData&, const ColumnMetaData&) = default;
};

// Thrift struct ColumnChunk (without the encryption fields: the reader rejects them).
struct ColumnChunk {
    std::optional<std::string> file_path;
    int64_t file_offset = 0;  // deprecated; required, written as 0
    std::optional<ColumnMetaData> meta_data;
    std::optional<int64_t> offset_index_offset;
    std::optional<int32_t> offset_index_length;
    std::optional<int64_t> column_index_offset;
    std::optional<int32_t> column_index_length;
    friend bool operator==(const ColumnChunk&, const ColumnChunk&) = default;
};

// Thrift struct SortingColumn.
struct SortingColumn {
    int32_t column_idx = 0;
    bool descending = false;
    bool nulls_first = false;
    friend bool operator==(const SortingColumn&, const SortingColumn&) = default;
};

// Thrift struct RowGroup.
struct RowGroup {
    std::vector<ColumnChunk> columns;
    int64_t total_byte_size = 0;
    int64_t num_rows = 0;
    std::optional<std::vector<SortingColumn>> sorting_columns;
    std::optional<int64_t> file_offset;
    std::optional<int64_t> total_compressed_size;
    std::optional<int16_t> ordinal;
    friend bool operator==(const RowGroup&, const RowGroup&) = default;
};

// Thrift union ColumnOrder; `kind` is the id of the set member (all members are empty structs).
struct ColumnOrder {
    enum class Kind : int16_t {
        kTypeOrder = 1,  // TypeDefinedOrder
    };
    Kind kind = Kind::kTypeOrder;
    friend bool operator==(const ColumnOrder&, const ColumnOrder&) = default;
};

// Thrift struct FileMetaData: the footer (without the encryption fields: the reader rejects them).
struct FileMetaData {
    int32_t version = 2;
    std::vector<SchemaElement> schema;
    int64_t num_rows = 0;
    std::vector<RowGroup> row_groups;
    std::optional<std::vector<KeyValue>> key_value_metadata;
    std::optional<std::string> created_by;
    std::optional<std::vector<ColumnOrder>> column_orders;  // one per leaf column when set
    friend bool operator==(const FileMetaData&, const FileMetaData&) = default;
};

// Appends the Thrift compact encoding of `meta` to `*out`.
void Write(const FileMetaData& meta, std::string* out);
// Decodes a footer. `bytes` must be exactly the serialized struct: trailing bytes are Corruption.
Result<FileMetaData> ReadFileMetaData(std::string_view bytes);

// Appends the Thrift compact encoding of `header` to `*out`.
void Write(const PageHeader& header, std::string* out);
// Decodes the page header at the start of `bytes` (the page data may follow) and sets
// `*consumed` to its length in bytes. `*consumed` is unspecified on error.
Result<PageHeader> ReadPageHeader(std::string_view bytes, size_t* consumed);

}  // namespace tarn::format
