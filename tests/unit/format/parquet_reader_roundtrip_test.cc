// Round trip through tarn's writer and reader: random schemas (every type, nested to depth 3,
// nullable or not) and random data (extremes, NaN, empty and null lists, null structs) written
// with random writer options, read back with random batch sizes and projections, compared value
// by value. The seed of a failing case is printed; set TARN_PQ_SEED to replay one.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "columnar/columnar.h"
#include "format/parquet_reader.h"
#include "format/parquet_writer.h"
#include "parquet_test_util.h"
#include "storage/storage.h"

namespace tarn::format {
namespace {

using columnar::ColumnVector;
using columnar::DataType;
using columnar::Field;
using columnar::int128_t;
using columnar::RecordBatch;
using columnar::Schema;
using columnar::TypeId;

class Gen {
public:
    explicit Gen(uint64_t seed) : rng_(seed) {}

    uint64_t Next() { return rng_(); }
    size_t Below(size_t n) { return static_cast<size_t>(rng_() % n); }
    bool OneIn(size_t n) { return Below(n) == 0; }

    DataType Type(int depth) {
        const size_t kinds = depth >= 3 ? 12 : 15;
        switch (Below(kinds)) {
            case 0:
                return DataType::Boolean();
            case 1:
                return DataType::Int8();
            case 2:
                return DataType::Int16();
            case 3:
                return DataType::Int32();
            case 4:
                return DataType::Int64();
            case 5:
                return DataType::Float();
            case 6:
                return DataType::Double();
            case 7: {
                const int p = static_cast<int>(1 + Below(38));
                return DataType::Decimal(p, static_cast<int>(Below(static_cast<size_t>(p) + 1)));
            }
            case 8:
                return DataType::Varchar();
            case 9:
                return DataType::Varbinary();
            case 10:
                return DataType::Date();
            case 11:
                return DataType::Timestamp();
            case 12: {
                std::vector<Field> fields;
                const size_t n = 1 + Below(3);
                for (size_t i = 0; i < n; ++i)
                    fields.push_back(MakeField("f" + std::to_string(i), depth + 1));
                return DataType::Struct(std::move(fields));
            }
            case 13:
                return DataType::List(MakeField("element", depth + 1));
            default: {
                Field key = MakeField("key", depth + 1);
                while (key.type.is_nested()) key = MakeField("key", depth + 1);
                key.nullable = false;
                return DataType::Map(std::move(key), MakeField("value", depth + 1));
            }
        }
    }

    Field MakeField(std::string name, int depth) {
        Field f{.name = std::move(name), .type = Type(depth), .nullable = !OneIn(3)};
        return f;
    }

    int64_t Int(int bits) {
        const int64_t max = bits == 64 ? INT64_MAX : (int64_t{1} << (bits - 1)) - 1;
        const int64_t min = -max - 1;
        switch (Below(6)) {
            case 0:
                return min;
            case 1:
                return max;
            case 2:
                return 0;
            default: {
                const auto v = static_cast<int64_t>(Next());
                return bits == 64 ? v
                                  : min + static_cast<int64_t>(static_cast<uint64_t>(v) %
                                                               (uint64_t{1} << bits));
            }
        }
    }

    double Real() {
        switch (Below(10)) {
            case 0:
                return std::numeric_limits<double>::quiet_NaN();
            case 1:
                return std::numeric_limits<double>::infinity();
            case 2:
                return -std::numeric_limits<double>::infinity();
            case 3:
                return -0.0;
            default:
                return (static_cast<double>(Next() % 2000000) - 1000000) / 64.0;
        }
    }

    std::string Text(bool utf8) {
        static const char* const kPieces[] = {"a",  "b", "z", " ", ",", "\"",
                                              "\n", "é", "✓", "😀", ""};
        std::string s;
        const size_t n = OneIn(4) ? 0 : Below(12);
        for (size_t i = 0; i < n; ++i) {
            if (utf8) {
                s += kPieces[Below(std::size(kPieces))];
            } else {
                s.push_back(static_cast<char>(Next()));
            }
        }
        return s;
    }

