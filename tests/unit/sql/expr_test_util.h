// Helpers for the evaluator, cast and operator tests: small batches from Values, bound trees
// built by hand (calls bound with BindScalarFunction and their arguments cast as the binder
// would), and results printed as "1, NULL, 'a'" so expectations read like SQL.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "columnar/record_batch.h"
#include "columnar/schema.h"
#include "sql/binder/bound_expr.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/functions/functions.h"

namespace tarn::sql::testing {

using columnar::ColumnVector;
using columnar::DataType;

inline Value N() { return Value::NullLiteral(); }
inline Value B(bool v) { return Value::Boolean(v); }
inline Value I(int64_t v) { return Value::BigInt(v); }
inline Value I32(int64_t v) { return Value::Int(DataType::Int32(), v); }
inline Value D(double v) { return Value::Double(v); }
inline Value S(std::string v) { return Value::Varchar(std::move(v)); }
inline Value Dec(int p, int s, columnar::int128_t v) { return Value::Decimal(p, s, v); }

// A vector of `type` holding `values` (NULL for Value::NullLiteral or any NULL).
inline ColumnVector Vec(const DataType& type, const std::vector<Value>& values) {
    ColumnVector v(type);
    for (const Value& value : values) {
        if (value.is_null) {
            v.AppendNull();
        } else {
            Value typed = value;
            typed.type = type;
            AppendValue(typed, &v);
        }
    }
    return v;
}

// Slots [0, rows) as "1, NULL, 'a'".
inline std::string Show(const ColumnVector& v, size_t rows) {
    std::string out;
    for (size_t i = 0; i < rows; ++i) {
        if (i > 0) out += ", ";
        out += ValueAt(v, i).ToSql();
    }
    return out;
}

// One batch of columns c0, c1, ... REQUIRES: equal lengths.
inline columnar::RecordBatch BatchOf(std::vector<ColumnVector> columns) {
    std::vector<columnar::Field> fields;
    for (size_t i = 0; i < columns.size(); ++i) {
        fields.push_back({"c" + std::to_string(i), columns[i].type()});
    }
    const size_t rows = columns.empty() ? 0 : columns[0].length();
    auto schema = std::make_shared<const columnar::Schema>(*columnar::Schema::Make(fields));
    auto batch = columnar::RecordBatch::Make(schema, std::move(columns), rows);
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    return std::move(batch).value();
}

template <class... Columns>
columnar::RecordBatch Batch(Columns... columns) {
    std::vector<ColumnVector> v;
    (v.push_back(std::move(columns)), ...);
    return BatchOf(std::move(v));
}

inline BoundExprPtr Col(const columnar::RecordBatch& batch, int i) {
    return MakeColumnRef(i, batch.column(static_cast<size_t>(i)).type(), "c" + std::to_string(i));
}
inline BoundExprPtr Lit(Value v) { return MakeConstant(std::move(v)); }

inline BoundExprPtr Cast(BoundExprPtr x, const DataType& to, bool try_cast = false) {
    auto e = std::make_unique<BoundExpr>();
    e->kind = BoundKind::kCast;
    e->type = to;
    e->try_cast = try_cast;
    e->children.push_back(std::move(x));
    return e;
}

template <class... Args>
std::vector<BoundExprPtr> List(Args... args) {
    std::vector<BoundExprPtr> v;
    (v.push_back(std::move(args)), ...);
    return v;
}

// A bound call, or the binding error's message in *error.
inline BoundExprPtr TryCall(std::string_view name, std::vector<BoundExprPtr> args,
                            std::string* error) {
    std::vector<ArgumentInfo> infos;
    for (const BoundExprPtr& a : args) {
        infos.push_back(ArgumentInfo{a->type,
                                     a->kind == BoundKind::kConstant && a->value.is_null_literal,
                                     a->kind == BoundKind::kConstant ? &a->value : nullptr});
    }
    auto f = BindScalarFunction(name, infos);
    if (!f.ok()) {
        *error = f.status().message();
        return nullptr;
    }
    auto e = std::make_unique<BoundExpr>();
    e->kind = BoundKind::kCall;
    e->type = (*f)->return_type;
    e->name = std::string(name);
    for (size_t i = 0; i < args.size(); ++i) {
        const DataType& want = (*f)->arg_types[i];
        if (!args[i]->type.Equals(want)) {
            if (args[i]->kind == BoundKind::kConstant && args[i]->value.is_null_literal) {
                args[i]->type = want;  // an untyped NULL takes the type it needs
            } else {
                args[i] = Cast(std::move(args[i]), want);
            }
        }
        e->children.push_back(std::move(args[i]));
    }
    e->function = *f;
    return e;
}

inline BoundExprPtr Call(std::string_view name, std::vector<BoundExprPtr> args) {
    std::string error;
    BoundExprPtr e = TryCall(name, std::move(args), &error);
    EXPECT_NE(e, nullptr) << error;
    return e;
}

inline BoundExprPtr Node(BoundKind kind, DataType type, std::vector<BoundExprPtr> children) {
    auto e = std::make_unique<BoundExpr>();
    e->kind = kind;
    e->type = std::move(type);
    e->children = std::move(children);
    return e;
}

// The expression over `batch`, shown, or "error: <message>".
inline std::string Eval(const BoundExpr& expr, const columnar::RecordBatch& batch) {
    ExpressionEvaluator evaluator(&expr);
    auto result = evaluator.Evaluate(batch);
    if (!result.ok()) return "error: " + result.status().message();
    EXPECT_TRUE((*result)->Validate().ok());
    return Show(**result, batch.num_rows());
}

// CAST over a one-column vector, shown, or "error: <message>".
inline std::string CastShow(const ColumnVector& in, const DataType& to, bool try_cast = false) {
    ColumnVector out(to);
    Status s = CastVector(in, in.length(), to, try_cast, &out);
    if (!s.ok()) return "error: " + s.message();
    EXPECT_EQ(out.length(), in.length());
    EXPECT_TRUE(out.Validate().ok()) << out.Validate().ToString();
    return Show(out, out.length());
}

}  // namespace tarn::sql::testing
