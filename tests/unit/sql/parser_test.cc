#include "sql/parser/parser.h"

#include <gtest/gtest.h>

#include <string>

namespace tarn::sql {
namespace {

// The statement printed back, or "error: <message>".
std::string Sql(std::string_view sql) {
    auto s = ParseStatement(sql);
    if (!s.ok()) return "error: " + s.status().message();
    return ToSql(*s);
}

// The first select item of `SELECT <expr>`, printed fully parenthesised.
std::string E(std::string_view expr) {
    auto s = ParseStatement("SELECT " + std::string(expr));
    if (!s.ok()) return "error: " + s.status().message();
    return ToSql(*s->select->items.at(0).expr);
}

// The error message of a statement that must fail with InvalidArgument.
std::string Err(std::string_view sql) {
    auto s = ParseStatement(sql);
    if (s.ok()) return "parsed: " + ToSql(*s);
    EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
    return s.status().message();
}

TEST(ParserTest, PrecedenceOfArithmetic) {
    EXPECT_EQ(E("a+b*c"), "(a + (b * c))");
    EXPECT_EQ(E("a*b+c"), "((a * b) + c)");
    EXPECT_EQ(E("a - b - c"), "((a - b) - c)");  // left associative
    EXPECT_EQ(E("a / b * c % d"), "(((a / b) * c) % d)");
    EXPECT_EQ(E("(a + b) * c"), "((a + b) * c)");
    EXPECT_EQ(E("-a * b"), "((-a) * b)");  // unary minus binds tightest
    EXPECT_EQ(E("- -a"), "(-(-a))");
    EXPECT_EQ(E("+a"), "(+a)");
    EXPECT_EQ(E("a - -1"), "(a - (-1))");
    EXPECT_EQ(E("a || b || c"), "((a || b) || c)");
    EXPECT_EQ(E("a || b + c"), "(a || (b + c))");  // || is below + in Trino
    EXPECT_EQ(E("a + b || c"), "((a + b) || c)");
}

TEST(ParserTest, PrecedenceOfBooleans) {
    EXPECT_EQ(E("a OR b AND c"), "(a OR (b AND c))");
    EXPECT_EQ(E("a AND b OR c"), "((a AND b) OR c)");
    EXPECT_EQ(E("a AND b AND c"), "(a AND b AND c)");  // one n-ary chain
    EXPECT_EQ(E("a OR b OR c AND d"), "(a OR b OR (c AND d))");
    EXPECT_EQ(E("(a AND b) AND c"), "((a AND b) AND c)");  // parentheses are kept
    EXPECT_EQ(E("NOT a AND b"), "((NOT a) AND b)");
    EXPECT_EQ(E("NOT a = b"), "(NOT (a = b))");
    EXPECT_EQ(E("NOT NOT a"), "(NOT (NOT a))");
    EXPECT_EQ(E("a AND NOT b OR c"), "((a AND (NOT b)) OR c)");
    EXPECT_EQ(E("a = 1 AND b <> 2 OR c != 3"), "(((a = 1) AND (b <> 2)) OR (c <> 3))");
    EXPECT_EQ(E("a + 1 < b * 2"), "((a + 1) < (b * 2))");
    EXPECT_EQ(E("a <= b"), "(a <= b)");
    EXPECT_EQ(E("a >= b"), "(a >= b)");
    EXPECT_EQ(E("a > b"), "(a > b)");
    EXPECT_EQ(E("a || 'x' = b"), "((a || 'x') = b)");
}

TEST(ParserTest, Predicates) {
    EXPECT_EQ(E("a IS NULL"), "(a IS NULL)");
    EXPECT_EQ(E("a + 1 IS NOT NULL"), "((a + 1) IS NOT NULL)");
    EXPECT_EQ(E("a IN (1, 2, 3)"), "(a IN (1, 2, 3))");
    EXPECT_EQ(E("a NOT IN ('x')"), "(a NOT IN ('x'))");
    EXPECT_EQ(E("a BETWEEN 1 AND 2 AND b"), "((a BETWEEN 1 AND 2) AND b)");
    EXPECT_EQ(E("a NOT BETWEEN b + 1 AND c * 2"), "(a NOT BETWEEN (b + 1) AND (c * 2))");
    EXPECT_EQ(E("a LIKE 'x%'"), "(a LIKE 'x%')");
    EXPECT_EQ(E("a NOT LIKE 'x!%' ESCAPE '!'"), "(a NOT LIKE 'x!%' ESCAPE '!')");
    EXPECT_EQ(E("NOT a IN (1) OR b IS NULL"), "((NOT (a IN (1))) OR (b IS NULL))");
    EXPECT_EQ(E("a IN (b, c + 1, f(x))"), "(a IN (b, (c + 1), f(x)))");
}

TEST(ParserTest, Literals) {
    EXPECT_EQ(E("NULL"), "NULL");
    EXPECT_EQ(E("true"), "TRUE");
    EXPECT_EQ(E("FaLsE"), "FALSE");
    EXPECT_EQ(E("42"), "42");
    EXPECT_EQ(E("1.5"), "1.5");
    EXPECT_EQ(E(".5"), ".5");
    EXPECT_EQ(E("1e3"), "1e3");
    EXPECT_EQ(E("2.5E-2"), "2.5E-2");
    EXPECT_EQ(E("'it''s'"), "'it''s'");
    EXPECT_EQ(E("DATE '2024-01-01'"), "DATE '2024-01-01'");
    EXPECT_EQ(E("timestamp '2024-01-01 10:00:00'"), "TIMESTAMP '2024-01-01 10:00:00'");
    EXPECT_EQ(E("INTERVAL '1' DAY"), "INTERVAL '1' DAY");
    for (const char* unit : {"YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"}) {
        EXPECT_EQ(E(std::string("interval '3' ") + unit), std::string("INTERVAL '3' ") + unit);
    }

    auto s = ParseStatement("SELECT 'it''s', 12, 1.50, 1e3, NULL, TRUE, DATE '2024-02-03'");
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    const auto& items = s->select->items;
    ASSERT_EQ(items.size(), 7u);
    EXPECT_EQ(items[0].expr->literal, LiteralKind::kString);
    EXPECT_EQ(items[0].expr->text, "it's");
    EXPECT_EQ(items[1].expr->literal, LiteralKind::kInteger);
    EXPECT_EQ(items[1].expr->text, "12");
    EXPECT_EQ(items[2].expr->literal, LiteralKind::kDecimal);
    EXPECT_EQ(items[2].expr->text, "1.50");
    EXPECT_EQ(items[3].expr->literal, LiteralKind::kDouble);
    EXPECT_EQ(items[4].expr->literal, LiteralKind::kNull);
    EXPECT_EQ(items[5].expr->literal, LiteralKind::kBoolean);
    EXPECT_EQ(items[5].expr->text, "true");
    EXPECT_EQ(items[6].expr->literal, LiteralKind::kDate);
    EXPECT_EQ(items[6].expr->text, "2024-02-03");

    auto i = ParseStatement("SELECT INTERVAL '2' HOUR");
    ASSERT_TRUE(i.ok());
    EXPECT_EQ(i->select->items[0].expr->literal, LiteralKind::kInterval);
    EXPECT_EQ(i->select->items[0].expr->unit, IntervalUnit::kHour);
    EXPECT_EQ(i->select->items[0].expr->text, "2");
}

TEST(ParserTest, NonReservedWordsAreNames) {
    // Hive partition columns and other common names are not reserved.
    EXPECT_EQ(E("year + month + day + hour"), "(((year + month) + day) + hour)");
    EXPECT_EQ(E("date"), "date");
    EXPECT_EQ(E("date = DATE '2024-01-01'"), "(date = DATE '2024-01-01')");
    EXPECT_EQ(E("timestamp"), "timestamp");
    EXPECT_EQ(E("interval"), "interval");
    EXPECT_EQ(Sql("SELECT limit FROM tables"), "SELECT limit FROM tables");
}

TEST(ParserTest, ColumnsAndFunctions) {
    EXPECT_EQ(E("t.a"), "t.a");
    EXPECT_EQ(E("a.b.c.d"), "a.b.c.d");
    EXPECT_EQ(E("f()"), "f()");
    EXPECT_EQ(E("lower(name)"), "lower(name)");
    EXPECT_EQ(E("COUNT(*)"), "COUNT(*)");
    EXPECT_EQ(E("count(DISTINCT user_id)"), "count(DISTINCT user_id)");
    EXPECT_EQ(E("substr(s, 1, 3)"), "substr(s, 1, 3)");
    EXPECT_EQ(E("coalesce(a, b, 0)"), "coalesce(a, b, 0)");
    EXPECT_EQ(E("nullif(a, 0)"), "nullif(a, 0)");
    EXPECT_EQ(E("if(a > 1, 'x', 'y')"), "if((a > 1), 'x', 'y')");
    EXPECT_EQ(E("date_trunc('hour', ts)"), "date_trunc('hour', ts)");
    EXPECT_EQ(E("current_date"), "current_date");
    EXPECT_EQ(E("CURRENT_TIMESTAMP - INTERVAL '1' HOUR"),
              "(CURRENT_TIMESTAMP - INTERVAL '1' HOUR)");
    EXPECT_EQ(E("sum(a * b) / count(*)"), "(sum((a * b)) / count(*))");

    auto s = ParseStatement("SELECT Count(DISTINCT T.\"User\"), current_date");
    ASSERT_TRUE(s.ok());
    const Expr& f = *s->select->items[0].expr;
    EXPECT_EQ(f.kind, ExprKind::kFunction);
    EXPECT_EQ(f.names[0].name, "count");
    EXPECT_EQ(f.names[0].spelling, "Count");
    EXPECT_TRUE(f.distinct);
    ASSERT_EQ(f.children.size(), 1u);
    const Expr& col = *f.children[0];
    EXPECT_EQ(col.kind, ExprKind::kColumnRef);
    ASSERT_EQ(col.names.size(), 2u);
    EXPECT_EQ(col.names[0].name, "t");
    EXPECT_FALSE(col.names[0].quoted);
    EXPECT_EQ(col.names[1].name, "User");
    EXPECT_TRUE(col.names[1].quoted);
    EXPECT_TRUE(s->select->items[1].expr->no_parens);
}

TEST(ParserTest, CaseAndCast) {
    EXPECT_EQ(E("CASE WHEN a > 1 THEN 'x' WHEN a > 0 THEN 'y' ELSE 'z' END"),
              "CASE WHEN (a > 1) THEN 'x' WHEN (a > 0) THEN 'y' ELSE 'z' END");
    EXPECT_EQ(E("CASE a WHEN 1 THEN 2 END"), "CASE a WHEN 1 THEN 2 END");
    EXPECT_EQ(E("case a + 1 when 2 then b else c end + 1"),
              "(CASE (a + 1) WHEN 2 THEN b ELSE c END + 1)");
    EXPECT_EQ(E("CAST(a AS BIGINT)"), "CAST(a AS bigint)");
    EXPECT_EQ(E("cast(a as decimal(10,2))"), "CAST(a AS decimal(10, 2))");
    EXPECT_EQ(E("CAST(a AS varchar)"), "CAST(a AS varchar)");
    EXPECT_EQ(E("CAST(a AS varchar(20))"), "CAST(a AS varchar(20))");
    EXPECT_EQ(E("CAST(a AS timestamp)"), "CAST(a AS timestamp)");
    EXPECT_EQ(E("CAST(a AS timestamp(3) with time zone)"),
              "CAST(a AS timestamp(3) with time zone)");
    EXPECT_EQ(E("CAST(a AS double precision)"), "CAST(a AS double)");
    EXPECT_EQ(E("TRY_CAST(a || 'x' AS integer)"), "TRY_CAST((a || 'x') AS integer)");
    EXPECT_EQ(E("try_cast(a AS date) IS NULL"), "(TRY_CAST(a AS date) IS NULL)");
    // Typed literals: `type 'text'` (the binder gives DECIMAL '...' the text's precision).
    EXPECT_EQ(E("DECIMAL '-1.50'"), "decimal '-1.50'");
    EXPECT_EQ(E("bigint '7' + Real '1.5'"), "(bigint '7' + real '1.5')");
    EXPECT_EQ(Err("SELECT from '1'"), "line 1, column 8: expected an expression, found 'from'");

    auto s = ParseStatement("SELECT CASE x WHEN 1 THEN 2 ELSE 3 END, TRY_CAST(a AS decimal(10,2))");
    ASSERT_TRUE(s.ok());
    const Expr& c = *s->select->items[0].expr;
    EXPECT_TRUE(c.has_operand);
    EXPECT_TRUE(c.has_else);
    EXPECT_EQ(c.children.size(), 4u);
    const Expr& cast = *s->select->items[1].expr;
    EXPECT_TRUE(cast.try_cast);
    EXPECT_EQ(cast.type.name, "decimal");
    EXPECT_EQ(cast.type.params, (std::vector<int64_t>{10, 2}));
}

TEST(ParserTest, Quoting) {
    EXPECT_EQ(E("\"Select\""), "\"Select\"");  // a reserved word, quoted, is a name
    EXPECT_EQ(E("\"a \"\"b\"\"\""), "\"a \"\"b\"\"\"");
    auto s = ParseStatement("SELECT \"a \"\"b\"\"\", MixedCase FROM \"My Db\".t");
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->select->items[0].expr->names[0].name, "a \"b\"");
    EXPECT_EQ(s->select->items[1].expr->names[0].name, "mixedcase");
    EXPECT_EQ(s->select->items[1].expr->names[0].spelling, "MixedCase");
    EXPECT_EQ(s->select->from->name.parts[0].name, "My Db");
    EXPECT_EQ(E("'a''''b'"), "'a''''b'");
    EXPECT_EQ(E("''"), "''");
    EXPECT_EQ(E("'line\nbreak'"), "'line\nbreak'");
}

TEST(ParserTest, Comments) {
    EXPECT_EQ(Sql("-- leading\nSELECT a -- trailing\n, /* inline */ b FROM t /* end */"),
              "SELECT a, b FROM t");
    EXPECT_EQ(Sql("SELECT a/**/FROM t"), "SELECT a FROM t");
    EXPECT_EQ(Sql("SELECT 1 --"), "SELECT 1");
    EXPECT_EQ(E("a - -b"), "(a - (-b))");
    EXPECT_EQ(E("a--b\n+c"), "(a + c)");  // -- starts a comment, even right after a name
    EXPECT_EQ(Sql("SELECT '--not a comment', '/*nor this*/'"),
              "SELECT '--not a comment', '/*nor this*/'");
}

TEST(ParserTest, SelectClauses) {
    EXPECT_EQ(Sql("select * from db.t"), "SELECT * FROM db.t");
    EXPECT_EQ(Sql("SELECT t.*, u.v.* FROM t"), "SELECT t.*, u.v.* FROM t");
    EXPECT_EQ(Sql("SELECT DISTINCT a, b FROM t"), "SELECT DISTINCT a, b FROM t");
    EXPECT_EQ(Sql("SELECT ALL a FROM t"), "SELECT a FROM t");
    EXPECT_EQ(Sql("SELECT a AS x, b y, c \"Z\" FROM raw.events e"),
              "SELECT a AS x, b AS y, c AS \"Z\" FROM raw.events AS e");
    EXPECT_EQ(Sql("SELECT 1"), "SELECT 1");
    EXPECT_EQ(Sql("SELECT a FROM t WHERE a > 1 AND b IS NOT NULL"),
              "SELECT a FROM t WHERE ((a > 1) AND (b IS NOT NULL))");
    EXPECT_EQ(Sql("SELECT a, count(*) FROM t GROUP BY a, 2 HAVING count(*) > 10"),
              "SELECT a, count(*) FROM t GROUP BY a, 2 HAVING (count(*) > 10)");
    EXPECT_EQ(Sql("SELECT a FROM t ORDER BY a DESC NULLS FIRST, b ASC, c NULLS LAST, 1"),
              "SELECT a FROM t ORDER BY a DESC NULLS FIRST, b, c NULLS LAST, 1");
    EXPECT_EQ(Sql("SELECT a FROM t LIMIT 10"), "SELECT a FROM t LIMIT 10");
    EXPECT_EQ(Sql("SELECT a FROM t LIMIT 10 OFFSET 5"), "SELECT a FROM t OFFSET 5 LIMIT 10");
    EXPECT_EQ(Sql("SELECT a FROM t OFFSET 5 ROWS LIMIT 10"), "SELECT a FROM t OFFSET 5 LIMIT 10");
    EXPECT_EQ(Sql("SELECT a FROM t OFFSET 5"), "SELECT a FROM t OFFSET 5");
    EXPECT_EQ(Sql("SELECT a FROM t LIMIT ALL"), "SELECT a FROM t");
    EXPECT_EQ(Sql("SELECT a FROM t limit 3;"), "SELECT a FROM t LIMIT 3");
    EXPECT_EQ(Sql("SELECT x.a FROM (SELECT a FROM t WHERE a > 0) x ORDER BY 1"),
              "SELECT x.a FROM (SELECT a FROM t WHERE (a > 0)) AS x ORDER BY 1");
    EXPECT_EQ(Sql("SELECT * FROM (SELECT * FROM (SELECT 1) AS a) AS b"),
              "SELECT * FROM (SELECT * FROM (SELECT 1) AS a) AS b");
    EXPECT_EQ(Sql("SELECT a FROM cat.db.t"), "SELECT a FROM cat.db.t");

    auto s = ParseStatement(
        "SELECT DISTINCT a x FROM db.t AS u WHERE b GROUP BY 1 HAVING c ORDER BY a DESC NULLS "
        "LAST LIMIT 5 OFFSET 2");
    ASSERT_TRUE(s.ok());
    const Select& q = *s->select;
    EXPECT_TRUE(q.distinct);
    EXPECT_EQ(q.items[0].alias->name, "x");
    ASSERT_TRUE(q.from.has_value());
    EXPECT_EQ(q.from->name.parts.size(), 2u);
    EXPECT_EQ(q.from->alias->name, "u");
    EXPECT_NE(q.where, nullptr);
    EXPECT_EQ(q.group_by.size(), 1u);
    EXPECT_EQ(q.group_by[0]->literal, LiteralKind::kInteger);
    EXPECT_NE(q.having, nullptr);
    EXPECT_TRUE(q.order_by[0].descending);
    EXPECT_EQ(q.order_by[0].nulls, NullsOrder::kLast);
    EXPECT_EQ(q.limit, 5);
    EXPECT_EQ(q.offset, 2);
}

TEST(ParserTest, Statements) {
    EXPECT_EQ(Sql("SHOW DATABASES"), "SHOW DATABASES");
    EXPECT_EQ(Sql("show schemas;"), "SHOW DATABASES");
    EXPECT_EQ(Sql("SHOW SCHEMAS LIKE 'r%'"), "SHOW DATABASES LIKE 'r%'");
    EXPECT_EQ(Sql("SHOW TABLES"), "SHOW TABLES");
    EXPECT_EQ(Sql("SHOW TABLES FROM raw"), "SHOW TABLES FROM raw");
    EXPECT_EQ(Sql("SHOW TABLES IN raw LIKE 'e%'"), "SHOW TABLES FROM raw LIKE 'e%'");
    EXPECT_EQ(Sql("SHOW COLUMNS FROM raw.events"), "SHOW COLUMNS FROM raw.events");
    EXPECT_EQ(Sql("SHOW COLUMNS IN events"), "SHOW COLUMNS FROM events");
    EXPECT_EQ(Sql("SHOW PARTITIONS raw.events"), "SHOW PARTITIONS raw.events");
    EXPECT_EQ(Sql("DESCRIBE raw.events"), "DESCRIBE raw.events");
    EXPECT_EQ(Sql("EXPLAIN SELECT a FROM t WHERE year = '2024'"),
              "EXPLAIN SELECT a FROM t WHERE (year = '2024')");

    auto s = ParseStatement("  SHOW TABLES FROM Raw");
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->kind, StatementKind::kShowTables);
    EXPECT_EQ(s->name.parts[0].name, "raw");
    EXPECT_EQ(s->pos.column, 3u);
    auto d = ParseStatement("DESCRIBE t");
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->kind, StatementKind::kDescribe);
    auto e = ParseStatement("EXPLAIN SELECT 1");
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(e->kind, StatementKind::kExplain);
    ASSERT_NE(e->select, nullptr);
}

