// Helpers for the function-group tests: build argument vectors with NULLs, bind a function through
// its group's Bind*Function, run its kernel directly, and print the result slots as text.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "columnar/column_vector.h"
#include "columnar/value_format.h"
#include "sql/functions/function_groups.h"

namespace tarn::sql::testing {

using columnar::ColumnVector;
using columnar::DataType;
using columnar::TypeId;
using BindFn = FunctionBindResult (*)(std::string_view, std::span<const ArgumentInfo>);

inline ColumnVector Strs(std::initializer_list<std::optional<std::string_view>> values) {
    ColumnVector v(DataType::Varchar());
    for (const auto& s : values) s ? v.AppendString(*s) : v.AppendNull();
    return v;
}

// Any fixed-width type whose physical type is T (INT64, TIMESTAMP: int64_t; DATE: int32_t; ...).
template <class T>
ColumnVector Fixed(DataType type, std::initializer_list<std::optional<T>> values) {
    ColumnVector v(type);
    for (const auto& x : values) x ? v.Append<T>(*x) : v.AppendNull();
    return v;
}
inline ColumnVector Ints(std::initializer_list<std::optional<int64_t>> values) {
    return Fixed<int64_t>(DataType::Int64(), values);
}
inline ColumnVector Doubles(std::initializer_list<std::optional<double>> values) {
    return Fixed<double>(DataType::Double(), values);
}

// A VARCHAR constant, as the binder passes it.
inline Value VarcharValue(std::string s) {
    Value v;
    v.type = DataType::Varchar();
    v.is_null = false;
    v.data = std::move(s);
    return v;
}

// Binds `name` to the types of `cols` (with constants[i] as argument i's constant when given).
inline FunctionBindResult Bind(BindFn bind, std::string_view name,
                               const std::vector<const ColumnVector*>& cols,
                               const std::vector<const Value*>& constants = {}) {
    std::vector<ArgumentInfo> infos;
    for (size_t i = 0; i < cols.size(); ++i) {
        ArgumentInfo info{cols[i]->type()};
        if (i < constants.size()) info.constant = constants[i];
        infos.push_back(info);
    }
    return bind(name, infos);
}

// Runs a bound strict function on `cols` (already of its arg_types) the way the evaluator does.
inline Result<ColumnVector> RunKernel(const ScalarFunction& f,
                                      const std::vector<const ColumnVector*>& cols, size_t rows,
                                      int64_t now_micros = 0) {
    std::vector<uint64_t> valid(columnar::ValidityWords(rows), ~uint64_t{0});
    bool any_null = false;
    for (const ColumnVector* c : cols) {
        for (size_t i = 0; i < rows; ++i) {
            if (c->IsNull(i)) {
                valid[i / 64] &= ~(uint64_t{1} << (i % 64));
                any_null = true;
            }
        }
    }
    KernelContext ctx;
    ctx.rows = rows;
    ctx.valid = any_null ? valid.data() : nullptr;
    ctx.state = f.state.get();
    ctx.now_micros = now_micros;
    ColumnVector out(f.return_type);
    Status st = f.kernel(ctx, cols, &out);
    if (!st.ok()) return st;
    EXPECT_EQ(out.length(), rows);
    EXPECT_TRUE(out.Validate().ok()) << out.Validate().ToString();
    return {std::move(out)};
}

// Each slot as text ("NULL" for nulls): strings as they are, other types as value_format.h
// prints them in JSON (without quotes).
inline std::vector<std::string> Render(const ColumnVector& col) {
    std::vector<std::string> out;
    for (size_t i = 0; i < col.length(); ++i) {
        if (col.IsNull(i)) {
            out.push_back("NULL");
        } else if (col.type_id() == TypeId::kVarchar) {
            out.emplace_back(col.GetString(i));
        } else {
            std::string s;
            columnar::AppendValueJson(col, i, &s);
            if (s.size() >= 2 && s.front() == '"') s = s.substr(1, s.size() - 2);
            out.push_back(s);
        }
    }
    return out;
}

// Binds and runs; the rendered result, or "error: <message>".
inline std::vector<std::string> Eval(BindFn bind, std::string_view name,
                                     const std::vector<const ColumnVector*>& cols,
                                     const std::vector<const Value*>& constants = {},
                                     int64_t now_micros = 0) {
    auto f = Bind(bind, name, cols, constants);
    if (!f.ok()) return {"error: " + f.status().message()};
    if (*f == nullptr) return {"error: not mine"};
    const size_t rows = cols.empty() ? 3 : cols[0]->length();
    auto out = RunKernel(**f, cols, rows, now_micros);
    if (!out.ok()) return {"error: " + out.status().message()};
    return Render(*out);
}

using Strings = std::vector<std::string>;

}  // namespace tarn::sql::testing
