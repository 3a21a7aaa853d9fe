// Internal to sql/binder/: the scope expressions are bound in, and the expression binder.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "common/status.h"
#include "sql/binder/binder.h"
#include "sql/binder/bound_expr.h"
#include "sql/parser/ast.h"

namespace tarn::sql {

// The columns a FROM item makes visible: the output columns of the plan below, each with the
// qualifier it can be named by (the table name or the alias).
struct Scope {
    std::vector<LogicalColumn> columns;
    std::string qualifier;          // lower case; "" for none
    std::string database;           // for `db.table.column`
};

// With GROUP BY or aggregates, expressions above the aggregation are bound against its output:
// a sub-expression that is a group key (same text, or the same column) or an aggregate call reads
// the aggregate's output column.
struct AggregationScope {
    std::vector<std::string> key_sql;   // ToSql of each group-by expression
    std::vector<int> key_column;        // the input column a key is, or -1
    std::vector<columnar::DataType> key_type;
    std::vector<std::string> aggregate_sql;  // ToSql of each aggregate call
    std::vector<columnar::DataType> aggregate_type;
};

class ExpressionBinder {
public:
    // `aggregation` null: bind over `scope` directly; aggregate calls are an error there
    // (`clause` names the clause in that message: "WHERE").
    ExpressionBinder(const Scope* scope, const AggregationScope* aggregation, std::string clause)
        : scope_(scope), aggregation_(aggregation), clause_(std::move(clause)) {}

    Result<BoundExprPtr> Bind(const Expr& expr);
    // Bind, then require a BOOLEAN (an untyped NULL becomes a BOOLEAN NULL).
    Result<BoundExprPtr> BindPredicate(const Expr& expr);

private:
    Result<BoundExprPtr> BindNode(const Expr& expr);
    Result<BoundExprPtr> BindLiteral(const Expr& expr);
    Result<BoundExprPtr> BindColumn(const Expr& expr);
    Result<BoundExprPtr> BindFunction(const Expr& expr);
    Result<BoundExprPtr> BindSpecialFunction(const Expr& expr, bool* handled);
    Result<BoundExprPtr> BindUnary(const Expr& expr);
    Result<BoundExprPtr> BindBinary(const Expr& expr);
    Result<BoundExprPtr> BindIntervalArithmetic(const Expr& expr, bool* handled);
    Result<BoundExprPtr> BindLogical(const Expr& expr);
    Result<BoundExprPtr> BindIn(const Expr& expr);
    Result<BoundExprPtr> BindBetween(const Expr& expr);
    Result<BoundExprPtr> BindLike(const Expr& expr);
    Result<BoundExprPtr> BindCase(const Expr& expr);
    Result<BoundExprPtr> BindCast(const Expr& expr);
    Result<BoundExprPtr> ReadAggregation(const Expr& expr, bool* handled);

    const Scope* scope_;
    const AggregationScope* aggregation_;
    std::string clause_;
};

// Helpers shared by the binder's files -------------------------------------------------------
// `e` converted to `type`: itself when it has the type, a typed NULL constant for an untyped NULL,
// else a kCast node.
BoundExprPtr CastTo(BoundExprPtr e, const columnar::DataType& type);
// A call of the scalar function `name` on `args` (cast as its binding says). Errors at `pos`.
Result<BoundExprPtr> MakeCall(std::string_view name, std::vector<BoundExprPtr> args,
                              const SourcePos& pos);
// Coerces every expression of `exprs` to their common super type. Errors at `pos`.
Status CoerceToCommonType(std::vector<BoundExprPtr>* exprs, const SourcePos& pos,
                          std::string_view what);
// Trino's CAST type names -> a DataType: boolean, tinyint, smallint, integer/int, bigint, real,
// double [precision], decimal[(p[,s])], varchar[(n)], char[(n)], varbinary, date, timestamp[(p)].
Result<columnar::DataType> ResolveTypeName(const TypeName& name);
// Finds the aggregate calls in `expr` (not inside another aggregate: that is an error).
Status CollectAggregates(const Expr& expr, std::vector<const Expr*>* calls);

}  // namespace tarn::sql
