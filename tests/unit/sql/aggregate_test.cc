// Hash aggregation and the aggregate functions: every function over every type with NULLs,
// grouping semantics (NULL keys, -0.0/NaN, multi-column keys), many groups against a std::map,
// DISTINCT, overflow, binding errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "exec_test_util.h"
#include "sql/exec/aggregate_sort.h"
#include "sql/functions/functions.h"

namespace tarn::sql {
namespace {

using namespace tarn::sql::testing;  // NOLINT

using I64 = std::vector<std::optional<int64_t>>;
using F64 = std::vector<std::optional<double>>;
using Str = std::vector<std::optional<std::string>>;

std::shared_ptr<const AggregateFunction> Bind(std::string_view name, const DataType* type,
                                              bool distinct = false) {
    ArgumentInfo info{type == nullptr ? DataType::Int64() : *type};
    auto f = BindAggregateFunction(name, type == nullptr ? nullptr : &info, distinct);
    EXPECT_TRUE(f.ok()) << f.status().ToString();
    return f.ok() ? *f : nullptr;
}

std::string BindError(std::string_view name, const DataType* type, bool distinct = false) {
    ArgumentInfo info{type == nullptr ? DataType::Int64() : *type};
    auto f = BindAggregateFunction(name, type == nullptr ? nullptr : &info, distinct);
    return f.ok() ? "bound" : f.status().message();
}

struct Agg {
    std::string name;
    int column;  // -1: count(*)
    bool distinct = false;
};

// Runs GROUP BY `keys` with `aggs` over batches of `types`; rows sorted (group order is free).
std::vector<std::string> GroupBy(const std::vector<DataType>& types,
                                 std::vector<std::vector<ColumnVector>> batches,
                                 std::vector<int> keys, const std::vector<Agg>& aggs,
                                 bool sort = true) {
    auto schema = MakeSchema(types);
    std::vector<RecordBatch> rbs;
    for (auto& cols : batches) rbs.push_back(Batch(schema, std::move(cols)));
    std::vector<AggregateCall> calls;
    for (size_t i = 0; i < aggs.size(); ++i) {
        const Agg& a = aggs[i];
        const DataType* t = a.column < 0 ? nullptr : &types[a.column];
        auto f = Bind(a.name, t, a.distinct);
        if (f == nullptr) return {"bind failed"};
        calls.push_back({f, a.column, "a" + std::to_string(i)});
    }
    ExecContext ctx;
    auto op = MakeHashAggregate(std::make_unique<BatchSource>(schema, std::move(rbs)),
                                std::move(keys), std::move(calls), &ctx);
    auto rows = Drain(*op);
    if (sort) std::sort(rows.begin(), rows.end());
    return rows;
}

std::vector<std::vector<ColumnVector>> One(ColumnVector c) {
    std::vector<std::vector<ColumnVector>> b(1);
    b[0].push_back(std::move(c));
    return b;
}

using Rows = std::vector<std::string>;

TEST(AggregateTest, IntegersWithNulls) {
    for (DataType t : {DataType::Int8(), DataType::Int16(), DataType::Int32(), DataType::Int64()}) {
        ColumnVector c(t);
        for (int v : {5, -3, 0, 7}) {
            c.AppendNull();
            switch (t.id()) {
                case TypeId::kInt8:
                    c.Append<int8_t>(static_cast<int8_t>(v));
                    break;
                case TypeId::kInt16:
                    c.Append<int16_t>(static_cast<int16_t>(v));
                    break;
                case TypeId::kInt32:
                    c.Append<int32_t>(v);
                    break;
                default:
                    c.Append<int64_t>(v);
                    break;
            }
        }
        EXPECT_EQ(
            GroupBy({t}, One(std::move(c)), {},
                    {{"count", -1}, {"count", 0}, {"sum", 0}, {"avg", 0}, {"min", 0}, {"max", 0}},
                    false),
            Rows{"8|4|9|2.25|-3|7"})
            << t.ToString();
    }
}

TEST(AggregateTest, FloatingPoint) {
    EXPECT_EQ(
        GroupBy({DataType::Double()}, One(Col<double>(DataType::Double(), {1.5, {}, -2.5, 4})), {},
                {{"sum", 0}, {"avg", 0}, {"min", 0}, {"max", 0}}),
        Rows{"3|1|-2.5|4"});
    // Trino: real sums and averages to real.
    EXPECT_EQ(GroupBy({DataType::Float()}, One(Col<float>(DataType::Float(), {1.5f, {}, 2.0f})), {},
                      {{"sum", 0}, {"avg", 0}, {"min", 0}, {"max", 0}}),
              Rows{"3.5|1.75|1.5|2"});
    // NaN is above every number: max is NaN, min ignores it.
    const double nan = std::numeric_limits<double>::quiet_NaN();
    EXPECT_EQ(
        GroupBy({DataType::Double()}, One(Col<double>(DataType::Double(), {nan, 1, -INFINITY})), {},
                {{"min", 0}, {"max", 0}}),
        Rows{"-inf|nan"});
}

TEST(AggregateTest, Decimal) {
    const DataType d = DataType::Decimal(10, 2);
    auto f = Bind("sum", &d);
    EXPECT_EQ(f->return_type, DataType::Decimal(38, 2));
    EXPECT_EQ(Bind("avg", &d)->return_type, d);
    // Unscaled: 1.50 + 2.51 + NULL; avg 2.005 rounds half up to 2.01.
    EXPECT_EQ(GroupBy({d}, One(Col<int64_t>(d, {150, 251, {}})), {},
                      {{"sum", 0}, {"avg", 0}, {"min", 0}, {"max", 0}}),
              Rows{"401|201|150|251"});
    EXPECT_EQ(GroupBy({d}, One(Col<int64_t>(d, {-1, -2})), {}, {{"avg", 0}}), Rows{"-2"});
    const DataType wide = DataType::Decimal(30, 0);
    const int128_t big = static_cast<int128_t>(1) << 80;
    EXPECT_EQ(
        GroupBy({wide}, One(Col<int128_t>(wide, {big, big, {}})), {},
                {{"sum", 0}, {"avg", 0}, {"max", 0}}),
        Rows{Int128ToString(2 * big) + "|" + Int128ToString(big) + "|" + Int128ToString(big)});
}

TEST(AggregateTest, OtherOrderableTypes) {
    EXPECT_EQ(GroupBy({DataType::Varchar()}, One(Strings({"pear", {}, "apple", "zz", "\xc3\xa9"})),
                      {}, {{"min", 0}, {"max", 0}, {"count", 0}}),
              Rows{"'apple'|'\xc3\xa9'|4"});
    EXPECT_EQ(GroupBy({DataType::Boolean()}, One(Col<uint8_t>(DataType::Boolean(), {1, {}, 0})), {},
                      {{"min", 0}, {"max", 0}}),
              Rows{"false|true"});
    EXPECT_EQ(GroupBy({DataType::Date()}, One(Col<int32_t>(DataType::Date(), {20000, -5, {}})), {},
                      {{"min", 0}, {"max", 0}}),
              Rows{"-5|20000"});
    EXPECT_EQ(GroupBy({DataType::Timestamp()},
                      One(Col<int64_t>(DataType::Timestamp(), {{}, 1700000000000000, 3})), {},
                      {{"min", 0}, {"max", 0}}),
              Rows{"3|1700000000000000"});
}

TEST(AggregateTest, StringMinMaxOwnBytesAcrossBatches) {
    // The source reuses one batch, so a state pointing into it would see later batches' bytes.
    std::vector<std::vector<ColumnVector>> batches;
    for (const char* s : {"mmm", "zzzzzzzzzzzz", "a", "b"}) {
        batches.emplace_back();
        batches.back().push_back(Strings({std::string(s)}));
    }
    EXPECT_EQ(GroupBy({DataType::Varchar()}, std::move(batches), {}, {{"min", 0}, {"max", 0}}),
              Rows{"'a'|'zzzzzzzzzzzz'"});
}

TEST(AggregateTest, EmptyInput) {
    EXPECT_EQ(GroupBy({DataType::Int64()}, {}, {},
                      {{"count", -1}, {"count", 0}, {"sum", 0}, {"avg", 0}, {"min", 0}}),
              Rows{"0|0|NULL|NULL|NULL"});
    EXPECT_EQ(GroupBy({DataType::Int64()}, {}, {0}, {{"count", -1}}), Rows{});
    // A key with no aggregates is SELECT DISTINCT.
    EXPECT_EQ(
        GroupBy({DataType::Int64()}, One(Col<int64_t>(DataType::Int64(), {1, 1, {}})), {0}, {}),
        (Rows{"1", "NULL"}));
}

TEST(AggregateTest, NullKeysFormOneGroup) {
    std::vector<std::vector<ColumnVector>> b(2);
    b[0].push_back(Col<int64_t>(DataType::Int64(), {1, {}, 2, {}}));
    b[0].push_back(Col<int64_t>(DataType::Int64(), {10, 20, 30, {}}));
    b[1].push_back(Col<int64_t>(DataType::Int64(), {{}, 1}));
    b[1].push_back(Col<int64_t>(DataType::Int64(), {40, 50}));
    EXPECT_EQ(GroupBy({DataType::Int64(), DataType::Int64()}, std::move(b), {0},
                      {{"count", -1}, {"sum", 1}}),
              (Rows{"1|2|60", "2|1|30", "NULL|3|60"}));
}

TEST(AggregateTest, DoubleKeysZeroAndNaN) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<std::vector<ColumnVector>> b(1);
    b[0].push_back(Col<double>(DataType::Double(), {0.0, -0.0, nan, -nan, 1.0, {}}));
    EXPECT_EQ(GroupBy({DataType::Double()}, std::move(b), {0}, {{"count", -1}}).size(), 4u);
}

TEST(AggregateTest, MultiColumnKeysWithStrings) {
    const std::vector<DataType> types = {DataType::Varchar(), DataType::Int32(), DataType::Int64()};
    std::vector<std::vector<ColumnVector>> b(2);
    b[0].push_back(Strings({"a", "a", "b", {}, "a"}));
    b[0].push_back(Col<int32_t>(DataType::Int32(), {1, 2, 1, 1, 1}));
    b[0].push_back(Col<int64_t>(DataType::Int64(), {1, 2, 3, 4, 5}));
    b[1].push_back(Strings({{}, "b", "ab", "a"}));
    b[1].push_back(Col<int32_t>(DataType::Int32(), {1, 1, {}, {}}));
    b[1].push_back(Col<int64_t>(DataType::Int64(), {6, 7, 8, 9}));
    EXPECT_EQ(GroupBy(types, std::move(b), {0, 1}, {{"sum", 2}, {"count", -1}}),
              (Rows{"'a'|1|6|2", "'a'|2|2|1", "'a'|NULL|9|1", "'ab'|NULL|8|1", "'b'|1|10|2",
                    "NULL|1|10|2"}));
}

TEST(AggregateTest, KeysOfEveryType) {
    const DataType wide = DataType::Decimal(30, 2);
    const DataType narrow = DataType::Decimal(9, 2);
    const std::vector<DataType> types = {DataType::Boolean(),
                                         DataType::Int8(),
                                         DataType::Int16(),
                                         DataType::Float(),
                                         DataType::Date(),
                                         DataType::Timestamp(),
                                         narrow,
                                         wide,
                                         DataType::Varbinary()};
    auto batch = [&] {
        std::vector<std::vector<ColumnVector>> b(1);
        b[0].push_back(Col<uint8_t>(DataType::Boolean(), {1, 1, {}, 0}));
        b[0].push_back(Col<int8_t>(DataType::Int8(), {-1, -1, {}, 4}));
        b[0].push_back(Col<int16_t>(DataType::Int16(), {300, 300, {}, 5}));
        b[0].push_back(Col<float>(DataType::Float(), {-0.0f, 0.0f, {}, 1.5f}));
        b[0].push_back(Col<int32_t>(DataType::Date(), {7, 7, {}, 8}));
        b[0].push_back(Col<int64_t>(DataType::Timestamp(), {9, 9, {}, 10}));
        b[0].push_back(Col<int64_t>(narrow, {11, 11, {}, 12}));
        b[0].push_back(Col<int128_t>(
            wide, {static_cast<int128_t>(1) << 90, static_cast<int128_t>(1) << 90, {}, 13}));
        b[0].push_back(Strings({"\x01", "\x01", {}, ""}, DataType::Varbinary()));
        return b;
    };
    const std::string big = Int128ToString(static_cast<int128_t>(1) << 90);
    EXPECT_EQ(
        GroupBy(types, batch(), {0, 1, 2, 3, 4, 5, 6, 7, 8}, {{"count", -1}}),
        (Rows{"NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|1", "false|4|5|1.5|8|10|12|13|''|1",
              "true|-1|300|-0|7|9|11|" + big + "|'\x01'|2"}));
    // Each key alone separates the same groups.
    for (int k = 0; k < static_cast<int>(types.size()); ++k) {
        EXPECT_EQ(GroupBy(types, batch(), {k}, {{"count", -1}}).size(), 3u) << k;
    }
}

TEST(AggregateTest, ManyGroupsAcrossBatches) {
    const int kGroups = 100000;
    std::mt19937_64 rng(42);
    std::map<int64_t, std::tuple<int64_t, int64_t, int64_t, int64_t>> expect;  // n, sum, min, max
    std::vector<std::vector<ColumnVector>> batches;
    for (int b = 0; b < 150; ++b) {
        ColumnVector k(DataType::Int64()), v(DataType::Int64());
        for (int i = 0; i < 2000; ++i) {
            const int64_t key = static_cast<int64_t>(rng() % kGroups) * 7919 - 5000;
            const int64_t val = static_cast<int64_t>(rng() % 1000) - 500;
            k.Append<int64_t>(key);
            v.Append<int64_t>(val);
            auto [it, fresh] = expect.try_emplace(key, 0, 0, val, val);
            auto& [n, sum, mn, mx] = it->second;
            ++n;
            sum += val;
            mn = std::min(mn, val);
            mx = std::max(mx, val);
        }
        batches.emplace_back();
        batches.back().push_back(std::move(k));
        batches.back().push_back(std::move(v));
    }
    Rows want;
    for (const auto& [key, t] : expect) {
        const auto& [n, sum, mn, mx] = t;
        want.push_back(std::to_string(key) + "|" + std::to_string(n) + "|" + std::to_string(sum) +
                       "|" + std::to_string(mn) + "|" + std::to_string(mx));
    }
    std::sort(want.begin(), want.end());
    EXPECT_GT(want.size(), 90000u);
    const auto got = GroupBy({DataType::Int64(), DataType::Int64()}, std::move(batches), {0},
                             {{"count", -1}, {"sum", 1}, {"min", 1}, {"max", 1}});
    EXPECT_EQ(got, want);
}

TEST(AggregateTest, ManyStringGroups) {
    std::map<std::string, int64_t> expect;
    std::vector<std::vector<ColumnVector>> batches;
    for (int b = 0; b < 20; ++b) {
        Str s;
        for (int i = 0; i < 1000; ++i) {
            const std::string k = "key-" + std::to_string((b * 1000 + i) * 37 % 5003);
            s.push_back(k);
            ++expect[k];
        }
        batches.emplace_back();
        batches.back().push_back(Strings(s));
    }
    Rows want;
    for (const auto& [k, n] : expect) want.push_back("'" + k + "'|" + std::to_string(n) + "|1");
    std::sort(want.begin(), want.end());
    EXPECT_EQ(GroupBy({DataType::Varchar()}, std::move(batches), {0},
                      {{"count", -1}, {"count", 0, true}}),
              want);
}

TEST(AggregateTest, Distinct) {
    const std::vector<DataType> types = {DataType::Int64(), DataType::Int64()};
    std::vector<std::vector<ColumnVector>> b(2);
    b[0].push_back(Col<int64_t>(DataType::Int64(), {1, 1, 1, 2, 2}));
    b[0].push_back(Col<int64_t>(DataType::Int64(), {5, 5, {}, 7, 7}));
    b[1].push_back(Col<int64_t>(DataType::Int64(), {1, 2, 3}));
    b[1].push_back(Col<int64_t>(DataType::Int64(), {6, 8, {}}));
    EXPECT_EQ(GroupBy(types, std::move(b), {0},
                      {{"count", 1, true}, {"sum", 1, true}, {"avg", 1, true}, {"count", 1}}),
              (Rows{"1|2|11|5.5|3", "2|2|15|7.5|3", "3|0|NULL|NULL|0"}));

    const double nan = std::numeric_limits<double>::quiet_NaN();
    EXPECT_EQ(GroupBy({DataType::Double()},
                      One(Col<double>(DataType::Double(), {0.0, -0.0, nan, nan, 1, {}})), {},
                      {{"count", 0, true}}),
              Rows{"3"});
    EXPECT_EQ(GroupBy({DataType::Varchar()}, One(Strings({"x", "y", "x", {}, ""})), {},
                      {{"count", 0, true}}),
              Rows{"3"});
    const DataType d = DataType::Decimal(5, 1);
    EXPECT_EQ(GroupBy({d}, One(Col<int64_t>(d, {10, 10, 25})), {}, {{"sum", 0, true}}), Rows{"35"});
}

TEST(AggregateTest, StatesAreFreedWhenOutputIsAbandoned) {
    // Under ASan, a leak here fails the run: the destructor must destroy the states (DISTINCT
    // sets, string copies) of groups that were never output.
    auto schema = MakeSchema({DataType::Int64(), DataType::Varchar()});
    ColumnVector k(DataType::Int64()), v(DataType::Varchar());
    for (int i = 0; i < 5000; ++i) {
        k.Append<int64_t>(i);
        v.AppendString("value number " + std::to_string(i));
    }
    std::vector<ColumnVector> cols;
    cols.push_back(std::move(k));
    cols.push_back(std::move(v));
    std::vector<RecordBatch> batches;
    batches.push_back(Batch(schema, std::move(cols)));
    const DataType varchar = DataType::Varchar();
    std::vector<AggregateCall> calls = {{Bind("count", &varchar, true), 1, "n"},
                                        {Bind("max", &varchar), 1, "m"}};
    ExecContext ctx;
    auto op = MakeHashAggregate(std::make_unique<BatchSource>(schema, std::move(batches)), {0},
                                std::move(calls), &ctx);
    auto first = op->Next();
    ASSERT_TRUE(first.ok());
    EXPECT_EQ((*first)->num_rows(), columnar::kDefaultBatchRows);
}

// A child that fails on its second batch.
class FailingSource final : public Operator {
public:
    explicit FailingSource(std::shared_ptr<const Schema> schema)
        : Operator(schema), batch_(schema) {
        batch_.column(0).Append<int64_t>(1);
        batch_.set_num_rows(1);
    }
    Result<RecordBatch*> Next() override {
        if (calls_++ == 0) return &batch_;
        return Status::IOError("disk on fire");
    }

private:
    RecordBatch batch_;
    int calls_ = 0;
};

TEST(AggregateTest, ChildErrorsPropagate) {
    auto schema = MakeSchema({DataType::Int64()});
    const DataType i64 = DataType::Int64();
    ExecContext ctx;
    auto op = MakeHashAggregate(std::make_unique<FailingSource>(schema), {0},
                                {{Bind("sum", &i64), 0, "s"}}, &ctx);
    auto r = op->Next();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kIOError);
}

