#include "format/thrift_compact.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <variant>
#include <vector>

namespace tarn::format {
namespace {

using ::testing::HasSubstr;

std::string Bytes(std::initializer_list<int> bytes) {
    std::string s;
    for (int b : bytes) s.push_back(static_cast<char>(b));
    return s;
}

// ---- Writer: hand-computed vectors from the spec ----

TEST(ThriftCompactWriterTest, SingleI32Field) {
    std::string out;
    ThriftCompactWriter w(&out);
    w.StructBegin();
    w.I32Field(1, 1);
    w.StructEnd();
    EXPECT_EQ(out, Bytes({0x15, 0x02, 0x00}));
}

TEST(ThriftCompactWriterTest, LongFormFieldIds) {
    std::string out;
    ThriftCompactWriter w(&out);
    w.StructBegin();
    w.I32Field(1, 1);
    w.I64Field(100, -1);  // delta 99: long form, id zigzag(100) = 200 = 0xC8 0x01
    w.I32Field(3, 0);     // going back: long form, zigzag(3) = 6
    w.I32Field(18, 0);    // delta 15: still short
    w.StructEnd();
    EXPECT_EQ(out, Bytes({0x15, 0x02, 0x06, 0xC8, 0x01, 0x01, 0x05, 0x06, 0x00, 0xF5, 0x00, 0x00}));
}

TEST(ThriftCompactWriterTest, BoolFieldsFoldIntoHeader) {
    std::string out;
    ThriftCompactWriter w(&out);
    w.StructBegin();
    w.BoolField(1, true);
    w.BoolField(2, false);
    w.BoolField(40, true);  // long form: 0x01 then zigzag(40) = 80
    w.StructEnd();
    EXPECT_EQ(out, Bytes({0x11, 0x12, 0x01, 0x50, 0x00}));
}

TEST(ThriftCompactWriterTest, ListOfThreeI32) {
    std::string out;
    ThriftCompactWriter w(&out);
    w.StructBegin();
    w.FieldBegin(1, ThriftType::kList);
    w.ListBegin(ThriftType::kI32, 3);
    w.I32(1);
    w.I32(2);
    w.I32(-3);
    w.StructEnd();
    EXPECT_EQ(out, Bytes({0x19, 0x35, 0x02, 0x04, 0x05, 0x00}));
}

TEST(ThriftCompactWriterTest, ListOfTwentyStringsUsesLongSize) {
    std::string out;
    ThriftCompactWriter w(&out);
    w.StructBegin();
    w.FieldBegin(1, ThriftType::kList);
    w.ListBegin(ThriftType::kBinary, 20);
    for (int i = 0; i < 20; ++i) w.Binary("x");
    w.StructEnd();
    std::string expected = Bytes({0x19, 0xF8, 0x14});
    for (int i = 0; i < 20; ++i) expected += Bytes({0x01, 'x'});
    expected += Bytes({0x00});
    EXPECT_EQ(out, expected);
}

TEST(ThriftCompactWriterTest, ListSizeFourteenIsShortFifteenIsLong) {
    std::string out;
    ThriftCompactWriter w(&out);
    w.ListBegin(ThriftType::kI8, 14);
    w.ListBegin(ThriftType::kI8, 15);
    w.ListBegin(ThriftType::kBoolFalse, 0);
    EXPECT_EQ(out, Bytes({0xE3, 0xF3, 0x0F, 0x01}));
}

TEST(ThriftCompactWriterTest, I64ZigZag) {
    struct Case {
        int64_t v;
        std::string bytes;
    };
    const int64_t kMin = std::numeric_limits<int64_t>::min();
    const int64_t kMax = std::numeric_limits<int64_t>::max();
    const std::vector<Case> cases = {
        {0, Bytes({0x00})},
        {-1, Bytes({0x01})},
        {1, Bytes({0x02})},
        {-64, Bytes({0x7F})},
        {64, Bytes({0x80, 0x01})},
        {-12345, Bytes({0xF1, 0xC0, 0x01})},  // zigzag 24689
        {kMax, Bytes({0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01})},
        {kMin, Bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01})},
    };
    for (const Case& c : cases) {
        std::string out;
        ThriftCompactWriter(&out).I64(c.v);
        EXPECT_EQ(out, c.bytes) << c.v;
        ThriftCompactReader r(out);
        auto v = r.ReadI64();
        ASSERT_TRUE(v.ok()) << v.status().ToString();
        EXPECT_EQ(*v, c.v);
        EXPECT_EQ(r.remaining(), 0u);
    }
}

