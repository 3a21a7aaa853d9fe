#include "columnar/column_vector.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace tarn::columnar {
namespace {

bool Aligned(const void* p) { return reinterpret_cast<uintptr_t>(p) % kBufferAlignment == 0; }

// Appends 0, null, 2, null, 4, ... (every odd row null) of T, then checks values and validity.
template <class T>
void CheckFixedWithNulls(const DataType& type, int n) {
    SCOPED_TRACE(type.ToString());
    ColumnVector v(type);
    for (int i = 0; i < n; ++i) {
        if (i % 2 == 1) {
            v.AppendNull();
        } else {
            v.Append<T>(static_cast<T>(i));
        }
    }
    ASSERT_EQ(v.length(), static_cast<size_t>(n));
    EXPECT_FALSE(v.all_valid());
    EXPECT_EQ(v.NullCount(), static_cast<size_t>(n / 2));
    for (int i = 0; i < n; ++i) {
        EXPECT_EQ(v.IsValid(i), i % 2 == 0) << i;
        if (i % 2 == 0) {
            EXPECT_EQ(v.Value<T>(i), static_cast<T>(i)) << i;
        } else {
            EXPECT_EQ(v.Value<T>(i), T{0}) << i;  // AppendNull stores zero
        }
    }
    EXPECT_TRUE(Aligned(v.Data<T>()));
    EXPECT_TRUE(v.Validate().ok()) << v.Validate().ToString();
}

TEST(ColumnVectorTest, EveryFixedWidthTypeWithNulls) {
    CheckFixedWithNulls<int8_t>(DataType::Int8(), 100);
    CheckFixedWithNulls<int16_t>(DataType::Int16(), 100);
    CheckFixedWithNulls<int32_t>(DataType::Int32(), 200);
    CheckFixedWithNulls<int64_t>(DataType::Int64(), 129);
    CheckFixedWithNulls<float>(DataType::Float(), 65);
    CheckFixedWithNulls<double>(DataType::Double(), 64);
    CheckFixedWithNulls<int64_t>(DataType::Decimal(18, 2), 50);
    CheckFixedWithNulls<int128_t>(DataType::Decimal(38, 10), 50);
    CheckFixedWithNulls<int32_t>(DataType::Date(), 70);
    CheckFixedWithNulls<int64_t>(DataType::Timestamp(), 70);
}

TEST(ColumnVectorTest, Booleans) {
    ColumnVector v(DataType::Boolean());
    v.Append<bool>(true);
    v.Append<bool>(false);
    v.AppendNull();
    v.Append<uint8_t>(1);
    ASSERT_EQ(v.length(), 4u);
    EXPECT_TRUE(v.Value<bool>(0));
    EXPECT_FALSE(v.Value<bool>(1));
    EXPECT_TRUE(v.IsNull(2));
    EXPECT_EQ(v.Value<uint8_t>(3), 1);
    EXPECT_TRUE(v.Validate().ok());
    v.MutableData<uint8_t>()[1] = 7;  // not a boolean byte
    const Status s = v.Validate();
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(s.message().find("BOOLEAN value 7 at row 1"), std::string::npos) << s.ToString();
}

TEST(ColumnVectorTest, AllValidNeverMaterializesTheBitmap) {
    ColumnVector v(DataType::Int64());
    for (int64_t i = 0; i < 5000; ++i) v.Append<int64_t>(i * 3);
    EXPECT_TRUE(v.all_valid());
    EXPECT_EQ(v.validity_bits(), nullptr);
    EXPECT_EQ(v.NullCount(), 0u);
    EXPECT_TRUE(v.IsValid(4999));
    v.SetValid(3);  // no-op while all valid
    EXPECT_TRUE(v.all_valid());
    v.SetNull(4097);
    EXPECT_FALSE(v.all_valid());
    ASSERT_NE(v.validity_bits(), nullptr);
    EXPECT_EQ(v.NullCount(), 1u);
    EXPECT_TRUE(v.IsNull(4097));
    EXPECT_TRUE(v.IsValid(4096));
    EXPECT_TRUE(v.IsValid(4098));
    EXPECT_EQ(v.Value<int64_t>(4097), 4097 * 3);  // the value stays
    // Bitmap layout: bit (i % 64) of word i / 64.
    EXPECT_EQ(v.validity_bits()[4097 / 64], ~(uint64_t{1} << (4097 % 64)));
    v.SetValid(4097);
    EXPECT_EQ(v.NullCount(), 0u);
    EXPECT_FALSE(v.all_valid());
    v.CompactValidity();
    EXPECT_TRUE(v.all_valid());
}

TEST(ColumnVectorTest, BulkWriteValidityAndValues) {
    ColumnVector v(DataType::Int32());
    v.Resize(130);
    EXPECT_TRUE(v.all_valid());
    int32_t* data = v.MutableData<int32_t>();
    for (int i = 0; i < 130; ++i) EXPECT_EQ(data[i], 0);  // Resize zero-fills
    for (int i = 0; i < 130; ++i) data[i] = i;
    uint64_t* bits = v.MutableValidityBits();
    bits[0] = 0;             // rows 0..63 null
    bits[1] = ~uint64_t{0};  // rows 64..127 valid
    bits[2] = 0x1;           // row 128 valid, 129 null; bits past 130 are ignored
    bits[2] |= uint64_t{1} << 5;
    EXPECT_EQ(v.NullCount(), 65u);
    EXPECT_TRUE(v.IsNull(0));
    EXPECT_TRUE(v.IsValid(64));
    EXPECT_TRUE(v.IsValid(128));
    EXPECT_TRUE(v.IsNull(129));
    // Growing keeps the bitmap and marks new slots valid.
    v.Resize(200);
    EXPECT_EQ(v.NullCount(), 65u);
    EXPECT_TRUE(v.IsValid(150));
    EXPECT_EQ(v.Value<int32_t>(150), 0);
    // Shrinking drops slots.
    v.Resize(64);
    EXPECT_EQ(v.NullCount(), 64u);
    EXPECT_TRUE(v.Validate().ok());
    v.SetAllValid();
    EXPECT_EQ(v.NullCount(), 0u);
    EXPECT_TRUE(v.IsValid(0));
}

TEST(ColumnVectorTest, NullCountMasksBitsPastLength) {
    ColumnVector v(DataType::Int8());
    for (int i = 0; i < 70; ++i) v.AppendNull();
    EXPECT_EQ(v.NullCount(), 70u);
    v.Resize(3);
    EXPECT_EQ(v.NullCount(), 3u);
    v.Append<int8_t>(5);
    EXPECT_EQ(v.NullCount(), 3u);
    EXPECT_TRUE(v.IsValid(3));
}

TEST(ColumnVectorTest, StringsWithEmptyAndNull) {
    ColumnVector v(DataType::Varchar());
    v.AppendString("hello");
    v.AppendString("");
    v.AppendNull();
    v.AppendString("wörld");
    v.AppendDefault();
    ASSERT_EQ(v.length(), 5u);
    EXPECT_EQ(v.GetString(0), "hello");
    EXPECT_EQ(v.GetString(1), "");
    EXPECT_TRUE(v.IsValid(1));
    EXPECT_TRUE(v.IsNull(2));
    EXPECT_EQ(v.GetString(2), "");
    EXPECT_EQ(v.GetString(3), "wörld");
    EXPECT_TRUE(v.IsValid(4));
    EXPECT_EQ(v.GetString(4), "");
    EXPECT_EQ(v.NullCount(), 1u);
    const uint32_t* off = v.offsets();
    EXPECT_EQ(std::vector<uint32_t>(off, off + 6), (std::vector<uint32_t>{0, 5, 5, 5, 11, 11}));
    EXPECT_EQ(v.string_bytes(), 11u);
    EXPECT_EQ(std::string_view(v.string_data(), v.string_bytes()), "hellowörld");
    EXPECT_TRUE(v.Validate().ok()) << v.Validate().ToString();
}

TEST(ColumnVectorTest, ManyStringsGrowTheArena) {
    ColumnVector v(DataType::Varbinary());
    std::vector<std::string> expected;
    size_t total = 0;
    for (int i = 0; i < 100000; ++i) {
        std::string s(static_cast<size_t>(i % 97), static_cast<char>(i % 256));
        if (i % 13 == 0) s.push_back('\0');  // binary-safe
        total += s.size();
        v.AppendString(s);
        expected.push_back(std::move(s));
    }
    ASSERT_EQ(v.length(), expected.size());
    EXPECT_EQ(v.string_bytes(), total);
    EXPECT_GT(total, 4u << 20);
    const uint32_t* off = v.offsets();
    EXPECT_EQ(off[0], 0u);
    EXPECT_EQ(off[v.length()], total);
    for (size_t i = 0; i < expected.size(); ++i) {
        ASSERT_EQ(v.GetString(i), expected[i]) << i;
        ASSERT_LE(off[i], off[i + 1]);
    }
    EXPECT_TRUE(v.Validate().ok());
}

TEST(ColumnVectorTest, BulkStringDecoding) {
    // The way a Parquet DELTA_LENGTH_BYTE_ARRAY decoder fills a column: sizes then bytes.
    ColumnVector v(DataType::Varchar());
    const std::string bytes = "abcdefghij";
    const uint32_t lengths[] = {3, 0, 7};
    v.Resize(3);
    v.ResizeStringBytes(bytes.size());
    std::memcpy(v.mutable_string_data(), bytes.data(), bytes.size());
    uint32_t* off = v.mutable_offsets();
    for (int i = 0; i < 3; ++i) off[i + 1] = off[i] + lengths[i];
    EXPECT_TRUE(v.Validate().ok()) << v.Validate().ToString();
    EXPECT_EQ(v.GetString(0), "abc");
    EXPECT_EQ(v.GetString(1), "");
    EXPECT_EQ(v.GetString(2), "defghij");
}

TEST(ColumnVectorTest, ValidateRejectsBadStrings) {
    {
        ColumnVector v(DataType::Varchar());
        v.AppendString("ok");
        v.AppendString("\xC3\x28");  // invalid continuation
        const Status s = v.Validate("name");
        EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
        EXPECT_NE(s.message().find("column 'name'"), std::string::npos) << s.ToString();
        EXPECT_NE(s.message().find("row 1 is not valid UTF-8"), std::string::npos);
        v.SetNull(1);  // null slots are not checked
        EXPECT_TRUE(v.Validate().ok());
    }
    for (const char* bad : {"\xC0\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82", "\xFF"}) {
        ColumnVector v(DataType::Varchar());
        v.AppendString(bad);
        EXPECT_FALSE(v.Validate().ok()) << bad;
        ColumnVector b(DataType::Varbinary());  // VARBINARY takes any bytes
        b.AppendString(bad);
        EXPECT_TRUE(b.Validate().ok());
    }
    {
        ColumnVector v(DataType::Varchar());
        v.AppendString("\xF0\x9F\x98\x80 emoji, \xE2\x82\xAC euro, long ascii run......");
        EXPECT_TRUE(v.Validate().ok());
    }
    {
        ColumnVector v(DataType::Varchar());
        v.AppendString("abc");
        v.AppendString("de");
        v.mutable_offsets()[1] = 6;  // offsets 0, 6, 5
        EXPECT_NE(v.Validate().message().find("offsets decrease at row 1"), std::string::npos)
            << v.Validate().ToString();
        v.mutable_offsets()[1] = 3;
        v.mutable_offsets()[2] = 4;
        EXPECT_NE(v.Validate().message().find("last offset 4 != string bytes 5"), std::string::npos)
            << v.Validate().ToString();
        v.mutable_offsets()[2] = 5;
        v.mutable_offsets()[0] = 1;
        EXPECT_NE(v.Validate().message().find("offsets[0] is 1"), std::string::npos);
    }
}

TEST(ColumnVectorTest, DecimalPrecisionIsValidated) {
    ColumnVector d(DataType::Decimal(5, 2));
    d.Append<int64_t>(99999);
    d.Append<int64_t>(-99999);
    EXPECT_TRUE(d.Validate().ok());
    d.Append<int64_t>(100000);
    EXPECT_NE(d.Validate().message().find("row 2 exceeds the precision"), std::string::npos);
    d.SetNull(2);
    EXPECT_TRUE(d.Validate().ok());

    ColumnVector w(DataType::Decimal(38, 0));
    int128_t max38 = 1;
    for (int i = 0; i < 38; ++i) max38 *= 10;
    w.Append<int128_t>(max38 - 1);
    w.Append<int128_t>(-(max38 - 1));
    EXPECT_TRUE(w.Validate().ok());
    w.Append<int128_t>(max38);
    EXPECT_FALSE(w.Validate().ok());
}

TEST(ColumnVectorTest, ResetKeepsCapacity) {
    ColumnVector v(DataType::Varchar());
    for (int i = 0; i < 2048; ++i) {
        if (i % 10 == 0) {
            v.AppendNull();
        } else {
            v.AppendString("some text of a few bytes");
        }
    }
    const char* arena = v.string_data();
    const uint32_t* offsets = v.offsets();
    const uint64_t* bits = v.validity_bits();
    v.Reset();
    EXPECT_EQ(v.length(), 0u);
    EXPECT_TRUE(v.all_valid());
    EXPECT_EQ(v.string_bytes(), 0u);
    EXPECT_EQ(v.offsets()[0], 0u);
    EXPECT_TRUE(v.Validate().ok());
    for (int i = 0; i < 2048; ++i) {
        if (i % 10 == 0) {
            v.AppendNull();
        } else {
            v.AppendString("some text of a few bytes");
        }
    }
    // Same batch shape again: no buffer moved.
    EXPECT_EQ(v.string_data(), arena);
    EXPECT_EQ(v.offsets(), offsets);
    EXPECT_EQ(v.validity_bits(), bits);
    EXPECT_EQ(v.NullCount(), 205u);
    EXPECT_TRUE(v.Validate().ok());

    ColumnVector f(DataType::Double());
    f.Reserve(4000);
    const double* data = f.Data<double>();
    for (int i = 0; i < 4000; ++i) f.Append<double>(i);
    EXPECT_EQ(f.Data<double>(), data);  // Reserve covered it
    f.Reset();
    f.Resize(4000);
    EXPECT_EQ(f.Data<double>(), data);
}

TEST(ColumnVectorTest, ResizeStringsShrinksArena) {
    ColumnVector v(DataType::Varchar());
    v.AppendString("aa");
    v.AppendString("bbb");
    v.Resize(4);
    EXPECT_EQ(v.GetString(2), "");
    EXPECT_EQ(v.GetString(3), "");
    EXPECT_TRUE(v.Validate().ok());
    v.Resize(1);
    EXPECT_EQ(v.string_bytes(), 2u);
    EXPECT_EQ(v.GetString(0), "aa");
    EXPECT_TRUE(v.Validate().ok());
}

TEST(ColumnVectorTest, MoveKeepsContents) {
    ColumnVector v(DataType::Varchar());
    v.AppendString("x");
    v.AppendNull();
    ColumnVector w(std::move(v));
    EXPECT_EQ(w.length(), 2u);
    EXPECT_EQ(w.GetString(0), "x");
    EXPECT_TRUE(w.IsNull(1));
}

}  // namespace
}  // namespace tarn::columnar
