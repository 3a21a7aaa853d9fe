// String functions, Trino's semantics: positions and lengths count code points (VARCHAR holds
// valid UTF-8), not bytes. lower/upper are in string_case.cc. Kernels write their outputs by slot:
// values that are slices of an input are appended as views; built values (replace, concat) go
// through one scratch string per batch.
#include <cstdint>
#include <string>
#include <string_view>

#include "sql/functions/builtin_util.h"
#include "sql/functions/function_groups.h"
#include "sql/functions/string_case.h"

namespace tarn::sql {
namespace {

using namespace builtin;  // NOLINT: this file's own helper namespace
using Args = std::span<const ColumnVector* const>;

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

int64_t CountCodePoints(std::string_view s) {
    int64_t n = 0;
    for (unsigned char c : s) n += IsContinuation(c) ? 0 : 1;
    return n;
}

// The byte offset `count` code points after byte offset `from`, or npos when the text ends first.
size_t SkipCodePoints(std::string_view s, size_t from, int64_t count) {
    size_t i = from;
    for (; count > 0; --count) {
        if (i >= s.size()) return std::string_view::npos;
        ++i;
        while (i < s.size() && IsContinuation(static_cast<unsigned char>(s[i]))) ++i;
    }
    return i;
}

// Runs `f(row, &value, &is_null)` for each valid row and appends its value (or NULL).
template <class F>
Status StringOut(const KernelContext& ctx, ColumnVector* out, size_t reserve_bytes, F&& f) {
    out->Reserve(ctx.rows);
    out->ReserveStringBytes(reserve_bytes);
    for (size_t i = 0; i < ctx.rows; ++i) {
        std::string_view value;
        bool is_null = !RowValid(ctx.valid, i);
        if (!is_null) TARN_RETURN_IF_ERROR(f(i, &value, &is_null));
        if (is_null) {
            out->AppendNull();
        } else {
            out->AppendString(value);
        }
    }
    return Status::Ok();
}

Status LengthKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    out->Resize(ctx.rows);
    int64_t* data = out->MutableData<int64_t>();
    for (size_t i = 0; i < ctx.rows; ++i) {
        data[i] = RowValid(ctx.valid, i) ? CountCodePoints(args[0]->GetString(i)) : 0;
    }
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}

// Trino's substring(): start is 1-based, negative counts from the end, 0 gives ''.
std::string_view Substring(std::string_view s, int64_t start, int64_t length) {
    if (start == 0 || length <= 0 || s.empty()) return {};
    size_t begin = 0;
    if (start > 0) {
        begin = SkipCodePoints(s, 0, start - 1);
        if (begin == std::string_view::npos) return {};
    } else {
        const int64_t from_start = CountCodePoints(s) + start;
        if (from_start < 0) return {};
        begin = SkipCodePoints(s, 0, from_start);
    }
    size_t end = SkipCodePoints(s, begin, length);
    if (end == std::string_view::npos) end = s.size();
    return s.substr(begin, end - begin);
}

Status SubstrKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    const int64_t* starts = args[1]->Data<int64_t>();
    const int64_t* lengths = args.size() > 2 ? args[2]->Data<int64_t>() : nullptr;
    return StringOut(ctx, out, args[0]->string_bytes(), [&](size_t i, auto* v, bool*) {
        *v = Substring(args[0]->GetString(i), starts[i], lengths ? lengths[i] : INT64_MAX);
        return Status::Ok();
    });
}

