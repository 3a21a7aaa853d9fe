#include "format/parquet_metadata.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "format/thrift_compact.h"

namespace tarn::format {
namespace {

using ::testing::HasSubstr;
using K = LogicalType::Kind;

std::string Bytes(std::initializer_list<int> bytes) {
    std::string s;
    for (int b : bytes) s.push_back(static_cast<char>(b));
    return s;
}

Statistics FullStatistics() {
    return Statistics{.max = "zz",
                      .min = "aa",
                      .null_count = 3,
                      .distinct_count = 7,
                      .max_value = "zzz",
                      .min_value = std::string("\0a", 2),
                      .is_max_value_exact = true,
                      .is_min_value_exact = false};
}

SchemaElement Leaf(std::string name, Type type, FieldRepetitionType rep) {
    return SchemaElement{.type = type, .repetition_type = rep, .name = std::move(name)};
}

SchemaElement Group(std::string name, int32_t children, FieldRepetitionType rep) {
    return SchemaElement{.repetition_type = rep, .name = std::move(name), .num_children = children};
}

// root { id: int64; tags: LIST<string>; attrs: MAP<string, int32>; and one leaf per logical type }
std::vector<SchemaElement> NestedSchema() {
    using R = FieldRepetitionType;
    std::vector<SchemaElement> s;
    s.push_back(SchemaElement{.name = "root", .num_children = 14});
    s.push_back(Leaf("id", Type::kInt64, R::kRequired));
    s.back().field_id = 1;
    s.push_back(Group("tags", 1, R::kOptional));
    s.back().converted_type = ConvertedType::kList;
    s.back().logical_type = LogicalType::Of(K::kList);
    s.push_back(Group("list", 1, R::kRepeated));
    s.push_back(Leaf("element", Type::kByteArray, R::kOptional));
    s.back().converted_type = ConvertedType::kUtf8;
    s.back().logical_type = LogicalType::Of(K::kString);
    s.push_back(Group("attrs", 1, R::kOptional));
    s.back().converted_type = ConvertedType::kMap;
    s.back().logical_type = LogicalType::Of(K::kMap);
    s.push_back(Group("key_value", 2, R::kRepeated));
    s.back().converted_type = ConvertedType::kMapKeyValue;
    s.push_back(Leaf("key", Type::kByteArray, R::kRequired));
    s.push_back(Leaf("value", Type::kInt32, R::kOptional));
    s.back().converted_type = ConvertedType::kInt32;
    s.back().logical_type = LogicalType::Integer(32, true);
    s.push_back(Leaf("price", Type::kFixedLenByteArray, R::kOptional));
    s.back().type_length = 16;
    s.back().converted_type = ConvertedType::kDecimal;
    s.back().scale = 2;
    s.back().precision = 38;
    s.back().logical_type = LogicalType::Decimal(2, 38);
    s.push_back(Leaf("day", Type::kInt32, R::kOptional));
    s.back().converted_type = ConvertedType::kDate;
    s.back().logical_type = LogicalType::Of(K::kDate);
    s.push_back(Leaf("at", Type::kInt64, R::kOptional));
    s.back().converted_type = ConvertedType::kTimestampMicros;
    s.back().logical_type = LogicalType::Timestamp(false, TimeUnit::kMicros);
    s.push_back(Leaf("at_utc_ns", Type::kInt64, R::kOptional));
    s.back().logical_type = LogicalType::Timestamp(true, TimeUnit::kNanos);
    s.push_back(Leaf("tod", Type::kInt32, R::kOptional));
    s.back().logical_type = LogicalType::Time(true, TimeUnit::kMillis);
    s.push_back(Leaf("small", Type::kInt32, R::kOptional));
    s.back().converted_type = ConvertedType::kUint8;
    s.back().logical_type = LogicalType::Integer(8, false);
    for (auto [name, kind] : {std::pair{"e", K::kEnum},
                              {"n", K::kUnknown},
                              {"j", K::kJson},
                              {"b", K::kBson},
                              {"u", K::kUuid}}) {
        s.push_back(Leaf(name, Type::kByteArray, R::kOptional));
        s.back().logical_type = LogicalType::Of(kind);
    }
    s.back().type = Type::kFixedLenByteArray;
    s.back().type_length = 16;
    return s;
}

ColumnChunk FullColumnChunk(std::string name, int64_t offset) {
    ColumnMetaData m{
        .type = Type::kInt64,
        .encodings = {Encoding::kPlain, Encoding::kRle, Encoding::kRleDictionary},
        .path_in_schema = {name},
        .codec = CompressionCodec::kSnappy,
        .num_values = 1000,
        .total_uncompressed_size = 9000,
        .total_compressed_size = 4000,
        .key_value_metadata = std::vector<KeyValue>{{"k", "v"}, {"only_key", {}}},
        .data_page_offset = offset + 100,
        .index_page_offset = offset + 50,
        .dictionary_page_offset = offset,
        .statistics = FullStatistics(),
        .encoding_stats =
            std::vector<PageEncodingStats>{{PageType::kDictionaryPage, Encoding::kPlain, 1},
                                           {PageType::kDataPage, Encoding::kRleDictionary, 3}},
        .bloom_filter_offset = 1LL << 40,
        .bloom_filter_length = 4096};
    return ColumnChunk{.file_path = "other.parquet",
                       .file_offset = offset,
                       .meta_data = m,
                       .offset_index_offset = offset + 5000,
                       .offset_index_length = 40,
                       .column_index_offset = offset + 6000,
                       .column_index_length = 60};
}

FileMetaData FullFileMetaData() {
    FileMetaData f;
    f.version = 2;
    f.schema = NestedSchema();
    f.num_rows = 2000;
    for (int i = 0; i < 2; ++i) {
        RowGroup g{
            .columns = {FullColumnChunk("id", 4 + i * 10000),
                        FullColumnChunk("at", 5000 + i * 10000)},
            .total_byte_size = 18000,
            .num_rows = 1000,
            .sorting_columns = std::vector<SortingColumn>{{0, true, false}, {1, false, true}},
            .file_offset = 4 + i * 10000,
            .total_compressed_size = 8000,
            .ordinal = static_cast<int16_t>(i)};
        f.row_groups.push_back(g);
    }
    f.key_value_metadata = std::vector<KeyValue>{{"tarn.schema", "{}"}, {"empty", ""}};
    f.created_by = "tarn version 0.1.0";
    f.column_orders = std::vector<ColumnOrder>(15, ColumnOrder{});
    return f;
}

std::string Serialize(const FileMetaData& f) {
    std::string out;
    Write(f, &out);
    return out;
}

TEST(ParquetMetadataTest, FileMetaDataRoundTripsWithEveryField) {
    const FileMetaData f = FullFileMetaData();
    const std::string bytes = Serialize(f);
    Result<FileMetaData> back = ReadFileMetaData(bytes);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, f);
    EXPECT_EQ(Serialize(*back), bytes);
}

TEST(ParquetMetadataTest, AbsentAndEmptyOptionalListsStayDistinct) {
    FileMetaData f;
    f.schema = {SchemaElement{.name = "root", .num_children = 0}};
    f.key_value_metadata = std::vector<KeyValue>{};
    Result<FileMetaData> back = ReadFileMetaData(Serialize(f));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, f);
    EXPECT_TRUE(back->key_value_metadata.has_value());
    EXPECT_FALSE(back->column_orders.has_value());
}