TEST(AggregateTest, BigintOverflowIsAnError) {
    const int64_t max = std::numeric_limits<int64_t>::max();
    EXPECT_EQ(GroupBy({DataType::Int64()}, One(Col<int64_t>(DataType::Int64(), {max, 1})), {},
                      {{"sum", 0}}),
              Rows{"error: bigint addition overflow"});
    // An intermediate overflow fails even if the final sum would fit.
    EXPECT_EQ(GroupBy({DataType::Int64()}, One(Col<int64_t>(DataType::Int64(), {max, 1, -5})), {},
                      {{"sum", 0}}),
              Rows{"error: bigint addition overflow"});
    // avg does not overflow (exact 128-bit sum).
    EXPECT_EQ(GroupBy({DataType::Int64()}, One(Col<int64_t>(DataType::Int64(), {max, max})), {},
                      {{"avg", 0}}),
              Rows{"9.22337e+18"});
}

TEST(AggregateTest, Binding) {
    const DataType v = DataType::Varchar();
    const DataType i = DataType::Int32();
    EXPECT_EQ(BindError("foo", &i), "function 'foo' not registered");
    EXPECT_EQ(BindError("sum", &v),
              "unexpected parameters (varchar) for function sum; expected: sum(bigint), "
              "sum(double), sum(real), sum(decimal(p,s))");
    EXPECT_EQ(BindError("avg", &v).substr(0, 44), "unexpected parameters (varchar) for function");
    const DataType list = DataType::List(DataType::Int64());
    EXPECT_EQ(BindError("max", &list),
              "unexpected parameters (array(bigint)) for function max; expected: max(E) "
              "E:orderable");
    EXPECT_EQ(BindError("sum", nullptr).substr(0, 24), "unexpected parameters ()");
    EXPECT_EQ(Bind("count", &list)->return_type, DataType::Int64());
    EXPECT_EQ(Bind("sum", &i)->return_type, DataType::Int64());
    EXPECT_EQ(Bind("avg", &i)->return_type, DataType::Double());
    EXPECT_EQ(Bind("SUM", &i)->name, "sum");
    EXPECT_TRUE(Bind("count", &v, true)->distinct);
    EXPECT_TRUE(IsAggregateFunction("max"));
    EXPECT_FALSE(IsAggregateFunction("lower"));
}

TEST(AggregateTest, NestedKeysAreUnimplemented) {
    const std::vector<DataType> types = {DataType::List(DataType::Int64())};
    EXPECT_EQ(GroupBy(types, {}, {0}, {{"count", -1}}),
              Rows{"error: GROUP BY on row/array/map columns"});
}

TEST(AggregateTest, CountOfNestedArgument) {
    ColumnVector l(DataType::List(DataType::Int64()));
    l.child(0).Append<int64_t>(1);
    l.AppendListEnd();
    l.AppendNull();
    l.AppendListEnd();
    const DataType type = l.type();
    EXPECT_EQ(GroupBy({type}, One(std::move(l)), {}, {{"count", 0}}), Rows{"2"});
}

}  // namespace
}  // namespace tarn::sql
