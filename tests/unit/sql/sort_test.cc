// Sort and TopN (and GatherRows, which both output through): stability, NULLS FIRST/LAST,
// DESC, NaN, multiple keys, string prefixes, random data against std::stable_sort.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "exec_test_util.h"
#include "sql/exec/aggregate_sort.h"

namespace tarn::sql {
namespace {

using namespace tarn::sql::testing;  // NOLINT

using Rows = std::vector<std::string>;

std::vector<RecordBatch> Batches(const std::shared_ptr<const Schema>& schema,
                                 std::vector<std::vector<ColumnVector>> batches) {
    std::vector<RecordBatch> out;
    for (auto& cols : batches) out.push_back(Batch(schema, std::move(cols)));
    return out;
}

Rows SortRowsOf(const std::vector<DataType>& types, std::vector<std::vector<ColumnVector>> batches,
                std::vector<SortKey> keys, size_t* out_batches = nullptr) {
    auto schema = MakeSchema(types);
    ExecContext ctx;
    auto op = MakeSort(std::make_unique<BatchSource>(schema, Batches(schema, std::move(batches))),
                       std::move(keys), &ctx);
    return Drain(*op, out_batches);
}

Rows TopNRowsOf(const std::vector<DataType>& types, std::vector<std::vector<ColumnVector>> batches,
                std::vector<SortKey> keys, uint64_t limit, uint64_t offset) {
    auto schema = MakeSchema(types);
    ExecContext ctx;
    auto op = MakeTopN(std::make_unique<BatchSource>(schema, Batches(schema, std::move(batches))),
                       std::move(keys), limit, offset, &ctx);
    return Drain(*op);
}

std::vector<std::vector<ColumnVector>> Cols(ColumnVector a, ColumnVector b) {
    std::vector<std::vector<ColumnVector>> v(1);
    v[0].push_back(std::move(a));
    v[0].push_back(std::move(b));
    return v;
}

ColumnVector Ids(size_t n) {
    ColumnVector c(DataType::Int64());
    for (size_t i = 0; i < n; ++i) c.Append<int64_t>(static_cast<int64_t>(i));
    return c;
}

TEST(SortTest, StableAndNullsLastByDefault) {
    auto rows =
        SortRowsOf({DataType::Int32(), DataType::Int64()},
                   Cols(Col<int32_t>(DataType::Int32(), {3, {}, 1, 3, 1, {}, 2}), Ids(7)), {{0}});
    EXPECT_EQ(rows, (Rows{"1|2", "1|4", "2|6", "3|0", "3|3", "NULL|1", "NULL|5"}));
}

TEST(SortTest, DescendingAndNullsFirst) {
    auto data = [] {
        return Cols(Col<int32_t>(DataType::Int32(), {3, {}, 1, 3, 1, {}, 2}), Ids(7));
    };
    EXPECT_EQ(SortRowsOf({DataType::Int32(), DataType::Int64()}, data(), {{0, true, false}}),
              (Rows{"3|0", "3|3", "2|6", "1|2", "1|4", "NULL|1", "NULL|5"}));
    EXPECT_EQ(SortRowsOf({DataType::Int32(), DataType::Int64()}, data(), {{0, true, true}}),
              (Rows{"NULL|1", "NULL|5", "3|0", "3|3", "2|6", "1|2", "1|4"}));
    EXPECT_EQ(SortRowsOf({DataType::Int32(), DataType::Int64()}, data(), {{0, false, true}}),
              (Rows{"NULL|1", "NULL|5", "1|2", "1|4", "2|6", "3|0", "3|3"}));
}

TEST(SortTest, NaNIsLargest) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    auto data = [&] {
        return Cols(
            Col<double>(DataType::Double(), {nan, 1, -INFINITY, {}, INFINITY, -0.0, 0.0, -nan}),
            Ids(8));
    };
    EXPECT_EQ(SortRowsOf({DataType::Double(), DataType::Int64()}, data(), {{0}}),
              (Rows{"-inf|2", "-0|5", "0|6", "1|1", "inf|4", "nan|0", "-nan|7", "NULL|3"}));
    EXPECT_EQ(SortRowsOf({DataType::Double(), DataType::Int64()}, data(), {{0, true}}),
              (Rows{"nan|0", "-nan|7", "inf|4", "1|1", "-0|5", "0|6", "-inf|2", "NULL|3"}));
    auto fdata = Cols(Col<float>(DataType::Float(), {1.5f, std::nanf(""), -2.0f}), Ids(3));
    EXPECT_EQ(SortRowsOf({DataType::Float(), DataType::Int64()}, std::move(fdata), {{0}}),
              (Rows{"-2|2", "1.5|0", "nan|1"}));
}

TEST(SortTest, MultipleKeysAndStringPrefixes) {
    // Strings that share their first 8 bytes fall back to the full comparison; bytes order
    // unsigned ("\xc3\xa9" after "z").
    auto data =
        Cols(Strings({"abcdefghZ", "abcdefghA", "b", {}, "abcdefgh", "\xc3\xa9", "z", "abcdefghA"}),
             Col<int64_t>(DataType::Int64(), {1, 2, 3, 4, 5, 6, 7, 1}));
    EXPECT_EQ(
        SortRowsOf({DataType::Varchar(), DataType::Int64()}, std::move(data), {{0}, {1, true}}),
        (Rows{"'abcdefgh'|5", "'abcdefghA'|2", "'abcdefghA'|1", "'abcdefghZ'|1", "'b'|3", "'z'|7",
              "'\xc3\xa9'|6", "NULL|4"}));
    // The second key decides among NULLs of the first.
    auto nulls = Cols(Col<int32_t>(DataType::Int32(), {{}, 1, {}, {}}),
                      Col<int64_t>(DataType::Int64(), {5, 0, {}, 2}));
    EXPECT_EQ(SortRowsOf({DataType::Int32(), DataType::Int64()}, std::move(nulls),
                         {{0, false, true}, {1, false, true}}),
              (Rows{"NULL|NULL", "NULL|2", "NULL|5", "1|0"}));
}

TEST(SortTest, OtherKeyTypes) {
    const DataType wide = DataType::Decimal(30, 2);
    const int128_t big = static_cast<int128_t>(1) << 70;
    EXPECT_EQ(SortRowsOf({wide, DataType::Int64()},
                         Cols(Col<int128_t>(wide, {big + 1, -big, big, 0}), Ids(4)), {{0}}),
              (Rows{Int128ToString(-big) + "|1", "0|3", Int128ToString(big) + "|2",
                    Int128ToString(big + 1) + "|0"}));
    EXPECT_EQ(SortRowsOf({DataType::Boolean(), DataType::Date()},
                         Cols(Col<uint8_t>(DataType::Boolean(), {1, 0, 1}),
                              Col<int32_t>(DataType::Date(), {-3, 5, -4})),
                         {{0, true}, {1}}),
              (Rows{"true|-4", "true|-3", "false|5"}));
    EXPECT_EQ(SortRowsOf({DataType::Timestamp(), DataType::Int8()},
                         Cols(Col<int64_t>(DataType::Timestamp(), {5, -5, 0}),
                              Col<int8_t>(DataType::Int8(), {-1, 2, -128})),
                         {{1}}),
              (Rows{"0|-128", "5|-1", "-5|2"}));
}

TEST(SortTest, ManyBatchesOutputInBatchesOf2048) {
    std::vector<std::vector<ColumnVector>> batches;
    for (int b = 0; b < 5; ++b) {
        ColumnVector c(DataType::Int64());
        for (int i = 0; i < 1000; ++i) c.Append<int64_t>(5000 - (b * 1000 + i));
        batches.emplace_back();
        batches.back().push_back(std::move(c));
    }
    size_t n = 0;
    auto rows = SortRowsOf({DataType::Int64()}, std::move(batches), {{0}}, &n);
    ASSERT_EQ(rows.size(), 5000u);
    EXPECT_EQ(n, 3u);
    EXPECT_EQ(rows.front(), "1");
    EXPECT_EQ(rows.back(), "5000");
    EXPECT_EQ(SortRowsOf({DataType::Int64()}, {}, {{0}}), Rows{});
}

TEST(SortTest, NestedPayloadColumnsAreGathered) {
    // A STRUCT<a INT64, b LIST<VARCHAR>> and a MAP travel with their rows.
    const DataType list = DataType::List(DataType::Varchar());
    const DataType st = DataType::Struct({{"a", DataType::Int64()}, {"b", list}});
    const DataType map = DataType::Map(DataType::Varchar(), DataType::Int64());
    ColumnVector s(st), m(map);
    for (int i = 0; i < 3; ++i) {
        if (i == 1) {
            s.AppendNull();  // appends NULL members itself
        } else {
            s.child(0).Append<int64_t>(i);
            for (int j = 0; j < i; ++j) s.child(1).child(0).AppendString("x" + std::to_string(i));
            s.child(1).AppendListEnd();
            s.AppendStructEnd();
        }
        m.child(0).AppendString("k" + std::to_string(i));
        m.child(1).Append<int64_t>(i * 10);
        m.AppendListEnd();
    }
    ASSERT_TRUE(s.Validate().ok()) << s.Validate().ToString();
    std::vector<std::vector<ColumnVector>> b(1);
    b[0].push_back(Col<int32_t>(DataType::Int32(), {2, 0, 1}));
    b[0].push_back(std::move(s));
    b[0].push_back(std::move(m));
    auto schema = MakeSchema({DataType::Int32(), st, map});
    ExecContext ctx;
    auto op = MakeSort(std::make_unique<BatchSource>(schema, Batches(schema, std::move(b))),
                       {{0, true}}, &ctx);
    auto batch = op->Next();
    ASSERT_TRUE(batch.ok());
    const RecordBatch& out = **batch;
    ASSERT_TRUE(out.Validate().ok()) << out.Validate().ToString();
    // Input row 0 (key 2) first: struct {0, []}, then key 1 (row 2): {2, [x2, x2]}, then row 1.
    EXPECT_EQ(out.column(1).child(0).Value<int64_t>(0), 0);
    EXPECT_EQ(out.column(1).child(1).ListLength(0), 0u);
    EXPECT_EQ(out.column(1).child(0).Value<int64_t>(1), 2);
    EXPECT_EQ(out.column(1).child(1).ListLength(1), 2u);
    EXPECT_EQ(out.column(1).child(1).child(0).GetString(1), "x2");
    EXPECT_TRUE(out.column(1).IsNull(2));
    EXPECT_EQ(out.column(2).child(0).GetString(1), "k2");
    EXPECT_EQ(out.column(2).child(1).Value<int64_t>(2), 10);
}

TEST(GatherTest, NestedTypesWithNullsAndRepeatedRows) {
    // LIST<INT64> with a NULL element and a NULL list, MAP<VARCHAR, INT64>, STRUCT with a NULL.
    ColumnVector list(DataType::List(DataType::Int64()));
    list.child(0).Append<int64_t>(1);
    list.child(0).AppendNull();
    list.AppendListEnd();  // [1, NULL]
    list.AppendNull();     // NULL
    list.child(0).Append<int64_t>(3);
    list.AppendListEnd();  // [3]
    ColumnVector st(DataType::Struct({{"x", DataType::Varchar()}}));
    st.child(0).AppendString("a");
    st.AppendStructEnd();
    st.AppendNull();
    st.child(0).AppendString("c");
    st.AppendStructEnd();
    const uint32_t sel[] = {2, 0, 1, 0};
    ColumnVector out(list.type());
    out.AppendNull();  // GatherRows resets first
    GatherRows(list, sel, 4, &out);
    ASSERT_TRUE(out.Validate().ok()) << out.Validate().ToString();
    ASSERT_EQ(out.length(), 4u);
    EXPECT_EQ(out.ListLength(0), 1u);
    EXPECT_EQ(out.child(0).Value<int64_t>(0), 3);
    EXPECT_EQ(out.ListLength(1), 2u);
    EXPECT_TRUE(out.child(0).IsNull(2));
    EXPECT_TRUE(out.IsNull(2));
    EXPECT_EQ(out.ListLength(3), 2u);
    EXPECT_EQ(out.child(0).length(), 5u);
    ColumnVector sout(st.type());
    GatherRows(st, sel, 4, &sout);
    ASSERT_TRUE(sout.Validate().ok()) << sout.Validate().ToString();
    EXPECT_EQ(sout.child(0).GetString(0), "c");
    EXPECT_EQ(sout.child(0).GetString(1), "a");
    EXPECT_TRUE(sout.IsNull(2));
    EXPECT_TRUE(sout.IsValid(3));
    GatherRows(st, sel, 0, &sout);
    EXPECT_EQ(sout.length(), 0u);
}

// ---- Random data against std::stable_sort ------------------------------------------------------
struct Row {
    std::optional<int64_t> a;
    std::optional<std::string> b;
    std::optional<double> c;
    int64_t id;
};

std::vector<Row> RandomRows(size_t n, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<Row> rows;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double doubles[] = {0.0, -0.0, 1.5, -1.5, nan, INFINITY, 1e300};
    for (size_t i = 0; i < n; ++i) {
        Row r;
        if (rng() % 10 != 0) r.a = static_cast<int64_t>(rng() % 20) - 10;
        if (rng() % 10 != 0) {
            r.b = std::string(rng() % 3, 'p') + std::string(rng() % 10, 'q');
            if (rng() % 2) r.b->push_back(static_cast<char>('a' + rng() % 3));
        }
        if (rng() % 10 != 0) r.c = doubles[rng() % 7];
        r.id = static_cast<int64_t>(i);
        rows.push_back(r);
    }
    return rows;
}

// The reference order, written independently of the engine's comparator.
template <class T>
int RefCmp(const std::optional<T>& x, const std::optional<T>& y, const SortKey& k) {
    if (!x || !y) {
        if (!x && !y) return 0;
        return (!x == k.nulls_first) ? -1 : 1;
    }
    int c;
    if constexpr (std::is_same_v<T, double>) {
        const double u = *x, v = *y;
        if (std::isnan(u) || std::isnan(v)) {
            c = std::isnan(u) - std::isnan(v);
        } else {
            c = (u > v) - (u < v);
        }
    } else {
        c = (*x > *y) - (*x < *y);
    }
    return k.descending ? -c : c;
}

std::string Print(const Row& r) {
    auto d = [](double v) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", v);
        return std::string(buf);
    };
    return (r.a ? std::to_string(*r.a) : "NULL") + "|" + (r.b ? "'" + *r.b + "'" : "NULL") + "|" +
           (r.c ? d(*r.c) : "NULL") + "|" + std::to_string(r.id);
}