PageHeader RoundTrip(const PageHeader& h) {
    std::string bytes;
    Write(h, &bytes);
    const size_t len = bytes.size();
    bytes += "page data follows";
    size_t consumed = 0;
    Result<PageHeader> back = ReadPageHeader(bytes, &consumed);
    EXPECT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(consumed, len);
    return back.ok() ? *back : PageHeader{};
}

TEST(ParquetMetadataTest, PageHeadersRoundTrip) {
    PageHeader v1{
        .type = PageType::kDataPage,
        .uncompressed_page_size = 1 << 20,
        .compressed_page_size = 12345,
        .crc = -123456789,
        .data_page_header = DataPageHeader{.num_values = 100,
                                           .encoding = Encoding::kRleDictionary,
                                           .definition_level_encoding = Encoding::kRle,
                                           .repetition_level_encoding = Encoding::kBitPacked,
                                           .statistics = FullStatistics()}};
    EXPECT_EQ(RoundTrip(v1), v1);

    PageHeader dict{.type = PageType::kDictionaryPage,
                    .uncompressed_page_size = 10,
                    .compressed_page_size = 10,
                    .dictionary_page_header = DictionaryPageHeader{
                        .num_values = 2, .encoding = Encoding::kPlain, .is_sorted = true}};
    EXPECT_EQ(RoundTrip(dict), dict);

    PageHeader v2{
        .type = PageType::kDataPageV2,
        .uncompressed_page_size = 500,
        .compressed_page_size = 300,
        .data_page_header_v2 = DataPageHeaderV2{.num_values = 50,
                                                .num_nulls = 5,
                                                .num_rows = 40,
                                                .encoding = Encoding::kDeltaBinaryPacked,
                                                .definition_levels_byte_length = 7,
                                                .repetition_levels_byte_length = 3,
                                                .is_compressed = false,
                                                .statistics = Statistics{.null_count = 5}}};
    EXPECT_EQ(RoundTrip(v2), v2);
    v2.data_page_header_v2->is_compressed.reset();
    v2.data_page_header_v2->statistics.reset();
    EXPECT_EQ(RoundTrip(v2), v2);
}

