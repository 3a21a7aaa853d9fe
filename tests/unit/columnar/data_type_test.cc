#include "columnar/data_type.h"

#include <gtest/gtest.h>

namespace tarn::columnar {
namespace {

TEST(DataTypeTest, PrimitiveNames) {
    EXPECT_EQ(DataType::Boolean().ToString(), "BOOLEAN");
    EXPECT_EQ(DataType::Int8().ToString(), "INT8");
    EXPECT_EQ(DataType::Int16().ToString(), "INT16");
    EXPECT_EQ(DataType::Int32().ToString(), "INT32");
    EXPECT_EQ(DataType::Int64().ToString(), "INT64");
    EXPECT_EQ(DataType::Float().ToString(), "FLOAT");
    EXPECT_EQ(DataType::Double().ToString(), "DOUBLE");
    EXPECT_EQ(DataType::Decimal(10, 2).ToString(), "DECIMAL(10,2)");
    EXPECT_EQ(DataType::Varchar().ToString(), "VARCHAR");
    EXPECT_EQ(DataType::Varbinary().ToString(), "VARBINARY");
    EXPECT_EQ(DataType::Date().ToString(), "DATE");
    EXPECT_EQ(DataType::Timestamp().ToString(), "TIMESTAMP");
}

TEST(DataTypeTest, NestedToString) {
    const DataType s = DataType::Struct(
        {Field{"a", DataType::Int32()}, Field{"b", DataType::List(DataType::Varchar())}});
    EXPECT_EQ(s.ToString(), "STRUCT<a: INT32, b: LIST<VARCHAR>>");
    EXPECT_EQ(DataType::Map(DataType::Varchar(), DataType::Int64()).ToString(),
              "MAP<VARCHAR, INT64>");
    EXPECT_EQ(DataType::List(Field{"element", DataType::Int64(), false}).ToString(),
              "LIST<INT64 NOT NULL>");
    EXPECT_EQ(DataType::Struct({Field{"x y", DataType::Decimal(38, 0), false},
                                Field{"m", DataType::Map(DataType::Int32(), s)}})
                  .ToString(),
              "STRUCT<\"x y\": DECIMAL(38,0) NOT NULL, m: MAP<INT32, STRUCT<a: INT32, b: "
              "LIST<VARCHAR>>>>");
}

TEST(DataTypeTest, Equality) {
    EXPECT_EQ(DataType::Int32(), DataType::Int32());
    EXPECT_NE(DataType::Int32(), DataType::Int64());
    EXPECT_NE(DataType::Date(), DataType::Int32());  // same width, different type
    EXPECT_EQ(DataType::Decimal(10, 2), DataType::Decimal(10, 2));
    EXPECT_NE(DataType::Decimal(10, 2), DataType::Decimal(10, 3));
    EXPECT_NE(DataType::Decimal(10, 2), DataType::Decimal(11, 2));
    EXPECT_EQ(DataType::List(DataType::Varchar()), DataType::List(DataType::Varchar()));
    EXPECT_NE(DataType::List(DataType::Varchar()), DataType::List(DataType::Varbinary()));
    EXPECT_NE(DataType::List(DataType::Varchar()),
              DataType::List(Field{"element", DataType::Varchar(), false}));
    EXPECT_NE(DataType::List(DataType::Varchar()),
              DataType::List(Field{"item", DataType::Varchar()}));
    const DataType a = DataType::Struct({Field{"a", DataType::Int32(), true, 7}});
    const DataType b = DataType::Struct({Field{"a", DataType::Int32(), true, 8}});
    EXPECT_NE(a, b);
    EXPECT_TRUE(a.Equals(b, /*check_field_ids=*/false));
    const DataType copy = a;  // a copy shares the children
    EXPECT_EQ(copy, a);
    EXPECT_EQ(&copy.field(0), &a.field(0));
}

TEST(DataTypeTest, FixedWidths) {
    EXPECT_EQ(DataType::Boolean().FixedWidth(), 1);
    EXPECT_EQ(DataType::Int8().FixedWidth(), 1);
    EXPECT_EQ(DataType::Int16().FixedWidth(), 2);
    EXPECT_EQ(DataType::Int32().FixedWidth(), 4);
    EXPECT_EQ(DataType::Int64().FixedWidth(), 8);
    EXPECT_EQ(DataType::Float().FixedWidth(), 4);
    EXPECT_EQ(DataType::Double().FixedWidth(), 8);
    EXPECT_EQ(DataType::Date().FixedWidth(), 4);
    EXPECT_EQ(DataType::Timestamp().FixedWidth(), 8);
    EXPECT_EQ(DataType::Decimal(1, 0).FixedWidth(), 8);
    EXPECT_EQ(DataType::Decimal(18, 4).FixedWidth(), 8);
    EXPECT_EQ(DataType::Decimal(19, 4).FixedWidth(), 16);
    EXPECT_EQ(DataType::Decimal(38, 38).FixedWidth(), 16);
    EXPECT_EQ(DataType::Varchar().FixedWidth(), 0);
    EXPECT_EQ(DataType::Varbinary().FixedWidth(), 0);
    EXPECT_EQ(DataType::List(DataType::Int32()).FixedWidth(), 0);
    EXPECT_EQ(DataType::Struct({Field{"a", DataType::Int32()}}).FixedWidth(), 0);
    EXPECT_TRUE(DataType::Decimal(5, 1).is_fixed_width());
    EXPECT_FALSE(DataType::Varchar().is_fixed_width());
    EXPECT_TRUE(DataType::Varbinary().is_string_like());
    EXPECT_TRUE(DataType::Map(DataType::Int32(), DataType::Int32()).is_nested());
    EXPECT_FALSE(DataType::Timestamp().is_nested());
}

TEST(DataTypeTest, DecimalValidation) {
    EXPECT_TRUE(DataType::Decimal(1, 0).Validate().ok());
    EXPECT_TRUE(DataType::Decimal(38, 38).Validate().ok());
    const Status too_wide = DataType::Decimal(40, 2).Validate();
    EXPECT_EQ(too_wide.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(too_wide.message().find("DECIMAL(40,2)"), std::string::npos) << too_wide.ToString();
    EXPECT_NE(too_wide.message().find("precision must be 1..38"), std::string::npos);
    EXPECT_FALSE(DataType::Decimal(0, 0).Validate().ok());
    const Status bad_scale = DataType::Decimal(5, 6).Validate();
    EXPECT_NE(bad_scale.message().find("scale must be 0..precision"), std::string::npos);
    EXPECT_FALSE(DataType::Decimal(5, -1).Validate().ok());
    EXPECT_FALSE(DataType::Decimal(100000, 2).Validate().ok());  // clamped, still invalid
    auto made = DataType::MakeDecimal(40, 2);
    EXPECT_EQ(made.status().code(), StatusCode::kInvalidArgument);
    auto good = DataType::MakeDecimal(12, 3);
    ASSERT_TRUE(good.ok());
    EXPECT_EQ(good->precision(), 12);
    EXPECT_EQ(good->scale(), 3);
}

TEST(DataTypeTest, NestedValidation) {
    EXPECT_FALSE(DataType::Struct({}).Validate().ok());
    EXPECT_FALSE(DataType::Struct({Field{"", DataType::Int32()}}).Validate().ok());
    const Status dup =
        DataType::Struct({Field{"a", DataType::Int32()}, Field{"a", DataType::Int64()}}).Validate();
    EXPECT_NE(dup.message().find("duplicate STRUCT field name 'a'"), std::string::npos)
        << dup.ToString();
    const Status nullable_key =
        DataType::Map(Field{"key", DataType::Varchar(), true}, Field{"value", DataType::Int32()})
            .Validate();
    EXPECT_NE(nullable_key.message().find("MAP keys must not be nullable"), std::string::npos);
    // Errors deep inside name the path.
    const Field f{"outer",
                  DataType::Struct({Field{"inner", DataType::List(DataType::Decimal(39, 1))}})};
    const Status deep = f.Validate();
    EXPECT_EQ(deep.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(deep.message().find("outer.inner.element"), std::string::npos) << deep.ToString();
    EXPECT_TRUE(
        DataType::Map(DataType::Varchar(), DataType::List(DataType::Int32())).Validate().ok());
}

TEST(DataTypeTest, ChildFieldsKeepTheirAttributes) {
    const DataType m = DataType::Map(Field{"k", DataType::Varchar(), false, 11},
                                     Field{"v", DataType::Double(), false, 12});
    EXPECT_EQ(m.num_fields(), 2u);
    EXPECT_EQ(m.key_field().name, "k");
    EXPECT_EQ(m.key_field().field_id, 11);
    EXPECT_EQ(m.value_field().field_id, 12);
    EXPECT_FALSE(m.value_field().nullable);
    EXPECT_EQ(m.ToString(), "MAP<VARCHAR, DOUBLE NOT NULL>");
    EXPECT_EQ(DataType::Int32().num_fields(), 0u);
    EXPECT_TRUE(DataType::Int32().fields().empty());
}

TEST(FieldTest, ToStringAndEquality) {
    EXPECT_EQ((Field{"a", DataType::Int64(), false, 3}).ToString(), "a: INT64 NOT NULL (id=3)");
    EXPECT_EQ((Field{"b", DataType::Varchar()}).ToString(), "b: VARCHAR");
    EXPECT_EQ((Field{"my col", DataType::Date()}).ToString(), "\"my col\": DATE");
    EXPECT_EQ((Field{"a", DataType::Int64()}), (Field{"a", DataType::Int64()}));
    EXPECT_NE((Field{"a", DataType::Int64()}), (Field{"a", DataType::Int64(), false}));
    EXPECT_NE((Field{"a", DataType::Int64()}), (Field{"A", DataType::Int64()}));
    EXPECT_NE((Field{"a", DataType::Int64(), true, 1}), (Field{"a", DataType::Int64(), true, 2}));
}

TEST(DataTypeTest, TypeIdNames) {
    EXPECT_EQ(TypeIdName(TypeId::kMap), "MAP");
    EXPECT_EQ(TypeIdName(TypeId::kVarbinary), "VARBINARY");
}

}  // namespace
}  // namespace tarn::columnar
