// The syntax tree of one SQL statement, as the parser (sql/parser/parser.h) builds it and the
// binder walks it. It records what was written, nothing more: names are not resolved, types are
// not checked, literals keep their source spelling (numbers) or their unescaped value (strings).
//
// Shape: a Statement holds, for SELECT and EXPLAIN, a Select (clauses in fields); every expression
// is an Expr, one "fat" node type with a kind tag, the kind's few scalar fields and its children
// in order (owned, std::vector<std::unique_ptr<Expr>>). One node type instead of a class per kind
// keeps the tree move-only, allocation-light and walkable with a switch; the child layout of each
// kind is documented on ExprKind. Every node carries the source position it starts at, so the
// binder's errors can name a line and column too.
//
// Limits the parser guarantees: no expression tree is higher than kMaxExpressionDepth and queries
// nest at most kMaxQueryNesting deep, so recursive walks of the tree are safe.
//
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tarn::sql {

// Where a node starts in the statement's text: byte offset (0-based), line and column (1-based;
// the column counts bytes, a tab is one column).
struct SourcePos {
    uint32_t offset = 0;
    uint32_t line = 1;
    uint32_t column = 1;
};

// A name as written. Unquoted names compare case-insensitively (`name` is the lower-cased
// spelling); "quoted" names compare exactly (`name` is the unescaped text).
struct Identifier {
    std::string name;      // the key to compare with: lower-cased unless quoted
    std::string spelling;  // as written, without quotes, "" unescaped
    bool quoted = false;
    SourcePos pos;
};

// `db.table` or `table` (or `catalog.db.table`): 1 to 3 parts.
struct QualifiedName {
    std::vector<Identifier> parts;
    SourcePos pos;
};

// A type as written in CAST: `bigint`, `decimal(10,2)`, `varchar(20)`, `timestamp(3)`,
// `timestamp with time zone`, `double precision`. `name` is lower-cased, words joined by one space.
struct TypeName {
    std::string name;
    std::vector<int64_t> params;
    SourcePos pos;
};

enum class ExprKind : uint8_t {
    kLiteral,    // literal, value in `text`; no children
    kColumnRef,  // `a`, `t.a`, `a.b.c`: the dotted path in `names`; no children
    kStar,       // `*` or `t.*` in a select list: the qualifier (maybe empty) in `names`
    kFunction,   // `f(args)`: name in names[0], args in children; `distinct` for f(DISTINCT x),
                 // `star_arg` for count(*), `no_parens` for current_date and friends
    kUnary,      // `op` in {kNegate, kPlus, kNot}; children: [operand]
    kBinary,     // arithmetic, `||` and comparisons: `op`; children: [left, right]
    kAnd,        // a AND b AND ...: children are the 2+ operands of one chain, in order
    kOr,         // a OR b OR ...: as kAnd
    kIsNull,     // x IS [NOT] NULL: `negated`; children: [x]
    kIn,         // x [NOT] IN (v1, ...): `negated`; children: [x, v1, v2, ...]
    kBetween,    // x [NOT] BETWEEN lo AND hi: `negated`; children: [x, lo, hi]
    kLike,       // x [NOT] LIKE p [ESCAPE e]: `negated`; children: [x, p] or [x, p, e]
    kCase,       // CASE [operand] WHEN w THEN t ... [ELSE e] END: children: [operand if
                 // `has_operand`], then w1, t1, w2, t2, ..., then [e if `has_else`]
    kCast,       // CAST(x AS type) or TRY_CAST (`try_cast`): `type`; children: [x]; also a typed
                 // literal `type 'text'` (DECIMAL '1.50', BIGINT '7'): `typed_literal`, children:
                 // [the string literal]
};

enum class LiteralKind : uint8_t {
    kNull,
    kBoolean,    // text is "true" or "false"
    kInteger,    // digits as written, e.g. "42" (may exceed int64: the binder decides)
    kDecimal,    // "1.5", ".5", "1." as written (Trino: a DECIMAL literal)
    kDouble,     // with an exponent, "1e3", "2.5E-2" as written (a DOUBLE literal)
    kString,     // 'it''s' -> text "it's"
    kDate,       // DATE '2024-01-01' -> text "2024-01-01" (not validated here)
    kTimestamp,  // TIMESTAMP '2024-01-01 10:00:00' -> the quoted text
    kInterval,   // INTERVAL '1' DAY -> text "1", `unit`
};

enum class IntervalUnit : uint8_t { kYear, kMonth, kDay, kHour, kMinute, kSecond };

enum class ExprOperator : uint8_t {
    kNone,
    // unary
    kNegate,
    kPlus,
    kNot,
    // binary
    kAdd,
    kSubtract,
    kMultiply,
    kDivide,
    kModulo,
    kConcat,
    kEq,
    kNe,
    kLt,
    kLe,
    kGt,
    kGe,
};

// The highest expression tree the parser accepts (AND/OR chains and IN lists are flat, so they
// count one level), and the deepest nesting of subqueries.
inline constexpr int kMaxExpressionDepth = 256;
inline constexpr int kMaxQueryNesting = 64;

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
    ExprKind kind = ExprKind::kLiteral;
    ExprOperator op = ExprOperator::kNone;             // kUnary, kBinary
    LiteralKind literal = LiteralKind::kNull;  // kLiteral
    IntervalUnit unit = IntervalUnit::kDay;    // kLiteral of kind kInterval
    bool negated = false;                      // kIsNull, kIn, kBetween, kLike
    bool distinct = false;                     // kFunction
    bool star_arg = false;                     // kFunction: count(*)
    bool no_parens = false;                    // kFunction: current_date, ...
    bool has_operand = false;                  // kCase
    bool has_else = false;                     // kCase
    bool try_cast = false;                     // kCast
    bool typed_literal = false;                // kCast written as `type 'text'`
    uint16_t height = 1;                       // 1 + the highest child's height
    SourcePos pos;
    std::string text;               // kLiteral
    std::vector<Identifier> names;  // kColumnRef, kStar, kFunction
    TypeName type;                  // kCast
    std::vector<ExprPtr> children;
};

