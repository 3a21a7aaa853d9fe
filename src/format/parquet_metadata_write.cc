// Writers of the Parquet metadata structs. Field ids are those of parquet.thrift; each struct
// writer writes its fields in id order (the compact protocol's short field headers need ids to
// ascend in small steps, and readers of other implementations expect spec order).
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "format/parquet_metadata.h"
#include "format/thrift_compact.h"

namespace tarn::format {
namespace {

using W = ThriftCompactWriter;

// The wire type of a value of each C++ type (for field and list headers).
template <typename T>
constexpr ThriftType WireType() {
    if constexpr (std::is_enum_v<T> || std::is_same_v<T, int32_t>) return ThriftType::kI32;
    if constexpr (std::is_same_v<T, int64_t>) return ThriftType::kI64;
    if constexpr (std::is_same_v<T, int16_t>) return ThriftType::kI16;
    if constexpr (std::is_same_v<T, int8_t>) return ThriftType::kI8;
    if constexpr (std::is_same_v<T, std::string>) return ThriftType::kBinary;
    if constexpr (std::is_class_v<T> && !std::is_same_v<T, std::string>) return ThriftType::kStruct;
}

void WriteValue(W& w, const Statistics& v);
void WriteValue(W& w, const LogicalType& v);
void WriteValue(W& w, const SchemaElement& v);
void WriteValue(W& w, const KeyValue& v);
void WriteValue(W& w, const DataPageHeader& v);
void WriteValue(W& w, const DictionaryPageHeader& v);
void WriteValue(W& w, const DataPageHeaderV2& v);
void WriteValue(W& w, const PageEncodingStats& v);
void WriteValue(W& w, const ColumnMetaData& v);
void WriteValue(W& w, const ColumnChunk& v);
void WriteValue(W& w, const SortingColumn& v);
void WriteValue(W& w, const RowGroup& v);
void WriteValue(W& w, const ColumnOrder& v);

void WriteValue(W& w, int8_t v) { w.I8(v); }
void WriteValue(W& w, int16_t v) { w.I16(v); }
void WriteValue(W& w, int32_t v) { w.I32(v); }
void WriteValue(W& w, int64_t v) { w.I64(v); }
void WriteValue(W& w, const std::string& v) { w.Binary(v); }
template <typename E>
requires std::is_enum_v<E>
void WriteValue(W& w, E v) { w.I32(static_cast<int32_t>(v)); }

template <typename T>
void WriteValue(W& w, const std::vector<T>& v) {
    w.ListBegin(WireType<T>(), static_cast<uint32_t>(v.size()));
    for (const T& e : v) WriteValue(w, e);
}

template <typename T>
void WriteField(W& w, int16_t id, const T& v) {
    if constexpr (std::is_same_v<T, bool>) {
        w.BoolField(id, v);
    } else if constexpr (requires { typename T::value_type; } && !std::is_same_v<T, std::string>) {
        w.FieldBegin(id, ThriftType::kList);
        WriteValue(w, v);
    } else {
        w.FieldBegin(id, WireType<T>());
        WriteValue(w, v);
    }
}

template <typename T>
void WriteField(W& w, int16_t id, const std::optional<T>& v) {
    if (v.has_value()) WriteField(w, id, *v);
}

// A union member or a struct without fields.
void WriteEmptyStructField(W& w, int16_t id) {
    w.FieldBegin(id, ThriftType::kStruct);
    w.StructBegin();
    w.StructEnd();
}

void WriteValue(W& w, const Statistics& v) {
    w.StructBegin();
    WriteField(w, 1, v.max);
    WriteField(w, 2, v.min);
    WriteField(w, 3, v.null_count);
    WriteField(w, 4, v.distinct_count);
    WriteField(w, 5, v.max_value);
    WriteField(w, 6, v.min_value);
    WriteField(w, 7, v.is_max_value_exact);
    WriteField(w, 8, v.is_min_value_exact);
    w.StructEnd();
}

// TimeType and TimestampType share their layout: isAdjustedToUTC, unit.
void WriteTimeParams(W& w, const LogicalType& v) {
    w.StructBegin();
    w.BoolField(1, v.is_adjusted_to_utc);
    w.FieldBegin(2, ThriftType::kStruct);
    w.StructBegin();  // union TimeUnit
    WriteEmptyStructField(w, static_cast<int16_t>(v.unit));
    w.StructEnd();
    w.StructEnd();
}

void WriteValue(W& w, const LogicalType& v) {
    using K = LogicalType::Kind;
    const auto id = static_cast<int16_t>(v.kind);
    w.StructBegin();
    if (v.kind == K::kDecimal) {
        w.FieldBegin(id, ThriftType::kStruct);
        w.StructBegin();
        w.I32Field(1, v.scale);
        w.I32Field(2, v.precision);
        w.StructEnd();
    } else if (v.kind == K::kTime || v.kind == K::kTimestamp) {
        w.FieldBegin(id, ThriftType::kStruct);
        WriteTimeParams(w, v);
    } else if (v.kind == K::kInteger) {
        w.FieldBegin(id, ThriftType::kStruct);
        w.StructBegin();
        WriteField(w, 1, v.bit_width);
        w.BoolField(2, v.is_signed);
        w.StructEnd();
    } else {
        WriteEmptyStructField(w, id);
    }
    w.StructEnd();
}

void WriteValue(W& w, const SchemaElement& v) {
    w.StructBegin();
    WriteField(w, 1, v.type);
    WriteField(w, 2, v.type_length);
    WriteField(w, 3, v.repetition_type);
    WriteField(w, 4, v.name);
    WriteField(w, 5, v.num_children);
    WriteField(w, 6, v.converted_type);
    WriteField(w, 7, v.scale);
    WriteField(w, 8, v.precision);
    WriteField(w, 9, v.field_id);
    WriteField(w, 10, v.logical_type);
    w.StructEnd();
}

void WriteValue(W& w, const KeyValue& v) {
    w.StructBegin();
    WriteField(w, 1, v.key);
    WriteField(w, 2, v.value);
    w.StructEnd();
}

void WriteValue(W& w, const DataPageHeader& v) {
    w.StructBegin();
    WriteField(w, 1, v.num_values);
    WriteField(w, 2, v.encoding);
    WriteField(w, 3, v.definition_level_encoding);
    WriteField(w, 4, v.repetition_level_encoding);
    WriteField(w, 5, v.statistics);
    w.StructEnd();
}

void WriteValue(W& w, const DictionaryPageHeader& v) {
    w.StructBegin();
    WriteField(w, 1, v.num_values);
    WriteField(w, 2, v.encoding);
    WriteField(w, 3, v.is_sorted);
    w.StructEnd();
}

void WriteValue(W& w, const DataPageHeaderV2& v) {
    w.StructBegin();
    WriteField(w, 1, v.num_values);
    WriteField(w, 2, v.num_nulls);
    WriteField(w, 3, v.num_rows);
    WriteField(w, 4, v.encoding);
    WriteField(w, 5, v.definition_levels_byte_length);
    WriteField(w, 6, v.repetition_levels_byte_length);
    WriteField(w, 7, v.is_compressed);
    WriteField(w, 8, v.statistics);
    w.StructEnd();
}

void WriteValue(W& w, const PageHeader& v) {
    w.StructBegin();
    WriteField(w, 1, v.type);
    WriteField(w, 2, v.uncompressed_page_size);
    WriteField(w, 3, v.compressed_page_size);
    WriteField(w, 4, v.crc);
    WriteField(w, 5, v.data_page_header);
    WriteField(w, 7, v.dictionary_page_header);
    WriteField(w, 8, v.data_page_header_v2);
    w.StructEnd();
}

void WriteValue(W& w, const PageEncodingStats& v) {
    w.StructBegin();
    WriteField(w, 1, v.page_type);
    WriteField(w, 2, v.encoding);
    WriteField(w, 3, v.count);
    w.StructEnd();
}

void WriteValue(W& w, const ColumnMetaData& v) {
    w.StructBegin();
    WriteField(w, 1, v.type);
    WriteField(w, 2, v.encodings);
    WriteField(w, 3, v.path_in_schema);
    WriteField(w, 4, v.codec);
    WriteField(w, 5, v.num_values);
    WriteField(w, 6, v.total_uncompressed_size);
    WriteField(w, 7, v.total_compressed_size);
    WriteField(w, 8, v.key_value_metadata);
    WriteField(w, 9, v.data_page_offset);
    WriteField(w, 10, v.index_page_offset);
    WriteField(w, 11, v.dictionary_page_offset);
    WriteField(w, 12, v.statistics);
    WriteField(w, 13, v.encoding_stats);
    WriteField(w, 14, v.bloom_filter_offset);
    WriteField(w, 15, v.bloom_filter_length);
    w.StructEnd();
}

void WriteValue(W& w, const ColumnChunk& v) {
    w.StructBegin();
    WriteField(w, 1, v.file_path);
    WriteField(w, 2, v.file_offset);
    WriteField(w, 3, v.meta_data);
    WriteField(w, 4, v.offset_index_offset);
    WriteField(w, 5, v.offset_index_length);
    WriteField(w, 6, v.column_index_offset);
    WriteField(w, 7, v.column_index_length);
    w.StructEnd();
}

void WriteValue(W& w, const SortingColumn& v) {
    w.StructBegin();
    WriteField(w, 1, v.column_idx);
    WriteField(w, 2, v.descending);
    WriteField(w, 3, v.nulls_first);
    w.StructEnd();
}

void WriteValue(W& w, const RowGroup& v) {
    w.StructBegin();
    WriteField(w, 1, v.columns);
    WriteField(w, 2, v.total_byte_size);
    WriteField(w, 3, v.num_rows);
    WriteField(w, 4, v.sorting_columns);
    WriteField(w, 5, v.file_offset);
    WriteField(w, 6, v.total_compressed_size);
    WriteField(w, 7, v.ordinal);
    w.StructEnd();
}

void WriteValue(W& w, const ColumnOrder& v) {
    w.StructBegin();
    WriteEmptyStructField(w, static_cast<int16_t>(v.kind));
    w.StructEnd();
}

void WriteValue(W& w, const FileMetaData& v) {
    w.StructBegin();
    WriteField(w, 1, v.version);
    WriteField(w, 2, v.schema);
    WriteField(w, 3, v.num_rows);
    WriteField(w, 4, v.row_groups);
    WriteField(w, 5, v.key_value_metadata);
    WriteField(w, 6, v.created_by);
    WriteField(w, 7, v.column_orders);
    w.StructEnd();
}

}  // namespace

void Write(const FileMetaData& meta, std::string* out) {
    W w(out);
    WriteValue(w, meta);
}

void Write(const PageHeader& header, std::string* out) {
    W w(out);
    WriteValue(w, header);
}

}  // namespace tarn::format
