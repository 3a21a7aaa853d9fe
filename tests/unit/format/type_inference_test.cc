#include "format/type_inference.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "common/time_format.h"

namespace tarn::format {
namespace {

using Kind = InferredType::Kind;
using columnar::DataType;

InferredType S(Kind k, bool big = false) { return InferredType::Scalar(k, big); }

Kind Joined(Kind a, Kind b, bool big_a = false) {
    InferredType t = S(a, big_a);
    t.Merge(S(b));
    InferredType u = S(b);
    u.Merge(S(a, big_a));
    EXPECT_EQ(t.kind, u.kind) << "merge is symmetric";
    return t.kind;
}

TEST(TypeInferenceTest, ScalarChainWidens) {
    EXPECT_EQ(Joined(Kind::kNull, Kind::kBoolean), Kind::kBoolean);
    EXPECT_EQ(Joined(Kind::kBoolean, Kind::kBigint), Kind::kBigint);
    EXPECT_EQ(Joined(Kind::kBigint, Kind::kDouble), Kind::kDouble);
    EXPECT_EQ(Joined(Kind::kBoolean, Kind::kDouble), Kind::kDouble);
    EXPECT_EQ(Joined(Kind::kDouble, Kind::kString), Kind::kString);
    EXPECT_EQ(Joined(Kind::kBigint, Kind::kDecimal38), Kind::kDecimal38);
    EXPECT_EQ(Joined(Kind::kBoolean, Kind::kDecimal38), Kind::kDecimal38);
    EXPECT_EQ(Joined(Kind::kNull, Kind::kNull), Kind::kNull);
}

TEST(TypeInferenceTest, BigIntegersNeverBecomeDouble) {
    EXPECT_EQ(Joined(Kind::kBigint, Kind::kDouble, /*big_a=*/true), Kind::kString);
    EXPECT_EQ(Joined(Kind::kDecimal38, Kind::kDouble), Kind::kString);
    // Order does not matter: double first, then a big integer.
    InferredType t = S(Kind::kBigint);
    t.Merge(S(Kind::kDouble));
    EXPECT_EQ(t.kind, Kind::kDouble);
    t.Merge(ClassifyJsonNumber("9007199254740993"));
    EXPECT_EQ(t.kind, Kind::kString);
    // Big stays big through merges with small integers and booleans.
    InferredType b = ClassifyJsonNumber("-9007199254740993");
    EXPECT_TRUE(b.big_integers);
    b.Merge(S(Kind::kBigint));
    b.Merge(S(Kind::kBoolean));
    EXPECT_EQ(b.kind, Kind::kBigint);
    EXPECT_TRUE(b.big_integers);
}

TEST(TypeInferenceTest, DatesAndTimestamps) {
    EXPECT_EQ(Joined(Kind::kDate, Kind::kDate), Kind::kDate);
    EXPECT_EQ(Joined(Kind::kDate, Kind::kTimestamp), Kind::kTimestamp);
    EXPECT_EQ(Joined(Kind::kTimestamp, Kind::kString), Kind::kString);
    EXPECT_EQ(Joined(Kind::kDate, Kind::kBigint), Kind::kString);
    EXPECT_EQ(Joined(Kind::kTimestamp, Kind::kBoolean), Kind::kString);
    EXPECT_EQ(Joined(Kind::kNull, Kind::kDate), Kind::kDate);
}

TEST(TypeInferenceTest, StructsMergeFieldsInFirstSeenOrder) {
    InferredType a = InferredType::Struct({{"x", S(Kind::kBigint)}, {"y", S(Kind::kNull)}});
    const InferredType b = InferredType::Struct(
        {{"z", S(Kind::kBoolean)}, {"x", S(Kind::kDouble)}, {"y", S(Kind::kDate)}});
    a.Merge(b);
    ASSERT_EQ(a.kind, Kind::kStruct);
    ASSERT_EQ(a.fields.size(), 3u);
    EXPECT_EQ(a.fields[0].first, "x");
    EXPECT_EQ(a.fields[0].second.kind, Kind::kDouble);
    EXPECT_EQ(a.fields[1].first, "y");
    EXPECT_EQ(a.fields[1].second.kind, Kind::kDate);
    EXPECT_EQ(a.fields[2].first, "z");
    EXPECT_EQ(a.ToDataType(), DataType::Struct({{"x", DataType::Double()},
                                                {"y", DataType::Date()},
                                                {"z", DataType::Boolean()}}));
}

TEST(TypeInferenceTest, ListsMergeElements) {
    InferredType a = InferredType::List(S(Kind::kNull));  // an empty list
    a.Merge(InferredType::List(S(Kind::kBigint)));
    a.Merge(InferredType::List(S(Kind::kDouble)));
    ASSERT_EQ(a.kind, Kind::kList);
    EXPECT_EQ(a.element.at(0).kind, Kind::kDouble);
    EXPECT_EQ(a.ToDataType(), DataType::List(DataType::Double()));
    InferredType nested = InferredType::List(InferredType::Struct({{"a", S(Kind::kBigint)}}));
    nested.Merge(InferredType::List(InferredType::Struct({{"b", S(Kind::kString)}})));
    EXPECT_EQ(
        nested.ToDataType(),
        DataType::List(DataType::Struct({{"a", DataType::Int64()}, {"b", DataType::Varchar()}})));
}

TEST(TypeInferenceTest, ShapeConflictsBecomeString) {
    InferredType s = InferredType::Struct({{"a", S(Kind::kBigint)}});
    s.Merge(S(Kind::kBigint));
    EXPECT_EQ(s.kind, Kind::kString);
    EXPECT_TRUE(s.fields.empty());
    InferredType l = InferredType::List(S(Kind::kBigint));
    l.Merge(InferredType::Struct({}));
    EXPECT_EQ(l.kind, Kind::kString);
    EXPECT_TRUE(l.element.empty());
    InferredType n = S(Kind::kNull);
    n.Merge(InferredType::List(S(Kind::kBoolean)));
    EXPECT_EQ(n.kind, Kind::kList);
}

TEST(TypeInferenceTest, ToDataTypeAndSchema) {
    EXPECT_EQ(S(Kind::kNull).ToDataType(), DataType::Varchar());
    EXPECT_EQ(S(Kind::kBigint).ToDataType(), DataType::Int64());
    EXPECT_EQ(S(Kind::kDecimal38).ToDataType(), DataType::Decimal(38, 0));
    EXPECT_EQ(S(Kind::kTimestamp).ToDataType(), DataType::Timestamp());
    auto schema = InferredSchema({{"a", S(Kind::kBoolean)}, {"b", S(Kind::kString)}});
    ASSERT_TRUE(schema.ok()) << schema.status().ToString();
    EXPECT_EQ(schema->num_fields(), 2u);
    EXPECT_EQ(schema->field(0).type, DataType::Boolean());
    EXPECT_TRUE(schema->field(0).nullable);
    EXPECT_FALSE(InferredSchema({{"a", S(Kind::kBoolean)}, {"a", S(Kind::kString)}}).ok());
}

TEST(TypeInferenceTest, ClassifiesJsonValues) {
    EXPECT_EQ(ClassifyJsonString("2026-01-31"), Kind::kDate);
    EXPECT_EQ(ClassifyJsonString("2026-01-31T10:00:00Z"), Kind::kTimestamp);
    EXPECT_EQ(ClassifyJsonString("2026-01-31 10:00:00.123456"), Kind::kTimestamp);
    EXPECT_EQ(ClassifyJsonString("2026-02-30"), Kind::kString);
    EXPECT_EQ(ClassifyJsonString("2026-01-31T25:00:00"), Kind::kString);
    EXPECT_EQ(ClassifyJsonString("hello"), Kind::kString);
    EXPECT_EQ(ClassifyJsonString(""), Kind::kString);
    EXPECT_EQ(ClassifyJsonNumber("12").kind, Kind::kBigint);
    EXPECT_FALSE(ClassifyJsonNumber("9007199254740992").big_integers);
    EXPECT_TRUE(ClassifyJsonNumber("9007199254740993").big_integers);
    EXPECT_EQ(ClassifyJsonNumber("9223372036854775807").kind, Kind::kBigint);
    EXPECT_EQ(ClassifyJsonNumber("9223372036854775808").kind, Kind::kDecimal38);
    EXPECT_EQ(ClassifyJsonNumber("-99999999999999999999999999999999999999").kind, Kind::kDecimal38);
    EXPECT_EQ(ClassifyJsonNumber("100000000000000000000000000000000000000").kind,
              Kind::kString);  // 39 digits
    EXPECT_EQ(ClassifyJsonNumber("1.5").kind, Kind::kDouble);
    EXPECT_EQ(ClassifyJsonNumber("1e3").kind, Kind::kDouble);
    EXPECT_EQ(ClassifyJsonNumber("-0").kind, Kind::kBigint);
}

TEST(TypeInferenceTest, ClassifiesCsvFields) {
    EXPECT_EQ(ClassifyCsvField("").kind, Kind::kNull);
    EXPECT_EQ(ClassifyCsvField("TRUE").kind, Kind::kBoolean);
    EXPECT_EQ(ClassifyCsvField("False").kind, Kind::kBoolean);
    EXPECT_EQ(ClassifyCsvField("+42").kind, Kind::kBigint);
    EXPECT_EQ(ClassifyCsvField("-42").kind, Kind::kBigint);
    EXPECT_EQ(ClassifyCsvField("4.2e-1").kind, Kind::kDouble);
    EXPECT_EQ(ClassifyCsvField(".5").kind, Kind::kDouble);
    EXPECT_EQ(ClassifyCsvField("nan").kind, Kind::kString);
    EXPECT_EQ(ClassifyCsvField("inf").kind, Kind::kString);
    EXPECT_EQ(ClassifyCsvField(" 12").kind, Kind::kString);
    EXPECT_EQ(ClassifyCsvField("1.").kind, Kind::kDouble);
    EXPECT_EQ(ClassifyCsvField(".").kind, Kind::kString);
    EXPECT_EQ(ClassifyCsvField("1e").kind, Kind::kString);
    EXPECT_EQ(ClassifyCsvField("2026-01-31").kind, Kind::kDate);
    EXPECT_EQ(ClassifyCsvField("2026-01-31T00:00:00+05:30").kind, Kind::kTimestamp);
}

TEST(TypeInferenceTest, ParsesScalars) {
    bool b = false;
    EXPECT_TRUE(ParseBooleanText("tRuE", &b));
    EXPECT_TRUE(b);
    EXPECT_FALSE(ParseBooleanText("yes", &b));
    int64_t i = 0;
    EXPECT_TRUE(ParseInt64Text("+17", &i));
    EXPECT_EQ(i, 17);
    EXPECT_TRUE(ParseInt64Text("-9223372036854775808", &i));
    EXPECT_EQ(i, INT64_MIN);
    EXPECT_FALSE(ParseInt64Text("9223372036854775808", &i));
    EXPECT_FALSE(ParseInt64Text("+-1", &i));
    EXPECT_FALSE(ParseInt64Text("+", &i));
    EXPECT_FALSE(ParseInt64Text("", &i));
    EXPECT_FALSE(ParseInt64Text("12a", &i));
    EXPECT_FALSE(ParseInt64Text("1.0", &i));
    double d = 0;
    EXPECT_TRUE(ParseDoubleText("0.1", &d));
    EXPECT_EQ(d, 0.1);
    EXPECT_TRUE(ParseDoubleText("+2.5E3", &d));
    EXPECT_EQ(d, 2500.0);
    EXPECT_TRUE(ParseDoubleText("1e-400", &d));  // underflow reads as zero
    EXPECT_EQ(d, 0.0);
    EXPECT_FALSE(ParseDoubleText("1e400", &d));
    EXPECT_FALSE(ParseDoubleText("nan", &d));
    EXPECT_FALSE(ParseDoubleText("0x10", &d));
}

TEST(TypeInferenceTest, ParsesDates) {
    int32_t days = 0;
    EXPECT_TRUE(ParseDateText("1970-01-01", &days));
    EXPECT_EQ(days, 0);
    EXPECT_TRUE(ParseDateText("2024-02-29", &days));
    EXPECT_EQ(days, DaysFromCivil(2024, 2, 29));
    EXPECT_TRUE(ParseDateText("0001-01-01", &days));
    EXPECT_EQ(days, DaysFromCivil(1, 1, 1));
    EXPECT_FALSE(ParseDateText("2023-02-29", &days));
    EXPECT_FALSE(ParseDateText("2023-13-01", &days));
    EXPECT_FALSE(ParseDateText("2023-1-01", &days));
    EXPECT_FALSE(ParseDateText("2023-01-01x", &days));
}

TEST(TypeInferenceTest, ParsesTimestamps) {
    const int64_t base = DaysFromCivil(2026, 1, 2) * 86400LL * 1'000'000;
    int64_t us = 0;
    EXPECT_TRUE(ParseTimestampText("2026-01-02", &us));
    EXPECT_EQ(us, base);
    EXPECT_TRUE(ParseTimestampText("2026-01-02T03:04:05Z", &us));
    EXPECT_EQ(us, base + (3 * 3600 + 4 * 60 + 5) * 1'000'000LL);
    EXPECT_TRUE(ParseTimestampText("2026-01-02 03:04", &us));
    EXPECT_EQ(us, base + (3 * 3600 + 4 * 60) * 1'000'000LL);
    EXPECT_TRUE(ParseTimestampText("2026-01-02T03:04:05.5", &us));
    EXPECT_EQ(us, base + (3 * 3600 + 4 * 60 + 5) * 1'000'000LL + 500'000);
    EXPECT_TRUE(ParseTimestampText("2026-01-02T03:04:05.123456789Z", &us));  // ns truncated
    EXPECT_EQ(us, base + (3 * 3600 + 4 * 60 + 5) * 1'000'000LL + 123'456);
    EXPECT_TRUE(ParseTimestampText("2026-01-02T03:04:05+02:00", &us));
    EXPECT_EQ(us, base + (1 * 3600 + 4 * 60 + 5) * 1'000'000LL);
    EXPECT_TRUE(ParseTimestampText("2026-01-02T03:04:05-0130", &us));
    EXPECT_EQ(us, base + (4 * 3600 + 34 * 60 + 5) * 1'000'000LL);
    EXPECT_TRUE(ParseTimestampText("2026-01-02T00:00:00+05", &us));
    EXPECT_EQ(us, base - 5 * 3600 * 1'000'000LL);
    EXPECT_TRUE(ParseTimestampText("1969-12-31T23:59:59.999999Z", &us));
    EXPECT_EQ(us, -1);
    // Agrees with the milliseconds parser the rest of tarn uses.
    EXPECT_TRUE(ParseTimestampText("2026-01-01T00:00:01.302Z", &us));
    EXPECT_EQ(us, *ParseIso8601Millis("2026-01-01T00:00:01.302Z") * 1000);
    for (const char* bad : {"2026-01-02T", "2026-01-02T3:04", "2026-01-02T03:04:05.", "2026-01-02X",
                            "2026-01-02T24:00:00", "2026-01-02T03:04:05+2", "2026-01-02T03:04Z1",
                            "2026-01-02T03:04:05.1234567890"}) {
        EXPECT_FALSE(ParseTimestampText(bad, &us)) << bad;
    }
}

__int128 Dec(std::string_view text, int p, int s) {
    __int128 v = 0;
    EXPECT_TRUE(ParseDecimalText(text, p, s, &v)) << text;
    return v;
}

TEST(TypeInferenceTest, ParsesDecimals) {
    EXPECT_EQ(Dec("12.34", 10, 2), 1234);
    EXPECT_EQ(Dec("-12.345", 10, 2), -1235);  // half away from zero
    EXPECT_EQ(Dec("12.344", 10, 2), 1234);
    EXPECT_EQ(Dec("4.99", 10, 2), 499);
    EXPECT_EQ(Dec("7", 10, 2), 700);
    EXPECT_EQ(Dec("+1.5e2", 10, 0), 150);
    EXPECT_EQ(Dec("15e-1", 10, 0), 2);
    EXPECT_EQ(Dec("0.00009", 10, 2), 0);
    EXPECT_EQ(Dec("0.005", 10, 2), 1);
    EXPECT_EQ(Dec("5e-1", 3, 0), 1);
    EXPECT_EQ(Dec("1e-30", 10, 2), 0);
    EXPECT_EQ(Dec("0e50", 10, 2), 0);
    __int128 max38 = 0;
    for (int k = 0; k < 38; ++k) max38 = max38 * 10 + 9;
    EXPECT_EQ(Dec("99999999999999999999999999999999999999", 38, 0), max38);
    EXPECT_EQ(Dec("-99999999999999999999999999999999999999", 38, 0), -max38);
    __int128 v = 0;
    EXPECT_FALSE(ParseDecimalText("100000000000000000000000000000000000000", 38, 0, &v));
    // Found by the fuzzer: 39+ digits overflowed the accumulator before the limit check.
    EXPECT_FALSE(ParseDecimalText("123456789012345678901234567890123456789", 38, 0, &v));
    EXPECT_FALSE(ParseDecimalText("999999999999999999999999999999999999999999", 38, 0, &v));
    EXPECT_FALSE(ParseDecimalText("99999999999999999999999999999999999999.5", 38, 0, &v));
    EXPECT_TRUE(ParseDecimalText("99999999999999999999999999999999999999.4", 38, 0, &v));
    EXPECT_FALSE(ParseDecimalText("1000", 5, 2, &v));  // 100000 needs 6 digits
    EXPECT_TRUE(ParseDecimalText("999.99", 5, 2, &v));
    EXPECT_FALSE(ParseDecimalText("999.995", 5, 2, &v));  // rounds up past the precision
    EXPECT_FALSE(ParseDecimalText("1e5000", 38, 0, &v));
    EXPECT_FALSE(ParseDecimalText("abc", 10, 2, &v));
    EXPECT_FALSE(ParseDecimalText("1", 39, 0, &v));
}

}  // namespace
}  // namespace tarn::format