TEST(ThriftCompactWriterTest, DoubleIsLittleEndian) {
    std::string out;
    ThriftCompactWriter w(&out);
    w.StructBegin();
    w.FieldBegin(1, ThriftType::kDouble);
    w.Double(1.0);  // 0x3FF0000000000000
    w.StructEnd();
    EXPECT_EQ(out, Bytes({0x17, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x00}));
}

TEST(ThriftCompactWriterTest, NestedStructResetsLastFieldId) {
    std::string out;
    ThriftCompactWriter w(&out);
    w.StructBegin();
    w.I32Field(1, 1);
    w.FieldBegin(2, ThriftType::kStruct);
    w.StructBegin();
    w.I32Field(1, 2);  // delta from 0, not from 2
    w.StructEnd();
    w.I32Field(3, 3);  // delta from 2
    w.StructEnd();
    EXPECT_EQ(out, Bytes({0x15, 0x02, 0x1C, 0x15, 0x04, 0x00, 0x15, 0x06, 0x00}));
}

TEST(ThriftCompactWriterTest, Maps) {
    std::string out;
    ThriftCompactWriter w(&out);
    w.StructBegin();
    w.FieldBegin(1, ThriftType::kMap);
    w.MapBegin(ThriftType::kBinary, ThriftType::kI32, 1);
    w.Binary("a");
    w.I32(1);
    w.FieldBegin(2, ThriftType::kMap);
    w.MapBegin(ThriftType::kBinary, ThriftType::kI32, 0);
    w.StructEnd();
    EXPECT_EQ(out, Bytes({0x1B, 0x01, 0x85, 0x01, 'a', 0x02, 0x1B, 0x00, 0x00}));
}

// ---- Reader on the same vectors ----

TEST(ThriftCompactReaderTest, ReadsFieldsAndNesting) {
    const std::string in =
        Bytes({0x15, 0x02, 0x2C, 0x11, 0x06, 0xC8, 0x01, 0x01, 0x00, 0x15, 0x06, 0x00});
    ThriftCompactReader r(in);
    ASSERT_TRUE(r.StructBegin().ok());
    auto f = r.ReadFieldHeader();
    ASSERT_TRUE(f.ok());
    EXPECT_EQ(f->id, 1);
    EXPECT_EQ(f->type, ThriftType::kI32);
    EXPECT_EQ(*r.ReadI32(), 1);
    f = r.ReadFieldHeader();
    EXPECT_EQ(f->id, 3);
    EXPECT_EQ(f->type, ThriftType::kStruct);
    ASSERT_TRUE(r.StructBegin().ok());
    f = r.ReadFieldHeader();
    EXPECT_EQ(f->id, 1);
    EXPECT_EQ(f->type, ThriftType::kBoolTrue);
    EXPECT_EQ(*r.ReadBool(), true);
    f = r.ReadFieldHeader();
    EXPECT_EQ(f->id, 100);
    EXPECT_EQ(f->type, ThriftType::kI64);
    EXPECT_EQ(*r.ReadI64(), -1);
    f = r.ReadFieldHeader();
    EXPECT_EQ(f->type, ThriftType::kStop);
    r.StructEnd();
    f = r.ReadFieldHeader();
    EXPECT_EQ(f->id, 4);  // delta 1 from the outer struct's last id 3
    EXPECT_EQ(*r.ReadI32(), 3);
    EXPECT_EQ(r.ReadFieldHeader()->type, ThriftType::kStop);
    r.StructEnd();
    EXPECT_EQ(r.remaining(), 0u);
    EXPECT_EQ(r.depth(), 0);
}

