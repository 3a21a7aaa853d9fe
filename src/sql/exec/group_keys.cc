// GroupKeys: column-wise hashing, the probe loop, and typed key equality.
#include "sql/exec/group_keys.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <functional>
#include <string_view>
#include <type_traits>

#include "common/hash.h"
#include "sql/exec/gather_internal.h"

namespace tarn::sql {
namespace {

using columnar::ColumnVector;
using columnar::int128_t;
using columnar::TypeId;

// A slot holds the group's hash tag (high 32 bits) and id (low 32 bits). Group ids stay below
// UINT32_MAX (the arena and key columns would exhaust memory long before), so ~0 is free.
constexpr uint64_t kEmptySlot = ~uint64_t{0};
constexpr uint64_t kTagMask = 0xFFFFFFFF00000000ULL;
constexpr uint32_t kNoGroup = UINT32_MAX;
constexpr size_t kPrefetchDistance = 16;
constexpr size_t kInitialSlots = 1024;
constexpr uint64_t kNullHash = 0x5bd1e9955bd1e995ULL;

// The bits a value hashes by; equal values (as grouping sees them) give equal bits.
template <class T>
inline uint64_t ValueBits(T v) {
    if constexpr (std::is_floating_point_v<T>) {
        if (v == 0) return 0;  // -0.0 and 0.0
        if (std::isnan(v)) return 0x7ff8000000000000ULL;
        const double d = static_cast<double>(v);
        return std::bit_cast<uint64_t>(d);
    } else if constexpr (std::is_same_v<T, int128_t>) {
        const auto u = static_cast<columnar::uint128_t>(v);
        return static_cast<uint64_t>(u) ^ MurmurFinalize64(static_cast<uint64_t>(u >> 64));
    } else {
        return static_cast<uint64_t>(v);
    }
}

template <class T>
inline bool ValueEqual(T a, T b) {
    if constexpr (std::is_floating_point_v<T>) {
        return a == b || (std::isnan(a) && std::isnan(b));
    } else {
        return a == b;
    }
}

// Folds one key column into the row hashes; NULL hashes as a constant of its own.
template <class T>
void HashFixed(const ColumnVector& c, size_t rows, uint64_t* hashes) {
    const T* data = c.Data<T>();
    for (size_t i = 0; i < rows; ++i) hashes[i] = MurmurFinalize64(hashes[i] + ValueBits(data[i]));
    if (const uint64_t* bits = c.validity_bits()) {
        for (size_t i = 0; i < rows; ++i) {
            // NULL slots hold an unspecified value: rehash them from the constant.
            if (!((bits[i >> 6] >> (i & 63)) & 1))
                hashes[i] = MurmurFinalize64(hashes[i] + kNullHash);
        }
    }
}

void HashString(const ColumnVector& c, size_t rows, uint64_t* hashes) {
    const uint32_t* off = c.offsets();
    const char* bytes = c.string_data();
    const uint64_t* bits = c.validity_bits();
    for (size_t i = 0; i < rows; ++i) {
        uint64_t v;
        if (bits != nullptr && !((bits[i >> 6] >> (i & 63)) & 1)) {
            v = kNullHash;
        } else {
            v = HashBytes(bytes + off[i], off[i + 1] - off[i]);
        }
        hashes[i] = MurmurFinalize64(hashes[i] + v);
    }
}

// NULL-aware equality of slot `row` of `in` and slot `group` of `stored`.
inline bool NullsDecide(const ColumnVector& in, size_t row, const ColumnVector& stored,
                        size_t group, bool* equal) {
    const bool a = in.IsValid(row);
    const bool b = stored.IsValid(group);
    if (a && b) return false;
    *equal = a == b;
    return true;
}

template <class T>
bool EqualFixed(const ColumnVector& in, size_t row, const ColumnVector& stored, size_t group) {
    bool eq;
    if (NullsDecide(in, row, stored, group, &eq)) return eq;
    return ValueEqual(in.Data<T>()[row], stored.Data<T>()[group]);
}

bool EqualString(const ColumnVector& in, size_t row, const ColumnVector& stored, size_t group) {
    bool eq;
    if (NullsDecide(in, row, stored, group, &eq)) return eq;
    return in.GetString(row) == stored.GetString(group);
}

}  // namespace

GroupKeys::KeyOps GroupKeys::OpsFor(const columnar::DataType& type) {
    switch (type.id()) {
        case TypeId::kBoolean:
        case TypeId::kInt8:
            return {&HashFixed<int8_t>, &EqualFixed<int8_t>};
        case TypeId::kInt16:
            return {&HashFixed<int16_t>, &EqualFixed<int16_t>};
        case TypeId::kInt32:
        case TypeId::kDate:
            return {&HashFixed<int32_t>, &EqualFixed<int32_t>};
        case TypeId::kFloat:
            return {&HashFixed<float>, &EqualFixed<float>};
        case TypeId::kDouble:
            return {&HashFixed<double>, &EqualFixed<double>};
        case TypeId::kDecimal:
            if (type.precision() > columnar::kMaxDecimal64Precision) {
                return {&HashFixed<int128_t>, &EqualFixed<int128_t>};
            }
            return {&HashFixed<int64_t>, &EqualFixed<int64_t>};
        case TypeId::kVarchar:
        case TypeId::kVarbinary:
            return {&HashString, &EqualString};
        default:  // INT64, TIMESTAMP (nested types never get here)
            return {&HashFixed<int64_t>, &EqualFixed<int64_t>};
    }
}

GroupKeys::GroupKeys(const std::vector<columnar::DataType>& key_types)
    : slots_(kInitialSlots, kEmptySlot) {
    for (const columnar::DataType& t : key_types) {
        ops_.push_back(OpsFor(t));
        stored_.emplace_back(t);
    }
}

void GroupKeys::FindOrInsert(std::span<const ColumnVector* const> columns, size_t rows,
                             uint32_t* group_ids) {
    hashes_.assign(rows, 0);
    for (size_t k = 0; k < ops_.size(); ++k) ops_[k].hash(*columns[k], rows, hashes_.data());
    for (size_t i = 0; i < rows; ++i) {
        const uint64_t h = hashes_[i];
        const uint64_t tag = h & kTagMask;
        const size_t mask = slots_.size() - 1;
        // With many groups the table outgrows the caches: ask for a later row's slot now so the
        // miss overlaps this row's work.
        if (i + kPrefetchDistance < rows) {
            __builtin_prefetch(&slots_[hashes_[i + kPrefetchDistance] & mask]);
        }
        size_t pos = h & mask;
        uint32_t found = kNoGroup;
        for (uint64_t slot; (slot = slots_[pos]) != kEmptySlot; pos = (pos + 1) & mask) {
            // The tag (the hash's high half) rejects almost every other group without touching
            // its keys.
            if ((slot & kTagMask) != tag) continue;
            const auto g = static_cast<uint32_t>(slot);
            bool equal = true;
            for (size_t k = 0; k < ops_.size() && equal; ++k) {
                equal = ops_[k].equal(*columns[k], i, stored_[k], g);
            }
            if (equal) {
                found = g;
                break;
            }
        }
        if (found == kNoGroup) {
            found = static_cast<uint32_t>(group_hashes_.size());
            const uint32_t row = static_cast<uint32_t>(i);
            for (size_t k = 0; k < ops_.size(); ++k) AppendRows(*columns[k], &row, 1, &stored_[k]);
            group_hashes_.push_back(h);
            slots_[pos] = tag | found;
            if (group_hashes_.size() * 2 > slots_.size()) Grow();
        }
        group_ids[i] = found;
    }
}

void GroupKeys::Grow() {
    slots_.assign(slots_.size() * 2, kEmptySlot);
    const size_t mask = slots_.size() - 1;
    for (uint32_t g = 0; g < group_hashes_.size(); ++g) {
        size_t pos = group_hashes_[g] & mask;
        while (slots_[pos] != kEmptySlot) pos = (pos + 1) & mask;
        slots_[pos] = (group_hashes_[g] & kTagMask) | g;
    }
}

}  // namespace tarn::sql