    void Value(ColumnVector* v, const Field& f) {
        if (f.nullable && OneIn(5)) {
            v->AppendNull();
            return;
        }
        switch (f.type.id()) {
            case TypeId::kBoolean:
                v->Append<uint8_t>(static_cast<uint8_t>(Next() & 1));
                break;
            case TypeId::kInt8:
                v->Append<int8_t>(static_cast<int8_t>(Int(8)));
                break;
            case TypeId::kInt16:
                v->Append<int16_t>(static_cast<int16_t>(Int(16)));
                break;
            case TypeId::kInt32:
                v->Append<int32_t>(static_cast<int32_t>(Int(32)));
                break;
            case TypeId::kInt64:
                v->Append<int64_t>(Int(64));
                break;
            case TypeId::kFloat:
                v->Append<float>(static_cast<float>(Real()));
                break;
            case TypeId::kDouble:
                v->Append<double>(Real());
                break;
            case TypeId::kDecimal: {
                int128_t bound = 1;
                for (int i = 0; i < f.type.precision(); ++i) bound *= 10;
                int128_t x = (static_cast<int128_t>(Next()) << 64 | Next()) % bound;
                if (OneIn(5)) x = bound - 1;
                if (OneIn(2)) x = -x;
                if (f.type.precision() <= columnar::kMaxDecimal64Precision) {
                    v->Append<int64_t>(static_cast<int64_t>(x));
                } else {
                    v->Append<int128_t>(x);
                }
                break;
            }
            case TypeId::kVarchar:
                v->AppendString(Text(true));
                break;
            case TypeId::kVarbinary:
                v->AppendString(Text(false));
                break;
            case TypeId::kDate:
                v->Append<int32_t>(static_cast<int32_t>(Next() % 6000000) - 3000000);
                break;
            case TypeId::kTimestamp:
                v->Append<int64_t>(OneIn(10) ? Int(64)
                                             : static_cast<int64_t>(Next() % (uint64_t{1} << 52)) -
                                                   (int64_t{1} << 51));
                break;
            case TypeId::kStruct:
                for (size_t i = 0; i < f.type.num_fields(); ++i)
                    Value(&v->child(i), f.type.field(i));
                v->AppendStructEnd();
                break;
            case TypeId::kList: {
                const size_t n = OneIn(4) ? 0 : Below(5);
                for (size_t i = 0; i < n; ++i) Value(&v->child(0), f.type.element_field());
                v->AppendListEnd();
                break;
            }
            case TypeId::kMap: {
                const size_t n = OneIn(4) ? 0 : Below(4);
                for (size_t i = 0; i < n; ++i) {
                    Value(&v->child(0), f.type.key_field());
                    Value(&v->child(1), f.type.value_field());
                }
                v->AppendListEnd();
                break;
            }
        }
    }

private:
    std::mt19937_64 rng_;
};

size_t g_values_compared = 0;

std::string Json(const ColumnVector& v, size_t row) {
    std::string s;
    columnar::AppendValueJson(v, row, &s);
    return s;
}

void RoundTrip(uint64_t seed) {
    SCOPED_TRACE("seed " + std::to_string(seed) + " (TARN_PQ_SEED=" + std::to_string(seed) +
                 " replays it)");
    Gen g(seed);
    std::vector<Field> fields;
    const size_t ncols = 1 + g.Below(6);
    for (size_t i = 0; i < ncols; ++i) fields.push_back(g.MakeField("c" + std::to_string(i), 0));
    auto made = Schema::Make(std::move(fields));
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    auto schema = std::make_shared<const Schema>(std::move(*made));

    ParquetWriterOptions wo;
    const CompressionCodec codecs[] = {CompressionCodec::kUncompressed, CompressionCodec::kSnappy,
                                       CompressionCodec::kGzip, CompressionCodec::kZstd,
                                       CompressionCodec::kLz4Raw, CompressionCodec::kBrotli};
    wo.codec = codecs[g.Below(6)];
    wo.dictionary = !g.OneIn(3);
    wo.delta = !g.OneIn(3);
    wo.data_page_version = g.OneIn(2) ? 1 : 2;
    wo.data_page_bytes = g.OneIn(2) ? 512 : (1 << 20);
    wo.row_group_bytes = g.OneIn(2) ? 4096 : (uint64_t{128} << 20);
    wo.max_statistics_bytes = g.OneIn(2) ? 4 : 64;
    SCOPED_TRACE("schema " + schema->ToString() + "; codec " +
                 std::string(CompressionCodecName(wo.codec)) + ", page v" +
                 std::to_string(wo.data_page_version));

    testing::MemoryObjectWriter out("roundtrip.parquet");
    auto writer = ParquetWriter::Open(&out, schema, wo);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    std::vector<RecordBatch> batches;
    const size_t nbatches = 1 + g.Below(3);
    for (size_t b = 0; b < nbatches; ++b) {
        RecordBatch batch(schema);
        const size_t rows = g.Below(400);
        for (size_t c = 0; c < schema->num_fields(); ++c) {
            for (size_t r = 0; r < rows; ++r) g.Value(&batch.column(c), schema->field(c));
        }
        batch.set_num_rows(rows);
        ASSERT_TRUE(batch.Validate().ok()) << batch.Validate().ToString();
        ASSERT_TRUE((*writer)->Write(batch).ok());
        batches.push_back(std::move(batch));
    }
    auto footer = (*writer)->Close();
    ASSERT_TRUE(footer.ok()) << footer.status().ToString();

    // Expected values, per column, as JSON text.
    std::vector<std::vector<std::string>> want(schema->num_fields());
    for (const RecordBatch& b : batches) {
        for (size_t c = 0; c < b.num_columns(); ++c) {
            for (size_t r = 0; r < b.num_rows(); ++r) want[c].push_back(Json(b.column(c), r));
        }
    }

    ParquetReaderOptions ro;
    ro.batch_rows = 1 + g.Below(600);
    ro.validate_batches = true;
    std::vector<size_t> cols;
    if (g.OneIn(2)) {
        std::vector<std::string> names;
        for (size_t c = 0; c < schema->num_fields(); ++c) {
            if (g.OneIn(2)) {
                names.push_back(schema->field(c).name);
                cols.push_back(c);
            }
        }
        ro.columns = names;
    } else {
        for (size_t c = 0; c < schema->num_fields(); ++c) cols.push_back(c);
    }
    auto reader = ParquetReader::Open(MakeMemorySource("roundtrip.parquet", out.data()), ro);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    ASSERT_EQ((*reader)->schema()->num_fields(), cols.size());
    for (size_t i = 0; i < cols.size(); ++i) {
        EXPECT_TRUE((*reader)->schema()->field(i).Equals(schema->field(cols[i])))
            << (*reader)->schema()->field(i).ToString() << " vs "
            << schema->field(cols[i]).ToString();
    }
    RecordBatch batch = (*reader)->NewBatch();
    size_t row = 0;
    while (true) {
        auto more = (*reader)->Next(&batch);
        ASSERT_TRUE(more.ok()) << more.status().ToString();
        if (!*more) break;
        for (size_t r = 0; r < batch.num_rows(); ++r, ++row) {
            for (size_t i = 0; i < cols.size(); ++i) {
                ASSERT_LT(row, want[cols[i]].size());
                ASSERT_EQ(Json(batch.column(i), r), want[cols[i]][row])
                    << "row " << row << ", column " << schema->field(cols[i]).name;
                ++g_values_compared;
            }
        }
    }
    EXPECT_EQ(row, want[0].size());
}

TEST(ParquetReaderRoundTripTest, RandomSchemasAndData) {
    if (const char* replay = std::getenv("TARN_PQ_SEED")) {
        RoundTrip(std::strtoull(replay, nullptr, 10));
        return;
    }
    for (uint64_t i = 0; i < 150; ++i) {
        RoundTrip(0x7a41'0000 + i);
        if (::testing::Test::HasFatalFailure() || ::testing::Test::HasNonfatalFailure()) return;
    }
    EXPECT_GT(g_values_compared, 50000u);  // the cases are not trivially small
    std::printf("%zu values compared\n", g_values_compared);
}

}  // namespace
}  // namespace tarn::format