TEST(ParserTest, PositionsOfNodes) {
    auto s = ParseStatement("SELECT\n  a,\n    b + c\nFROM t");
    ASSERT_TRUE(s.ok());
    const Expr& a = *s->select->items[0].expr;
    EXPECT_EQ(a.pos.line, 2u);
    EXPECT_EQ(a.pos.column, 3u);
    EXPECT_EQ(a.pos.offset, 9u);
    const Expr& sum = *s->select->items[1].expr;
    EXPECT_EQ(sum.pos.line, 3u);
    EXPECT_EQ(sum.pos.column, 5u);
    EXPECT_EQ(sum.children[1]->pos.column, 9u);
    EXPECT_EQ(s->select->from->pos.line, 4u);
    EXPECT_EQ(s->select->from->pos.column, 6u);
}

TEST(ParserTest, Errors) {
    EXPECT_EQ(Err("SELECT a + b, FROM t"),
              "line 1, column 15: expected an expression, found 'FROM'");
    EXPECT_EQ(Err(""),
              "line 1, column 1: expected a statement (SELECT, SHOW, DESCRIBE or EXPLAIN), "
              "found end of input");
    EXPECT_EQ(Err("SELEC a"),
              "line 1, column 1: expected a statement (SELECT, SHOW, DESCRIBE or EXPLAIN), "
              "found 'SELEC'");
    EXPECT_EQ(Err("SELECT"), "line 1, column 7: expected an expression, found end of input");
    EXPECT_EQ(Err("SELECT a FROM"), "line 1, column 14: expected a table name, found end of input");
    EXPECT_EQ(Err("SELECT a FROM t WHERE"),
              "line 1, column 22: expected an expression, found end of input");
    EXPECT_EQ(Err("SELECT (a + b FROM t"), "line 1, column 15: expected ')', found 'FROM'");
    EXPECT_EQ(Err("SELECT f(a, b FROM t"), "line 1, column 15: expected ',' or ')', found 'FROM'");
    EXPECT_EQ(Err("SELECT a FROM t GROUP a"), "line 1, column 23: expected BY, found 'a'");
    EXPECT_EQ(Err("SELECT a\nFROM t\nORDER BY a NULLS"),
              "line 3, column 17: expected FIRST or LAST, found end of input");
    EXPECT_EQ(Err("SELECT a FROM t LIMIT x"),
              "line 1, column 23: expected a non-negative integer, found 'x'");
    EXPECT_EQ(Err("SELECT a FROM t LIMIT 99999999999999999999"),
              "line 1, column 23: expected an integer up to 9223372036854775807, found "
              "'99999999999999999999'");
    EXPECT_EQ(Err("SELECT a FROM t LIMIT 1 LIMIT 2"),
              "line 1, column 25: expected end of statement, found 'LIMIT'");
    EXPECT_EQ(Err("SELECT 'abc"), "line 1, column 8: unterminated string literal");
    EXPECT_EQ(Err("SELECT 1, 'a\xff'"), "line 1, column 11: string literal is not valid UTF-8");
    EXPECT_EQ(Err("SELECT \"\xc3\""), "line 1, column 8: quoted identifier is not valid UTF-8");
    EXPECT_EQ(E("'caf\xc3\xa9'"), "'caf\xc3\xa9'");
    EXPECT_EQ(Err("SELECT \"abc"), "line 1, column 8: unterminated quoted identifier");
    EXPECT_EQ(Err("SELECT \"\""), "line 1, column 8: empty quoted identifier");
    EXPECT_EQ(Err("SELECT a /* open"), "line 1, column 10: unterminated comment");
    EXPECT_EQ(Err("SELECT a ? b"), "line 1, column 10: unexpected character '?'");
    EXPECT_EQ(Err("SELECT a \x01"), "line 1, column 10: unexpected character \\x01");
    EXPECT_EQ(Err("SELECT CASE WHEN a THEN b"),
              "line 1, column 26: expected WHEN, ELSE or END, found end of input");
    EXPECT_EQ(Err("SELECT CASE a END"), "line 1, column 15: expected WHEN, found 'END'");
    EXPECT_EQ(Err("SELECT CAST(a bigint)"), "line 1, column 15: expected AS, found 'bigint'");
    EXPECT_EQ(Err("SELECT CAST(a AS)"), "line 1, column 17: expected a type name, found ')'");
    EXPECT_EQ(Err("SELECT CAST(a AS array(varchar))"),
              "line 1, column 24: expected a non-negative integer, found 'varchar'");
    EXPECT_EQ(Err("SELECT a BETWEEN 1 OR 2"), "line 1, column 20: expected AND, found 'OR'");
    EXPECT_EQ(Err("SELECT a IN 1"), "line 1, column 13: expected '(', found '1'");
    EXPECT_EQ(Err("SELECT a IS 1"), "line 1, column 13: expected NULL or NOT NULL, found '1'");
    EXPECT_EQ(Err("SELECT a = b = c"), "line 1, column 14: expected end of statement, found '='");
    EXPECT_EQ(Err("SELECT a IS NULL + 1"),
              "line 1, column 18: expected end of statement, found '+'");
    EXPECT_EQ(Err("SELECT (a IN (1) || 'x')"), "line 1, column 18: expected ')', found '||'");
    EXPECT_EQ(E("(a IS NULL) + 1"), "((a IS NULL) + 1)");
    EXPECT_EQ(Err("SELECT INTERVAL '1' WEEK"),
              "line 1, column 21: expected YEAR, MONTH, DAY, HOUR, MINUTE or SECOND, found "
              "'WEEK'");
    EXPECT_EQ(Err("SELECT a FROM t; SELECT b"),
              "line 1, column 18: expected end of statement, found 'SELECT'");
    EXPECT_EQ(Err("SELECT a FROM t JOIN u"),
              "line 1, column 17: expected end of statement, found 'JOIN'");
    EXPECT_EQ(Err("SELECT select"), "line 1, column 8: expected an expression, found 'select'");
    EXPECT_EQ(Err("SELECT ALL all"), "line 1, column 12: expected an expression, found 'all'");
    EXPECT_EQ(Err("SELECT a AS from"), "line 1, column 13: expected an alias, found 'from'");
    EXPECT_EQ(Err("SELECT t. FROM t"), "line 1, column 11: expected a field name, found 'FROM'");
    EXPECT_EQ(Err("SELECT * FROM (VALUES 1)"),
              "line 1, column 16: expected SELECT, found 'VALUES'");
    EXPECT_EQ(Err("SHOW STREAMS"),
              "line 1, column 6: expected DATABASES, SCHEMAS, TABLES, COLUMNS or PARTITIONS, found "
              "'STREAMS'");
    EXPECT_EQ(Err("SHOW COLUMNS t"), "line 1, column 14: expected FROM or IN, found 't'");
    EXPECT_EQ(Err("EXPLAIN SHOW TABLES"), "line 1, column 9: expected SELECT, found 'SHOW'");
    EXPECT_EQ(Err("DESCRIBE"), "line 1, column 9: expected a table name, found end of input");
    EXPECT_EQ(Err("SELECT x FROM a.b.c.d"),
              "line 1, column 20: expected end of statement, found '.'");
    EXPECT_EQ(Err("SELECT 'x' 'y'"),
              "line 1, column 12: expected end of statement, found string literal 'y'");
    EXPECT_EQ(Err("SELECT \n\n   + FROM"),
              "line 3, column 6: expected an expression, found 'FROM'");
}

