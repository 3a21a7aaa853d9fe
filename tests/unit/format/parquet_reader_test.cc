// ParquetReader on hand-built files: flat and nested assembly from hand-computed levels, page
// versions, encodings, codecs, projection and row-group skipping.
#include "format/parquet_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "parquet_reader_test_util.h"
#include "storage/local_store.h"
#include "testing/temp_dir.h"

namespace tarn::format {
namespace {

using namespace testutil;  // NOLINT
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using K = LogicalType::Kind;

std::vector<std::string> MustRead(const std::string& bytes, ParquetReaderOptions options = {}) {
    Result<std::vector<std::string>> rows = ReadAll(bytes, std::move(options));
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? *rows : std::vector<std::string>{};
}

// message m { required int32 a; optional binary s (STRING); }
TestFile FlatFile() {
    TestFile f;
    f.schema = {Root(2), Leaf("a", Type::kInt32, R::kRequired),
                Leaf("s", Type::kByteArray, R::kOptional, LogicalType::Of(K::kString))};
    f.paths = {{"a"}, {"s"}};
    f.types = {Type::kInt32, Type::kByteArray};
    f.max_def = {0, 1};
    f.max_rep = {0, 0};
    return f;
}

TEST(ParquetReaderTest, FlatPlainPagesV1AndV2) {
    for (int version : {1, 2}) {
        TestFile f = FlatFile();
        f.rows = {5};
        TestChunk a;
        a.pages = {
            TestPage{.values = Plain<int32_t>({1, 2, 3}), .version = version, .num_values = 3},
            TestPage{.values = Plain<int32_t>({4, 5}), .version = version, .num_values = 2}};
        TestChunk s;
        s.pages = {
            TestPage{.def = {1, 0}, .values = PlainBytes({"x"}), .version = version},
            TestPage{.def = {0, 1, 1}, .values = PlainBytes({"", "zz"}), .version = version}};
        f.groups = {{a, s}};
        EXPECT_THAT(MustRead(BuildFile(f)),
                    ElementsAre(R"({"a":1,"s":"x"})", R"({"a":2,"s":null})", R"({"a":3,"s":null})",
                                R"({"a":4,"s":""})", R"({"a":5,"s":"zz"})"))
            << "version " << version;
    }
}

TEST(ParquetReaderTest, SmallBatchesSpanPages) {
    TestFile f = FlatFile();
    f.rows = {7};
    TestChunk a;
    a.pages = {TestPage{.values = Plain<int32_t>({1, 2, 3, 4}), .num_values = 4},
               TestPage{.values = Plain<int32_t>({5, 6, 7}), .num_values = 3}};
    TestChunk s;
    s.pages = {TestPage{.def = {1, 1, 0}, .values = PlainBytes({"a", "b"})},
               TestPage{.def = {1, 0, 0, 1}, .values = PlainBytes({"c", "d"})}};
    f.groups = {{a, s}};
    const std::string bytes = BuildFile(f);
    ParquetReaderOptions o;
    o.batch_rows = 2;
    EXPECT_THAT(MustRead(bytes, o),
                ElementsAre(R"({"a":1,"s":"a"})", R"({"a":2,"s":"b"})", R"({"a":3,"s":null})",
                            R"({"a":4,"s":"c"})", R"({"a":5,"s":null})", R"({"a":6,"s":null})",
                            R"({"a":7,"s":"d"})"));
}

TEST(ParquetReaderTest, EveryCodec) {
    for (CompressionCodec codec :
         {CompressionCodec::kUncompressed, CompressionCodec::kSnappy, CompressionCodec::kGzip,
          CompressionCodec::kZstd, CompressionCodec::kLz4Raw, CompressionCodec::kLz4,
          CompressionCodec::kBrotli}) {
        for (int version : {1, 2}) {
            TestFile f = FlatFile();
            f.rows = {3};
            TestChunk a{.codec = codec};
            a.pages = {
                TestPage{.values = Plain<int32_t>({7, 8, 9}), .version = version, .num_values = 3}};
            TestChunk s{.codec = codec};
            s.pages = {TestPage{
                .def = {1, 1, 0}, .values = PlainBytes({"hello", "world"}), .version = version}};
            f.groups = {{a, s}};
            EXPECT_THAT(MustRead(BuildFile(f)),
                        ElementsAre(R"({"a":7,"s":"hello"})", R"({"a":8,"s":"world"})",
                                    R"({"a":9,"s":null})"))
                << CompressionCodecName(codec) << " v" << version;
        }
    }
}

TEST(ParquetReaderTest, DictionaryWithFallbackToPlain) {
    TestFile f = FlatFile();
    f.rows = {6};
    TestChunk a;
    a.dictionary = Plain<int32_t>({100, 200, 300});
    a.dictionary_size = 3;
    a.pages = {TestPage{.values = Indices({2, 0, 1, 1}, 2),
                        .encoding = Encoding::kRleDictionary,
                        .num_values = 4},
               TestPage{.values = Plain<int32_t>({5, 6}), .num_values = 2}};
    TestChunk s;
    s.dictionary = PlainBytes({"red", "green"});
    s.dictionary_size = 2;
    s.pages = {TestPage{.def = {1, 0, 1, 1, 0, 1},
                        .values = Indices({1, 0, 0, 1}, 1),
                        .encoding = Encoding::kPlainDictionary}};
    f.groups = {{a, s}};
    EXPECT_THAT(
        MustRead(BuildFile(f)),
        ElementsAre(R"({"a":300,"s":"green"})", R"({"a":100,"s":null})", R"({"a":200,"s":"red"})",
                    R"({"a":200,"s":"red"})", R"({"a":5,"s":null})", R"({"a":6,"s":"green"})"));
}

TEST(ParquetReaderTest, DeltaAndByteStreamSplitEncodings) {
    TestFile f;
    f.schema = {Root(5),
                Leaf("i", Type::kInt64, R::kRequired),
                Leaf("d", Type::kDouble, R::kOptional),
                Leaf("s", Type::kByteArray, R::kRequired, LogicalType::Of(K::kString)),
                Leaf("t", Type::kByteArray, R::kRequired, LogicalType::Of(K::kString)),
                Leaf("f", Type::kFixedLenByteArray, R::kRequired)};
    f.schema[5].type_length = 3;
    f.paths = {{"i"}, {"d"}, {"s"}, {"t"}, {"f"}};
    f.types = {Type::kInt64, Type::kDouble, Type::kByteArray, Type::kByteArray,
               Type::kFixedLenByteArray};
    f.max_def = {0, 1, 0, 0, 0};
    f.max_rep = {0, 0, 0, 0, 0};
    f.rows = {3};
    TestChunk i{.pages = {TestPage{.values = Delta<int64_t>({INT64_MIN, INT64_MAX, -5}),
                                   .encoding = Encoding::kDeltaBinaryPacked,
                                   .version = 2,
                                   .num_values = 3}}};
    TestChunk d{.pages = {TestPage{.def = {1, 0, 1},
                                   .values = Split(Plain<double>({1.5, -2.25}), 8),
                                   .encoding = Encoding::kByteStreamSplit}}};
    TestChunk s{.pages = {TestPage{.values = DeltaLength({"ab", "", "cde"}),
                                   .encoding = Encoding::kDeltaLengthByteArray,
                                   .num_values = 3}}};
    TestChunk t{.pages = {TestPage{.values = DeltaBytes({"apple", "applesauce", "apricot"}),
                                   .encoding = Encoding::kDeltaByteArray,
                                   .num_values = 3}}};
    TestChunk fl{.pages = {TestPage{.values = DeltaBytes({"abc", "abd", "xyz"}),
                                    .encoding = Encoding::kDeltaByteArray,
                                    .num_values = 3}}};
    f.groups = {{i, d, s, t, fl}};
    EXPECT_THAT(
        MustRead(BuildFile(f)),
        ElementsAre(R"({"i":-9223372036854775808,"d":1.5,"s":"ab","t":"apple","f":"YWJj"})",
                    R"({"i":9223372036854775807,"d":null,"s":"","t":"applesauce","f":"YWJk"})",
                    R"({"i":-5,"d":-2.25,"s":"cde","t":"apricot","f":"eHl6"})"));
}

TEST(ParquetReaderTest, BooleansPlainAndRle) {
    TestFile f;
    f.schema = {Root(1), Leaf("b", Type::kBoolean, R::kOptional)};
    f.paths = {{"b"}};
    f.types = {Type::kBoolean};
    f.max_def = {1};
    f.max_rep = {0};
    f.rows = {12};
    std::vector<bool> plain = {true, false, true, true, false, false, true, false, true};
    TestChunk b;
    b.pages = {TestPage{.def = {1, 1, 1, 0, 1, 1, 1, 1, 1, 1}, .values = PlainBools(plain)},
               TestPage{.def = {1, 0},
                        .values = LengthPrefixed(Runs({1}, 1)),
                        .encoding = Encoding::kRle,
                        .version = 2}};
    f.groups = {{b}};
    EXPECT_THAT(MustRead(BuildFile(f)),
                ElementsAre(R"({"b":true})", R"({"b":false})", R"({"b":true})", R"({"b":null})",
                            R"({"b":true})", R"({"b":false})", R"({"b":false})", R"({"b":true})",
                            R"({"b":false})", R"({"b":true})", R"({"b":true})", R"({"b":null})"));
}

// message m {
//   optional group a (LIST) { repeated group list { optional group element {
//       required int32 x; optional binary y (STRING); } } }
//   optional int64 b;
// }
TEST(ParquetReaderTest, ListOfStructsFromHandComputedLevels) {
    TestFile f;
    f.schema = {Root(2),
                Group("a", 1, R::kOptional, ConvertedType::kList),
                Group("list", 1, R::kRepeated),
                Group("element", 2, R::kOptional),
                Leaf("x", Type::kInt32, R::kRequired),
                Leaf("y", Type::kByteArray, R::kOptional, LogicalType::Of(K::kString)),
                Leaf("b", Type::kInt64, R::kOptional)};
    f.paths = {{"a", "list", "element", "x"}, {"a", "list", "element", "y"}, {"b"}};
    f.types = {Type::kInt32, Type::kByteArray, Type::kInt64};
    f.max_def = {3, 4, 1};
    f.max_rep = {1, 1, 0};
    f.rows = {4};
    // r0: a = [{1, "p"}, {2, null}]; r1: a = null; r2: a = []; r3: a = [null, {3, "q"}]
    TestChunk x{.pages = {TestPage{.def = {3, 3, 0, 1, 2, 3},
                                   .rep = {0, 1, 0, 0, 0, 1},
                                   .values = Plain<int32_t>({1, 2, 3})}}};
    TestChunk y{.pages = {TestPage{.def = {4, 3, 0, 1, 2, 4},
                                   .rep = {0, 1, 0, 0, 0, 1},
                                   .values = PlainBytes({"p", "q"})}}};
    TestChunk b{.pages = {TestPage{.def = {1, 0, 1, 1}, .values = Plain<int64_t>({10, 30, 40})}}};
    f.groups = {{x, y, b}};
    const std::string bytes = BuildFile(f);
    for (size_t batch : {1, 2, 3, 100}) {
        ParquetReaderOptions o;
        o.batch_rows = batch;
        EXPECT_THAT(MustRead(bytes, o),
                    ElementsAre(R"({"a":[{"x":1,"y":"p"},{"x":2,"y":null}],"b":10})",
                                R"({"a":null,"b":null})", R"({"a":[],"b":30})",
                                R"({"a":[null,{"x":3,"y":"q"}],"b":40})"))
            << "batch " << batch;
    }
    // One member of the struct inside the list.
    ParquetReaderOptions o;
    o.columns = std::vector<std::string>{"b", "a"};
    EXPECT_THAT(
        MustRead(bytes, o),
        ElementsAre(R"({"b":10,"a":[{"x":1,"y":"p"},{"x":2,"y":null}]})", R"({"b":null,"a":null})",
                    R"({"b":30,"a":[]})", R"({"b":40,"a":[null,{"x":3,"y":"q"}]})"));
}

// message m { optional group m (MAP) { repeated group key_value {
//     required binary key (STRING); optional group value (LIST) {
//         repeated group list { optional int32 element; } } } } }
TEST(ParquetReaderTest, MapOfListsFromHandComputedLevels) {
    TestFile f;
    f.schema = {Root(1),
                Group("m", 1, R::kOptional, ConvertedType::kMap),
                Group("key_value", 2, R::kRepeated),
                Leaf("key", Type::kByteArray, R::kRequired, LogicalType::Of(K::kString)),
                Group("value", 1, R::kOptional, ConvertedType::kList),
                Group("list", 1, R::kRepeated),
                Leaf("element", Type::kInt32, R::kOptional)};
    f.paths = {{"m", "key_value", "key"}, {"m", "key_value", "value", "list", "element"}};
    f.types = {Type::kByteArray, Type::kInt32};
    f.max_def = {2, 5};
    f.max_rep = {1, 2};
    f.rows = {3};
    // r0: {"a": [1, null], "b": null, "c": []}; r1: null; r2: {}
    TestChunk key{.pages = {TestPage{.def = {2, 2, 2, 0, 1},
                                     .rep = {0, 1, 1, 0, 0},
                                     .values = PlainBytes({"a", "b", "c"})}}};
    TestChunk val{
        .pages = {TestPage{
            .def = {5, 4, 2, 3, 0, 1}, .rep = {0, 2, 1, 1, 0, 0}, .values = Plain<int32_t>({1})}}};
    f.groups = {{key, val}};
    EXPECT_THAT(MustRead(BuildFile(f)), ElementsAre(R"({"m":{"a":[1,null],"b":null,"c":[]}})",
                                                    R"({"m":null})", R"({"m":{}})"));
}

// A repeated field outside a LIST group and a 2-level list of a repeated primitive.
TEST(ParquetReaderTest, LegacyListShapes) {
    TestFile f;
    f.schema = {Root(2), Leaf("r", Type::kInt32, R::kRepeated),
                Group("l", 1, R::kOptional, ConvertedType::kList),
                Leaf("array", Type::kInt32, R::kRepeated)};
    f.paths = {{"r"}, {"l", "array"}};
    f.types = {Type::kInt32, Type::kInt32};
    f.max_def = {1, 2};
    f.max_rep = {1, 1};
    f.rows = {3};
    TestChunk r{
        .pages = {TestPage{
            .def = {1, 1, 0, 1}, .rep = {0, 1, 0, 0}, .values = Plain<int32_t>({1, 2, 3})}}};
    TestChunk l{.pages = {TestPage{
                    .def = {0, 2, 2, 1}, .rep = {0, 0, 1, 0}, .values = Plain<int32_t>({7, 8})}}};
    f.groups = {{r, l}};
    EXPECT_THAT(
        MustRead(BuildFile(f)),
        ElementsAre(R"({"r":[1,2],"l":null})", R"({"r":[],"l":[7,8]})", R"({"r":[3],"l":[]})"));
}

// Required members of a null optional struct hold defaults; a row spans two v1 pages.
TEST(ParquetReaderTest, NullStructsAndRowsAcrossPages) {
    TestFile f;
    f.schema = {Root(1),
                Group("s", 2, R::kOptional),
                Leaf("x", Type::kInt32, R::kRequired),
                Group("l", 1, R::kRequired, ConvertedType::kList),
                Group("list", 1, R::kRepeated),
                Leaf("element", Type::kInt64, R::kRequired)};
    f.paths = {{"s", "x"}, {"s", "l", "list", "element"}};
    f.types = {Type::kInt32, Type::kInt64};
    f.max_def = {1, 2};
    f.max_rep = {0, 1};
    f.rows = {3};
    TestChunk x{.pages = {TestPage{.def = {1, 0, 1}, .values = Plain<int32_t>({5, 6})}}};
    // r0: s = {5, [1, 2, 3]} split over two pages; r1: s = null; r2: s = {6, []}
    TestChunk l{
        .pages = {TestPage{.def = {2, 2}, .rep = {0, 1}, .values = Plain<int64_t>({1, 2})},
                  TestPage{.def = {2, 0, 1}, .rep = {1, 0, 0}, .values = Plain<int64_t>({3})}}};
    f.groups = {{x, l}};
    ParquetReaderOptions o;
    o.batch_rows = 1;
    EXPECT_THAT(MustRead(BuildFile(f), o), ElementsAre(R"({"s":{"x":5,"l":[1,2,3]}})",
                                                       R"({"s":null})", R"({"s":{"x":6,"l":[]}})"));
}

TEST(ParquetReaderTest, ConversionsOfLogicalTypes) {
    TestFile f;
    f.schema = {
        Root(9),
        Leaf("u8", Type::kInt32, R::kRequired, LogicalType::Integer(8, false)),
        Leaf("u32", Type::kInt32, R::kRequired, LogicalType::Integer(32, false)),
        Leaf("u64", Type::kInt64, R::kRequired, LogicalType::Integer(64, false)),
        Leaf("ms", Type::kInt64, R::kRequired, LogicalType::Timestamp(false, TimeUnit::kMillis)),
        Leaf("ns", Type::kInt64, R::kRequired, LogicalType::Timestamp(true, TimeUnit::kNanos)),
        Leaf("i96", Type::kInt96, R::kRequired),
        Leaf("dec", Type::kFixedLenByteArray, R::kRequired, LogicalType::Decimal(2, 5)),
        Leaf("bdec", Type::kByteArray, R::kRequired, LogicalType::Decimal(3, 30)),
        Leaf("uuid", Type::kFixedLenByteArray, R::kRequired, LogicalType::Of(K::kUuid))};
    f.schema[7].type_length = 3;
    f.schema[9].type_length = 16;
    f.paths = {{"u8"}, {"u32"}, {"u64"}, {"ms"}, {"ns"}, {"i96"}, {"dec"}, {"bdec"}, {"uuid"}};
    f.types = {Type::kInt32,
               Type::kInt32,
               Type::kInt64,
               Type::kInt64,
               Type::kInt64,
               Type::kInt96,
               Type::kFixedLenByteArray,
               Type::kByteArray,
               Type::kFixedLenByteArray};
    f.max_def = std::vector<int16_t>(9, 0);
    f.max_rep = std::vector<int16_t>(9, 0);
    f.rows = {1};
    auto page = [](std::string values) {
        return TestChunk{.pages = {TestPage{.values = std::move(values), .num_values = 1}}};
    };
    // INT96: 1 second past midnight of 1970-01-02 (Julian day 2440589).
    std::string i96 = Plain<int64_t>({1000000000}) + Plain<int32_t>({2440589});
    std::string uuid;
    for (int i = 0; i < 16; ++i) uuid.push_back(static_cast<char>(i * 17));
    f.groups = {{page(Plain<int32_t>({255})), page(Plain<int32_t>({-1})),
                 page(Plain<int64_t>({-1})), page(Plain<int64_t>({-1500})),
                 page(Plain<int64_t>({1999})), page(i96), page(std::string("\xff\xff\x85", 3)),
                 page(PlainBytes({std::string("\x01\x00", 2)})), page(uuid)}};
    EXPECT_THAT(
        MustRead(BuildFile(f)),
        ElementsAre(R"({"u8":255,"u32":4294967295,"u64":18446744073709551615,)"
                    R"("ms":"1969-12-31 23:59:58.500000","ns":"1970-01-01 00:00:00.000001",)"
                    R"("i96":"1970-01-02 00:00:01","dec":-1.23,"bdec":0.256,)"
                    R"("uuid":"00112233-4455-6677-8899-aabbccddeeff"})"));
}

TEST(ParquetReaderTest, ProjectionOfStructMembers) {
    TestFile f;
    f.schema = {Root(2),
                Leaf("id", Type::kInt32, R::kRequired),
                Group("s", 3, R::kOptional),
                Leaf("a", Type::kInt32, R::kOptional),
                Group("t", 1, R::kRequired),
                Leaf("u", Type::kInt32, R::kRequired),
                Leaf("b", Type::kInt32, R::kOptional)};
    f.paths = {{"id"}, {"s", "a"}, {"s", "t", "u"}, {"s", "b"}};
    f.types = {Type::kInt32, Type::kInt32, Type::kInt32, Type::kInt32};
    f.max_def = {0, 2, 1, 2};
    f.max_rep = {0, 0, 0, 0};
    f.rows = {2};
    TestChunk id{.pages = {TestPage{.values = Plain<int32_t>({1, 2}), .num_values = 2}}};
    TestChunk a{.pages = {TestPage{.def = {2, 0}, .values = Plain<int32_t>({10})}}};
    TestChunk u{.pages = {TestPage{.def = {1, 0}, .values = Plain<int32_t>({20})}}};
    TestChunk b{.pages = {TestPage{.def = {1, 0}, .values = ""}}};
    f.groups = {{id, a, u, b}};
    const std::string bytes = BuildFile(f);
    EXPECT_THAT(MustRead(bytes), ElementsAre(R"({"id":1,"s":{"a":10,"t":{"u":20},"b":null}})",
                                             R"({"id":2,"s":null})"));

    std::unique_ptr<ParquetReader> reader;
    ParquetReaderOptions o;
    o.columns = std::vector<std::string>{"s.t.u", "id", "s.b"};
    Result<std::vector<std::string>> rows = ReadAll(bytes, o, &reader);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    EXPECT_THAT(*rows,
                ElementsAre(R"({"s":{"t":{"u":20},"b":null},"id":1})", R"({"s":null,"id":2})"));
    EXPECT_EQ(reader->schema()->ToString(),
              "s: STRUCT<t: STRUCT<u: INT32 NOT NULL> NOT NULL, b: INT32>, "
              "id: INT32 NOT NULL");
    EXPECT_THAT(reader->projected_leaves(), ElementsAre(0, 2, 3));

    o.columns = std::vector<std::string>{"s.a"};
    EXPECT_THAT(MustRead(bytes, o), ElementsAre(R"({"s":{"a":10}})", R"({"s":null})"));
    o.columns = std::vector<std::string>{};
    EXPECT_THAT(MustRead(bytes, o), ElementsAre("{}", "{}"));

    for (const char* bad : {"nope", "s.nope", "id.x"}) {
        o.columns = std::vector<std::string>{bad};
        Result<std::vector<std::string>> r = ReadAll(bytes, o);
        ASSERT_FALSE(r.ok()) << bad;
        EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    }
}

Statistics IntStats(int64_t min, int64_t max, int64_t nulls) {
    Statistics s;
    s.min_value = Plain<int64_t>({min});
    s.max_value = Plain<int64_t>({max});
    s.null_count = nulls;
    return s;
}

TEST(ParquetReaderTest, RowGroupSkippingByStatistics) {
    TestFile f;
    f.schema = {Root(2), Leaf("n", Type::kInt64, R::kOptional),
                Leaf("s", Type::kByteArray, R::kOptional, LogicalType::Of(K::kString))};
    f.paths = {{"n"}, {"s"}};
    f.types = {Type::kInt64, Type::kByteArray};
    f.max_def = {1, 1};
    f.max_rep = {0, 0};
    f.rows = {2, 2, 2};
    auto group = [](int64_t a, int64_t b, std::string s1, std::string s2, bool nulls) {
        TestChunk n{.pages = {TestPage{.def = {1, 1}, .values = Plain<int64_t>({a, b})}},
                    .statistics = IntStats(a, b, 0)};
        TestChunk s;
        if (nulls) {
            s.pages = {TestPage{.def = {0, 0}, .values = ""}};
            Statistics st;
            st.null_count = 2;
            s.statistics = st;
        } else {
            s.pages = {TestPage{.def = {1, 1}, .values = PlainBytes({s1, s2})}};
            Statistics st;
            st.min_value = s1;
            st.max_value = s2;
            st.null_count = 0;
            s.statistics = st;
        }
        return std::vector<TestChunk>{n, s};
    };
    f.groups = {group(1, 10, "apple", "banana", false), group(20, 30, "", "", true),
                group(-5, 0, "\xc3\xa9t\xc3\xa9", "\xc3\xa9t\xc3\xa9z", false)};
    const std::string bytes = BuildFile(f);
    using Op = ParquetPredicate::Op;
    struct Case {
        ParquetPredicate pred;
        std::vector<size_t> read;
    };
    const std::vector<Case> cases = {
        {{"n", Op::kEq, int64_t{25}}, {1}},
        {{"n", Op::kEq, int64_t{11}}, {}},
        {{"n", Op::kLt, int64_t{1}}, {2}},
        {{"n", Op::kLe, int64_t{1}}, {0, 2}},
        {{"n", Op::kGt, int64_t{10}}, {1}},
        {{"n", Op::kGe, int64_t{10}}, {0, 1}},
        {{"s", Op::kIsNull, {}}, {1}},
        {{"s", Op::kIsNotNull, {}}, {0, 2}},
        {{"s", Op::kEq, std::string("banana")}, {0}},
        // Unsigned byte order: "été" (0xC3...) sorts after "z".
        {{"s", Op::kGt, std::string("z")}, {2}},
        {{"s", Op::kLt, std::string("b")}, {0}},
    };
    for (const Case& c : cases) {
        ParquetReaderOptions o;
        o.predicates = {c.pred};
        std::unique_ptr<ParquetReader> reader;
        Result<std::vector<std::string>> rows = ReadAll(bytes, o, &reader);
        ASSERT_TRUE(rows.ok()) << rows.status().ToString();
        EXPECT_EQ(reader->row_groups(), c.read)
            << c.pred.column << " " << PredicateOpName(c.pred.op);
        EXPECT_EQ(rows->size(), c.read.size() * 2);
        EXPECT_EQ(reader->skipped_row_groups().size(), 3 - c.read.size());
    }
    // ANDed predicates; explicit row groups.
    ParquetReaderOptions o;
    o.predicates = {{"n", Op::kGe, int64_t{0}}, {"n", Op::kLe, int64_t{5}}};
    o.row_groups = std::vector<size_t>{2, 1, 0};
    std::unique_ptr<ParquetReader> reader;
    ASSERT_TRUE(ReadAll(bytes, o, &reader).ok());
    EXPECT_THAT(reader->row_groups(), ElementsAre(2, 0));
    EXPECT_THAT(reader->skipped_row_groups(), ElementsAre(1));
    // A predicate of the wrong type is refused.
    o.predicates = {{"n", Op::kEq, std::string("x")}};
    EXPECT_EQ(ReadAll(bytes, o).status().code(), StatusCode::kInvalidArgument);
}

// What other writers emit: a dictionary far larger than the page that uses it (a writer that
// kept one dictionary for a chunk whose later pages use few entries), and chunks without any
// statistics, which predicates must never skip.
TEST(ParquetReaderTest, LargeDictionariesAndChunksWithoutStatistics) {
    TestFile f = FlatFile();
    f.rows = {2, 2};
    std::vector<std::string> words;
    for (int i = 0; i < 5000; ++i) words.push_back("word-" + std::to_string(i));
    auto group = [&](int32_t a, int32_t b, uint32_t w1, uint32_t w2) {
        TestChunk ac{.pages = {TestPage{.values = Plain<int32_t>({a, b}), .num_values = 2}}};
        TestChunk sc;
        sc.dictionary = PlainBytes(words);
        sc.dictionary_size = static_cast<int32_t>(words.size());
        sc.codec = CompressionCodec::kSnappy;
        sc.pages = {TestPage{
            .def = {1, 1}, .values = Indices({w1, w2}, 13), .encoding = Encoding::kRleDictionary}};
        return std::vector<TestChunk>{ac, sc};
    };
    f.groups = {group(1, 2, 4999, 0), group(3, 4, 17, 4242)};
    const std::string bytes = BuildFile(f);
    EXPECT_THAT(MustRead(bytes),
                ElementsAre(R"({"a":1,"s":"word-4999"})", R"({"a":2,"s":"word-0"})",
                            R"({"a":3,"s":"word-17"})", R"({"a":4,"s":"word-4242"})"));
    using Op = ParquetPredicate::Op;
    for (const ParquetPredicate& pred :
         {ParquetPredicate{"a", Op::kEq, int64_t{100}}, ParquetPredicate{"s", Op::kIsNull, {}},
          ParquetPredicate{"s", Op::kEq, std::string("zzz")}}) {
        ParquetReaderOptions o;
        o.predicates = {pred};
        std::unique_ptr<ParquetReader> reader;
        ASSERT_TRUE(ReadAll(bytes, o, &reader).ok());
        EXPECT_THAT(reader->row_groups(), ElementsAre(0, 1)) << pred.column;
        EXPECT_TRUE(reader->skipped_row_groups().empty()) << pred.column;
    }
}

TEST(ParquetReaderTest, DeprecatedStringStatisticsNeedAColumnOrder) {
    TestFile f;
    f.schema = {Root(1), Leaf("s", Type::kByteArray, R::kOptional, LogicalType::Of(K::kString))};
    f.paths = {{"s"}};
    f.types = {Type::kByteArray};
    f.max_def = {1};
    f.max_rep = {0};
    f.rows = {1};
    Statistics st;
    st.min = "a";  // deprecated fields only
    st.max = "c";
    TestChunk s{.pages = {TestPage{.def = {1}, .values = PlainBytes({"b"})}}, .statistics = st};
    f.groups = {{s}};
    ParquetReaderOptions o;
    o.predicates = {{"s", ParquetPredicate::Op::kEq, std::string("z")}};
    std::unique_ptr<ParquetReader> reader;
    ASSERT_TRUE(ReadAll(BuildFile(f), o, &reader).ok());
    EXPECT_TRUE(reader->skipped_row_groups().empty()) << "signed-order stats must not be used";
    f.column_orders = std::vector<ColumnOrder>{ColumnOrder{}};
    ASSERT_TRUE(ReadAll(BuildFile(f), o, &reader).ok());
    EXPECT_THAT(reader->skipped_row_groups(), ElementsAre(0));
}

TEST(ParquetReaderTest, ReadsThroughAnObjectStoreByRanges) {
    tarn::testing::TempDir dir("pqr-");
    auto store = storage::LocalStore::Open(dir.path());
    ASSERT_TRUE(store.ok());
    TestFile f = FlatFile();
    f.rows = {2};
    TestChunk a{.pages = {TestPage{.values = Plain<int32_t>({1, 2}), .num_values = 2}}};
    TestChunk s{.pages = {TestPage{.def = {1, 1}, .values = PlainBytes({"p", "q"})}}};
    f.groups = {{a, s}};
    const std::string bytes = BuildFile(f);
    ASSERT_TRUE((*store)->Put("lake/x.parquet", bytes).ok());
    ParquetReaderOptions o;
    o.columns = std::vector<std::string>{"s"};
    auto reader = ParquetReader::Open(store->get(), "lake/x.parquet", o);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    columnar::RecordBatch batch = (*reader)->NewBatch();
    ASSERT_TRUE(*(*reader)->Next(&batch));
    EXPECT_EQ(batch.num_rows(), 2u);
    EXPECT_EQ(batch.column(0).GetString(1), "q");
    EXPECT_FALSE(*(*reader)->Next(&batch));
    // The footer read plus one read of the projected chunk; the file is smaller than a tail read.
    EXPECT_EQ((*reader)->reads(), 2u);
    EXPECT_EQ((*reader)->scan_bytes(),
              static_cast<uint64_t>(
                  (*reader)->metadata().row_groups[0].columns[1].meta_data->total_compressed_size));

    auto missing = ParquetReader::Open(store->get(), "lake/none.parquet");
    EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

TEST(ParquetReaderTest, FetchesOnlyTheProjectedChunks) {
    TestFile f;
    f.schema = {Root(3), Leaf("a", Type::kInt64, R::kRequired),
                Leaf("b", Type::kInt64, R::kRequired), Leaf("c", Type::kInt64, R::kRequired)};
    f.paths = {{"a"}, {"b"}, {"c"}};
    f.types = {Type::kInt64, Type::kInt64, Type::kInt64};
    f.max_def = {0, 0, 0};
    f.max_rep = {0, 0, 0};
    std::vector<int64_t> values(20000);
    for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<int64_t>(i);
    f.rows = {20000, 20000};
    const TestChunk chunk{.pages = {TestPage{.values = Plain(values), .num_values = 20000}}};
    f.groups = {{chunk, chunk, chunk}, {chunk, chunk, chunk}};
    const std::string bytes = BuildFile(f);
    ASSERT_GT(bytes.size(), 6 * 160000u);

    ParquetReaderOptions o;
    o.columns = std::vector<std::string>{"b"};
    std::unique_ptr<ParquetReader> reader;
    Result<std::vector<std::string>> rows = ReadAll(bytes, o, &reader);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    ASSERT_EQ(rows->size(), 40000u);
    EXPECT_EQ((*rows)[20001], R"({"b":1})");
    uint64_t chunks = 0;
    for (const RowGroup& rg : reader->metadata().row_groups) {
        chunks += static_cast<uint64_t>(rg.columns[1].meta_data->total_compressed_size);
    }
    EXPECT_EQ(reader->scan_bytes(), chunks);
    // The tail (64 KiB, holding the footer), the leading magic, one read per row group.
    EXPECT_EQ(reader->reads(), 4u);
    EXPECT_EQ(reader->bytes_read(), (64u << 10) + 4 + chunks);

    // Adjacent chunks are one read.
    o.columns = std::vector<std::string>{"c", "b"};
    ASSERT_TRUE(ReadAll(bytes, o, &reader).ok());
    EXPECT_EQ(reader->reads(), 4u);
    // With a gap allowance, a and c are fetched together with b between them.
    o.columns = std::vector<std::string>{"a", "c"};
    o.coalesce_gap_bytes = 1 << 20;
    ASSERT_TRUE(ReadAll(bytes, o, &reader).ok());
    EXPECT_EQ(reader->reads(), 4u);
    o.coalesce_gap_bytes = 0;
    ASSERT_TRUE(ReadAll(bytes, o, &reader).ok());
    EXPECT_EQ(reader->reads(), 6u);
}

TEST(ParquetReaderTest, UnsupportedColumnsCanBeLeftOut) {
    TestFile f;
    SchemaElement iv = Leaf("iv", Type::kFixedLenByteArray, R::kOptional);
    iv.type_length = 12;
    iv.converted_type = ConvertedType::kInterval;
    f.schema = {Root(3), Leaf("a", Type::kInt32, R::kRequired), Group("g", 1, R::kOptional), iv,
                Leaf("b", Type::kInt64, R::kOptional)};
    f.paths = {{"a"}, {"g", "iv"}, {"b"}};
    f.types = {Type::kInt32, Type::kFixedLenByteArray, Type::kInt64};
    f.max_def = {0, 2, 1};
    f.max_rep = {0, 0, 0};
    f.rows = {2, 1};
    TestChunk a{.pages = {TestPage{.values = Plain<int32_t>({1, 2}), .num_values = 2}}};
    TestChunk g{.pages = {TestPage{.def = {0, 1}, .values = ""}}};
    TestChunk b{.pages = {TestPage{.def = {1, 1}, .values = Plain<int64_t>({10, 20})}},
                .statistics = IntStats(10, 20, 0)};
    TestChunk a2{.pages = {TestPage{.values = Plain<int32_t>({3}), .num_values = 1}}};
    TestChunk g2{.pages = {TestPage{.def = {0}, .values = ""}}};
    TestChunk b2{.pages = {TestPage{.def = {1}, .values = Plain<int64_t>({30})}},
                 .statistics = IntStats(30, 30, 0)};
    f.groups = {{a, g, b}, {a2, g2, b2}};
    const std::string bytes = BuildFile(f);
    EXPECT_EQ(ReadAll(bytes).status().code(), StatusCode::kUnimplemented);

    ParquetReaderOptions o;
    o.skip_unsupported_columns = true;
    o.predicates = {{"b", ParquetPredicate::Op::kGe, int64_t{25}}};
    std::unique_ptr<ParquetReader> reader;
    Result<std::vector<std::string>> rows = ReadAll(bytes, o, &reader);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    EXPECT_THAT(*rows, ElementsAre(R"({"a":3,"b":30})"));
    ASSERT_EQ(reader->unsupported_columns().size(), 1u);
    EXPECT_EQ(reader->unsupported_columns()[0].first, "g");
    EXPECT_EQ(reader->chunk(1, 1).meta_data->path_in_schema, std::vector<std::string>{"b"});
    o.columns = std::vector<std::string>{"g.iv"};
    EXPECT_THAT(ReadAll(bytes, o).status().message(), HasSubstr("column 'g.iv' cannot be read"));
}

}  // namespace
}  // namespace tarn::format