struct Select;

// `expr [[AS] alias]`, or a star (expr->kind == kStar).
struct SelectItem {
    ExprPtr expr;
    std::optional<Identifier> alias;
};

// FROM: a table (`name`) or a parenthesised query (`subquery`), with an optional alias.
struct TableRef {
    QualifiedName name;                // when subquery is null
    std::unique_ptr<Select> subquery;  // when set, name is empty
    std::optional<Identifier> alias;
    SourcePos pos;
};

enum class NullsOrder : uint8_t { kDefault, kFirst, kLast };

struct OrderItem {
    ExprPtr expr;
    bool descending = false;
    NullsOrder nulls = NullsOrder::kDefault;
};

// SELECT [DISTINCT] items [FROM] [WHERE] [GROUP BY] [HAVING] [ORDER BY] [OFFSET] [LIMIT].
// GROUP BY and ORDER BY ordinals are kInteger literals here; the binder gives them meaning.
struct Select {
    SourcePos pos;
    bool distinct = false;
    std::vector<SelectItem> items;
    std::optional<TableRef> from;
    ExprPtr where;  // may be null
    std::vector<ExprPtr> group_by;
    ExprPtr having;  // may be null
    std::vector<OrderItem> order_by;
    std::optional<int64_t> limit;  // absent: no LIMIT or LIMIT ALL
    std::optional<int64_t> offset;
};

enum class StatementKind : uint8_t {
    kSelect,          // select
    kExplain,         // EXPLAIN select: select
    kShowDatabases,   // SHOW DATABASES | SHOW SCHEMAS [LIKE 'p']: like_pattern
    kShowTables,      // SHOW TABLES [FROM|IN db] [LIKE 'p']: name (0 or more parts), like_pattern
    kShowColumns,     // SHOW COLUMNS FROM|IN t: name
    kShowPartitions,  // SHOW PARTITIONS [FROM|IN] t: name
    kDescribe,        // DESCRIBE t: name
};

struct Statement {
    StatementKind kind = StatementKind::kSelect;
    SourcePos pos;
    std::unique_ptr<Select> select;
    QualifiedName name;
    std::optional<std::string> like_pattern;
};

}  // namespace tarn::sql