TEST(ThriftCompactReaderTest, BoolFieldFalseAndBoolElements) {
    const std::string in = Bytes({0x12, 0x19, 0x31, 0x01, 0x02, 0x00, 0x00});
    ThriftCompactReader r(in);
    ASSERT_TRUE(r.StructBegin().ok());
    auto f = r.ReadFieldHeader();
    EXPECT_EQ(f->type, ThriftType::kBoolFalse);
    EXPECT_EQ(*r.ReadBool(), false);
    f = r.ReadFieldHeader();
    EXPECT_EQ(f->type, ThriftType::kList);
    auto h = r.ReadListHeader();
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h->size, 3u);
    EXPECT_EQ(h->elem_type, ThriftType::kBoolTrue);
    EXPECT_EQ(*r.ReadBool(), true);
    EXPECT_EQ(*r.ReadBool(), false);
    EXPECT_EQ(*r.ReadBool(), false);  // 0, the spec's false
    EXPECT_EQ(r.ReadFieldHeader()->type, ThriftType::kStop);
}

TEST(ThriftCompactReaderTest, LongListAndMapHeaders) {
    std::string in = Bytes({0xF8, 0x14});
    for (int i = 0; i < 20; ++i) in += Bytes({0x01, 'a' + i});
    in += Bytes({0x01, 0x85, 0x01, 'k', 0x02, 0x00});
    ThriftCompactReader r(in);
    auto h = r.ReadListHeader();
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    EXPECT_EQ(h->size, 20u);
    EXPECT_EQ(h->elem_type, ThriftType::kBinary);
    for (int i = 0; i < 20; ++i) EXPECT_EQ(*r.ReadBinary(), std::string(1, 'a' + i));
    auto m = r.ReadMapHeader();
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    EXPECT_EQ(m->size, 1u);
    EXPECT_EQ(m->key_type, ThriftType::kBinary);
    EXPECT_EQ(m->value_type, ThriftType::kI32);
    EXPECT_EQ(*r.ReadBinary(), "k");
    EXPECT_EQ(*r.ReadI32(), 1);
    m = r.ReadMapHeader();
    EXPECT_EQ(m->size, 0u);
    EXPECT_EQ(r.remaining(), 0u);
}

// ---- Round trips ----

using Value = std::variant<bool, int8_t, int16_t, int32_t, int64_t, double, std::string>;

