// GatherRows and AppendRows: typed bulk copies. Each type is one loop over the selection; nested
// types gather their children with the element ranges their offsets name, recursively.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "sql/exec/expression_evaluator.h"
#include "sql/exec/gather_internal.h"

namespace tarn::sql {
namespace {

using columnar::ColumnVector;
using columnar::TypeId;

// Copies the validity of the selected rows to slots [base, base + count) of `out`. Cheap when
// `in` has no nulls and `out` had none: nothing to write.
void AppendValidity(const ColumnVector& in, const uint32_t* sel, size_t count, size_t base,
                    ColumnVector* out) {
    const uint64_t* bits = in.validity_bits();
    if (bits == nullptr) {
        // Slots appended by Resize are already valid.
        return;
    }
    uint64_t* dst = out->MutableValidityBits();
    for (size_t i = 0; i < count; ++i) {
        const uint32_t r = sel[i];
        const size_t o = base + i;
        const uint64_t bit = uint64_t{1} << (o & 63);
        if ((bits[r >> 6] >> (r & 63)) & 1) {
            dst[o >> 6] |= bit;
        } else {
            dst[o >> 6] &= ~bit;
        }
    }
}

// As ColumnVector does: exceeding the 32-bit offsets is a caller bug (batches are sized to stay
// far below it), so it aborts with a message rather than corrupting offsets.
void CheckArena(size_t bytes) {
    if (bytes > columnar::kMaxOffset) {
        std::fprintf(stderr, "GatherRows: string arena exceeds %zu bytes\n", columnar::kMaxOffset);
        std::abort();
    }
}

template <class T>
void AppendFixed(const ColumnVector& in, const uint32_t* sel, size_t count, size_t base,
                 ColumnVector* out) {
    const T* src = in.Data<T>();
    T* dst = out->MutableData<T>() + base;
    for (size_t i = 0; i < count; ++i) dst[i] = src[sel[i]];
}

void AppendStrings(const ColumnVector& in, const uint32_t* sel, size_t count, size_t base,
                   ColumnVector* out) {
    const uint32_t* src_off = in.offsets();
    size_t bytes = out->string_bytes();
    for (size_t i = 0; i < count; ++i) bytes += src_off[sel[i] + 1] - src_off[sel[i]];
    CheckArena(bytes);
    size_t pos = out->string_bytes();
    out->ResizeStringBytes(bytes);
    char* dst = out->mutable_string_data();
    const char* src = in.string_data();
    uint32_t* off = out->mutable_offsets();
    for (size_t i = 0; i < count; ++i) {
        const uint32_t b = src_off[sel[i]];
        const uint32_t len = src_off[sel[i] + 1] - b;
        if (len != 0) std::memcpy(dst + pos, src + b, len);
        pos += len;
        off[base + i + 1] = static_cast<uint32_t>(pos);
    }
}

// LIST and MAP: the elements of the selected rows become one child selection.
void AppendListLike(const ColumnVector& in, const uint32_t* sel, size_t count, size_t base,
                    ColumnVector* out) {
    const uint32_t* src_off = in.offsets();
    std::vector<uint32_t> elements;
    size_t start = out->child(0).length();
    uint32_t* off = out->mutable_offsets();
    for (size_t i = 0; i < count; ++i) {
        for (uint32_t e = src_off[sel[i]]; e < src_off[sel[i] + 1]; ++e) elements.push_back(e);
        off[base + i + 1] = static_cast<uint32_t>(start + elements.size());
    }
    for (size_t c = 0; c < in.num_children(); ++c) {
        AppendRows(in.child(c), elements.data(), elements.size(), &out->child(c));
    }
}

template <class T>
void CopyFixedRange(const ColumnVector& in, size_t start, size_t count, size_t base,
                    ColumnVector* out) {
    if (count != 0) {
        std::memcpy(out->MutableData<T>() + base, in.Data<T>() + start, count * sizeof(T));
    }
}

// Copies the validity of rows [start, start + count) to slots [base, base + count) of `out`.
void AppendValidityRange(const ColumnVector& in, size_t start, size_t count, size_t base,
                         ColumnVector* out) {
    const uint64_t* bits = in.validity_bits();
    if (bits == nullptr) return;  // Resize / AppendStructEnd made the new slots valid
    uint64_t* dst = out->MutableValidityBits();
    for (size_t i = 0; i < count; ++i) {
        const size_t r = start + i;
        const size_t o = base + i;
        const uint64_t bit = uint64_t{1} << (o & 63);
        if ((bits[r >> 6] >> (r & 63)) & 1) {
            dst[o >> 6] |= bit;
        } else {
            dst[o >> 6] &= ~bit;
        }
    }
}

// The new slots' offsets: the source's, shifted to where their bytes or elements now start.
void AppendOffsets(const uint32_t* src, size_t start, size_t count, size_t base, size_t at,
                   ColumnVector* out) {
    uint32_t* off = out->mutable_offsets();
    for (size_t i = 0; i < count; ++i) {
        off[base + i + 1] = static_cast<uint32_t>(at + (src[start + i + 1] - src[start]));
    }
}

}  // namespace

void AppendRange(const ColumnVector& in, size_t start, size_t count, ColumnVector* out) {
    const size_t base = out->length();
    if (in.type_id() == TypeId::kStruct) {
        for (size_t c = 0; c < in.num_children(); ++c) {
            AppendRange(in.child(c), start, count, &out->child(c));
        }
        for (size_t i = 0; i < count; ++i) out->AppendStructEnd();
        AppendValidityRange(in, start, count, base, out);
        return;
    }
    out->Resize(base + count);
    const bool fixed = VisitFixedWidth(
        in.type().FixedWidth(), [&]<class T>() { CopyFixedRange<T>(in, start, count, base, out); });
    if (!fixed) {
        const uint32_t* src = in.offsets();
        const uint32_t first = src[start];
        const uint32_t last = src[start + count];
        if (in.type().is_string_like()) {
            const size_t at = out->string_bytes();
            CheckArena(at + (last - first));
            out->ResizeStringBytes(at + (last - first));
            if (last != first) {
                std::memcpy(out->mutable_string_data() + at, in.string_data() + first,
                            last - first);
            }
            AppendOffsets(src, start, count, base, at, out);
        } else {
            const size_t at = out->child(0).length();
            for (size_t c = 0; c < in.num_children(); ++c) {
                AppendRange(in.child(c), first, last - first, &out->child(c));
            }
            AppendOffsets(src, start, count, base, at, out);
        }
    }
    AppendValidityRange(in, start, count, base, out);
}

void AppendRows(const ColumnVector& in, const uint32_t* selection, size_t count,
                ColumnVector* out) {
    const size_t base = out->length();
    if (in.type_id() == TypeId::kStruct) {
        // Resize would grow the children with defaults; append the members' rows instead and
        // then account for the struct's own slots.
        for (size_t c = 0; c < in.num_children(); ++c) {
            AppendRows(in.child(c), selection, count, &out->child(c));
        }
        for (size_t i = 0; i < count; ++i) out->AppendStructEnd();
        AppendValidity(in, selection, count, base, out);
        return;
    }
    out->Resize(base + count);
    const bool fixed = VisitFixedWidth(in.type().FixedWidth(), [&]<class T>() {
        AppendFixed<T>(in, selection, count, base, out);
    });
    if (!fixed) {
        if (in.type().is_string_like()) {
            AppendStrings(in, selection, count, base, out);
        } else {
            AppendListLike(in, selection, count, base, out);
        }
    }
    AppendValidity(in, selection, count, base, out);
}

void GatherRows(const ColumnVector& in, const uint32_t* selection, size_t count,
                ColumnVector* out) {
    out->Reset();
    AppendRows(in, selection, count, out);
}

void GatherBatch(const columnar::RecordBatch& in, const uint32_t* selection, size_t count,
                 columnar::RecordBatch* out) {
    for (size_t c = 0; c < in.num_columns(); ++c) {
        GatherRows(in.column(c), selection, count, &out->column(c));
    }
    out->set_num_rows(count);
}

}  // namespace tarn::sql
