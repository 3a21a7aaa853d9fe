#include "format/parquet_nested_assembly.h"

#include <algorithm>
#include <cstring>

#include "format/parquet_expand.h"

namespace tarn::format {

using columnar::ColumnVector;
using columnar::TypeId;

namespace {

bool IsList(TypeId t) { return t == TypeId::kList || t == TypeId::kMap; }

// Writes the validity of slots [0, n) of `v` from one byte per slot.
void InstallValidity(ColumnVector* v, const uint8_t* valid, size_t n) {
    uint64_t* words = v->MutableValidityBits();
    for (size_t w = 0; w * 64 < n; ++w) {
        const size_t take = std::min<size_t>(64, n - w * 64);
        uint64_t bits = 0;
        for (size_t j = 0; j < take; ++j) bits |= static_cast<uint64_t>(valid[w * 64 + j]) << j;
        words[w] = bits;
    }
}

}  // namespace

Status NestedAssembler::Assemble(const LeafPath& path, ColumnVector* const* vecs,
                                 const NestedLevels& levels, size_t rows,
                                 const std::string& context) {
    auto fail = [&](const std::string& what) { return Status::Corruption(context + ": " + what); };
    const size_t m = path.steps.size();
    const size_t entries = levels.entries;
    const uint16_t* def = levels.def_levels();
    const uint16_t* rep = levels.rep_levels();

    if (steps_.size() < m) steps_.resize(m);
    for (size_t s = 0; s < m; ++s) {
        StepScratch& sc = steps_[s];
        sc.valid.Resize(entries);
        sc.count = 0;
        sc.any_null = false;
        if (IsList(path.steps[s].kind)) {
            sc.offsets.Resize((entries + 1) * sizeof(uint32_t));
            sc.offsets.mutable_data_as<uint32_t>()[0] = 0;
        }
    }
    present_.Resize(entries);
    uint8_t* present = present_.mutable_data();

    // reach_[d]: the lists (by repetition level) an entry of definition level d has entries in.
    reach_.assign(static_cast<size_t>(path.max_def) + 1, 0);
    for (size_t d = 0; d <= static_cast<size_t>(path.max_def); ++d) {
        uint8_t k = 0;
        for (size_t r = 1; r <= static_cast<size_t>(path.max_rep); ++r) {
            if (d > static_cast<size_t>(path.steps[path.list_step[r]].def_level))
                k = static_cast<uint8_t>(r);
        }
        reach_[d] = k;
    }

    uint8_t* valid[64];
    uint32_t* offsets[64];
    if (m > 64) return Status::Unimplemented(context + ": nesting deeper than 64 levels");
    for (size_t s = 0; s < m; ++s) {
        valid[s] = steps_[s].valid.mutable_data();
        offsets[s] =
            IsList(path.steps[s].kind) ? steps_[s].offsets.mutable_data_as<uint32_t>() : nullptr;
    }

    size_t prev_reach = 0;
    size_t leaf_values = 0;
    for (size_t e = 0; e < entries; ++e) {
        const uint16_t r = rep[e];
        const uint16_t d = def[e];
        if (r > prev_reach || r > reach_[d]) {
            return fail("repetition level " + std::to_string(r) + " continues a list that has " +
                        "no entries (definition level " + std::to_string(d) + ")");
        }
        prev_reach = reach_[d];
        size_t s = path.start_step[r];
        if (r > 0) {
            const size_t p = path.list_step[r];
            ++offsets[p][steps_[p].count];
        }
        for (;; ++s) {
            const PathStep& st = path.steps[s];
            StepScratch& sc = steps_[s];
            const size_t slot = sc.count++;
            const bool ok = !st.optional || d >= st.def_level;
            valid[s][slot] = ok;
            if (!ok) {
                if (!st.nullable) return fail("a map key is null");
                sc.any_null = true;
            }
            if (offsets[s] != nullptr) {
                const bool has_entry = d > st.def_level;
                offsets[s][slot + 1] = offsets[s][slot] + (has_entry ? 1 : 0);
                if (!has_entry) break;
            } else if (s + 1 == m) {
                present[slot] = d == path.max_def;
                leaf_values += present[slot];
                break;
            }
        }
    }
    if (steps_[0].count != rows) {
        return fail("levels hold " + std::to_string(steps_[0].count) + " rows, " +
                    std::to_string(rows) + " expected");
    }
    if (leaf_values != levels.values) {
        return fail("levels and values disagree");  // unreachable: both count d == max_def
    }

    // Install, top down: drivers write their vectors; the others check theirs agree.
    for (size_t s = 0; s + 1 < m; ++s) {
        const PathStep& st = path.steps[s];
        const StepScratch& sc = steps_[s];
        ColumnVector* v = vecs[s];
        if (st.driver) {
            if (v->length() != sc.count) v->Resize(sc.count);
            if (sc.any_null) InstallValidity(v, valid[s], sc.count);
            if (offsets[s] != nullptr) {
                std::memcpy(v->mutable_offsets(), offsets[s], (sc.count + 1) * sizeof(uint32_t));
            }
            continue;
        }
        if (v->length() != sc.count ||
            (offsets[s] != nullptr &&
             std::memcmp(v->offsets(), offsets[s], (sc.count + 1) * sizeof(uint32_t)) != 0)) {
            return fail("its levels disagree with those of another column of the same " +
                        std::string(columnar::TypeIdName(st.kind)));
        }
    }
    ColumnVector* leaf = vecs[m - 1];
    const StepScratch& sc = steps_[m - 1];
    if (leaf->length() != sc.count) leaf->Resize(sc.count);
    ExpandValues(leaf, 0, sc.count, levels.values, [present](size_t i) { return present[i] != 0; });
    if (sc.any_null) InstallValidity(leaf, valid[m - 1], sc.count);
    return Status::Ok();
}

}  // namespace tarn::format