// The code point starting at byte i (VARCHAR is valid UTF-8), and its length in *len.
uint32_t DecodeAt(std::string_view s, size_t i, size_t* len) {
    const auto b = static_cast<unsigned char>(s[i]);
    const size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    uint32_t c = n == 1 ? b : b & (0x7F >> n);
    for (size_t k = 1; k < n && i + k < s.size(); ++k) {
        c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    *len = n;
    return c;
}

// The start of the code point that ends at byte `end`.
size_t PreviousStart(std::string_view s, size_t end) {
    size_t i = end - 1;
    while (i > 0 && IsContinuation(static_cast<unsigned char>(s[i]))) --i;
    return i;
}

// Java's Character.isWhitespace, which Trino's one-argument trim uses: ASCII controls 9-13 and
// 28-31, and the Unicode space separators except the non-breaking ones.
bool IsWhitespace(uint32_t c) {
    if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
    return c == 0x1680 || (c >= 0x2000 && c <= 0x2006) || (c >= 0x2008 && c <= 0x200A) ||
           c == 0x2028 || c == 0x2029 || c == 0x205F || c == 0x3000;
}

// Strips code points for which `drop(c)` holds from the chosen ends of `s`.
template <bool kLeft, bool kRight, class Drop>
std::string_view Strip(std::string_view s, Drop&& drop) {
    size_t begin = 0;
    size_t end = s.size();
    size_t len = 0;
    while (kLeft && begin < end && drop(DecodeAt(s, begin, &len))) begin += len;
    while (kRight && end > begin) {
        const size_t start = PreviousStart(s, end);
        if (!drop(DecodeAt(s, start, &len))) break;
        end = start;
    }
    return s.substr(begin, end - begin);
}

// trim(s) strips whitespace; trim(s, chars) strips the code points of `chars`.
template <bool kLeft, bool kRight>
Status TrimKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    return StringOut(ctx, out, args[0]->string_bytes(), [&](size_t i, auto* v, bool*) {
        const std::string_view s = args[0]->GetString(i);
        if (args.size() == 1) {
            *v = Strip<kLeft, kRight>(s, IsWhitespace);
            return Status::Ok();
        }
        const std::string_view chars = args[1]->GetString(i);
        *v = Strip<kLeft, kRight>(s, [&](uint32_t c) {
            size_t len = 0;
            for (size_t k = 0; k < chars.size(); k += len) {
                if (DecodeAt(chars, k, &len) == c) return true;
            }
            return false;
        });
        return Status::Ok();
    });
}

// replace(s, from[, to]): every non-overlapping `from`, left to right, becomes `to`. An empty
// `from` puts `to` before every code point and at the end, as Trino does.
void Replace(std::string_view s, std::string_view from, std::string_view to, std::string* r) {
    r->clear();
    if (from.empty()) {
        for (size_t i = 0; i < s.size();) {
            const size_t next = SkipCodePoints(s, i, 1);
            r->append(to);
            r->append(s.substr(i, next - i));
            i = next;
        }
        r->append(to);
        return;
    }
    size_t pos = 0;
    for (size_t hit; (hit = s.find(from, pos)) != std::string_view::npos; pos = hit + from.size()) {
        r->append(s.substr(pos, hit - pos));
        r->append(to);
    }
    r->append(s.substr(pos));
}

Status ReplaceKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    std::string scratch;
    return StringOut(ctx, out, args[0]->string_bytes(), [&](size_t i, auto* v, bool*) {
        const std::string_view to = args.size() > 2 ? args[2]->GetString(i) : std::string_view();
        Replace(args[0]->GetString(i), args[1]->GetString(i), to, &scratch);
        *v = scratch;
        return Status::Ok();
    });
}

Status SplitPartKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    const int64_t* indexes = args[2]->Data<int64_t>();
    return StringOut(ctx, out, args[0]->string_bytes(), [&](size_t i, auto* v, bool* is_null) {
        const int64_t index = indexes[i];
        if (index <= 0) return Status::InvalidArgument("Index must be greater than zero");
        const std::string_view s = args[0]->GetString(i);
        const std::string_view delim = args[1]->GetString(i);
        if (delim.empty()) {
            *is_null = index != 1;
            *v = s;
            return Status::Ok();
        }
        size_t begin = 0;
        for (int64_t part = 1; part < index; ++part) {
            const size_t hit = s.find(delim, begin);
            if (hit == std::string_view::npos) {
                *is_null = true;
                return Status::Ok();
            }
            begin = hit + delim.size();
        }
        const size_t end = s.find(delim, begin);
        *v = s.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
        return Status::Ok();
    });
}

// The byte offset of the `instance`-th occurrence of `sub` in `s` (counted from the end when
// negative; occurrences may overlap, as in Trino), or npos.
size_t FindInstance(std::string_view s, std::string_view sub, int64_t instance) {
    size_t hit = std::string_view::npos;
    if (instance > 0) {
        for (size_t from = 0; instance > 0; --instance, from = hit + 1) {
            hit = s.find(sub, from);
            if (hit == std::string_view::npos) return hit;
        }
        return hit;
    }
    for (size_t from = std::string_view::npos; instance < 0; ++instance) {
        hit = s.rfind(sub, from);
        if (hit == std::string_view::npos || (hit == 0 && instance < -1)) {
            return std::string_view::npos;  // none left before this one
        }
        from = hit - 1;
    }
    return hit;
}

