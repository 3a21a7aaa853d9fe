// RowComparator and SortRows: typed compares and first-key normalization.
#include "sql/exec/row_order.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace tarn::sql {
namespace {

using columnar::ColumnVector;
using columnar::int128_t;
using columnar::TypeId;

constexpr uint64_t kSignBit = uint64_t{1} << 63;

template <class T>
int CompareValues(T a, T b) {
    if constexpr (std::is_floating_point_v<T>) {
        const bool na = std::isnan(a);
        const bool nb = std::isnan(b);
        if (na || nb) return static_cast<int>(na) - static_cast<int>(nb);  // NaN is largest
    }
    return a < b ? -1 : (b < a ? 1 : 0);
}

template <class T>
int CompareFixed(const ColumnVector& x, uint32_t a, const ColumnVector& y, uint32_t b) {
    return CompareValues(x.Data<T>()[a], y.Data<T>()[b]);
}

int CompareString(const ColumnVector& x, uint32_t a, const ColumnVector& y, uint32_t b) {
    // char_traits<char> compares as unsigned char: byte order, as Trino orders varchar.
    const int c = x.GetString(a).compare(y.GetString(b));
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

// Order-preserving uint64_t images of values.
inline uint64_t NormSigned(int64_t v) { return static_cast<uint64_t>(v) ^ kSignBit; }
inline uint64_t NormDouble(double v) {
    if (v == 0) v = 0;                       // -0.0 sorts with 0.0
    if (std::isnan(v)) return ~uint64_t{0};  // above +inf
    const uint64_t bits = std::bit_cast<uint64_t>(v);
    return (bits & kSignBit) ? ~bits : (bits | kSignBit);
}
inline uint64_t NormPrefix(std::string_view s) {
    unsigned char buf[8] = {};
    if (!s.empty()) std::memcpy(buf, s.data(), std::min<size_t>(8, s.size()));
    uint64_t v = 0;
    for (unsigned char c : buf) v = (v << 8) | c;
    return v;
}

struct Entry {
    uint64_t norm;
    uint32_t row;
};

// Fills entries (valid rows) and nulls (NULL rows) for the first key; returns whether the
// normalized value decides the key exactly.
bool Normalize(const ColumnVector& c, size_t rows, bool descending, std::vector<Entry>* entries,
               std::vector<uint32_t>* nulls) {
    auto fill = [&](auto norm) {
        entries->reserve(rows);
        for (uint32_t r = 0; r < rows; ++r) {
            if (!c.IsValid(r)) {
                nulls->push_back(r);
            } else {
                const uint64_t n = norm(r);
                entries->push_back({descending ? ~n : n, r});
            }
        }
    };
    switch (c.type_id()) {
        case TypeId::kBoolean:
            fill([d = c.Data<uint8_t>()](uint32_t r) { return uint64_t{d[r]}; });
            return true;
        case TypeId::kInt8:
            fill([d = c.Data<int8_t>()](uint32_t r) { return NormSigned(d[r]); });
            return true;
        case TypeId::kInt16:
            fill([d = c.Data<int16_t>()](uint32_t r) { return NormSigned(d[r]); });
            return true;
        case TypeId::kInt32:
        case TypeId::kDate:
            fill([d = c.Data<int32_t>()](uint32_t r) { return NormSigned(d[r]); });
            return true;
        case TypeId::kFloat:
            fill([d = c.Data<float>()](uint32_t r) { return NormDouble(d[r]); });
            return true;
        case TypeId::kDouble:
            fill([d = c.Data<double>()](uint32_t r) { return NormDouble(d[r]); });
            return true;
        case TypeId::kDecimal:
            if (c.type().precision() > columnar::kMaxDecimal64Precision) {
                fill([d = c.Data<int128_t>()](uint32_t r) {
                    return NormSigned(static_cast<int64_t>(d[r] >> 64));
                });
                return false;
            }
            fill([d = c.Data<int64_t>()](uint32_t r) { return NormSigned(d[r]); });
            return true;
        case TypeId::kVarchar:
        case TypeId::kVarbinary:
            fill([&c](uint32_t r) { return NormPrefix(c.GetString(r)); });
            return false;
        default:  // INT64, TIMESTAMP
            fill([d = c.Data<int64_t>()](uint32_t r) { return NormSigned(d[r]); });
            return true;
    }
}

}  // namespace

RowComparator::RowComparator(const columnar::Schema& schema, std::vector<SortKey> keys)
    : keys_(std::move(keys)) {
    for (const SortKey& k : keys_) {
        // Bad keys are reported by CheckSortKeys; the comparator is then never used.
        const bool ok = k.column >= 0 && static_cast<size_t>(k.column) < schema.num_fields();
        const columnar::DataType t = ok ? schema.field(k.column).type : columnar::DataType::Int64();
        CompareFn fn;
        switch (t.id()) {
            case TypeId::kBoolean:
                fn = &CompareFixed<uint8_t>;
                break;
            case TypeId::kInt8:
                fn = &CompareFixed<int8_t>;
                break;
            case TypeId::kInt16:
                fn = &CompareFixed<int16_t>;
                break;
            case TypeId::kInt32:
            case TypeId::kDate:
                fn = &CompareFixed<int32_t>;
                break;
            case TypeId::kFloat:
                fn = &CompareFixed<float>;
                break;
            case TypeId::kDouble:
                fn = &CompareFixed<double>;
                break;
            case TypeId::kDecimal:
                fn = t.precision() > columnar::kMaxDecimal64Precision ? &CompareFixed<int128_t>
                                                                      : &CompareFixed<int64_t>;
                break;
            case TypeId::kVarchar:
            case TypeId::kVarbinary:
                fn = &CompareString;
                break;
            default:
                fn = &CompareFixed<int64_t>;
                break;
        }
        compare_.push_back(fn);
    }
}

int RowComparator::Compare(const ColumnRefs& as, uint32_t a, const ColumnRefs& bs, uint32_t b,
                           size_t first_key) const {
    for (size_t k = first_key; k < keys_.size(); ++k) {
        const SortKey& key = keys_[k];
        const ColumnVector& x = *as[key.column];
        const ColumnVector& y = *bs[key.column];
        const bool xv = x.IsValid(a);
        const bool yv = y.IsValid(b);
        if (!xv || !yv) {
            if (xv == yv) continue;
            // NULLS FIRST/LAST holds for both directions.
            return (!xv == key.nulls_first) ? -1 : 1;
        }
        const int c = compare_[k](x, a, y, b);
        if (c != 0) return key.descending ? -c : c;
    }
    return 0;
}

void SortRows(const RowComparator& comparator, const ColumnRefs& columns, size_t rows,
              std::vector<uint32_t>* order) {
    order->clear();
    if (comparator.keys().empty()) {
        for (uint32_t r = 0; r < rows; ++r) order->push_back(r);
        return;
    }
    const SortKey& first = comparator.keys()[0];
    std::vector<Entry> entries;
    std::vector<uint32_t> nulls;
    const bool exact = Normalize(*columns[first.column], rows, first.descending, &entries, &nulls);
    const size_t tie_key = exact ? 1 : 0;
    const bool more = tie_key < comparator.keys().size();
    std::stable_sort(entries.begin(), entries.end(), [&](const Entry& a, const Entry& b) {
        if (a.norm != b.norm) return a.norm < b.norm;
        return more && comparator.Compare(columns, a.row, columns, b.row, tie_key) < 0;
    });
    if (comparator.keys().size() > 1) {
        std::stable_sort(nulls.begin(), nulls.end(), [&](uint32_t a, uint32_t b) {
            return comparator.Compare(columns, a, columns, b, 1) < 0;
        });
    }
    order->reserve(rows);
    if (first.nulls_first) order->insert(order->end(), nulls.begin(), nulls.end());
    for (const Entry& e : entries) order->push_back(e.row);
    if (!first.nulls_first) order->insert(order->end(), nulls.begin(), nulls.end());
}

Status CheckSortKeys(const columnar::Schema& schema, const std::vector<SortKey>& keys) {
    for (const SortKey& k : keys) {
        if (k.column < 0 || static_cast<size_t>(k.column) >= schema.num_fields()) {
            return Status::Internal("sort key column " + std::to_string(k.column) +
                                    " out of range");
        }
        if (schema.field(k.column).type.is_nested()) {
            return Status::Unimplemented("ORDER BY on row/array/map columns");
        }
    }
    return Status::Ok();
}

}  // namespace tarn::sql
