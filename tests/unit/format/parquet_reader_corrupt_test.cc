// Damaged files: truncated, with bytes flipped anywhere, with lying sizes and counts. The reader
// must answer with an error (Corruption for damage) and never crash, read out of bounds (this
// binary runs under ASan in CI) or allocate from a size it has not checked.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cstring>
#include <string>
#include <vector>

#include "format/parquet_reader.h"
#include "parquet_reader_test_util.h"

namespace tarn::format {
namespace {

using namespace testutil;  // NOLINT
using ::testing::HasSubstr;
using K = LogicalType::Kind;

// A file with a bit of everything: dictionary, v1 and v2 pages, several codecs, a list, a map,
// two row groups, statistics.
TestFile RichFile() {
    TestFile f;
    f.schema = {Root(4),
                Leaf("id", Type::kInt64, R::kRequired),
                Leaf("name", Type::kByteArray, R::kOptional, LogicalType::Of(K::kString)),
                Group("tags", 1, R::kOptional, ConvertedType::kList),
                Group("list", 1, R::kRepeated),
                Leaf("element", Type::kInt32, R::kOptional),
                Group("m", 1, R::kOptional, ConvertedType::kMap),
                Group("key_value", 2, R::kRepeated),
                Leaf("key", Type::kByteArray, R::kRequired, LogicalType::Of(K::kString)),
                Leaf("value", Type::kDouble, R::kOptional)};
    f.paths = {{"id"},
               {"name"},
               {"tags", "list", "element"},
               {"m", "key_value", "key"},
               {"m", "key_value", "value"}};
    f.types = {Type::kInt64, Type::kByteArray, Type::kInt32, Type::kByteArray, Type::kDouble};
    f.max_def = {0, 1, 3, 2, 3};
    f.max_rep = {0, 0, 1, 1, 1};
    f.rows = {3, 2};
    Statistics st;
    st.min_value = Plain<int64_t>({1});
    st.max_value = Plain<int64_t>({3});
    st.null_count = 0;
    TestChunk id{.pages = {TestPage{.values = Delta<int64_t>({1, 2, 3}),
                                    .encoding = Encoding::kDeltaBinaryPacked,
                                    .version = 2,
                                    .num_values = 3}},
                 .codec = CompressionCodec::kSnappy,
                 .statistics = st};
    TestChunk name{
        .dictionary = PlainBytes({"alpha", "beta"}),
        .dictionary_size = 2,
        .pages = {TestPage{
            .def = {1, 0, 1}, .values = Indices({1, 0}, 1), .encoding = Encoding::kRleDictionary}},
        .codec = CompressionCodec::kZstd};
    TestChunk tags{
        .pages = {TestPage{
            .def = {3, 2, 3, 0, 1}, .rep = {0, 1, 1, 0, 0}, .values = Plain<int32_t>({7, 9})}},
        .codec = CompressionCodec::kGzip};
    TestChunk key{.pages = {TestPage{.def = {2, 2, 0, 1},
                                     .rep = {0, 1, 0, 0},
                                     .values = PlainBytes({"a", "b"}),
                                     .version = 2}},
                  .codec = CompressionCodec::kLz4Raw};
    TestChunk value{.pages = {TestPage{.def = {3, 2, 0, 1},
                                       .rep = {0, 1, 0, 0},
                                       .values = Plain<double>({0.5}),
                                       .version = 2}},
                    .codec = CompressionCodec::kLz4Raw};
    TestChunk id2{.pages = {TestPage{.values = Plain<int64_t>({4, 5}), .num_values = 2}}};
    TestChunk name2{.pages = {TestPage{.def = {1, 1},
                                       .values = DeltaLength({"x", "yz"}),
                                       .encoding = Encoding::kDeltaLengthByteArray}}};
    TestChunk tags2{.pages = {TestPage{.def = {0, 0}, .rep = {0, 0}, .values = ""}}};
    TestChunk key2{.pages = {TestPage{.def = {2, 1}, .rep = {0, 0}, .values = PlainBytes({"k"})}}};
    TestChunk value2{
        .pages = {TestPage{.def = {3, 1}, .rep = {0, 0}, .values = Plain<double>({1.0})}}};
    f.groups = {{id, name, tags, key, value}, {id2, name2, tags2, key2, value2}};
    return f;
}

const std::vector<std::string> kRichRows = {
    R"({"id":1,"name":"beta","tags":[7,null,9],"m":{"a":0.5,"b":null}})",
    R"({"id":2,"name":null,"tags":null,"m":null})",
    R"({"id":3,"name":"alpha","tags":[],"m":{}})",
    R"({"id":4,"name":"x","tags":null,"m":{"k":1}})",
    R"({"id":5,"name":"yz","tags":null,"m":{}})",
};

uint32_t FooterLen(const std::string& bytes) {
    uint32_t n;
    std::memcpy(&n, bytes.data() + bytes.size() - 8, 4);
    return n;
}

long PeakRssKb() {
    struct rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

TEST(ParquetReaderCorruptTest, TheRichFileReads) {
    Result<std::vector<std::string>> rows = ReadAll(BuildFile(RichFile()));
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    EXPECT_EQ(*rows, kRichRows);
}

TEST(ParquetReaderCorruptTest, EveryTruncationFails) {
    const std::string bytes = BuildFile(RichFile());
    for (size_t n = 0; n < bytes.size(); ++n) {
        Result<std::vector<std::string>> rows = ReadAll(bytes.substr(0, n));
        ASSERT_FALSE(rows.ok()) << "truncated to " << n;
        EXPECT_EQ(rows.status().code(), StatusCode::kCorruption) << rows.status().ToString();
    }
}

TEST(ParquetReaderCorruptTest, DataCutBeforeAnIntactFooter) {
    const std::string bytes = BuildFile(RichFile());
    const uint32_t footer_len = FooterLen(bytes);
    const std::string tail = bytes.substr(bytes.size() - 8 - footer_len);
    const std::string data = bytes.substr(0, bytes.size() - tail.size());
    for (size_t n = 4; n < data.size(); ++n) {
        Result<std::vector<std::string>> rows = ReadAll(data.substr(0, n) + tail);
        ASSERT_FALSE(rows.ok()) << "data cut to " << n;
        EXPECT_EQ(rows.status().code(), StatusCode::kCorruption) << rows.status().ToString();
    }
}

TEST(ParquetReaderCorruptTest, FlippedBytesNeverCrash) {
    const std::string bytes = BuildFile(RichFile());
    const long rss_before = PeakRssKb();
    size_t failures = 0;
    for (size_t i = 0; i < bytes.size(); ++i) {
        for (uint8_t mask : {0x01, 0x10, 0x80, 0xFF}) {
            std::string damaged = bytes;
            damaged[i] = static_cast<char>(damaged[i] ^ mask);
            Result<std::vector<std::string>> rows = ReadAll(damaged);
            if (!rows.ok()) {
                ++failures;
                // Internal would mean a batch failed Validate(): the reader let damage through.
                ASSERT_NE(rows.status().code(), StatusCode::kInternal)
                    << "byte " << i << " ^ " << int{mask} << ": " << rows.status().ToString();
            }
        }
    }
    EXPECT_GT(failures, bytes.size());  // most damage is noticed
    // No flip made the reader allocate (and touch) much memory.
    EXPECT_LT(PeakRssKb() - rss_before, 512 * 1024);
}

std::string WithFooter(const std::string& bytes, const FileMetaData& md) {
    const uint32_t footer_len = FooterLen(bytes);
    std::string out = bytes.substr(0, bytes.size() - 8 - footer_len);
    std::string footer;
    Write(md, &footer);
    out += footer;
    const auto len = static_cast<uint32_t>(footer.size());
    out.append(reinterpret_cast<const char*>(&len), 4);
    return out + "PAR1";
}

FileMetaData FooterOf(const std::string& bytes) {
    const uint32_t footer_len = FooterLen(bytes);
    return *ReadFileMetaData(bytes.substr(bytes.size() - 8 - footer_len, footer_len));
}

Status OpenStatus(const std::string& bytes) { return ReadAll(bytes).status(); }

TEST(ParquetReaderCorruptTest, FooterLiesAreNamed) {
    const std::string bytes = BuildFile(RichFile());
    std::string s = bytes;
    s.replace(s.size() - 8, 4, "\xff\xff\xff\x7f");
    EXPECT_THAT(OpenStatus(s).message(),
                HasSubstr("test.parquet: the footer length 2147483647 exceeds the file"));
    s = bytes;
    s.replace(s.size() - 4, 4, "PARE");
    EXPECT_EQ(OpenStatus(s).code(), StatusCode::kUnimplemented);
    EXPECT_THAT(OpenStatus(s).message(), HasSubstr("encrypted"));
    s = bytes;
    s.replace(0, 4, "PAR0");
    EXPECT_THAT(OpenStatus(s).message(), HasSubstr("no PAR1 magic at the start"));
    EXPECT_THAT(OpenStatus("hello world, not parquet").message(),
                HasSubstr("test.parquet: not a Parquet file (no PAR1 magic)"));

    FileMetaData md = FooterOf(bytes);
    md.row_groups[1].columns[3].meta_data->total_compressed_size = 9000;
    EXPECT_THAT(OpenStatus(WithFooter(bytes, md)).message(),
                HasSubstr("column chunk 3 of row group 1 ends at"));
    EXPECT_THAT(OpenStatus(WithFooter(bytes, md)).message(), HasSubstr("past the end of the file"));
    md = FooterOf(bytes);
    md.row_groups[0].columns[0].meta_data->data_page_offset = INT64_MAX - 2;
    EXPECT_THAT(OpenStatus(WithFooter(bytes, md)).message(), HasSubstr("past the end of the file"));
    md = FooterOf(bytes);
    md.row_groups[1].columns[4].meta_data->total_compressed_size += 4;
    EXPECT_THAT(OpenStatus(WithFooter(bytes, md)).message(), HasSubstr("inside the footer"));
    md = FooterOf(bytes);
    md.row_groups[0].columns.pop_back();
    EXPECT_THAT(OpenStatus(WithFooter(bytes, md)).message(),
                HasSubstr("row group 0 has 4 column chunks, the schema has 5"));
    md = FooterOf(bytes);
    md.row_groups[0].columns[2].meta_data->path_in_schema = {"nope"};
    EXPECT_THAT(OpenStatus(WithFooter(bytes, md)).message(), HasSubstr("is for column 'nope'"));
    md = FooterOf(bytes);
    md.row_groups[0].num_rows = 1000000000000;
    EXPECT_THAT(OpenStatus(WithFooter(bytes, md)).message(),
                HasSubstr("holds 3 values for 1000000000000 rows"));
    md = FooterOf(bytes);
    md.row_groups[0].columns[0].meta_data->num_values = 1000000000000;
    md.row_groups[0].num_rows = 1000000000000;
    for (auto& c : md.row_groups[0].columns) c.meta_data->num_values = 1000000000000;
    EXPECT_THAT(OpenStatus(WithFooter(bytes, md)).message(),
                HasSubstr("the column chunk ends after 3 of the row group's 1000000000000 rows"));
}

TEST(ParquetReaderCorruptTest, PageLiesAreCorruption) {
    TestFile f = RichFile();
    f.groups[1][0].pages[0].num_values = INT32_MAX;  // a page claiming 2^31 values
    f.groups[1][0].num_values = 2;
    EXPECT_THAT(OpenStatus(BuildFile(f)).message(),
                HasSubstr("pages hold more than the chunk's 2 values"));

    f = RichFile();
    f.groups[1][0].pages[0].num_values = INT32_MAX;
    f.rows[1] = 1 << 20;
    for (TestChunk& c : f.groups[1]) c.num_values = INT32_MAX;
    EXPECT_THAT(OpenStatus(BuildFile(f)).message(), HasSubstr("PLAIN values end early"));

    f = RichFile();
    f.groups[0][1].pages[0].values = Indices({1, 5}, 3);  // index 5 of a 2-value dictionary
    EXPECT_THAT(OpenStatus(BuildFile(f)).message(),
                HasSubstr("column 'name' of row group 0: dictionary index 5 is out of range"));

    f = RichFile();
    f.groups[0][1].dictionary_size = 1 << 30;
    EXPECT_THAT(OpenStatus(BuildFile(f)).message(), HasSubstr("dictionary of 1073741824 values"));

    f = RichFile();
    f.groups[0][2].pages[0].rep = {1, 1, 1, 0, 0};  // a row that starts with a repetition
    EXPECT_THAT(OpenStatus(BuildFile(f)).message(), HasSubstr("a row starts with repetition"));

    f = RichFile();
    f.groups[0][2].pages[0].rep = {0, 1, 0, 1, 0};  // continues a null list
    EXPECT_THAT(OpenStatus(BuildFile(f)).message(), HasSubstr("continues a list that has"));

    f = RichFile();
    f.groups[0][4].pages[0].rep = {0, 0, 0, 0};  // the map's values disagree with its keys
    f.groups[0][4].pages[0].def = {3, 2, 0, 1, 1};
    f.groups[0][4].pages[0].rep = {0, 0, 0, 0, 0};
    EXPECT_EQ(OpenStatus(BuildFile(f)).code(), StatusCode::kCorruption);

    f = RichFile();
    f.groups[0][3].pages[0].def = {3, 2, 0, 1};  // above the maximum level (2)
    EXPECT_THAT(OpenStatus(BuildFile(f)).message(), HasSubstr("exceeds the maximum"));
}

TEST(ParquetReaderCorruptTest, LyingPageSizesFailBeforeAllocating) {
    const std::string bytes = BuildFile(RichFile());
    const FileMetaData md = FooterOf(bytes);
    // Rewrite the first page header of column 0 (Snappy) to claim 1 GiB uncompressed.
    const size_t at = static_cast<size_t>(md.row_groups[0].columns[0].meta_data->data_page_offset);
    size_t consumed = 0;
    PageHeader h = *ReadPageHeader(std::string_view(bytes).substr(at), &consumed);
    const std::string body =
        bytes.substr(at + consumed, static_cast<size_t>(h.compressed_page_size));
    auto rebuilt = [&](const PageHeader& nh) {
        std::string header;
        Write(nh, &header);
        std::string out = bytes.substr(0, at) + header + body;
        FileMetaData m = md;
        ColumnMetaData& cm = *m.row_groups[0].columns[0].meta_data;
        const int64_t delta = static_cast<int64_t>(header.size()) - static_cast<int64_t>(consumed);
        cm.total_compressed_size += delta;
        // Shift everything after the page.
        std::string rest = bytes.substr(at + consumed + body.size());
        out += rest;
        for (RowGroup& rg : m.row_groups) {
            for (ColumnChunk& c : rg.columns) {
                if (&c == &m.row_groups[0].columns[0]) continue;
                c.meta_data->data_page_offset += delta;
                if (c.meta_data->dictionary_page_offset)
                    *c.meta_data->dictionary_page_offset += delta;
            }
        }
        std::string footer;
        Write(m, &footer);
        const uint32_t old_len = FooterLen(bytes);
        out.resize(out.size() - 8 - old_len);
        out += footer;
        const auto len = static_cast<uint32_t>(footer.size());
        out.append(reinterpret_cast<const char*>(&len), 4);
        return out + "PAR1";
    };
    ASSERT_TRUE(ReadAll(rebuilt(h)).ok());
    PageHeader big = h;
    big.uncompressed_page_size = 1 << 30;
    EXPECT_THAT(OpenStatus(rebuilt(big)).message(), HasSubstr("the Snappy block states"));
    big.uncompressed_page_size = INT32_MAX;
    EXPECT_THAT(OpenStatus(rebuilt(big)).message(), HasSubstr("more than the 1 GiB limit"));
    big.compressed_page_size = 1 << 30;
    big.uncompressed_page_size = h.uncompressed_page_size;
    EXPECT_THAT(OpenStatus(rebuilt(big)).message(), HasSubstr("runs past the end of the column"));
}

}  // namespace
}  // namespace tarn::format
