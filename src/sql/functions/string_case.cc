// lower() and upper(): per-code-point case mapping that never changes the UTF-8 length, so the
// result is written straight into an arena sized once from the input.
#include "sql/functions/string_case.h"

#include <cstdint>
#include <string_view>

#include "sql/functions/builtin_util.h"

namespace tarn::sql {
namespace {

using builtin::RowValid;
using columnar::ColumnVector;
using Args = std::span<const ColumnVector* const>;

// Case mapping of Latin-1, Latin Extended-A, Greek, Cyrillic, Armenian and fullwidth Latin
// (what Java's Character.toLowerCase/toUpperCase, which Trino uses, does there), chosen so that
// every mapping keeps the UTF-8 length: case-mapped text is written in place of the input's bytes.
// Other scripts pass through unchanged.
bool PairedEvenUpper(uint32_t c) {  // blocks where each even code point is the odd one's capital
    return (c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) || (c >= 0x14A && c <= 0x177) ||
           (c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) || (c >= 0x4D0 && c <= 0x52F);
}
bool PairedOddUpper(uint32_t c) {
    return (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E) || (c >= 0x4C1 && c <= 0x4CE);
}

uint32_t LowerCodePoint(uint32_t c) {
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;
    if (PairedEvenUpper(c)) return c | 1;
    if (PairedOddUpper(c)) return (c & 1) ? c + 1 : c;
    if (c == 0x178) return 0xFF;
    if ((c >= 0x391 && c <= 0x3AB && c != 0x3A2) || (c >= 0x410 && c <= 0x42F)) return c + 0x20;
    if (c == 0x386) return 0x3AC;
    if (c >= 0x388 && c <= 0x38A) return c + 0x25;
    if (c == 0x38C) return 0x3CC;
    if (c == 0x38E || c == 0x38F) return c + 0x3F;
    if (c >= 0x400 && c <= 0x40F) return c + 0x50;
    if (c >= 0x531 && c <= 0x556) return c + 0x30;
    if (c >= 0xFF21 && c <= 0xFF3A) return c + 0x20;
    return c;
}

uint32_t UpperCodePoint(uint32_t c) {
    if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 0x20;
    if (c == 0xFF) return 0x178;
    if (PairedEvenUpper(c)) return c & ~uint32_t{1};
    if (PairedOddUpper(c)) return (c & 1) ? c : c - 1;
    if (c == 0x3C2) return 0x3A3;  // final sigma
    if ((c >= 0x3B1 && c <= 0x3CB) || (c >= 0x430 && c <= 0x44F)) return c - 0x20;
    if (c == 0x3AC) return 0x386;
    if (c >= 0x3AD && c <= 0x3AF) return c - 0x25;
    if (c == 0x3CC) return 0x38C;
    if (c == 0x3CD || c == 0x3CE) return c - 0x3F;
    if (c >= 0x450 && c <= 0x45F) return c - 0x50;
    if (c >= 0x561 && c <= 0x586) return c - 0x30;
    if (c >= 0xFF41 && c <= 0xFF5A) return c - 0x20;
    return c;
}

template <bool kUpper>
void MapCase(std::string_view in, char* out) {
    for (size_t i = 0; i < in.size();) {
        const auto b = static_cast<unsigned char>(in[i]);
        if (b < 0x80) {
            const bool flip = kUpper ? (b >= 'a' && b <= 'z') : (b >= 'A' && b <= 'Z');
            out[i++] = static_cast<char>(flip ? b ^ 0x20 : b);
            continue;
        }
        const size_t n = b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        if (n == 4 || i + n > in.size()) {  // nothing mapped beyond the BMP
            for (size_t k = 0; k < n && i < in.size(); ++k, ++i) out[i] = in[i];
            continue;
        }
        uint32_t c = b & (n == 2 ? 0x1Fu : 0x0Fu);
        for (size_t k = 1; k < n; ++k)
            c = (c << 6) | (static_cast<unsigned char>(in[i + k]) & 0x3Fu);
        c = kUpper ? UpperCodePoint(c) : LowerCodePoint(c);
        // Every mapping above stays within its UTF-8 length class.
        for (size_t k = n - 1; k > 0; --k, c >>= 6)
            out[i + k] = static_cast<char>(0x80 | (c & 0x3F));
        out[i] = static_cast<char>((n == 2 ? 0xC0 : 0xE0) | c);
        i += n;
    }
}

template <bool kUpper>
Status CaseKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    const ColumnVector& in = *args[0];
    size_t bytes = 0;
    for (size_t i = 0; i < ctx.rows; ++i) {
        if (RowValid(ctx.valid, i)) bytes += in.GetString(i).size();
    }
    out->Resize(ctx.rows);
    out->ResizeStringBytes(bytes);
    char* data = out->mutable_string_data();
    uint32_t* offsets = out->mutable_offsets();
    size_t pos = 0;
    for (size_t i = 0; i < ctx.rows; ++i) {
        offsets[i] = static_cast<uint32_t>(pos);
        if (!RowValid(ctx.valid, i)) continue;
        const std::string_view s = in.GetString(i);
        MapCase<kUpper>(s, data + pos);
        pos += s.size();
    }
    offsets[ctx.rows] = static_cast<uint32_t>(pos);
    SetValidityFrom(ctx.valid, ctx.rows, out);
    return Status::Ok();
}

}  // namespace

Status LowerKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    return CaseKernel<false>(ctx, args, out);
}
Status UpperKernel(const KernelContext& ctx, Args args, ColumnVector* out) {
    return CaseKernel<true>(ctx, args, out);
}

}  // namespace tarn::sql