TEST(ThriftCompactRoundTripTest, RandomFields) {
    std::mt19937_64 rng(42);
    for (int iter = 0; iter < 200; ++iter) {
        std::vector<std::pair<int16_t, Value>> fields;
        int id = static_cast<int>(rng() % 3);
        const int n = static_cast<int>(rng() % 40);
        for (int i = 0; i < n; ++i) {
            id +=
                (rng() % 4 == 0) ? static_cast<int>(rng() % 1000) : 1 + static_cast<int>(rng() % 3);
            if (id > 32767) break;
            const int bits = static_cast<int>(rng() % 64);
            const auto r64 = static_cast<int64_t>(rng()) >> bits;
            switch (rng() % 7) {
                case 0:
                    fields.emplace_back(id, Value(rng() % 2 == 0));
                    break;
                case 1:
                    fields.emplace_back(id, Value(static_cast<int8_t>(r64)));
                    break;
                case 2:
                    fields.emplace_back(id, Value(static_cast<int16_t>(r64)));
                    break;
                case 3:
                    fields.emplace_back(id, Value(static_cast<int32_t>(r64)));
                    break;
                case 4:
                    fields.emplace_back(id, Value(r64));
                    break;
                case 5:
                    fields.emplace_back(id, Value(static_cast<double>(r64) / 7.0));
                    break;
                default:
                    fields.emplace_back(id, Value(std::string(rng() % 300, 'z')));
                    break;
            }
        }
        std::string out;
        ThriftCompactWriter w(&out);
        w.StructBegin();
        for (const auto& [fid, v] : fields) {
            std::visit(
                [&, fid = fid](const auto& x) {
                    using T = std::decay_t<decltype(x)>;
                    if constexpr (std::is_same_v<T, bool>) {
                        w.BoolField(fid, x);
                    } else if constexpr (std::is_same_v<T, int8_t>) {
                        w.FieldBegin(fid, ThriftType::kI8);
                        w.I8(x);
                    } else if constexpr (std::is_same_v<T, int16_t>) {
                        w.FieldBegin(fid, ThriftType::kI16);
                        w.I16(x);
                    } else if constexpr (std::is_same_v<T, int32_t>) {
                        w.I32Field(fid, x);
                    } else if constexpr (std::is_same_v<T, int64_t>) {
                        w.I64Field(fid, x);
                    } else if constexpr (std::is_same_v<T, double>) {
                        w.FieldBegin(fid, ThriftType::kDouble);
                        w.Double(x);
                    } else {
                        w.BinaryField(fid, x);
                    }
                },
                v);
        }
        w.StructEnd();

        ThriftCompactReader r(out);
        ASSERT_TRUE(r.StructBegin().ok());
        for (const auto& [fid, v] : fields) {
            auto f = r.ReadFieldHeader();
            ASSERT_TRUE(f.ok()) << f.status().ToString();
            ASSERT_EQ(f->id, fid);
            Value got;
            switch (f->type) {
                case ThriftType::kBoolTrue:
                case ThriftType::kBoolFalse:
                    got = *r.ReadBool();
                    break;
                case ThriftType::kI8:
                    got = *r.ReadI8();
                    break;
                case ThriftType::kI16:
                    got = *r.ReadI16();
                    break;
                case ThriftType::kI32:
                    got = *r.ReadI32();
                    break;
                case ThriftType::kI64:
                    got = *r.ReadI64();
                    break;
                case ThriftType::kDouble:
                    got = *r.ReadDouble();
                    break;
                case ThriftType::kBinary:
                    got = std::string(*r.ReadBinary());
                    break;
                default:
                    FAIL() << "unexpected type";
            }
            EXPECT_EQ(got, v) << "field " << fid;
        }
        EXPECT_EQ(r.ReadFieldHeader()->type, ThriftType::kStop);
        r.StructEnd();
        EXPECT_EQ(r.remaining(), 0u);
    }
}

// ---- Skip ----

// A struct with one field of every type, then field 99 (i32 = 7) as a sentinel.
std::string EveryTypeStruct() {
    std::string out;
    ThriftCompactWriter w(&out);
    w.StructBegin();
    w.BoolField(1, true);
    w.BoolField(2, false);
    w.FieldBegin(3, ThriftType::kI8);
    w.I8(-5);
    w.FieldBegin(4, ThriftType::kI16);
    w.I16(-300);
    w.I32Field(5, 123456);
    w.I64Field(6, std::numeric_limits<int64_t>::min());
    w.FieldBegin(7, ThriftType::kDouble);
    w.Double(-2.5);
    w.BinaryField(8, "hello");
    w.FieldBegin(9, ThriftType::kList);
    w.ListBegin(ThriftType::kBoolTrue, 3);
    w.Bool(true);
    w.Bool(false);
    w.Bool(true);
    w.FieldBegin(10, ThriftType::kSet);
    w.SetBegin(ThriftType::kStruct, 2);
    for (int i = 0; i < 2; ++i) {
        w.StructBegin();
        w.BoolField(1, i == 0);
        w.BinaryField(2, "s");
        w.StructEnd();
    }
    w.FieldBegin(11, ThriftType::kMap);
    w.MapBegin(ThriftType::kI32, ThriftType::kList, 1);
    w.I32(1);
    w.ListBegin(ThriftType::kDouble, 1);
    w.Double(0.5);
    w.FieldBegin(12, ThriftType::kStruct);
    w.StructBegin();
    w.FieldBegin(1, ThriftType::kStruct);
    w.StructBegin();
    w.I64Field(300, 1);
    w.StructEnd();
    w.StructEnd();
    w.FieldBegin(13, ThriftType::kUuid);
    out.append(16, '\x42');
    w.I32Field(99, 7);
    w.StructEnd();
    return out;
}

