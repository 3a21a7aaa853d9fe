#include "format/parquet_levels.h"

#include <bit>
#include <cstdint>
#include <utility>

namespace tarn::format {
namespace {

using columnar::ColumnVector;
using columnar::TypeId;

constexpr uint32_t kDead = UINT32_MAX;

// Valid slots among [begin, end) of a bitmap.
size_t CountValid(const uint64_t* bits, size_t begin, size_t end) {
    size_t count = 0;
    while (begin < end && (begin & 63) != 0) {
        count += (bits[begin >> 6] >> (begin & 63)) & 1;
        ++begin;
    }
    for (; begin + 64 <= end; begin += 64) count += std::popcount(bits[begin >> 6]);
    for (; begin < end; ++begin) count += (bits[begin >> 6] >> (begin & 63)) & 1;
    return count;
}

}  // namespace

void LevelShredder::Shred(const ParquetColumn& column, const ColumnVector& top, size_t row_begin,
                          size_t row_end, LeafLevels* out) {
    if (column.steps.size() == 1) {
        ShredFlat(column, top, row_begin, row_end, out);
    } else {
        ShredNested(column, top, row_begin, row_end, out);
    }
}

void LevelShredder::ShredFlat(const ParquetColumn& column, const ColumnVector& top,
                              size_t row_begin, size_t row_end, LeafLevels* out) {
    const size_t n = row_end - row_begin;
    out->num_levels = n;
    out->rep.Clear();
    out->leaf = &top;
    const uint64_t* bits = top.validity_bits();
    if (!column.steps[0].optional || bits == nullptr || CountValid(bits, row_begin, row_end) == n) {
        out->def.Clear();
        out->contiguous = true;
        out->value_begin = row_begin;
        out->num_values = n;
        out->value_index.Clear();
        return;
    }
    out->def.Resize(n);
    out->value_index.Resize(n);
    uint16_t* def = out->def.data();
    uint32_t* vi = out->value_index.data();
    size_t nv = 0;
    for (size_t i = row_begin; i < row_end; ++i) {
        const auto bit = static_cast<uint16_t>((bits[i >> 6] >> (i & 63)) & 1);
        def[i - row_begin] = bit;
        vi[nv] = static_cast<uint32_t>(i);
        nv += bit;
    }
    out->value_index.Resize(nv);
    out->num_values = nv;
    out->contiguous = false;
    out->value_begin = 0;
}

void LevelShredder::ShredNested(const ParquetColumn& column, const ColumnVector& top,
                                size_t row_begin, size_t row_end, LeafLevels* out) {
    const bool has_rep = column.max_rep_level > 0;
    size_t n = row_end - row_begin;
    int cur = 0;
    idx_[0].Resize(n);
    def_[0].Resize(n);
    for (size_t i = 0; i < n; ++i) idx_[0][i] = static_cast<uint32_t>(row_begin + i);
    if (has_rep) {
        rep_[0].Resize(n);
        for (size_t i = 0; i < n; ++i) rep_[0][i] = 0;
    }
    // Live entries (idx != kDead) have no definition level yet: it is the level of the step
    // they have reached. Ended entries have theirs.
    const ColumnVector* v = &top;
    const size_t last = column.steps.size() - 1;
    for (size_t s = 0;; ++s) {
        const ColumnStep& st = column.steps[s];
        uint32_t* idx = idx_[cur].data();
        uint16_t* def = def_[cur].data();
        if (st.optional && !v->all_valid()) {
            const uint64_t* bits = v->validity_bits();
            const auto null_def = static_cast<uint16_t>(st.def_level - 1);
            for (size_t i = 0; i < n; ++i) {
                const uint32_t k = idx[i];
                if (k != kDead && ((bits[k >> 6] >> (k & 63)) & 1) == 0) {
                    idx[i] = kDead;
                    def[i] = null_def;
                }
            }
        }
        if (s == last) break;
        if (st.kind == TypeId::kStruct) {
            v = &v->child(st.child);
            continue;
        }
        // LIST or MAP: fan each live entry out to its elements.
        const uint32_t* off = v->offsets();
        size_t first = 0;
        while (first < n && idx[first] == kDead) ++first;
        size_t bound = n;
        if (first < n) {
            size_t lastlive = n - 1;
            while (idx[lastlive] == kDead) --lastlive;
            bound += off[idx[lastlive] + 1] - off[idx[first]];
        }
        const int nxt = cur ^ 1;
        idx_[nxt].Resize(bound);
        def_[nxt].Resize(bound);
        if (has_rep) rep_[nxt].Resize(bound);
        uint32_t* nidx = idx_[nxt].data();
        uint16_t* ndef = def_[nxt].data();
        uint16_t* nrep = has_rep ? rep_[nxt].data() : nullptr;
        const uint16_t* rep = has_rep ? rep_[cur].data() : nullptr;
        const auto list_def = static_cast<uint16_t>(st.def_level);
        const auto list_rep = static_cast<uint16_t>(st.rep_level);
        size_t m = 0;
        for (size_t i = 0; i < n; ++i) {
            const uint32_t k = idx[i];
            if (k == kDead) {
                nidx[m] = kDead;
                ndef[m] = def[i];
                nrep[m] = rep[i];
                ++m;
                continue;
            }
            const uint32_t b = off[k];
            const uint32_t e = off[k + 1];
            if (b == e) {  // present but empty
                nidx[m] = kDead;
                ndef[m] = list_def;
                nrep[m] = rep[i];
                ++m;
                continue;
            }
            nidx[m] = b;
            nrep[m] = rep[i];
            ++m;
            for (uint32_t j = b + 1; j < e; ++j) {
                nidx[m] = j;
                nrep[m] = list_rep;
                ++m;
            }
        }
        n = m;
        idx_[nxt].Resize(n);
        def_[nxt].Resize(n);
        if (has_rep) rep_[nxt].Resize(n);
        cur = nxt;
        v = &v->child(st.child);
    }

    // At the leaf: live entries are values.
    const auto max_def = static_cast<uint16_t>(column.max_def_level);
    uint32_t* idx = idx_[cur].data();
    uint16_t* def = def_[cur].data();
    out->value_index.Resize(n);
    uint32_t* vi = out->value_index.data();
    size_t nv = 0;
    for (size_t i = 0; i < n; ++i) {
        if (idx[i] != kDead) {
            def[i] = max_def;
            vi[nv++] = idx[i];
        }
    }
    out->num_levels = n;
    out->leaf = v;
    out->num_values = nv;
    out->value_index.Resize(nv);
    if (nv == n) {
        out->def.Clear();
    } else {
        std::swap(out->def, def_[cur]);
    }
    if (has_rep) {
        std::swap(out->rep, rep_[cur]);
    } else {
        out->rep.Clear();
    }
    if (nv > 0 && vi[nv - 1] - vi[0] + 1 == nv) {
        out->contiguous = true;
        out->value_begin = vi[0];
    } else {
        out->contiguous = nv == 0;
        out->value_begin = 0;
    }
}

}  // namespace tarn::format
