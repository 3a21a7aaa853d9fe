// String operators: || (concatenation) and LIKE.
#include <cstring>

#include "sql/functions/kernel_util.h"
#include "sql/functions/like_pattern.h"
#include "sql/functions/operators_internal.h"

namespace tarn::sql::internal {

using columnar::ColumnVector;
using columnar::DataType;
using columnar::TypeId;

namespace {

bool IsVarcharOrNull(const ArgumentInfo& arg) {
    return arg.is_null_literal || arg.type.id() == TypeId::kVarchar;
}

// Sizes the arena once, then writes bytes and offsets directly: no per-row allocation.
Status ConcatKernel(const KernelContext& ctx, std::span<const ColumnVector* const> args,
                    ColumnVector* out) {
    const ColumnVector& a = *args[0];
    const ColumnVector& b = *args[1];
    size_t total = 0;
    for (size_t i = 0; i < ctx.rows; ++i) {
        if (BitIsSet(ctx.valid, i)) total += a.GetString(i).size() + b.GetString(i).size();
    }
    if (total > columnar::kMaxOffset) {
        return Status::InvalidArgument("concatenation result exceeds the batch's string limit");
    }
    out->Resize(ctx.rows);
    out->ResizeStringBytes(total);
    char* bytes = out->mutable_string_data();
    uint32_t* offsets = out->mutable_offsets();
    size_t pos = 0;
    for (size_t i = 0; i < ctx.rows; ++i) {
        if (BitIsSet(ctx.valid, i)) {
            const std::string_view x = a.GetString(i);
            const std::string_view y = b.GetString(i);
            if (!x.empty()) std::memcpy(bytes + pos, x.data(), x.size());
            pos += x.size();
            if (!y.empty()) std::memcpy(bytes + pos, y.data(), y.size());
            pos += y.size();
        }
        offsets[i + 1] = static_cast<uint32_t>(pos);
    }
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}

// With a pattern compiled at bind time (ctx.state), or one compiled per row.
Status LikeKernel(const KernelContext& ctx, std::span<const ColumnVector* const> args,
                  ColumnVector* out) {
    const ColumnVector& text = *args[0];
    out->Resize(ctx.rows);
    uint8_t* dst = out->MutableData<uint8_t>();
    if (ctx.state != nullptr) {
        const auto& pattern = *static_cast<const LikePattern*>(ctx.state);
        for (size_t i = 0; i < ctx.rows; ++i) {
            dst[i] = BitIsSet(ctx.valid, i) && pattern.Matches(text.GetString(i));
        }
    } else {
        LikePattern pattern;  // storage reused across rows
        const ColumnVector& patterns = *args[1];
        const ColumnVector* escapes = args.size() > 2 ? args[2] : nullptr;
        for (size_t i = 0; i < ctx.rows; ++i) {
            if (!BitIsSet(ctx.valid, i)) continue;
            const std::string_view escape = escapes ? escapes->GetString(i) : std::string_view();
            TARN_RETURN_IF_ERROR(
                pattern.Compile(patterns.GetString(i), escapes != nullptr, escape));
            dst[i] = pattern.Matches(text.GetString(i));
        }
    }
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}

}  // namespace

FunctionBindResult BindConcat(std::string_view name, std::span<const ArgumentInfo> args) {
    if (args.size() != 2 || !IsVarcharOrNull(args[0]) || !IsVarcharOrNull(args[1])) {
        return CannotApply(name, args);
    }
    return MakeFunction(name, ConcatKernel, DataType::Varchar(),
                        {DataType::Varchar(), DataType::Varchar()});
}

FunctionBindResult BindLike(std::string_view name, std::span<const ArgumentInfo> args) {
    if (args.size() < 2 || args.size() > 3) return CannotApply(name, args);
    for (const ArgumentInfo& arg : args) {
        if (!IsVarcharOrNull(arg)) return CannotApply(name, args);
    }
    std::vector<DataType> arg_types(args.size(), DataType::Varchar());
    // A constant pattern (and escape) is compiled once, here.
    auto constant_text = [](const ArgumentInfo& arg) {
        return arg.constant != nullptr && !arg.constant->is_null;
    };
    std::shared_ptr<const void> state;
    if (constant_text(args[1]) && (args.size() == 2 || constant_text(args[2]))) {
        auto pattern = std::make_shared<LikePattern>();
        const bool has_escape = args.size() == 3;
        TARN_RETURN_IF_ERROR(pattern->Compile(args[1].constant->AsString(), has_escape,
                                              has_escape ? args[2].constant->AsString() : ""));
        state = std::move(pattern);
    }
    return MakeFunction(name, LikeKernel, DataType::Boolean(), std::move(arg_types),
                        std::move(state));
}

}  // namespace tarn::sql::internal