TEST(ThriftCompactSkipTest, SkipsEveryType) {
    const std::string in = EveryTypeStruct();
    ThriftCompactReader r(in);
    ASSERT_TRUE(r.StructBegin().ok());
    int skipped = 0;
    for (;;) {
        auto f = r.ReadFieldHeader();
        ASSERT_TRUE(f.ok()) << f.status().ToString();
        if (f->type == ThriftType::kStop) break;
        if (f->id == 99) {
            EXPECT_EQ(*r.ReadI32(), 7);
            continue;
        }
        EXPECT_EQ(f->id, skipped + 1);
        Status s = r.Skip(f->type);
        ASSERT_TRUE(s.ok()) << s.ToString();
        ++skipped;
    }
    r.StructEnd();
    EXPECT_EQ(skipped, 13);
    EXPECT_EQ(r.remaining(), 0u);
    EXPECT_EQ(r.depth(), 0);
}

TEST(ThriftCompactSkipTest, SkipWholeStruct) {
    const std::string in = EveryTypeStruct();
    ThriftCompactReader r(in);
    ASSERT_TRUE(r.Skip(ThriftType::kStruct).ok());
    EXPECT_EQ(r.remaining(), 0u);
}

TEST(ThriftCompactSkipTest, EveryTruncationIsCorruption) {
    const std::string in = EveryTypeStruct();
    for (size_t len = 0; len < in.size(); ++len) {
        ThriftCompactReader r(std::string_view(in).substr(0, len));
        Status s = r.Skip(ThriftType::kStruct);
        ASSERT_EQ(s.code(), StatusCode::kCorruption) << len;
        EXPECT_THAT(s.message(), HasSubstr("at byte ")) << len;
    }
}

// ---- Corruption ----

Status ReadFirstI64Field(const std::string& in) {
    ThriftCompactReader r(in);
    TARN_RETURN_IF_ERROR(r.StructBegin());
    TARN_ASSIGN_OR_RETURN(ThriftFieldHeader f, r.ReadFieldHeader());
    (void)f;
    return r.ReadI64().status();
}

TEST(ThriftCompactCorruptionTest, TruncatedVarint) {
    Status s = ReadFirstI64Field(Bytes({0x16, 0x80, 0x80}));
    EXPECT_EQ(s.code(), StatusCode::kCorruption);
    EXPECT_THAT(s.message(), HasSubstr("truncated varint"));
    EXPECT_THAT(s.message(), HasSubstr("at byte 1"));
}

TEST(ThriftCompactCorruptionTest, VarintLongerThanTenBytes) {
    std::string in = Bytes({0x16});
    in.append(10, '\x80');
    in += Bytes({0x01, 0x00});
    Status s = ReadFirstI64Field(in);
    EXPECT_EQ(s.code(), StatusCode::kCorruption);
    EXPECT_THAT(s.message(), HasSubstr("longer than 10 bytes"));
    EXPECT_THAT(s.message(), HasSubstr("at byte 1"));
}

TEST(ThriftCompactCorruptionTest, VarintOverflowingTenthByte) {
    std::string in = Bytes({0x16});
    in.append(9, '\xFF');
    in += Bytes({0x02, 0x00});
    Status s = ReadFirstI64Field(in);
    EXPECT_EQ(s.code(), StatusCode::kCorruption);
    EXPECT_THAT(s.message(), HasSubstr("overflows"));
}

TEST(ThriftCompactCorruptionTest, I32OutOfRange) {
    const std::string r_in = Bytes({0x80, 0x80, 0x80, 0x80, 0x20});
    ThriftCompactReader r(r_in);  // zigzag 2^33
    auto v = r.ReadI32();
    EXPECT_EQ(v.status().code(), StatusCode::kCorruption);
    EXPECT_THAT(v.status().message(), HasSubstr("i32 out of range at byte 0"));
}

TEST(ThriftCompactCorruptionTest, BinaryLengthPastEnd) {
    const std::string r_in = Bytes({0x05, 'a', 'b'});
    ThriftCompactReader r(r_in);
    auto v = r.ReadBinary();
    EXPECT_EQ(v.status().code(), StatusCode::kCorruption);
    EXPECT_THAT(v.status().message(), HasSubstr("binary length 5 past the end at byte 0"));
}

TEST(ThriftCompactCorruptionTest, HugeBinaryLengthDoesNotAllocate) {
    const std::string r_in = Bytes({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F});
    ThriftCompactReader r(r_in);
    EXPECT_EQ(r.ReadBinary().status().code(), StatusCode::kCorruption);
}

