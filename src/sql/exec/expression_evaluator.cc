// ExpressionEvaluator: the public API, and the evaluation of columns, constants, function calls
// and casts. See evaluator_internal.h for how rows are masked.
#include "sql/exec/expression_evaluator.h"

#include "sql/exec/evaluator_internal.h"
#include "sql/functions/functions.h"
#include "sql/functions/kernel_util.h"

namespace tarn::sql {

using columnar::ColumnVector;
using columnar::ValidityWords;

namespace exec_internal {

namespace {

// The constant as a Value of the node's type: the binder may have retyped a literal (an
// untyped NULL, or a literal whose type it widened) without converting its Value.
Result<Value> ConstantOfNodeType(const BoundExpr& expr) {
    const Value& value = expr.value;
    if (value.is_null || value.type.Equals(expr.type)) return value;
    ColumnVector one(value.type);
    AppendValue(value, &one);
    ColumnVector converted(expr.type);
    TARN_RETURN_IF_ERROR(CastVector(one, 1, expr.type, /*try_cast=*/false, &converted));
    return ValueAt(converted, 0);
}

Result<const ColumnVector*> EvaluateConstantNode(EvalNode& node, const EvalInput& input) {
    if (node.broadcast_rows < input.rows || node.broadcast_rows == 0) {
        // Broadcast once; later batches of at most this many rows reuse the vector.
        TARN_ASSIGN_OR_RETURN(const Value value, ConstantOfNodeType(*node.expr));
        node.out.Reset();
        const size_t n = std::max<size_t>(input.rows, 1);
        node.out.Reserve(n);
        for (size_t i = 0; i < n; ++i) AppendValue(value, &node.out);
        node.broadcast_rows = n;
    }
    return &node.out;
}

Result<const ColumnVector*> EvaluateCall(EvalNode& node, const EvalInput& input,
                                         const uint64_t* active) {
    const ScalarFunction& function = *node.expr->function;
    node.args.clear();
    for (EvalNode& child : node.children) {
        TARN_ASSIGN_OR_RETURN(const ColumnVector* arg, EvaluateNode(child, input, active));
        node.args.push_back(arg);
    }
    KernelContext ctx;
    ctx.rows = input.rows;
    ctx.state = function.state.get();
    ctx.now_micros = input.now_micros;
    if (function.strict) {
        bool any = active != nullptr;
        for (const ColumnVector* arg : node.args) any = any || !arg->all_valid();
        if (any) {
            InitMask(active, input.rows, &node.valid);
            for (const ColumnVector* arg : node.args) {
                if (const uint64_t* bits = arg->validity_bits()) {
                    for (size_t w = 0; w < node.valid.size(); ++w) node.valid[w] &= bits[w];
                }
            }
            ctx.valid = node.valid.data();
        }
    }
    node.out.Reset();
    TARN_RETURN_IF_ERROR(function.kernel(ctx, node.args, &node.out));
    if (node.out.length() != input.rows) {
        return Status::Internal("function " + function.name + " returned " +
                                std::to_string(node.out.length()) + " rows for " +
                                std::to_string(input.rows));
    }
    return &node.out;
}

// With an active mask, converts as try_cast and then reports the first active row that failed,
// so that rows a CASE does not take never raise cast errors.
Result<const ColumnVector*> EvaluateCast(EvalNode& node, const EvalInput& input,
                                         const uint64_t* active) {
    const BoundExpr& expr = *node.expr;
    TARN_ASSIGN_OR_RETURN(const ColumnVector* in, EvaluateNode(node.children[0], input, active));
    if (in->type().Equals(expr.type, /*check_field_ids=*/false)) return in;
    node.out.Reset();
    const bool masked = active != nullptr && !expr.try_cast && !in->type().is_nested();
    TARN_RETURN_IF_ERROR(
        CastVector(*in, input.rows, expr.type, expr.try_cast || masked, &node.out));
    if (masked && !node.out.all_valid()) {
        for (size_t i = 0; i < input.rows; ++i) {
            if (!internal::BitIsSet(active, i) || in->IsNull(i) || node.out.IsValid(i)) continue;
            if (!node.one_row_in) node.one_row_in.emplace(in->type());
            if (!node.one_row_out) node.one_row_out.emplace(expr.type);
            node.one_row_in->Reset();
            node.one_row_out->Reset();
            AppendValue(ValueAt(*in, i), &*node.one_row_in);
            return CastVector(*node.one_row_in, 1, expr.type, false, &*node.one_row_out);
        }
    }
    return &node.out;
}

}  // namespace

Result<const ColumnVector*> EvaluateNode(EvalNode& node, const EvalInput& input,
                                         const uint64_t* active) {
    switch (node.expr->kind) {
        case BoundKind::kColumn:
            if (input.batch == nullptr ||
                static_cast<size_t>(node.expr->column) >= input.batch->num_columns()) {
                return Status::Internal("column #" + std::to_string(node.expr->column) +
                                        " is not in the input");
            }
            return &input.batch->column(static_cast<size_t>(node.expr->column));
        case BoundKind::kConstant:
            return EvaluateConstantNode(node, input);
        case BoundKind::kCall:
            return EvaluateCall(node, input, active);
        case BoundKind::kCast:
            return EvaluateCast(node, input, active);
        case BoundKind::kAnd:
        case BoundKind::kOr:
            return EvaluateAndOr(node, input, active);
        case BoundKind::kNot:
            return EvaluateNot(node, input, active);
        case BoundKind::kIsNull:
            return EvaluateIsNull(node, input, active);
        case BoundKind::kIn:
            return EvaluateIn(node, input, active);
        case BoundKind::kCase:
            return EvaluateCase(node, input, active);
        case BoundKind::kCoalesce:
            return EvaluateCoalesce(node, input, active);
        case BoundKind::kField:
            return EvaluateField(node, input, active);
    }
    return Status::Internal("unknown bound expression kind");
}

}  // namespace exec_internal

struct ExpressionEvaluator::Impl {
    Impl(const BoundExpr* expr, int64_t now) : root(expr), now_micros(now) {}
    exec_internal::EvalNode root;
    int64_t now_micros;
};

ExpressionEvaluator::ExpressionEvaluator(const BoundExpr* expr, int64_t now_micros)
    : impl_(std::make_unique<Impl>(expr, now_micros)) {}
ExpressionEvaluator::~ExpressionEvaluator() = default;
ExpressionEvaluator::ExpressionEvaluator(ExpressionEvaluator&&) noexcept = default;
ExpressionEvaluator& ExpressionEvaluator::operator=(ExpressionEvaluator&&) noexcept = default;

Result<const ColumnVector*> ExpressionEvaluator::Evaluate(const columnar::RecordBatch& input) {
    const exec_internal::EvalInput in{&input, input.num_rows(), impl_->now_micros};
    return exec_internal::EvaluateNode(impl_->root, in, nullptr);
}

Status ExpressionEvaluator::Select(const columnar::RecordBatch& input,
                                   std::vector<uint32_t>* selection) {
    selection->clear();
    TARN_ASSIGN_OR_RETURN(const ColumnVector* result, Evaluate(input));
    if (result->type_id() != columnar::TypeId::kBoolean) {
        return Status::Internal("Select over a non-BOOLEAN expression");
    }
    const uint8_t* values = result->Data<uint8_t>();
    const size_t rows = input.num_rows();
    for (size_t i = 0; i < rows; ++i) {
        if (values[i] != 0 && result->IsValid(i)) selection->push_back(static_cast<uint32_t>(i));
    }
    return Status::Ok();
}

Result<Value> EvaluateConstant(const BoundExpr& expr, int64_t now_micros) {
    if (expr.type.is_nested()) {
        return Status::Unimplemented("constant of nested type " + SqlTypeName(expr.type));
    }
    exec_internal::EvalNode root(&expr);
    const exec_internal::EvalInput in{nullptr, 1, now_micros};
    TARN_ASSIGN_OR_RETURN(const ColumnVector* result,
                          exec_internal::EvaluateNode(root, in, nullptr));
    return ValueAt(*result, 0);
}

}  // namespace tarn::sql
