// SQL parser: text of one statement -> syntax tree (sql/parser/ast.h). The first stage of the
// query path (parser -> binder -> planner -> exec); it knows no catalog and no types.
//
// Dialect (Trino/Athena flavour): SELECT [DISTINCT] with expressions, aliases, `*`, `t.*`; FROM a
// table or a parenthesised subquery; WHERE; GROUP BY; HAVING; ORDER BY [ASC|DESC] [NULLS
// FIRST|LAST]; LIMIT and OFFSET in either order. Expressions: literals (numbers, strings,
// TRUE/FALSE/NULL, DATE/TIMESTAMP '...', INTERVAL 'n' unit), column paths `a.b.c`, function calls
// (count(*), f(DISTINCT x)), + - * / % ||, comparisons, AND/OR/NOT, IS [NOT] NULL, [NOT] IN,
// [NOT] BETWEEN, [NOT] LIKE [ESCAPE], CASE, CAST/TRY_CAST. Statements besides SELECT: SHOW
// DATABASES|SCHEMAS, SHOW TABLES, SHOW COLUMNS, SHOW PARTITIONS, DESCRIBE, EXPLAIN. Precedence,
// lowest first: OR, AND, NOT, predicates (comparison, IS, IN, BETWEEN, LIKE; not chainable),
// ||, + -, * / %, unary + -.
//
// Identifiers: unquoted ones are case-insensitive (compared lower-cased), "quoted" ones exact.
// Trino's reserved words (SELECT, FROM, AND, ...) cannot be unquoted names; others (date, year,
// day, limit, tables, ...) can.
//
// Errors: InvalidArgument with one line, "line L, column C: expected <what>, found <token>", e.g.
// "line 1, column 15: expected an expression, found 'FROM'" (lexical errors say what is wrong
// instead: "line 1, column 8: unterminated string literal"). Lines and columns are 1-based,
// columns count bytes. Nothing throws; input of any bytes is answered in time linear in its
// length; expression trees higher than kMaxExpressionDepth, subqueries nested deeper than
// kMaxQueryNesting and text nested deeper than a fixed recursion limit (608: parentheses, calls,
// unary operators) are refused with an error, never a stack overflow. The parser's stack use is
// bounded: under 512 KB at the limits in a release build (measured), more with sanitizers; give
// threads that parse at least 1 MB of stack.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "sql/parser/ast.h"

namespace tarn::sql {

// Longest statement text accepted (positions are 32-bit).
inline constexpr size_t kMaxStatementBytes = size_t{16} << 20;

// Parses exactly one statement; a trailing ';' is allowed, anything after it is an error.
Result<Statement> ParseStatement(std::string_view sql);

// Prints an expression with every operator node in parentheses, e.g. `(a + (b * c))`, keywords in
// upper case, identifiers as written (quoted when they were). The text parses back to the same
// tree, so tests assert a tree's shape with it and the fuzzer checks that it is a fixpoint.
std::string ToSql(const Expr& expr);
// The statement in the same style, e.g. `SELECT (a + 1) AS x FROM db.t WHERE (b > 2) LIMIT 10`.
std::string ToSql(const Select& select);
std::string ToSql(const Statement& statement);

}  // namespace tarn::sql