TEST(ThriftCompactCorruptionTest, ListSizePastEnd) {
    const std::string r_in = Bytes({0xF5, 0x64, 0x02, 0x02});
    ThriftCompactReader r(r_in);  // 100 i32s, 2 bytes left
    auto h = r.ReadListHeader();
    EXPECT_EQ(h.status().code(), StatusCode::kCorruption);
    EXPECT_THAT(h.status().message(), HasSubstr("list size 100 past the end at byte 1"));

    const std::string short_form_in = Bytes({0x35, 0x02});
    ThriftCompactReader short_form(short_form_in);  // 3 elements, 1 byte left
    EXPECT_EQ(short_form.ReadListHeader().status().code(), StatusCode::kCorruption);

    const std::string map_in = Bytes({0x7F, 0x85});
    ThriftCompactReader map(map_in);
    EXPECT_EQ(map.ReadMapHeader().status().code(), StatusCode::kCorruption);
}

std::string NestedStructs(int depth) {
    std::string out;
    ThriftCompactWriter w(&out);
    for (int i = 0; i < depth; ++i) {
        w.StructBegin();
        if (i + 1 < depth) w.FieldBegin(1, ThriftType::kStruct);
    }
    for (int i = 0; i < depth; ++i) w.StructEnd();
    return out;
}

TEST(ThriftCompactCorruptionTest, DepthLimit) {
    const std::string nested = NestedStructs(kThriftMaxDepth);
    ThriftCompactReader ok(nested);
    Status s = ok.Skip(ThriftType::kStruct);
    EXPECT_TRUE(s.ok()) << s.ToString();

    std::string deep(kThriftMaxDepth + 10, '\x1C');  // field 1: struct, repeatedly
    deep.append(kThriftMaxDepth + 11, '\0');
    ThriftCompactReader r(deep);
    s = r.Skip(ThriftType::kStruct);
    EXPECT_EQ(s.code(), StatusCode::kCorruption);
    EXPECT_THAT(s.message(), HasSubstr("nesting deeper than 64 at byte 64"));

    // Lists of lists count too.
    std::string lists(200, '\x19');
    ThriftCompactReader lr(lists);
    EXPECT_EQ(lr.Skip(ThriftType::kList).code(), StatusCode::kCorruption);
}

TEST(ThriftCompactCorruptionTest, UnknownTypeNibble) {
    const std::string r_in = Bytes({0x15, 0x02, 0x1E, 0x00});
    ThriftCompactReader r(r_in);
    ASSERT_TRUE(r.StructBegin().ok());
    ASSERT_TRUE(r.ReadFieldHeader().ok());
    ASSERT_TRUE(r.ReadI32().ok());
    auto f = r.ReadFieldHeader();
    EXPECT_EQ(f.status().code(), StatusCode::kCorruption);
    EXPECT_THAT(f.status().message(), HasSubstr("unknown field type 14 at byte 2"));

    const std::string list_in = Bytes({0x1F, 0x00});
    ThriftCompactReader list(list_in);
    EXPECT_THAT(list.ReadListHeader().status().message(), HasSubstr("unknown element type 15"));
}

TEST(ThriftCompactCorruptionTest, StopWithDeltaAndFieldIdOverflow) {
    const std::string r_in = Bytes({0x10});
    ThriftCompactReader r(r_in);
    EXPECT_EQ(r.ReadFieldHeader().status().code(), StatusCode::kCorruption);

    // Field 32767 (long form), then delta 1 overflows i16.
    const std::string o_in = Bytes({0x05, 0xFE, 0xFF, 0x03, 0x00, 0x15, 0x00});
    ThriftCompactReader o(o_in);
    ASSERT_TRUE(o.StructBegin().ok());
    auto f = o.ReadFieldHeader();
    ASSERT_TRUE(f.ok()) << f.status().ToString();
    EXPECT_EQ(f->id, 32767);
    ASSERT_TRUE(o.ReadI32().ok());
    EXPECT_EQ(o.ReadFieldHeader().status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace tarn::format