TEST(ParserTest, ErrorsAreOneLine) {
    const std::string msg = Err("SELECT a\nFROM t WHERE 'multi\nline string' 'x\ny'");
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    const std::string longer = Err("SELECT a b " + std::string(100, 'z'));
    EXPECT_EQ(longer,
              "line 1, column 12: expected end of statement, found "
              "'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz...'");
    EXPECT_LT(longer.size(), 120u) << longer;
}

std::string Repeat(std::string_view piece, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += piece;
    return s;
}

TEST(ParserTest, NestingIsBounded) {
    // Within the limits: fine.
    EXPECT_EQ(E(Repeat("(", 500) + "1" + Repeat(")", 500)), "1");
    // Far past them: refused with an error, not a stack overflow.
    const std::string kRecursion = "nesting is deeper than 608 levels";
    const std::string kHeight = "expression nests deeper than 256 levels";
    const std::pair<std::string, std::string> cases[] = {
        {Repeat("(", 100000) + "1" + Repeat(")", 100000), kRecursion},
        {Repeat("- ", 100000) + "1", kRecursion},  // "--" would be a comment
        {Repeat("NOT ", 100000) + "a", kRecursion},
        {Repeat("f(", 5000) + Repeat(")", 5000), kRecursion},
        {Repeat("CASE WHEN ", 5000) + "1", kRecursion},
        {"a" + Repeat(" + a", 1000), kHeight},
        {"a" + Repeat(" || a", 256), kHeight},
        {Repeat("f(", 300) + Repeat(")", 300), kHeight},
    };
    for (const auto& [deep, expected] : cases) {
        const std::string msg = Err("SELECT " + deep);
        EXPECT_NE(msg.find(expected), std::string::npos) << msg;
    }
    EXPECT_EQ(Err("SELECT " + Repeat("- ", 300) + "1"),
              "line 1, column 96: expression nests deeper than 256 levels");
    std::string sub = "SELECT 1";
    for (int i = 0; i < 64; ++i) sub = "SELECT * FROM (" + sub + ")";
    EXPECT_EQ(Err(sub), "line 1, column 961: subqueries nest deeper than 64 levels");
    // The printed form of the highest tree accepted, inside the deepest subqueries accepted, is
    // accepted again: twice as many parentheses as levels.
    std::string high = "SELECT " + Repeat("- ", kMaxExpressionDepth - 1) + "1";
    for (int i = 1; i < kMaxQueryNesting; ++i) high = "SELECT * FROM (" + high + ")";
    auto first = ParseStatement(high);
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    auto second = ParseStatement(ToSql(*first));
    ASSERT_TRUE(second.ok()) << second.status().ToString();
    EXPECT_EQ(ToSql(*second), ToSql(*first));
    // Long AND/OR chains are one flat node, so they are not limited by depth.
    std::string chain = "a = 0";
    for (int i = 1; i < 5000; ++i) chain += " OR a = " + std::to_string(i);
    auto s = ParseStatement("SELECT * FROM t WHERE " + chain);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    EXPECT_EQ(s->select->where->children.size(), 5000u);
    // And a long IN list is flat too.
    std::string in = "a IN (0";
    for (int i = 1; i < 5000; ++i) in += ", " + std::to_string(i);
    EXPECT_TRUE(ParseStatement("SELECT * FROM t WHERE " + in + ")").ok());
}

TEST(ParserTest, ToSqlIsAFixpoint) {
    for (const char* sql : {
             "SELECT a+b*c, -x, NOT y AND z OR w FROM t",
             "SELECT CASE WHEN a THEN 1 END, CAST(x AS decimal(3,1)), \"Q\"\"x\" FROM s.t u",
             "select count(distinct a), b || 'x''y' from (select * from t) s where b like '%' "
             "escape '\\' group by 2 having count(*) between 1 and 2 order by 1 desc nulls first "
             "offset 3 limit 4",
             "SELECT (a AND b) AND c, a AND (b AND c), - - 1, a - -1",
             "SELECT DATE '2024-01-01' + INTERVAL '1' MONTH, current_timestamp",
         }) {
        auto first = ParseStatement(sql);
        ASSERT_TRUE(first.ok()) << sql << ": " << first.status().ToString();
        const std::string printed = ToSql(*first);
        auto second = ParseStatement(printed);
        ASSERT_TRUE(second.ok()) << printed << ": " << second.status().ToString();
        EXPECT_EQ(ToSql(*second), printed);
    }
}

}  // namespace
}  // namespace tarn::sql
