// Readers of the Parquet metadata structs. Each struct reader walks the fields it finds: known
// ids are checked for their wire type and decoded, unknown ids are skipped, and after the stop
// field the required ids are checked against the ones seen. Field ids are those of parquet.thrift.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "format/parquet_metadata.h"
#include "format/thrift_compact.h"

namespace tarn::format {
namespace {

using R = ThriftCompactReader;

struct Required {
    int16_t id;
    std::string_view name;
};

Status Corrupt(std::string_view where, std::string_view what) {
    return Status::Corruption(std::string(where) + ": " + std::string(what));
}

// Reads one struct: `on_field(header)` decodes or skips each field; then every id in `required`
// must have been seen. Field ids outside [0, 64) are never required, so a bitmask suffices.
template <typename OnField>
Status ReadStruct(R& r, std::string_view name, std::initializer_list<Required> required,
                  OnField&& on_field) {
    TARN_RETURN_IF_ERROR(r.StructBegin());
    uint64_t seen = 0;
    for (;;) {
        TARN_ASSIGN_OR_RETURN(ThriftFieldHeader h, r.ReadFieldHeader());
        if (h.type == ThriftType::kStop) break;
        if (h.id >= 0 && h.id < 64) seen |= uint64_t{1} << h.id;
        TARN_RETURN_IF_ERROR(on_field(h));
    }
    r.StructEnd();
    for (const Required& f : required) {
        if ((seen & (uint64_t{1} << f.id)) == 0) {
            return Corrupt(name, "required field " + std::string(f.name) + " (id " +
                                     std::to_string(f.id) + ") is missing");
        }
    }
    return Status::Ok();
}

// A struct whose fields are all skipped (empty structs, unmodelled union members).
Status ReadEmptyStruct(R& r, std::string_view name) {
    return ReadStruct(r, name, {}, [&](ThriftFieldHeader h) { return r.Skip(h.type); });
}

Status ReadValue(R& r, Statistics* v);
Status ReadValue(R& r, LogicalType* v);
Status ReadValue(R& r, SchemaElement* v);
Status ReadValue(R& r, KeyValue* v);
Status ReadValue(R& r, DataPageHeader* v);
Status ReadValue(R& r, DictionaryPageHeader* v);
Status ReadValue(R& r, DataPageHeaderV2* v);
Status ReadValue(R& r, PageEncodingStats* v);
Status ReadValue(R& r, ColumnMetaData* v);
Status ReadValue(R& r, ColumnChunk* v);
Status ReadValue(R& r, SortingColumn* v);
Status ReadValue(R& r, RowGroup* v);
Status ReadValue(R& r, ColumnOrder* v);

template <typename T>
constexpr ThriftType WireType() {
    if constexpr (std::is_enum_v<T> || std::is_same_v<T, int32_t>) return ThriftType::kI32;
    if constexpr (std::is_same_v<T, int64_t>) return ThriftType::kI64;
    if constexpr (std::is_same_v<T, int16_t>) return ThriftType::kI16;
    if constexpr (std::is_same_v<T, int8_t>) return ThriftType::kI8;
    if constexpr (std::is_same_v<T, bool>) return ThriftType::kBoolTrue;
    if constexpr (std::is_same_v<T, std::string>) return ThriftType::kBinary;
    if constexpr (std::is_class_v<T> && !std::is_same_v<T, std::string>) return ThriftType::kStruct;
}

template <typename T>
Status ReadScalar(Result<T> got, T* v) {
    if (!got.ok()) return got.status();
    *v = *got;
    return Status::Ok();
}

Status ReadValue(R& r, int8_t* v) { return ReadScalar(r.ReadI8(), v); }
Status ReadValue(R& r, int16_t* v) { return ReadScalar(r.ReadI16(), v); }
Status ReadValue(R& r, int32_t* v) { return ReadScalar(r.ReadI32(), v); }
Status ReadValue(R& r, int64_t* v) { return ReadScalar(r.ReadI64(), v); }
Status ReadValue(R& r, bool* v) { return ReadScalar(r.ReadBool(), v); }
Status ReadValue(R& r, std::string* v) {
    TARN_ASSIGN_OR_RETURN(std::string_view s, r.ReadBinary());
    v->assign(s);
    return Status::Ok();
}
template <typename E>
requires std::is_enum_v<E> Status ReadValue(R& r, E* v) {
    TARN_ASSIGN_OR_RETURN(int32_t i, r.ReadI32());
    *v = static_cast<E>(i);  // values newer than tarn's names are kept (see the header)
    return Status::Ok();
}

// Elements are appended one by one, never reserved: the list size is bounded by the bytes left,
// but an element's C++ size may be far larger than its encoding.
template <typename T>
Status ReadList(R& r, std::string_view where, std::vector<T>* v) {
    TARN_ASSIGN_OR_RETURN(ThriftListHeader h, r.ReadListHeader());
    if (h.elem_type != WireType<T>()) {
        return Corrupt(where, "list of " + std::string(ThriftTypeName(h.elem_type)) +
                                  ", expected " + std::string(ThriftTypeName(WireType<T>())));
    }
    v->clear();
    for (uint32_t i = 0; i < h.size; ++i) {
        TARN_RETURN_IF_ERROR(ReadValue(r, &v->emplace_back()));
    }
    return Status::Ok();
}

template <typename T>
constexpr bool kIsList = false;
template <typename T>
constexpr bool kIsList<std::vector<T>> = true;

// The field-header type a value of T is written with.
template <typename T>
constexpr ThriftType FieldType() {
    if constexpr (kIsList<T>) {
        return ThriftType::kList;
    } else {
        return WireType<T>();
    }
}

template <typename T>
bool HasFieldType(ThriftType t) {
    return FieldType<T>() == ThriftType::kBoolTrue ? IsThriftBool(t) : t == FieldType<T>();
}

// A required field: a wrong type is Corruption.
template <typename T>
Status ReadField(R& r, ThriftFieldHeader h, std::string_view where, T* v) {
    if (!HasFieldType<T>(h.type)) {
        return Corrupt(where, "field " + std::to_string(h.id) + " has type " +
                                  std::string(ThriftTypeName(h.type)) + ", expected " +
                                  std::string(ThriftTypeName(FieldType<T>())));
    }
    if constexpr (kIsList<T>) {
        return ReadList(r, where, v);
    } else {
        return ReadValue(r, v);
    }
}

// An optional field: like Thrift-generated readers, one of an unexpected type is skipped (some
// writers use ids from drafts of the spec, e.g. a list in ColumnMetaData field 15).
template <typename T>
Status ReadField(R& r, ThriftFieldHeader h, std::string_view where, std::optional<T>* v) {
    if (!HasFieldType<T>(h.type)) return r.Skip(h.type);
    return ReadField(r, h, where, &v->emplace());
}

// Reads a union whose members are all structs: exactly one member must be set. `on_member`
// decodes a member by id (skipping unknown ones) and returns Corruption for a bad one.
template <typename OnMember>
Status ReadUnion(R& r, std::string_view name, OnMember&& on_member) {
    int members = 0;
    TARN_RETURN_IF_ERROR(ReadStruct(r, name, {}, [&](ThriftFieldHeader h) -> Status {
        if (h.type != ThriftType::kStruct) {
            return Corrupt(name, "member " + std::to_string(h.id) + " is not a struct");
        }
        ++members;
        return on_member(h.id);
    }));
    if (members != 1) {
        return Corrupt(name, "union has " + std::to_string(members) + " members set, expected 1");
    }
    return Status::Ok();
}

Status ReadValue(R& r, Statistics* v) {
    return ReadStruct(r, "Statistics", {}, [&](ThriftFieldHeader h) -> Status {
        switch (h.id) {
            case 1:
                return ReadField(r, h, "Statistics.max", &v->max);
            case 2:
                return ReadField(r, h, "Statistics.min", &v->min);
            case 3:
                return ReadField(r, h, "Statistics.null_count", &v->null_count);
            case 4:
                return ReadField(r, h, "Statistics.distinct_count", &v->distinct_count);
            case 5:
                return ReadField(r, h, "Statistics.max_value", &v->max_value);
            case 6:
                return ReadField(r, h, "Statistics.min_value", &v->min_value);
            case 7:
                return ReadField(r, h, "Statistics.is_max_value_exact", &v->is_max_value_exact);
            case 8:
                return ReadField(r, h, "Statistics.is_min_value_exact", &v->is_min_value_exact);
            default:
                return r.Skip(h.type);
        }
    });
}

Status ReadTimeUnit(R& r, TimeUnit* v) {
    return ReadUnion(r, "TimeUnit", [&](int16_t id) {
        *v = static_cast<TimeUnit>(id);
        return ReadEmptyStruct(r, "TimeUnit");
    });
}

// TimeType and TimestampType: isAdjustedToUTC, unit.
Status ReadTimeParams(R& r, std::string_view name, LogicalType* v) {
    return ReadStruct(r, name, {{1, "isAdjustedToUTC"}, {2, "unit"}},
                      [&](ThriftFieldHeader h) -> Status {
                          switch (h.id) {
                              case 1:
                                  return ReadField(r, h, name, &v->is_adjusted_to_utc);
                              case 2:
                                  if (h.type != ThriftType::kStruct) return Corrupt(name, "unit");
                                  return ReadTimeUnit(r, &v->unit);
                              default:
                                  return r.Skip(h.type);
                          }
                      });
}

Status ReadDecimalParams(R& r, LogicalType* v) {
    return ReadStruct(r, "DecimalType", {{1, "scale"}, {2, "precision"}},
                      [&](ThriftFieldHeader h) -> Status {
                          switch (h.id) {
                              case 1:
                                  return ReadField(r, h, "DecimalType.scale", &v->scale);
                              case 2:
                                  return ReadField(r, h, "DecimalType.precision", &v->precision);
                              default:
                                  return r.Skip(h.type);
                          }
                      });
}

Status ReadIntParams(R& r, LogicalType* v) {
    return ReadStruct(r, "IntType", {{1, "bitWidth"}, {2, "isSigned"}},
                      [&](ThriftFieldHeader h) -> Status {
                          switch (h.id) {
                              case 1:
                                  return ReadField(r, h, "IntType.bitWidth", &v->bit_width);
                              case 2:
                                  return ReadField(r, h, "IntType.isSigned", &v->is_signed);
                              default:
                                  return r.Skip(h.type);
                          }
                      });
}

Status ReadValue(R& r, LogicalType* v) {
    using K = LogicalType::Kind;
    return ReadUnion(r, "LogicalType", [&](int16_t id) -> Status {
        v->kind = static_cast<K>(id);
        switch (v->kind) {
            case K::kDecimal:
                return ReadDecimalParams(r, v);
            case K::kTime:
                return ReadTimeParams(r, "TimeType", v);
            case K::kTimestamp:
                return ReadTimeParams(r, "TimestampType", v);
            case K::kInteger:
                return ReadIntParams(r, v);
            default:
                return ReadEmptyStruct(r, "LogicalType");
        }
    });
}

Status ReadValue(R& r, SchemaElement* v) {
    return ReadStruct(r, "SchemaElement", {{4, "name"}}, [&](ThriftFieldHeader h) -> Status {
        switch (h.id) {
            case 1:
                return ReadField(r, h, "SchemaElement.type", &v->type);
            case 2:
                return ReadField(r, h, "SchemaElement.type_length", &v->type_length);
            case 3:
                return ReadField(r, h, "SchemaElement.repetition_type", &v->repetition_type);
            case 4:
                return ReadField(r, h, "SchemaElement.name", &v->name);
            case 5:
                return ReadField(r, h, "SchemaElement.num_children", &v->num_children);
            case 6:
                return ReadField(r, h, "SchemaElement.converted_type", &v->converted_type);
            case 7:
                return ReadField(r, h, "SchemaElement.scale", &v->scale);
            case 8:
                return ReadField(r, h, "SchemaElement.precision", &v->precision);
            case 9:
                return ReadField(r, h, "SchemaElement.field_id", &v->field_id);
            case 10:
                return ReadField(r, h, "SchemaElement.logicalType", &v->logical_type);
            default:
                return r.Skip(h.type);
        }
    });
}

Status ReadValue(R& r, KeyValue* v) {
    return ReadStruct(r, "KeyValue", {{1, "key"}}, [&](ThriftFieldHeader h) -> Status {
        switch (h.id) {
            case 1:
                return ReadField(r, h, "KeyValue.key", &v->key);
            case 2:
                return ReadField(r, h, "KeyValue.value", &v->value);
            default:
                return r.Skip(h.type);
        }
    });
}

Status ReadValue(R& r, DataPageHeader* v) {
    constexpr std::string_view kName = "DataPageHeader";
    return ReadStruct(r, kName,
                      {{1, "num_values"},
                       {2, "encoding"},
                       {3, "definition_level_encoding"},
                       {4, "repetition_level_encoding"}},
                      [&](ThriftFieldHeader h) -> Status {
                          switch (h.id) {
                              case 1:
                                  return ReadField(r, h, kName, &v->num_values);
                              case 2:
                                  return ReadField(r, h, kName, &v->encoding);
                              case 3:
                                  return ReadField(r, h, kName, &v->definition_level_encoding);
                              case 4:
                                  return ReadField(r, h, kName, &v->repetition_level_encoding);
                              case 5:
                                  return ReadField(r, h, kName, &v->statistics);
                              default:
                                  return r.Skip(h.type);
                          }
                      });
}

Status ReadValue(R& r, DictionaryPageHeader* v) {
    constexpr std::string_view kName = "DictionaryPageHeader";
    return ReadStruct(r, kName, {{1, "num_values"}, {2, "encoding"}},
                      [&](ThriftFieldHeader h) -> Status {
                          switch (h.id) {
                              case 1:
                                  return ReadField(r, h, kName, &v->num_values);
                              case 2:
                                  return ReadField(r, h, kName, &v->encoding);
                              case 3:
                                  return ReadField(r, h, kName, &v->is_sorted);
                              default:
                                  return r.Skip(h.type);
                          }
                      });
}

Status ReadValue(R& r, DataPageHeaderV2* v) {
    constexpr std::string_view kName = "DataPageHeaderV2";
    return ReadStruct(r, kName,
                      {{1, "num_values"},
                       {2, "num_nulls"},
                       {3, "num_rows"},
                       {4, "encoding"},
                       {5, "definition_levels_byte_length"},
                       {6, "repetition_levels_byte_length"}},
                      [&](ThriftFieldHeader h) -> Status {
                          switch (h.id) {
                              case 1:
                                  return ReadField(r, h, kName, &v->num_values);
                              case 2:
                                  return ReadField(r, h, kName, &v->num_nulls);
                              case 3:
                                  return ReadField(r, h, kName, &v->num_rows);
                              case 4:
                                  return ReadField(r, h, kName, &v->encoding);
                              case 5:
                                  return ReadField(r, h, kName, &v->definition_levels_byte_length);
                              case 6:
                                  return ReadField(r, h, kName, &v->repetition_levels_byte_length);
                              case 7:
                                  return ReadField(r, h, kName, &v->is_compressed);
                              case 8:
                                  return ReadField(r, h, kName, &v->statistics);
                              default:
                                  return r.Skip(h.type);
                          }
                      });
}

Status ReadValue(R& r, PageHeader* v) {
    constexpr std::string_view kName = "PageHeader";
    return ReadStruct(r, kName,
                      {{1, "type"}, {2, "uncompressed_page_size"}, {3, "compressed_page_size"}},
                      [&](ThriftFieldHeader h) -> Status {
                          switch (h.id) {
                              case 1:
                                  return ReadField(r, h, kName, &v->type);
                              case 2:
                                  return ReadField(r, h, kName, &v->uncompressed_page_size);
                              case 3:
                                  return ReadField(r, h, kName, &v->compressed_page_size);
                              case 4:
                                  return ReadField(r, h, kName, &v->crc);
                              case 5:
                                  return ReadField(r, h, kName, &v->data_page_header);
                              case 7:
                                  return ReadField(r, h, kName, &v->dictionary_page_header);
                              case 8:
                                  return ReadField(r, h, kName, &v->data_page_header_v2);
                              default:
                                  return r.Skip(h.type);  // 6: IndexPageHeader, empty
                          }
                      });
}

Status ReadValue(R& r, PageEncodingStats* v) {
    constexpr std::string_view kName = "PageEncodingStats";
    return ReadStruct(r, kName, {{1, "page_type"}, {2, "encoding"}, {3, "count"}},
                      [&](ThriftFieldHeader h) -> Status {
                          switch (h.id) {
                              case 1:
                                  return ReadField(r, h, kName, &v->page_type);
                              case 2:
                                  return ReadField(r, h, kName, &v->encoding);
                              case 3:
                                  return ReadField(r, h, kName, &v->count);
                              default:
                                  return r.Skip(h.type);
                          }
                      });
}

Status ReadColumnMetaDataField(R& r, ThriftFieldHeader h, ColumnMetaData* v) {
    constexpr std::string_view kName = "ColumnMetaData";
    switch (h.id) {
        case 1:
            return ReadField(r, h, kName, &v->type);
        case 2:
            return ReadField(r, h, kName, &v->encodings);
        case 3:
            return ReadField(r, h, kName, &v->path_in_schema);
        case 4:
            return ReadField(r, h, kName, &v->codec);
        case 5:
            return ReadField(r, h, kName, &v->num_values);
        case 6:
            return ReadField(r, h, kName, &v->total_uncompressed_size);
        case 7:
            return ReadField(r, h, kName, &v->total_compressed_size);
        case 8:
            return ReadField(r, h, kName, &v->key_value_metadata);
        case 9:
            return ReadField(r, h, kName, &v->data_page_offset);
        case 10:
            return ReadField(r, h, kName, &v->index_page_offset);
        case 11:
            return ReadField(r, h, kName, &v->dictionary_page_offset);
        case 12:
            return ReadField(r, h, kName, &v->statistics);
        case 13:
            return ReadField(r, h, kName, &v->encoding_stats);
        case 14:
            return ReadField(r, h, kName, &v->bloom_filter_offset);
        case 15:
            return ReadField(r, h, kName, &v->bloom_filter_length);
        default:
            return r.Skip(h.type);
    }
}

Status ReadValue(R& r, ColumnMetaData* v) {
    return ReadStruct(r, "ColumnMetaData",
                      {{1, "type"},
                       {2, "encodings"},
                       {3, "path_in_schema"},
                       {4, "codec"},
                       {5, "num_values"},
                       {6, "total_uncompressed_size"},
                       {7, "total_compressed_size"},
                       {9, "data_page_offset"}},
                      [&](ThriftFieldHeader h) { return ReadColumnMetaDataField(r, h, v); });
}

Status ReadValue(R& r, ColumnChunk* v) {
    constexpr std::string_view kName = "ColumnChunk";
    return ReadStruct(r, kName, {{2, "file_offset"}}, [&](ThriftFieldHeader h) -> Status {
        switch (h.id) {
            case 1:
                return ReadField(r, h, kName, &v->file_path);
            case 2:
                return ReadField(r, h, kName, &v->file_offset);
            case 3:
                return ReadField(r, h, kName, &v->meta_data);
            case 4:
                return ReadField(r, h, kName, &v->offset_index_offset);
            case 5:
                return ReadField(r, h, kName, &v->offset_index_length);
            case 6:
                return ReadField(r, h, kName, &v->column_index_offset);
            case 7:
                return ReadField(r, h, kName, &v->column_index_length);
            case 8:
            case 9:
                return Status::Unimplemented("ColumnChunk: encrypted column metadata");
            default:
                return r.Skip(h.type);
        }
    });
}

Status ReadValue(R& r, SortingColumn* v) {
    constexpr std::string_view kName = "SortingColumn";
    return ReadStruct(r, kName, {{1, "column_idx"}, {2, "descending"}, {3, "nulls_first"}},
                      [&](ThriftFieldHeader h) -> Status {
                          switch (h.id) {
                              case 1:
                                  return ReadField(r, h, kName, &v->column_idx);
                              case 2:
                                  return ReadField(r, h, kName, &v->descending);
                              case 3:
                                  return ReadField(r, h, kName, &v->nulls_first);
                              default:
                                  return r.Skip(h.type);
                          }
                      });
}

Status ReadValue(R& r, RowGroup* v) {
    constexpr std::string_view kName = "RowGroup";
    return ReadStruct(r, kName, {{1, "columns"}, {2, "total_byte_size"}, {3, "num_rows"}},
                      [&](ThriftFieldHeader h) -> Status {
                          switch (h.id) {
                              case 1:
                                  return ReadField(r, h, kName, &v->columns);
                              case 2:
                                  return ReadField(r, h, kName, &v->total_byte_size);
                              case 3:
                                  return ReadField(r, h, kName, &v->num_rows);
                              case 4:
                                  return ReadField(r, h, kName, &v->sorting_columns);
                              case 5:
                                  return ReadField(r, h, kName, &v->file_offset);
                              case 6:
                                  return ReadField(r, h, kName, &v->total_compressed_size);
                              case 7:
                                  return ReadField(r, h, kName, &v->ordinal);
                              default:
                                  return r.Skip(h.type);
                          }
                      });
}

Status ReadValue(R& r, ColumnOrder* v) {
    return ReadUnion(r, "ColumnOrder", [&](int16_t id) {
        v->kind = static_cast<ColumnOrder::Kind>(id);
        return ReadEmptyStruct(r, "ColumnOrder");
    });
}

Status ReadValue(R& r, FileMetaData* v) {
    constexpr std::string_view kName = "FileMetaData";
    return ReadStruct(r, kName, {{1, "version"}, {2, "schema"}, {3, "num_rows"}, {4, "row_groups"}},
                      [&](ThriftFieldHeader h) -> Status {
                          switch (h.id) {
                              case 1:
                                  return ReadField(r, h, kName, &v->version);
                              case 2:
                                  return ReadField(r, h, kName, &v->schema);
                              case 3:
                                  return ReadField(r, h, kName, &v->num_rows);
                              case 4:
                                  return ReadField(r, h, kName, &v->row_groups);
                              case 5:
                                  return ReadField(r, h, kName, &v->key_value_metadata);
                              case 6:
                                  return ReadField(r, h, kName, &v->created_by);
                              case 7:
                                  return ReadField(r, h, kName, &v->column_orders);
                              case 8:
                                  return Status::Unimplemented("FileMetaData: encrypted footer");
                              default:
                                  return r.Skip(h.type);
                          }
                      });
}

}  // namespace

Result<FileMetaData> ReadFileMetaData(std::string_view bytes) {
    R r(bytes);
    FileMetaData meta;
    TARN_RETURN_IF_ERROR(ReadValue(r, &meta));
    if (r.remaining() != 0) {
        return Corrupt("FileMetaData", std::to_string(r.remaining()) + " trailing bytes");
    }
    return meta;
}

Result<PageHeader> ReadPageHeader(std::string_view bytes, size_t* consumed) {
    R r(bytes);
    PageHeader header;
    TARN_RETURN_IF_ERROR(ReadValue(r, &header));
    *consumed = r.position();
    return header;
}

}  // namespace tarn::format