// version 1, schema [{name "r"}], num_rows 0, row_groups [], created_by "t"; computed from the
// compact protocol spec by hand.
TEST(ParquetMetadataTest, MinimalFooterBytes) {
    FileMetaData f;
    f.version = 1;
    f.schema = {SchemaElement{.name = "r"}};
    f.created_by = "t";
    const std::string want = Bytes({
        0x15, 0x02,             // field 1 (delta 1) i32: zigzag(1) = 2
        0x19, 0x1C,             // field 2 list: 1 element of type struct (12)
        0x48, 0x01, 'r', 0x00,  //   SchemaElement: field 4 (delta 4) binary "r", stop
        0x16, 0x00,             // field 3 i64: 0
        0x19, 0x0C,             // field 4 list: 0 structs
        0x28, 0x01, 't',        // field 6 (delta 2) binary "t"
        0x00,                   // stop
    });
    EXPECT_EQ(Serialize(f), want);
    Result<FileMetaData> back = ReadFileMetaData(want);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, f);
}

// A field 99 of every wire type.
void WriteUnknownFields(ThriftCompactWriter& w, std::string* out) {
    w.BoolField(99, true);
    w.BoolField(99, false);
    w.FieldBegin(99, ThriftType::kI8);
    w.I8(-1);
    w.FieldBegin(99, ThriftType::kI16);
    w.I16(300);
    w.FieldBegin(99, ThriftType::kI32);
    w.I32(-70000);
    w.I64Field(99, int64_t{1} << 50);
    w.FieldBegin(99, ThriftType::kDouble);
    w.Double(2.5);
    w.BinaryField(99, "ignored");
    w.FieldBegin(99, ThriftType::kList);
    w.ListBegin(ThriftType::kI32, 2);
    w.I32(1);
    w.I32(2);
    w.FieldBegin(99, ThriftType::kSet);
    w.SetBegin(ThriftType::kBinary, 1);
    w.Binary("x");
    w.FieldBegin(99, ThriftType::kMap);
    w.MapBegin(ThriftType::kI32, ThriftType::kStruct, 1);
    w.I32(5);
    w.StructBegin();
    w.I32Field(1, 1);
    w.StructEnd();
    w.FieldBegin(99, ThriftType::kStruct);
    w.StructBegin();
    w.BinaryField(1, "nested");
    w.StructEnd();
    w.FieldBegin(99, ThriftType::kUuid);
    out->append(16, '\x42');
}

TEST(ParquetMetadataTest, UnknownFieldsOfEveryTypeAreSkipped) {
    std::string bytes;
    ThriftCompactWriter w(&bytes);
    w.StructBegin();
    w.I32Field(1, 2);
    WriteUnknownFields(w, &bytes);
    w.FieldBegin(2, ThriftType::kList);
    w.ListBegin(ThriftType::kStruct, 1);
    w.StructBegin();  // SchemaElement with unknown fields around its name
    WriteUnknownFields(w, &bytes);
    w.BinaryField(4, "root");
    WriteUnknownFields(w, &bytes);
    w.StructEnd();
    w.I64Field(3, 7);
    w.FieldBegin(4, ThriftType::kList);
    w.ListBegin(ThriftType::kStruct, 0);
    WriteUnknownFields(w, &bytes);
    w.StructEnd();

    Result<FileMetaData> back = ReadFileMetaData(bytes);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    FileMetaData want;
    want.version = 2;
    want.schema = {SchemaElement{.name = "root"}};
    want.num_rows = 7;
    EXPECT_EQ(*back, want);
}

