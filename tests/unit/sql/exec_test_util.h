// Test helpers for the executor's operators: a source operator that replays hand-built batches
// (through one reused batch, so an operator that keeps a pointer into a batch after the next
// Next() sees the data change, as it would with a real scan), column builders, and a printer
// that turns an operator's whole output into one string per row.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "columnar/record_batch.h"
#include "columnar/schema.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/exec/operator.h"

namespace tarn::sql::testing {

using columnar::ColumnVector;
using columnar::DataType;
using columnar::Field;
using columnar::int128_t;
using columnar::RecordBatch;
using columnar::Schema;
using columnar::TypeId;

inline std::shared_ptr<const Schema> MakeSchema(const std::vector<DataType>& types) {
    std::vector<Field> fields;
    for (size_t i = 0; i < types.size(); ++i) fields.push_back({"c" + std::to_string(i), types[i]});
    auto s = Schema::Make(std::move(fields));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::make_shared<const Schema>(std::move(*s));
}

// A column of a fixed-width type from optional values (nullopt = NULL).
template <class T>
ColumnVector Col(DataType type, const std::vector<std::optional<T>>& values) {
    ColumnVector c(std::move(type));
    for (const auto& v : values) {
        if (v) {
            c.Append<T>(*v);
        } else {
            c.AppendNull();
        }
    }
    return c;
}

inline ColumnVector Strings(const std::vector<std::optional<std::string>>& values,
                            DataType type = DataType::Varchar()) {
    ColumnVector c(std::move(type));
    for (const auto& v : values) {
        if (v) {
            c.AppendString(*v);
        } else {
            c.AppendNull();
        }
    }
    return c;
}

inline RecordBatch Batch(const std::shared_ptr<const Schema>& schema,
                         std::vector<ColumnVector> columns) {
    const size_t rows = columns.empty() ? 0 : columns[0].length();
    auto b = RecordBatch::Make(schema, std::move(columns), rows);
    EXPECT_TRUE(b.ok()) << b.status().ToString();
    return std::move(*b);
}

class BatchSource final : public Operator {
public:
    BatchSource(std::shared_ptr<const Schema> schema, std::vector<RecordBatch> batches)
        : Operator(schema), batches_(std::move(batches)), current_(schema) {}

    Result<RecordBatch*> Next() override {
        while (next_ < batches_.size() && batches_[next_].num_rows() == 0) ++next_;
        if (next_ >= batches_.size()) return nullptr;
        const RecordBatch& b = batches_[next_++];
        std::vector<uint32_t> all(b.num_rows());
        std::iota(all.begin(), all.end(), 0u);
        current_.Reset();
        for (size_t c = 0; c < b.num_columns(); ++c) {
            GatherRows(b.column(c), all.data(), all.size(), &current_.column(c));
        }
        current_.set_num_rows(b.num_rows());
        return &current_;
    }

private:
    std::vector<RecordBatch> batches_;
    size_t next_ = 0;
    RecordBatch current_;
};

inline std::string Int128ToString(int128_t v) {
    if (v == 0) return "0";
    const bool neg = v < 0;
    auto u = neg ? -static_cast<columnar::uint128_t>(v) : static_cast<columnar::uint128_t>(v);
    std::string s;
    while (u != 0) {
        s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
        u /= 10;
    }
    return neg ? "-" + s : s;
}

// Decimals print unscaled; strings in quotes.
inline std::string Cell(const ColumnVector& c, size_t i) {
    if (c.IsNull(i)) return "NULL";
    char buf[64];
    switch (c.type_id()) {
        case TypeId::kBoolean:
            return c.Data<uint8_t>()[i] ? "true" : "false";
        case TypeId::kInt8:
            return std::to_string(c.Data<int8_t>()[i]);
        case TypeId::kInt16:
            return std::to_string(c.Data<int16_t>()[i]);
        case TypeId::kInt32:
        case TypeId::kDate:
            return std::to_string(c.Data<int32_t>()[i]);
        case TypeId::kInt64:
        case TypeId::kTimestamp:
            return std::to_string(c.Data<int64_t>()[i]);
        case TypeId::kFloat:
            std::snprintf(buf, sizeof buf, "%g", static_cast<double>(c.Data<float>()[i]));
            return buf;
        case TypeId::kDouble:
            std::snprintf(buf, sizeof buf, "%g", c.Data<double>()[i]);
            return buf;
        case TypeId::kDecimal:
            if (c.type().precision() > columnar::kMaxDecimal64Precision) {
                return Int128ToString(c.Data<int128_t>()[i]);
            }
            return std::to_string(c.Data<int64_t>()[i]);
        case TypeId::kVarchar:
        case TypeId::kVarbinary:
            return "'" + std::string(c.GetString(i)) + "'";
        default:
            return "?";
    }
}

// Every output row as "a|b|c", in output order; an error as "error: <message>". Checks each
// batch's invariants and size.
inline std::vector<std::string> Drain(Operator& op, size_t* batches = nullptr) {
    std::vector<std::string> rows;
    while (true) {
        auto b = op.Next();
        if (!b.ok()) return {"error: " + b.status().message()};
        if (*b == nullptr) break;
        const RecordBatch& batch = **b;
        EXPECT_TRUE(batch.Validate().ok()) << batch.Validate().ToString();
        EXPECT_GT(batch.num_rows(), 0u);
        EXPECT_LE(batch.num_rows(), columnar::kDefaultBatchRows);
        if (batches != nullptr) ++*batches;
        for (size_t r = 0; r < batch.num_rows(); ++r) {
            std::string row;
            for (size_t c = 0; c < batch.num_columns(); ++c) {
                if (c > 0) row += "|";
                row += Cell(batch.column(c), r);
            }
            rows.push_back(std::move(row));
        }
    }
    return rows;
}

}  // namespace tarn::sql::testing
