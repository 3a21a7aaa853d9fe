// ExpressionEvaluator over hand-built bound trees: three-valued logic, IS NULL, IN, CASE (and its
// guarding of errors in branches not taken), COALESCE, casts, field access, Select, constants;
// plus BoundExpr's own methods and Value's literal text.
#include <gtest/gtest.h>

#include <cmath>

#include "expr_test_util.h"

namespace tarn::sql {
namespace {

using namespace testing;  // NOLINT
using columnar::Field;

const DataType kBigint = DataType::Int64();
const DataType kBool = DataType::Boolean();
const DataType kVarchar = DataType::Varchar();

BoundExprPtr CaseOf(std::vector<BoundExprPtr> children, const DataType& type, bool has_else) {
    BoundExprPtr e = Node(BoundKind::kCase, type, std::move(children));
    e->has_else = has_else;
    return e;
}

// Every combination of TRUE, FALSE, NULL for (c0, c1).
columnar::RecordBatch TruthTable() {
    const Value t = B(true), f = B(false), n = N();
    return Batch(Vec(kBool, {t, t, t, f, f, f, n, n, n}), Vec(kBool, {t, f, n, t, f, n, t, f, n}));
}

TEST(EvaluatorTest, AndOrNotTruthTables) {
    const columnar::RecordBatch batch = TruthTable();
    EXPECT_EQ(Eval(*Node(BoundKind::kAnd, kBool, List(Col(batch, 0), Col(batch, 1))), batch),
              "TRUE, FALSE, NULL, FALSE, FALSE, FALSE, NULL, FALSE, NULL");
    EXPECT_EQ(Eval(*Node(BoundKind::kOr, kBool, List(Col(batch, 0), Col(batch, 1))), batch),
              "TRUE, TRUE, TRUE, TRUE, FALSE, NULL, TRUE, NULL, NULL");
    EXPECT_EQ(Eval(*Node(BoundKind::kNot, kBool, List(Col(batch, 1))), batch),
              "FALSE, TRUE, NULL, FALSE, TRUE, NULL, FALSE, TRUE, NULL");
    // Three operands.
    EXPECT_EQ(Eval(*Node(BoundKind::kAnd, kBool, List(Col(batch, 0), Col(batch, 1), Lit(B(true)))),
                   batch),
              "TRUE, FALSE, NULL, FALSE, FALSE, FALSE, NULL, FALSE, NULL");
    EXPECT_EQ(Eval(*Node(BoundKind::kOr, kBool, List(Col(batch, 0), Col(batch, 1), Lit(B(false)))),
                   batch),
              "TRUE, TRUE, TRUE, TRUE, FALSE, NULL, TRUE, NULL, NULL");
}

TEST(EvaluatorTest, AndSkipsRowsAlreadyFalse) {
    // x <> 0 AND 10 / x > 1: the division never sees x = 0.
    const columnar::RecordBatch batch = Batch(Vec(kBigint, {I(0), I(5), I(20), N()}));
    BoundExprPtr e =
        Node(BoundKind::kAnd, kBool,
             List(Call("$ne", List(Col(batch, 0), Lit(I(0)))),
                  Call("$gt", List(Call("$divide", List(Lit(I(10)), Col(batch, 0))), Lit(I(1))))));
    EXPECT_EQ(Eval(*e, batch), "FALSE, TRUE, FALSE, NULL");
    BoundExprPtr o =
        Node(BoundKind::kOr, kBool,
             List(Call("$eq", List(Col(batch, 0), Lit(I(0)))),
                  Call("$gt", List(Call("$divide", List(Lit(I(10)), Col(batch, 0))), Lit(I(1))))));
    EXPECT_EQ(Eval(*o, batch), "TRUE, TRUE, FALSE, NULL");
}

TEST(EvaluatorTest, IsNull) {
    const columnar::RecordBatch batch = Batch(Vec(kBigint, {I(1), N()}));
    BoundExprPtr is_null = Node(BoundKind::kIsNull, kBool, List(Col(batch, 0)));
    EXPECT_EQ(Eval(*is_null, batch), "FALSE, TRUE");
    is_null->negated = true;
    EXPECT_EQ(Eval(*is_null, batch), "TRUE, FALSE");
}

TEST(EvaluatorTest, InList) {
    const columnar::RecordBatch batch = Batch(Vec(kBigint, {I(1), I(3), N()}));
    BoundExprPtr in = Node(BoundKind::kIn, kBool, List(Col(batch, 0), Lit(I(1)), Lit(I(2))));
    EXPECT_EQ(Eval(*in, batch), "TRUE, FALSE, NULL");
    in->negated = true;
    EXPECT_EQ(Eval(*in, batch), "FALSE, TRUE, NULL");
    // A NULL in the list: no match is NULL, not FALSE.
    BoundExprPtr with_null =
        Node(BoundKind::kIn, kBool, List(Col(batch, 0), Lit(I(1)), Lit(Value::Null(kBigint))));
    EXPECT_EQ(Eval(*with_null, batch), "TRUE, NULL, NULL");
    with_null->negated = true;
    EXPECT_EQ(Eval(*with_null, batch), "FALSE, NULL, NULL");

    const columnar::RecordBatch strings = Batch(Vec(kVarchar, {S("de"), S("fr"), S("")}));
    BoundExprPtr s = Node(BoundKind::kIn, kBool, List(Col(strings, 0), Lit(S("fr")), Lit(S(""))));
    EXPECT_EQ(Eval(*s, strings), "FALSE, TRUE, TRUE");
}

// Short string lists are compared one by one, longer ones probe a hash set: both answer alike.
TEST(EvaluatorTest, InListOfStringsShortAndLong) {
    const columnar::RecordBatch strings =
        Batch(Vec(kVarchar, {S("DE"), S("D"), S(""), S("DEU"), S("v9"), N(), S("v10")}));
    for (int extra : {0, 2, 7, 8, 20}) {  // up to 8 strings: linear; more: the hash set
        std::vector<BoundExprPtr> items = List(Col(strings, 0), Lit(S("DE")), Lit(S("")));
        for (int i = 0; i < extra; ++i) items.push_back(Lit(S("v" + std::to_string(i))));
        BoundExprPtr in = Node(BoundKind::kIn, kBool, std::move(items));
        const std::string v9 = extra > 9 ? "TRUE" : "FALSE";
        const std::string v10 = extra > 10 ? "TRUE" : "FALSE";
        EXPECT_EQ(Eval(*in, strings),
                  "TRUE, FALSE, TRUE, FALSE, " + v9 + ", NULL, " + v10)
            << extra;
    }
}

TEST(EvaluatorTest, InListOverColumnsScansEachValue) {
    // Values that are not constants: compared row by row.
    const columnar::RecordBatch batch =
        Batch(Vec(kBigint, {I(1), I(2), I(3), N()}), Vec(kBigint, {I(1), I(5), N(), I(4)}));
    BoundExprPtr in = Node(BoundKind::kIn, kBool, List(Col(batch, 0), Col(batch, 1), Lit(I(2))));
    EXPECT_EQ(Eval(*in, batch), "TRUE, TRUE, NULL, NULL");
    in->negated = true;
    EXPECT_EQ(Eval(*in, batch), "FALSE, FALSE, NULL, NULL");
}

TEST(EvaluatorTest, InListOfConstantsByType) {
    const DataType d = DataType::Decimal(5, 2);
    const columnar::RecordBatch decimals = Batch(Vec(d, {Dec(5, 2, 150), Dec(5, 2, 151)}));
    // 1.5 is cast to decimal(5,2), as the binder would: a folded constant in the set.
    EXPECT_EQ(Eval(*Node(BoundKind::kIn, kBool,
                         List(Col(decimals, 0), Cast(Lit(Dec(2, 1, 15)), d), Lit(Dec(5, 2, 7)))),
                   decimals),
              "TRUE, FALSE");
    const DataType wide = DataType::Decimal(30, 0);
    const columnar::RecordBatch big = Batch(Vec(wide, {Dec(30, 0, columnar::int128_t{1} << 90)}));
    EXPECT_EQ(Eval(*Node(BoundKind::kIn, kBool,
                         List(Col(big, 0), Lit(Dec(30, 0, columnar::int128_t{1} << 90)))),
                   big),
              "TRUE");
    const columnar::RecordBatch doubles =
        Batch(Vec(DataType::Double(), {D(0.5), D(std::nan("")), D(-0.0)}));
    EXPECT_EQ(Eval(*Node(BoundKind::kIn, kBool,
                         List(Col(doubles, 0), Lit(D(0.5)), Lit(D(std::nan(""))), Lit(D(0.0)))),
                   doubles),
              "TRUE, FALSE, TRUE");
    const columnar::RecordBatch dates = Batch(Vec(DataType::Date(), {I(19782), I(1)}));
    EXPECT_EQ(
        Eval(*Node(BoundKind::kIn, kBool, List(Col(dates, 0), Lit(Value::Date(19782)))), dates),
        "TRUE, FALSE");
    const columnar::RecordBatch bools = Batch(Vec(kBool, {B(true), B(false)}));
    EXPECT_EQ(Eval(*Node(BoundKind::kIn, kBool, List(Col(bools, 0), Lit(B(false)))), bools),
              "FALSE, TRUE");
    // A constant that fails to fold is the query's error.
    const columnar::RecordBatch ints = Batch(Vec(kBigint, {I(1)}));
    EXPECT_EQ(Eval(*Node(BoundKind::kIn, kBool,
                         List(Col(ints, 0), Call("$divide", List(Lit(I(1)), Lit(I(0)))))),
                   ints),
              "error: Division by zero");
}

TEST(EvaluatorTest, CaseGuardsDivisionByZero) {
    // CASE WHEN x <> 0 THEN 10 / x END
    const columnar::RecordBatch batch = Batch(Vec(kBigint, {I(0), I(5), N(), I(-2)}));
    BoundExprPtr e = CaseOf(List(Call("$ne", List(Col(batch, 0), Lit(I(0)))),
                                 Call("$divide", List(Lit(I(10)), Col(batch, 0)))),
                            kBigint, false);
    EXPECT_EQ(Eval(*e, batch), "NULL, 2, NULL, -5");
    // Unguarded, the same division fails.
    BoundExprPtr bare = Call("$divide", List(Lit(I(10)), Col(batch, 0)));
    EXPECT_EQ(Eval(*bare, batch), "error: Division by zero");
    // ... and a taken branch still reports it.
    BoundExprPtr taken = CaseOf(
        List(Lit(B(true)), Call("$divide", List(Lit(I(10)), Col(batch, 0)))), kBigint, false);
    EXPECT_EQ(Eval(*taken, batch), "error: Division by zero");
}

TEST(EvaluatorTest, CaseBranchesAndElse) {
    // CASE WHEN x < 0 THEN 'neg' WHEN x < 10 THEN 'small' ELSE 'big' END; NULL x takes ELSE.
    const columnar::RecordBatch batch = Batch(Vec(kBigint, {I(-1), I(5), I(50), N()}));
    BoundExprPtr e =
        CaseOf(List(Call("$lt", List(Col(batch, 0), Lit(I(0)))), Lit(S("neg")),
                    Call("$lt", List(Col(batch, 0), Lit(I(10)))), Lit(S("small")), Lit(S("big"))),
               kVarchar, true);
    EXPECT_EQ(Eval(*e, batch), "'neg', 'small', 'big', 'big'");
    // The first WHEN that holds wins; ELSE guards too.
    BoundExprPtr f =
        CaseOf(List(Call("$eq", List(Col(batch, 0), Lit(I(50)))), Lit(I(1)), Lit(B(true)),
                    Lit(I(2)), Call("$divide", List(Lit(I(1)), Lit(I(0))))),
               kBigint, true);
    EXPECT_EQ(Eval(*f, batch), "2, 2, 1, 2");
    // A column as a THEN branch keeps its own NULLs.
    BoundExprPtr g = CaseOf(List(Lit(B(true)), Col(batch, 0)), kBigint, false);
    EXPECT_EQ(Eval(*g, batch), "-1, 5, 50, NULL");
}

TEST(EvaluatorTest, CaseGuardsCastErrors) {
    const columnar::RecordBatch batch = Batch(Vec(kVarchar, {S("12"), S("abc"), N()}));
    BoundExprPtr e =
        CaseOf(List(Call("$ne", List(Col(batch, 0), Lit(S("abc")))), Cast(Col(batch, 0), kBigint)),
               kBigint, false);
    EXPECT_EQ(Eval(*e, batch), "12, NULL, NULL");
    EXPECT_EQ(Eval(*Cast(Col(batch, 0), kBigint), batch), "error: Cannot cast 'abc' to BIGINT");
    BoundExprPtr taken = CaseOf(List(Lit(B(true)), Cast(Col(batch, 0), kBigint)), kBigint, false);
    EXPECT_EQ(Eval(*taken, batch), "error: Cannot cast 'abc' to BIGINT");
    EXPECT_EQ(Eval(*Cast(Col(batch, 0), kBigint, /*try_cast=*/true), batch), "12, NULL, NULL");
}

TEST(EvaluatorTest, Coalesce) {
    const columnar::RecordBatch batch =
        Batch(Vec(kBigint, {I(1), N(), N()}), Vec(kBigint, {I(0), I(2), N()}));
    EXPECT_EQ(Eval(*Node(BoundKind::kCoalesce, kBigint, List(Col(batch, 0), Col(batch, 1))), batch),
              "1, 2, NULL");
    EXPECT_EQ(
        Eval(*Node(BoundKind::kCoalesce, kBigint, List(Col(batch, 0), Col(batch, 1), Lit(I(-1)))),
             batch),
        "1, 2, -1");
    // Later arguments only run where earlier ones are NULL: 10 / c1 never sees row 0's zero.
    BoundExprPtr lazy = Node(BoundKind::kCoalesce, kBigint,
                             List(Col(batch, 0), Call("$divide", List(Lit(I(10)), Col(batch, 1)))));
    EXPECT_EQ(Eval(*lazy, batch), "1, 5, NULL");
    const columnar::RecordBatch strings = Batch(Vec(kVarchar, {N(), S("x")}));
    EXPECT_EQ(
        Eval(*Node(BoundKind::kCoalesce, kVarchar, List(Col(strings, 0), Lit(S("none")))), strings),
        "'none', 'x'");
}

TEST(EvaluatorTest, FieldAccess) {
    const DataType row = DataType::Struct({Field{"a", kBigint}, Field{"b", kVarchar}});
    ColumnVector v(row);
    for (int i = 0; i < 3; ++i) {
        v.child(0).Append<int64_t>(i * 10);
        if (i == 1) {
            v.child(1).AppendNull();
        } else {
            v.child(1).AppendString("s" + std::to_string(i));
        }
        v.AppendStructEnd();
    }
    const columnar::RecordBatch all_valid = Batch(std::move(v));
    BoundExprPtr a = Node(BoundKind::kField, kBigint, List(Col(all_valid, 0)));
    a->field_index = 0;
    EXPECT_EQ(Eval(*a, all_valid), "0, 10, 20");
    EXPECT_EQ(a->ToString(), "c0.a");

    ColumnVector w(row);
    for (int i = 0; i < 3; ++i) {
        w.child(0).Append<int64_t>(i);
        w.child(1).AppendString("t");
        w.AppendStructEnd();
    }
    w.SetNull(2);
    const columnar::RecordBatch with_null = Batch(std::move(w));
    BoundExprPtr b = Node(BoundKind::kField, kVarchar, List(Col(with_null, 0)));
    b->field_index = 1;
    EXPECT_EQ(Eval(*b, with_null), "'t', 't', NULL");
    BoundExprPtr a2 = Node(BoundKind::kField, kBigint, List(Col(with_null, 0)));
    a2->field_index = 0;
    EXPECT_EQ(Eval(*a2, with_null), "0, 1, NULL");
}

TEST(EvaluatorTest, NestedMembersUnderNullStructs) {
    // payload.tags and payload.address where payload is sometimes NULL.
    const DataType address = DataType::Struct({Field{"city", kVarchar}});
    const DataType tags = DataType::List(kVarchar);
    const DataType payload = DataType::Struct({Field{"address", address}, Field{"tags", tags}});
    ColumnVector v(payload);
    for (int i = 0; i < 3; ++i) {
        ColumnVector& a = v.child(0);
        a.child(0).AppendString("c" + std::to_string(i));
        a.AppendStructEnd();
        ColumnVector& t = v.child(1);
        for (int k = 0; k < i; ++k) t.child(0).AppendString("t" + std::to_string(k));
        t.AppendListEnd();
        v.AppendStructEnd();
    }
    v.SetNull(1);
    const columnar::RecordBatch batch = Batch(std::move(v));
    BoundExprPtr addr = Node(BoundKind::kField, address, List(Col(batch, 0)));
    addr->field_index = 0;
    BoundExprPtr city = Node(BoundKind::kField, kVarchar, List(std::move(addr)));
    city->field_index = 0;
    EXPECT_EQ(Eval(*city, batch), "'c0', NULL, 'c2'");

    BoundExprPtr tag_list = Node(BoundKind::kField, tags, List(Col(batch, 0)));
    tag_list->field_index = 1;
    ExpressionEvaluator evaluator(tag_list.get());
    auto result = evaluator.Evaluate(batch);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    ASSERT_TRUE((*result)->Validate().ok());
    EXPECT_TRUE((*result)->IsValid(0));
    EXPECT_TRUE((*result)->IsNull(1));
    EXPECT_EQ((*result)->ListLength(2), 2u);
    EXPECT_EQ(Show((*result)->child(0), 2), "'t0', 't1'");

    // COALESCE over arrays picks whole lists.
    BoundExprPtr first = Node(BoundKind::kField, tags, List(Col(batch, 0)));
    first->field_index = 1;
    BoundExprPtr coalesce = Node(BoundKind::kCoalesce, tags, List(std::move(first)));
    ExpressionEvaluator coalesce_evaluator(coalesce.get());
    auto picked = coalesce_evaluator.Evaluate(batch);
    ASSERT_TRUE(picked.ok()) << picked.status().ToString();
    ASSERT_TRUE((*picked)->Validate().ok());
    EXPECT_EQ((*picked)->ListLength(2), 2u);
    EXPECT_TRUE((*picked)->IsNull(1));
}

TEST(EvaluatorTest, ConstantsAndColumnsAcrossBatches) {
    // One evaluator, batches of growing and shrinking size: the broadcast constant is reused.
    BoundExprPtr e = Call("$add", List(MakeColumnRef(0, kBigint, "x"), Lit(I(100))));
    ExpressionEvaluator evaluator(e.get());
    for (size_t rows : {3u, 70u, 2u, 130u}) {
        std::vector<Value> values;
        for (size_t i = 0; i < rows; ++i) values.push_back(i % 7 == 3 ? N() : I(int64_t(i)));
        const columnar::RecordBatch batch = BatchOf([&] {
            std::vector<ColumnVector> c;
            c.push_back(Vec(kBigint, values));
            return c;
        }());
        auto result = evaluator.Evaluate(batch);
        ASSERT_TRUE(result.ok()) << result.status().ToString();
        ASSERT_EQ((*result)->length(), rows);
        for (size_t i = 0; i < rows; ++i) {
            if (i % 7 == 3) {
                EXPECT_TRUE((*result)->IsNull(i));
            } else {
                EXPECT_EQ((*result)->Value<int64_t>(i), int64_t(i) + 100);
            }
        }
    }
    // A bare column is the input's own vector.
    const columnar::RecordBatch batch = Batch(Vec(kBigint, {I(1)}));
    BoundExprPtr col = Col(batch, 0);
    ExpressionEvaluator column_evaluator(col.get());
    EXPECT_EQ(*column_evaluator.Evaluate(batch), &batch.column(0));
    // A bare constant has at least num_rows slots.
    BoundExprPtr lit = Lit(S("k"));
    EXPECT_EQ(Eval(*lit, batch), "'k'");
}

TEST(EvaluatorTest, RetypedConstantsAndEmptyBatches) {
    // A literal the binder retyped without converting its Value (bigint 5 as decimal(5,2)).
    BoundExprPtr lit = Lit(I(5));
    lit->type = DataType::Decimal(5, 2);
    const columnar::RecordBatch batch = Batch(Vec(kBigint, {I(1), I(2)}));
    EXPECT_EQ(Eval(*lit, batch), "DECIMAL '5.00', DECIMAL '5.00'");
    // No rows: every construct yields an empty vector.
    const columnar::RecordBatch empty = Batch(Vec(kBigint, {}));
    BoundExprPtr e = CaseOf(List(Call("$ne", List(Col(empty, 0), Lit(I(0)))),
                                 Call("$divide", List(Lit(I(10)), Col(empty, 0)))),
                            kBigint, false);
    EXPECT_EQ(Eval(*e, empty), "");
    EXPECT_EQ(Eval(*Node(BoundKind::kAnd, kBool,
                         List(Call("$gt", List(Col(empty, 0), Lit(I(1)))), Lit(B(true)))),
                   empty),
              "");
}

TEST(EvaluatorTest, Select) {
    const columnar::RecordBatch batch = Batch(Vec(kBigint, {I(5), I(1), N(), I(7)}));
    BoundExprPtr e = Call("$gt", List(Col(batch, 0), Lit(I(2))));
    ExpressionEvaluator evaluator(e.get());
    std::vector<uint32_t> selection = {99};
    ASSERT_TRUE(evaluator.Select(batch, &selection).ok());
    EXPECT_EQ(selection, (std::vector<uint32_t>{0, 3}));
}

TEST(EvaluatorTest, EvaluateConstant) {
    BoundExprPtr sum = Call("$add", List(Lit(I(1)), Lit(I32(2))));
    ASSERT_TRUE(sum->IsConstant());
    auto v = EvaluateConstant(*sum);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(v->ToSql(), "3");
    EXPECT_EQ(EvaluateConstant(*Call("$divide", List(Lit(I(1)), Lit(I(0))))).status().message(),
              "Division by zero");
    EXPECT_EQ(EvaluateConstant(*Cast(Lit(S("x")), kBigint)).status().message(),
              "Cannot cast 'x' to BIGINT");
    EXPECT_EQ(EvaluateConstant(*Cast(Lit(S("x")), kBigint, true))->ToSql(), "NULL");
    auto like = EvaluateConstant(*Call("$like", List(Lit(S("abc")), Lit(S("a%")))));
    EXPECT_EQ(like->ToSql(), "TRUE");
}

TEST(BoundExprTest, ToStringCloneAndColumns) {
    BoundExprPtr e =
        Node(BoundKind::kAnd, kBool,
             List(Call("$gt", List(MakeColumnRef(3, kBigint, "price"), Lit(I(10)))),
                  Call("$like", List(MakeColumnRef(1, kVarchar, "name"), Lit(S("it's%")))),
                  Node(BoundKind::kIsNull, kBool, List(MakeColumnRef(3, kBigint, "price")))));
    EXPECT_EQ(e->ToString(), "((price > 10) AND (name LIKE 'it''s%') AND (price IS NULL))");
    EXPECT_FALSE(e->IsConstant());
    std::vector<int> columns;
    e->CollectColumns(&columns);
    EXPECT_EQ(columns, (std::vector<int>{3, 1}));
    BoundExprPtr copy = e->Clone();
    copy->RemapColumns({-1, 0, -1, 1});
    columns.clear();
    copy->CollectColumns(&columns);
    EXPECT_EQ(columns, (std::vector<int>{1, 0}));
    EXPECT_EQ(copy->ToString(), e->ToString());  // names unchanged
    EXPECT_EQ(e->children[0]->children[0]->column, 3);

    BoundExprPtr c = Cast(MakeColumnRef(0, kVarchar, "s"), DataType::Decimal(10, 2), true);
    EXPECT_EQ(c->ToString(), "TRY_CAST(s AS DECIMAL(10,2))");
    BoundExprPtr in = Node(BoundKind::kIn, kBool, List(MakeColumnRef(0, kBigint, "x"), Lit(I(1))));
    in->negated = true;
    EXPECT_EQ(in->ToString(), "(x NOT IN (1))");
    BoundExprPtr kase = CaseOf(List(Lit(B(true)), Lit(I(1)), Lit(I(2))), kBigint, true);
    EXPECT_EQ(kase->ToString(), "CASE WHEN TRUE THEN 1 ELSE 2 END");
    EXPECT_EQ(Call("$negate", List(MakeColumnRef(0, kBigint, "x")))->ToString(), "(-x)");
}

TEST(BoundExprTest, NonFoldableCallsAreNotConstant) {
    BoundExprPtr e = Call("$add", List(Lit(I(1)), Lit(I(2))));
    auto f = std::make_shared<ScalarFunction>(*e->function);
    f->foldable = false;
    e->function = f;
    EXPECT_FALSE(e->IsConstant());
}

TEST(ValueTest, ToSql) {
    EXPECT_EQ(S("it's").ToSql(), "'it''s'");
    EXPECT_EQ(N().ToSql(), "NULL");
    EXPECT_EQ(Value::Date(19782).ToSql(), "DATE '2024-02-29'");
    EXPECT_EQ(Value::Timestamp(1704164645123000).ToSql(), "TIMESTAMP '2024-01-02 03:04:05.123000'");
    EXPECT_EQ(Dec(5, 2, -5).ToSql(), "DECIMAL '-0.05'");
    EXPECT_EQ(D(2).ToSql(), "2E0");
    EXPECT_EQ(B(false).ToSql(), "FALSE");
    ColumnVector reals(DataType::Float());
    reals.Append<float>(0.1f);
    EXPECT_EQ(ValueAt(reals, 0).ToSql(), "REAL '0.1'");
    EXPECT_EQ(Value::Varchar("x").ToSql(), "'x'");
    Value bytes = Value::Varchar("\x01\xab");
    bytes.type = DataType::Varbinary();
    EXPECT_EQ(bytes.ToSql(), "X'01AB'");
    // Round trip through a vector.
    ColumnVector v(DataType::Decimal(30, 3));
    AppendValue(Dec(30, 3, columnar::int128_t{1} << 80), &v);
    AppendValue(Value::Null(DataType::Decimal(30, 3)), &v);
    EXPECT_EQ(ValueAt(v, 0).AsInt128(), columnar::int128_t{1} << 80);
    EXPECT_TRUE(ValueAt(v, 1).is_null);
}

}  // namespace
}  // namespace tarn::sql