TEST(ParquetMetadataTest, UnknownLogicalTypeKeepsItsId) {
    FileMetaData f;
    f.schema = {SchemaElement{.name = "r", .num_children = 1},
                SchemaElement{.type = Type::kFixedLenByteArray, .name = "half"}};
    f.schema[1].logical_type = LogicalType::Of(static_cast<K>(15));  // FLOAT16
    Result<FileMetaData> back = ReadFileMetaData(Serialize(f));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(static_cast<int>(back->schema[1].logical_type->kind), 15);
}

TEST(ParquetMetadataTest, MissingRequiredFieldIsCorruptionNamingIt) {
    std::string bytes;
    ThriftCompactWriter w(&bytes);
    w.StructBegin();
    w.I32Field(1, 2);
    w.FieldBegin(2, ThriftType::kList);
    w.ListBegin(ThriftType::kStruct, 0);
    w.FieldBegin(4, ThriftType::kList);  // no num_rows (3)
    w.ListBegin(ThriftType::kStruct, 0);
    w.StructEnd();
    Result<FileMetaData> r = ReadFileMetaData(bytes);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
    EXPECT_THAT(r.status().message(), HasSubstr("FileMetaData"));
    EXPECT_THAT(r.status().message(), HasSubstr("num_rows"));

    // Nested: a SchemaElement without its name.
    FileMetaData f;
    f.schema = {SchemaElement{.name = "r", .num_children = 0}};
    std::string good = Serialize(f);
    const std::string name_field = Bytes({0x48, 0x01, 'r'});
    const size_t at = good.find(name_field);
    ASSERT_NE(at, std::string::npos);
    // Drop the name; num_children (5) then follows with delta 5 from id 0.
    std::string bad = good.substr(0, at) + Bytes({0x55}) + good.substr(at + name_field.size() + 1);
    r = ReadFileMetaData(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
    EXPECT_THAT(r.status().message(), HasSubstr("SchemaElement"));
    EXPECT_THAT(r.status().message(), HasSubstr("name"));
}

TEST(ParquetMetadataTest, WrongFieldTypeAndTrailingBytesAreCorruption) {
    std::string bytes;
    ThriftCompactWriter w(&bytes);
    w.StructBegin();
    w.I64Field(1, 2);  // version must be i32
    w.StructEnd();
    Result<FileMetaData> r = ReadFileMetaData(bytes);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption);

    r = ReadFileMetaData(Serialize(FullFileMetaData()) + "x");
    ASSERT_FALSE(r.ok());
    EXPECT_THAT(r.status().message(), HasSubstr("trailing"));
}

// Thrift-generated readers skip an optional field of an unexpected type; so does tarn's.
TEST(ParquetMetadataTest, OptionalFieldOfWrongTypeIsSkipped) {
    std::string bytes = Serialize(FileMetaData{.schema = {SchemaElement{.name = "r"}}});
    bytes.pop_back();  // reopen the struct: append created_by (6) as an i32, then stop
    bytes += Bytes({0x25, 0x02, 0x00});
    Result<FileMetaData> r = ReadFileMetaData(bytes);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_FALSE(r->created_by.has_value());
}

TEST(ParquetMetadataTest, EveryTruncatedPrefixIsAnError) {
    const std::string bytes = Serialize(FullFileMetaData());
    for (size_t n = 0; n < bytes.size(); ++n) {
        Result<FileMetaData> r = ReadFileMetaData(std::string_view(bytes).substr(0, n));
        EXPECT_FALSE(r.ok()) << "prefix of " << n << " bytes";
    }
    PageHeader h{.type = PageType::kDataPage,
                 .data_page_header = DataPageHeader{.statistics = FullStatistics()}};
    std::string page;
    Write(h, &page);
    for (size_t n = 0; n < page.size(); ++n) {
        size_t consumed = 0;
        EXPECT_FALSE(ReadPageHeader(std::string_view(page).substr(0, n), &consumed).ok()) << n;
    }
}

// Not a fuzzer: flipping each byte of a footer must give a value or an error, never a crash.
TEST(ParquetMetadataTest, CorruptedBytesNeverCrash) {
    const std::string bytes = Serialize(FullFileMetaData());
    for (size_t i = 0; i < bytes.size(); ++i) {
        for (int x : {0x01, 0x80, 0xFF}) {
            std::string bad = bytes;
            bad[i] = static_cast<char>(bad[i] ^ x);
            (void)ReadFileMetaData(bad).ok();
        }
    }
}

}  // namespace
}  // namespace tarn::format