// strpos(s, sub[, instance]): the 1-based code point position, 0 when absent; an empty `sub` is
// found at 1.
Status StrposKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    const int64_t* instances = args.size() > 2 ? args[2]->Data<int64_t>() : nullptr;
    out->Resize(ctx.rows);
    int64_t* data = out->MutableData<int64_t>();
    for (size_t i = 0; i < ctx.rows; ++i) {
        if (!RowValid(ctx.valid, i)) continue;
        const int64_t instance = instances ? instances[i] : 1;
        if (instance == 0) {
            return Status::InvalidArgument("'instance' must be a positive or negative number.");
        }
        const std::string_view s = args[0]->GetString(i);
        const std::string_view sub = args[1]->GetString(i);
        if (sub.empty()) {
            data[i] = 1;
            continue;
        }
        const size_t hit = FindInstance(s, sub, instance);
        data[i] = hit == std::string_view::npos ? 0 : CountCodePoints(s.substr(0, hit)) + 1;
    }
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}

Status ConcatKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    size_t bytes = 0;
    for (const ColumnVector* arg : args) bytes += arg->string_bytes();
    std::string scratch;
    return StringOut(ctx, out, bytes, [&](size_t i, auto* v, bool*) {
        scratch.clear();
        for (const ColumnVector* arg : args) scratch.append(arg->GetString(i));
        *v = scratch;
        return Status::Ok();
    });
}

bool AllVarchar(std::span<const ArgumentInfo> args) {
    for (const ArgumentInfo& a : args) {
        if (!FitsVarchar(a)) return false;
    }
    return true;
}

}  // namespace

FunctionBindResult BindStringFunction(std::string_view name, std::span<const ArgumentInfo> args) {
    const DataType v = DataType::Varchar();
    const DataType b = DataType::Int64();
    const size_t n = args.size();
    auto fits = [&](size_t i, const DataType& t) {
        return t.id() == TypeId::kVarchar ? FitsVarchar(args[i]) : FitsBigint(args[i]);
    };
    if (name == "trim" || name == "ltrim" || name == "rtrim") {
        if ((n != 1 && n != 2) || !AllVarchar(args)) {
            return UnexpectedParameters(name, args, {"varchar", "varchar, varchar"});
        }
        ScalarKernel k = name == "trim"    ? TrimKernel<true, true>
                         : name == "ltrim" ? TrimKernel<true, false>
                                           : TrimKernel<false, true>;
        return {MakeFunction(name, k, v, std::vector<DataType>(n, v))};
    }
    if (name == "lower" || name == "upper" || name == "length") {
        if (n != 1 || !FitsVarchar(args[0])) return UnexpectedParameters(name, args, {"varchar"});
        ScalarKernel k = name == "lower"   ? LowerKernel
                         : name == "upper" ? UpperKernel
                                           : LengthKernel;
        return {MakeFunction(name, k, name == "length" ? b : v, {v})};
    }
    if (name == "substr" || name == "substring") {
        if ((n != 2 && n != 3) || !fits(0, v) || !fits(1, b) || (n == 3 && !fits(2, b))) {
            return UnexpectedParameters(name, args, {"varchar, bigint", "varchar, bigint, bigint"});
        }
        if (n == 2) return {MakeFunction(name, SubstrKernel, v, {v, b})};
        return {MakeFunction(name, SubstrKernel, v, {v, b, b})};
    }
    if (name == "replace") {
        if ((n != 2 && n != 3) || !AllVarchar(args)) {
            return UnexpectedParameters(name, args,
                                        {"varchar, varchar", "varchar, varchar, varchar"});
        }
        return {MakeFunction(name, ReplaceKernel, v, std::vector<DataType>(n, v))};
    }
    if (name == "split_part") {
        if (n != 3 || !fits(0, v) || !fits(1, v) || !fits(2, b)) {
            return UnexpectedParameters(name, args, {"varchar, varchar, bigint"});
        }
        return {MakeFunction(name, SplitPartKernel, v, {v, v, b})};
    }
    if (name == "strpos") {
        if ((n != 2 && n != 3) || !fits(0, v) || !fits(1, v) || (n == 3 && !fits(2, b))) {
            return UnexpectedParameters(name, args,
                                        {"varchar, varchar", "varchar, varchar, bigint"});
        }
        if (n == 2) return {MakeFunction(name, StrposKernel, b, {v, v})};
        return {MakeFunction(name, StrposKernel, b, {v, v, b})};
    }
    if (name == "concat") {
        if (n < 2)
            return Status::InvalidArgument("There must be two or more concatenation arguments");
        if (!AllVarchar(args)) return UnexpectedParameters(name, args, {"varchar, varchar, ..."});
        return {MakeFunction(name, ConcatKernel, v, std::vector<DataType>(n, v))};
    }
    return {std::shared_ptr<const ScalarFunction>()};
}

}  // namespace tarn::sql
