#include "columnar/schema.h"

#include <gtest/gtest.h>

namespace tarn::columnar {
namespace {

TEST(SchemaTest, FindField) {
    auto schema = Schema::Make({Field{"id", DataType::Int64(), false, 1},
                                Field{"name", DataType::Varchar(), true, 2},
                                Field{"ts", DataType::Timestamp()}});
    ASSERT_TRUE(schema.ok()) << schema.status().ToString();
    EXPECT_EQ(schema->num_fields(), 3u);
    EXPECT_EQ(schema->FindField("id"), 0);
    EXPECT_EQ(schema->FindField("ts"), 2);
    EXPECT_EQ(schema->FindField("missing"), -1);
    EXPECT_EQ(schema->FindField("ID"), -1);  // case-sensitive
    EXPECT_EQ(schema->FindField(""), -1);
    EXPECT_EQ(schema->field(1).field_id, 2);
    EXPECT_EQ(schema->ToString(), "id: INT64 NOT NULL (id=1), name: VARCHAR (id=2), ts: TIMESTAMP");
}

TEST(SchemaTest, RefusesDuplicateAndEmptyNames) {
    auto dup = Schema::Make({Field{"a", DataType::Int32()}, Field{"a", DataType::Varchar()}});
    EXPECT_EQ(dup.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(dup.status().message().find("duplicate field name 'a'"), std::string::npos);
    auto empty = Schema::Make({Field{"", DataType::Int32()}});
    EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
    // Case differs: two fields.
    EXPECT_TRUE(Schema::Make({Field{"a", DataType::Int32()}, Field{"A", DataType::Int32()}}).ok());
}

TEST(SchemaTest, RefusesInvalidTypesNamingTheField) {
    auto bad =
        Schema::Make({Field{"ok", DataType::Int32()},
                      Field{"s", DataType::Struct({Field{"price", DataType::Decimal(40, 2)}})}});
    EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(bad.status().message().find("s.price"), std::string::npos) << bad.status().ToString();
    EXPECT_NE(bad.status().message().find("DECIMAL(40,2)"), std::string::npos);
}

TEST(SchemaTest, FieldIdsKeptInNestedFieldsAndUnique) {
    const DataType address = DataType::Struct(
        {Field{"city", DataType::Varchar(), true, 10}, Field{"zip", DataType::Int32(), false, 11}});
    const DataType tags = DataType::List(Field{"element", DataType::Varchar(), true, 12});
    const DataType attrs = DataType::Map(Field{"key", DataType::Varchar(), false, 13},
                                         Field{"value", DataType::Int64(), true, 14});
    auto schema = Schema::Make({Field{"address", address, true, 1}, Field{"tags", tags, true, 2},
                                Field{"attrs", attrs, true, 3}});
    ASSERT_TRUE(schema.ok()) << schema.status().ToString();
    const Field& zip = schema->field(0).type.field(1);
    EXPECT_EQ(zip.name, "zip");
    EXPECT_EQ(zip.field_id, 11);
    EXPECT_FALSE(zip.nullable);
    EXPECT_EQ(schema->field(1).type.element_field().field_id, 12);
    EXPECT_EQ(schema->field(2).type.key_field().field_id, 13);
    EXPECT_EQ(schema->field(2).type.value_field().field_id, 14);

    auto clash = Schema::Make({Field{"address", address, true, 1}, Field{"x", tags, true, 10}});
    EXPECT_EQ(clash.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(clash.status().message().find("field id 10"), std::string::npos)
        << clash.status().ToString();
    EXPECT_NE(clash.status().message().find("address.city"), std::string::npos);
    auto negative = Schema::Make({Field{"a", DataType::Int32(), true, -5}});
    EXPECT_FALSE(negative.ok());
}

TEST(SchemaTest, Equality) {
    auto a = Schema::Make({Field{"x", DataType::Int32(), true, 1}});
    auto b = Schema::Make({Field{"x", DataType::Int32(), true, 2}});
    auto c = Schema::Make({Field{"x", DataType::Int32(), true, 1}});
    ASSERT_TRUE(a.ok() && b.ok() && c.ok());
    EXPECT_EQ(*a, *c);
    EXPECT_NE(*a, *b);
    EXPECT_TRUE(a->Equals(*b, /*check_field_ids=*/false));
    EXPECT_NE(*a, Schema());
    EXPECT_EQ(Schema().num_fields(), 0u);
    EXPECT_EQ(Schema().ToString(), "");
}

}  // namespace
}  // namespace tarn::columnar