Rows Reference(std::vector<Row> rows, const std::vector<SortKey>& keys) {
    std::stable_sort(rows.begin(), rows.end(), [&](const Row& x, const Row& y) {
        for (const SortKey& k : keys) {
            int c = 0;
            if (k.column == 0) c = RefCmp(x.a, y.a, k);
            if (k.column == 1) c = RefCmp(x.b, y.b, k);
            if (k.column == 2) c = RefCmp(x.c, y.c, k);
            if (c != 0) return c < 0;
        }
        return false;
    });
    Rows out;
    for (const Row& r : rows) out.push_back(Print(r));
    return out;
}

std::vector<std::vector<ColumnVector>> ToBatches(const std::vector<Row>& rows, size_t per) {
    std::vector<std::vector<ColumnVector>> out;
    for (size_t s = 0; s < rows.size(); s += per) {
        ColumnVector a(DataType::Int64()), b(DataType::Varchar()), c(DataType::Double()),
            id(DataType::Int64());
        for (size_t i = s; i < std::min(rows.size(), s + per); ++i) {
            rows[i].a ? a.Append<int64_t>(*rows[i].a) : a.AppendNull();
            rows[i].b ? b.AppendString(*rows[i].b) : b.AppendNull();
            rows[i].c ? c.Append<double>(*rows[i].c) : c.AppendNull();
            id.Append<int64_t>(rows[i].id);
        }
        out.emplace_back();
        out.back().push_back(std::move(a));
        out.back().push_back(std::move(b));
        out.back().push_back(std::move(c));
        out.back().push_back(std::move(id));
    }
    return out;
}

