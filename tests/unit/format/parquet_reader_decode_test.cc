// The reader's decoders against hand-made inputs: RLE/bit-packed runs, value decoders and their
// conversions, page-level errors.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "columnar/columnar.h"
#include "format/parquet_rle_decoder.h"
#include "format/parquet_schema.h"
#include "format/parquet_value_decoder.h"
#include "format/rle_bit_packing.h"
#include "parquet_reader_test_util.h"

namespace tarn::format {
namespace {

using namespace testutil;  // NOLINT
using columnar::ColumnVector;
using ::testing::HasSubstr;
using K = LogicalType::Kind;

TEST(RleDecoderTest, MatchesTheEncoderAtEveryWidth) {
    std::mt19937_64 rng(7);
    for (int width = 0; width <= 32; ++width) {
        const uint64_t mask = width == 32 ? 0xFFFFFFFFu : (uint64_t{1} << width) - 1;
        std::vector<uint32_t> values;
        while (values.size() < 3000) {
            // Alternate long runs and noise so both run kinds appear.
            const uint32_t v = static_cast<uint32_t>(rng() & mask);
            const size_t run = rng() % 3 == 0 ? rng() % 100 : 1;
            for (size_t i = 0; i < run; ++i) {
                values.push_back(run == 1 ? static_cast<uint32_t>(rng() & mask) : v);
            }
        }
        const std::string runs = Runs(values, width);
        RleDecoder dec;
        dec.Reset(runs, width);
        std::vector<uint32_t> out(values.size());
        size_t done = 0;
        while (done < values.size()) {
            const size_t n = std::min<size_t>(values.size() - done, 1 + rng() % 77);
            ASSERT_TRUE(dec.Get<uint32_t>(out.data() + done, n).ok());
            done += n;
        }
        EXPECT_EQ(out, values) << "width " << width;
        if (width <= 16) {
            dec.Reset(runs, width);
            std::vector<uint16_t> small(values.size());
            ASSERT_TRUE(dec.Get<uint16_t>(small.data(), small.size()).ok());
            for (size_t i = 0; i < values.size(); ++i) ASSERT_EQ(small[i], values[i]);
        }
    }
}

TEST(RleDecoderTest, GetConstantSeesRleRunsOnly) {
    const std::string runs =
        Runs(std::vector<uint32_t>(100, 3), 2) + Runs({0, 1, 2, 3, 0, 1, 2, 3}, 2);
    RleDecoder dec;
    dec.Reset(runs, 2);
    uint32_t v = 0;
    ASSERT_TRUE(*dec.GetConstant(60, &v));
    EXPECT_EQ(v, 3u);
    EXPECT_FALSE(*dec.GetConstant(41, &v));  // only 40 left in the run
    ASSERT_TRUE(*dec.GetConstant(40, &v));
    EXPECT_FALSE(*dec.GetConstant(1, &v));  // a bit-packed run
    std::vector<uint16_t> out(8);
    ASSERT_TRUE(dec.Get<uint16_t>(out.data(), 8).ok());
    EXPECT_THAT(out, ::testing::ElementsAre(0, 1, 2, 3, 0, 1, 2, 3));
}

TEST(RleDecoderTest, ShortFinalBitPackedRunAndErrors) {
    // Header: 2 groups bit-packed at width 3 (6 bytes), but only 2 bytes follow: 5 values.
    std::string data = {static_cast<char>((2 << 1) | 1), static_cast<char>(0b10001000),
                        static_cast<char>(0b11000110)};
    RleDecoder dec;
    dec.Reset(data, 3);
    std::vector<uint32_t> out(5);
    ASSERT_TRUE(dec.Get<uint32_t>(out.data(), 5).ok());
    EXPECT_THAT(out, ::testing::ElementsAre(0, 1, 2, 3, 4));
    Status s = dec.Get<uint32_t>(out.data(), 1);
    EXPECT_EQ(s.code(), StatusCode::kCorruption);

    dec.Reset("", 1);
    EXPECT_THAT(dec.Get<uint32_t>(out.data(), 1).message(), HasSubstr("ends at byte 0"));
    // An RLE run whose value does not fit the width.
    const std::string wide = {static_cast<char>(4 << 1), static_cast<char>(9)};
    dec.Reset(wide, 3);
    EXPECT_THAT(dec.Get<uint32_t>(out.data(), 1).message(), HasSubstr("exceeds bit width"));
    // Empty runs are skipped, however many.
    std::string empty(10000, '\0');
    empty += Runs({1, 1, 1, 1, 1, 1, 1, 1, 1}, 1);
    dec.Reset(empty, 1);
    ASSERT_TRUE(dec.Get<uint32_t>(out.data(), 5).ok());
    EXPECT_EQ(out[4], 1u);
}

// The leaf column of a one-field schema.
ParquetColumn Column(SchemaElement leaf) {
    Result<ParquetSchema> s = FromParquetSchema({Root(1), std::move(leaf)});
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s->columns[0];
}

Status DecodePage(const ParquetColumn& col, Encoding enc, const std::string& page, size_t n,
                  ColumnVector* out) {
    ValueDecoder dec(col, "ctx");
    TARN_RETURN_IF_ERROR(dec.StartPage(enc, page, n));
    out->Resize(n);
    return dec.Decode(n, out, 0);
}

TEST(ValueDecoderTest, PlainTruncatedValuesAreCorruption) {
    const ParquetColumn i64 = Column(Leaf("x", Type::kInt64, R::kRequired));
    ColumnVector v(i64.type);
    Status s = DecodePage(i64, Encoding::kPlain, Plain<int64_t>({1, 2}) + "abc", 3, &v);
    EXPECT_EQ(s.code(), StatusCode::kCorruption);
    EXPECT_THAT(s.message(), HasSubstr("ctx: PLAIN values end early"));

    const ParquetColumn str =
        Column(Leaf("s", Type::kByteArray, R::kRequired, LogicalType::Of(K::kString)));
    ColumnVector sv(str.type);
    std::string page = PlainBytes({"ok"});
    page += std::string("\xff\xff\x00\x00", 4) + "x";  // claims 65535 bytes
    s = DecodePage(str, Encoding::kPlain, page, 2, &sv);
    EXPECT_THAT(s.message(), HasSubstr("runs past the page"));
}

// Found by fuzz/parquet_reader_fuzzer (corpus crash-plain-byte-array-arena-overflow.parquet): the
// string arena is sized for n values with a 4-byte prefix each, so a value that fits the page but
// eats the room of the later prefixes used to be copied past the arena before the error.
TEST(ValueDecoderTest, PlainByteArrayValueMustLeaveRoomForLaterPrefixes) {
    const ParquetColumn str =
        Column(Leaf("s", Type::kByteArray, R::kRequired, LogicalType::Of(K::kString)));
    ColumnVector sv(str.type);
    std::string page = PlainBytes({"ok"});
    page += std::string("\xc8\x00\x00\x00", 4) + std::string(200, 'x');  // 200 bytes
    ASSERT_EQ(page.size(), 210u);  // room for 52 prefixes, so 52 values pass the first check
    Status s = DecodePage(str, Encoding::kPlain, page, 52, &sv);
    EXPECT_EQ(s.code(), StatusCode::kCorruption);
    EXPECT_THAT(s.message(), HasSubstr("runs past the page"));
}

TEST(ValueDecoderTest, InvalidUtf8AndOutOfRangeDecimals) {
    const ParquetColumn str =
        Column(Leaf("s", Type::kByteArray, R::kRequired, LogicalType::Of(K::kString)));
    ColumnVector sv(str.type);
    for (const char* bad : {"\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "a\xe2\x82"}) {
        sv.Reset();
        Status s = DecodePage(str, Encoding::kPlain, PlainBytes({"fine", bad}), 2, &sv);
        EXPECT_THAT(s.message(), HasSubstr("not valid UTF-8")) << bad;
    }
    sv.Reset();
    EXPECT_TRUE(
        DecodePage(str, Encoding::kPlain, PlainBytes({"\xc3\xa9", "\xf0\x9f\x98\x80"}), 2, &sv)
            .ok());
    const ParquetColumn bin = Column(Leaf("b", Type::kByteArray, R::kRequired));
    ColumnVector bv(bin.type);
    EXPECT_TRUE(DecodePage(bin, Encoding::kPlain, PlainBytes({"\xc0\x80"}), 1, &bv).ok());

    const ParquetColumn dec =
        Column(Leaf("d", Type::kInt32, R::kRequired, LogicalType::Decimal(2, 4)));
    ColumnVector dv(dec.type);
    EXPECT_TRUE(DecodePage(dec, Encoding::kPlain, Plain<int32_t>({9999, -9999}), 2, &dv).ok());
    dv.Reset();
    EXPECT_THAT(DecodePage(dec, Encoding::kPlain, Plain<int32_t>({10000}), 1, &dv).message(),
                HasSubstr("does not fit DECIMAL(4, 2)"));
}

TEST(ValueDecoderTest, DictionaryErrors) {
    const ParquetColumn i32 = Column(Leaf("x", Type::kInt32, R::kRequired));
    ValueDecoder dec(i32, "ctx");
    EXPECT_THAT(dec.StartPage(Encoding::kRleDictionary, Indices({0}, 1), 1).message(),
                HasSubstr("without a dictionary page"));
    EXPECT_THAT(dec.SetDictionary(Encoding::kPlain, Plain<int32_t>({1}), 1000000).message(),
                HasSubstr("dictionary of 1000000 values in a page of 4 bytes"));
    ASSERT_TRUE(dec.SetDictionary(Encoding::kPlain, Plain<int32_t>({1, 2}), 2).ok());
    const std::string indices = Indices({0, 1, 3}, 2);
    ASSERT_TRUE(dec.StartPage(Encoding::kRleDictionary, indices, 3).ok());
    ColumnVector v(i32.type);
    v.Resize(3);
    EXPECT_THAT(dec.Decode(3, &v, 0).message(),
                HasSubstr("dictionary index 3 is out of range (the dictionary has 2 values)"));
    EXPECT_THAT(dec.StartPage(Encoding::kRleDictionary, std::string(1, '\x21'), 1).message(),
                HasSubstr("bit width 33"));
}

TEST(ValueDecoderTest, UnsupportedAndMalformedEncodings) {
    const ParquetColumn str = Column(Leaf("s", Type::kByteArray, R::kRequired));
    ValueDecoder dec(str, "ctx");
    EXPECT_EQ(dec.StartPage(Encoding::kDeltaBinaryPacked, "", 0).code(),
              StatusCode::kUnimplemented);
    EXPECT_EQ(dec.StartPage(static_cast<Encoding>(42), "", 0).code(), StatusCode::kUnimplemented);
    const ParquetColumn dbl = Column(Leaf("d", Type::kDouble, R::kRequired));
    ValueDecoder d2(dbl, "ctx");
    EXPECT_THAT(d2.StartPage(Encoding::kByteStreamSplit, "1234567", 1).message(),
                HasSubstr("not a whole number of 8-byte values"));
    // DELTA_LENGTH_BYTE_ARRAY lengths that add up to more than the page holds.
    ValueDecoder d3(str, "ctx");
    EXPECT_THAT(
        d3.StartPage(Encoding::kDeltaLengthByteArray, Delta<int32_t>({5, 5}) + "abc", 2).message(),
        HasSubstr("add up to 10 bytes, the page holds 3"));
    // DELTA_BYTE_ARRAY sharing more than the previous value has.
    ValueDecoder d4(str, "ctx");
    const std::string page = Delta<int32_t>({0, 9}) + Delta<int32_t>({1, 1}) + "ab";
    ASSERT_TRUE(d4.StartPage(Encoding::kDeltaByteArray, page, 2).ok());
    ColumnVector v(str.type);
    v.Resize(2);
    EXPECT_THAT(d4.Decode(2, &v, 0).message(), HasSubstr("shares 9 bytes"));
}

TEST(ValueDecoderTest, Float16AndTimeConversions) {
    SchemaElement half = Leaf("h", Type::kFixedLenByteArray, R::kRequired);
    half.type_length = 2;
    half.logical_type = LogicalType{.kind = static_cast<K>(15)};
    const ParquetColumn h = Column(half);
    ColumnVector v(h.type);
    ASSERT_TRUE(DecodePage(h, Encoding::kPlain,
                           Plain<uint16_t>({0x3C00, 0xC000, 0x7C00, 0x0001, 0x8000}), 5, &v)
                    .ok());
    EXPECT_EQ(v.Value<float>(0), 1.0f);
    EXPECT_EQ(v.Value<float>(1), -2.0f);
    EXPECT_TRUE(std::isinf(v.Value<float>(2)));
    EXPECT_FLOAT_EQ(v.Value<float>(3), 5.9604645e-08f);
    EXPECT_TRUE(std::signbit(v.Value<float>(4)));

    const ParquetColumn t =
        Column(Leaf("t", Type::kInt32, R::kRequired, LogicalType::Time(false, TimeUnit::kMillis)));
    ColumnVector tv(t.type);
    ASSERT_TRUE(DecodePage(t, Encoding::kPlain, Plain<int32_t>({86399999}), 1, &tv).ok());
    EXPECT_EQ(tv.Value<int64_t>(0), int64_t{86399999000});

    const ParquetColumn ms = Column(
        Leaf("m", Type::kInt64, R::kRequired, LogicalType::Timestamp(false, TimeUnit::kMillis)));
    ColumnVector mv(ms.type);
    EXPECT_THAT(
        DecodePage(ms, Encoding::kPlain, Plain<int64_t>({INT64_MAX / 10}), 1, &mv).message(),
        HasSubstr("overflows"));
}

}  // namespace
}  // namespace tarn::format