const std::vector<DataType> kRowTypes = {DataType::Int64(), DataType::Varchar(), DataType::Double(),
                                         DataType::Int64()};

std::vector<std::vector<SortKey>> KeySets() {
    return {{{0}},
            {{1}},
            {{2}},
            {{1, true, true}, {0}},
            {{2, true}, {1, false, true}},
            {{0, true, true}, {2, false, true}, {1, true}},
            {{1, false, true}, {2}, {0, true}}};
}

TEST(SortTest, RandomAgainstStableSort) {
    const auto rows = RandomRows(5000, 7);
    for (const auto& keys : KeySets()) {
        EXPECT_EQ(SortRowsOf(kRowTypes, ToBatches(rows, 777), keys), Reference(rows, keys));
    }
}

TEST(TopNTest, EqualsSortThenLimit) {
    const auto rows = RandomRows(6000, 11);
    for (const auto& keys : KeySets()) {
        const Rows sorted = Reference(rows, keys);
        for (auto [limit, offset] : std::vector<std::pair<uint64_t, uint64_t>>{{1, 0},
                                                                               {10, 0},
                                                                               {10, 5},
                                                                               {100, 2000},
                                                                               {3000, 0},
                                                                               {10000, 0},
                                                                               {5, 5990},
                                                                               {5, 7000},
                                                                               {0, 0},
                                                                               {UINT64_MAX, 3}}) {
            const size_t from = std::min<size_t>(offset, sorted.size());
            const size_t to =
                std::min<uint64_t>(sorted.size(), from + std::min<uint64_t>(limit, sorted.size()));
            const Rows want(sorted.begin() + from, sorted.begin() + to);
            EXPECT_EQ(TopNRowsOf(kRowTypes, ToBatches(rows, 1000), keys, limit, offset), want)
                << "limit " << limit << " offset " << offset;
        }
    }
}

TEST(SortTest, LongStringsAndWideDecimalsInLargeRuns) {
    // Runs larger than the insertion-sort cutoff: strings sharing 20-byte prefixes (several 8-byte
    // windows deep, with lengths ending inside and at window edges) and 128-bit decimals whose
    // high halves tie, each against std::stable_sort.
    std::mt19937_64 rng(3);
    const DataType wide = DataType::Decimal(38, 0);
    std::vector<std::pair<std::string, int128_t>> values;
    for (int i = 0; i < 3000; ++i) {
        std::string str(16 + rng() % 9, 'x');
        for (size_t n = rng() % 4; n > 0; --n) str.push_back(static_cast<char>('a' + rng() % 2));
        const int128_t hi = static_cast<int128_t>(static_cast<int64_t>(rng() % 3) - 1) << 64;
        values.emplace_back(str, hi + static_cast<int128_t>(rng() % 5));
    }
    for (bool desc : {false, true}) {
        for (int column : {0, 1}) {
            ColumnVector a(DataType::Varchar()), b(wide);
            for (const auto& [str, d] : values) {
                a.AppendString(str);
                b.Append<int128_t>(d);
            }
            std::vector<std::vector<ColumnVector>> batches(1);
            batches[0].push_back(std::move(a));
            batches[0].push_back(std::move(b));
            batches[0].push_back(Ids(values.size()));
            std::vector<size_t> idx(values.size());
            std::iota(idx.begin(), idx.end(), 0);
            std::stable_sort(idx.begin(), idx.end(), [&](size_t x, size_t y) {
                const auto& u = values[desc ? y : x];
                const auto& v = values[desc ? x : y];
                return column == 0 ? u.first < v.first : u.second < v.second;
            });
            Rows want;
            for (size_t i : idx) {
                want.push_back("'" + values[i].first + "'|" + Int128ToString(values[i].second) +
                               "|" + std::to_string(i));
            }
            EXPECT_EQ(SortRowsOf({DataType::Varchar(), wide, DataType::Int64()}, std::move(batches),
                                 {{column, desc}}),
                      want)
                << "column " << column << " desc " << desc;
        }
    }
}

TEST(TopNTest, EmptyInput) { EXPECT_EQ(TopNRowsOf(kRowTypes, {}, {{0}}, 10, 0), Rows{}); }

TEST(SortTest, NestedKeysAreUnimplemented) {
    const DataType list = DataType::List(DataType::Int64());
    EXPECT_EQ(SortRowsOf({list}, {}, {{0}}), Rows{"error: ORDER BY on row/array/map columns"});
}

}  // namespace
}  // namespace tarn::sql
