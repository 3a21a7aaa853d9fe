// RowComparator and SortRows: typed compares and first-key normalization.
#include "sql/exec/row_order.h"

#include <algorithm>
#include <array>
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
// Bytes [depth, depth + 8) of s, big-endian, zero-padded.
inline uint64_t NormPrefix(std::string_view s, size_t depth) {
    unsigned char buf[8] = {};
    if (s.size() > depth) std::memcpy(buf, s.data() + depth, std::min<size_t>(8, s.size() - depth));
    uint64_t v = 0;
    for (unsigned char c : buf) v = (v << 8) | c;
    return v;
}

// One row's image of one key at one depth. For strings `extra` is how many bytes of the value
// lie in this 8-byte window (0..8) or kMore when it continues past it, so that "ab" < "ab\0"
// and equal images with extra < kMore mean equal values.
struct Entry {
    uint64_t norm;
    uint32_t extra;
    uint32_t row;
};
constexpr uint32_t kMore = 9;

enum class Refine {
    kNextKey,     // equal images mean equal values: ties go to the next key
    kNextWindow,  // strings: ties with extra == kMore compare the next 8 bytes
    kLowHalf,     // 128-bit decimals: ties compare the low 64 bits
};

// The MSD (most significant first) sorter: sorts a range of rows by the images of one key,
// stably, then each run of equal images by what is left (the next window of the same key, or
// the next key). Each level is one std::stable_sort of 16-byte entries on integers, so the
// per-key compare functions run only in small runs.
class RangeSorter {
public:
    RangeSorter(const RowComparator& comparator, const ColumnRefs& columns)
        : comparator_(comparator), keys_(comparator.keys()), columns_(columns) {}

    // Sorts rows[0, n) stably by keys[k...], given that they tie on the keys before k (and on
    // the first `depth` windows of key k).
    void Sort(uint32_t* rows, size_t n, size_t k, size_t depth) {
        if (n < 2 || k >= keys_.size()) return;
        if (n <= kSmall) {
            SortSmall(rows, n, k);
            return;
        }
        const SortKey& key = keys_[k];
        std::vector<Entry> entries;
        std::vector<uint32_t> nulls;
        entries.reserve(n);
        const Refine refine = Normalize(*columns_[key.column], rows, n, depth, &entries, &nulls);
        if (key.descending) {
            for (Entry& e : entries) {
                e.norm = ~e.norm;
                e.extra = kMore - e.extra;
            }
        }
        if (entries.size() >= kRadixMin) {
            RadixSort(&entries);
        } else {
            std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
                return a.norm != b.norm ? a.norm < b.norm : a.extra < b.extra;
            });
        }
        uint32_t* valid = key.nulls_first ? rows + nulls.size() : rows;
        uint32_t* null_rows = key.nulls_first ? rows : rows + entries.size();
        std::copy(nulls.begin(), nulls.end(), null_rows);
        for (size_t i = 0; i < entries.size(); ++i) valid[i] = entries[i].row;
        const uint32_t more = key.descending ? 0 : kMore;
        for (size_t i = 0; i < entries.size();) {
            size_t j = i + 1;
            while (j < entries.size() && entries[j].norm == entries[i].norm &&
                   entries[j].extra == entries[i].extra) {
                ++j;
            }
            if (j - i > 1) {
                if (refine == Refine::kNextWindow && entries[i].extra == more) {
                    Sort(valid + i, j - i, k, depth + 8);
                } else if (refine == Refine::kLowHalf && depth == 0) {
                    Sort(valid + i, j - i, k, 1);
                } else {
                    Sort(valid + i, j - i, k + 1, 0);
                }
            }
            i = j;
        }
        Sort(null_rows, nulls.size(), k + 1, 0);
    }

private:
    static constexpr size_t kSmall = 16;
    static constexpr size_t kRadixMin = 256;

    // Stable LSD radix sort by (norm, extra): one counting pass for all digits, then one
    // scatter per digit that is not the same in every entry (integer keys of a narrow range
    // skip most of the eight norm bytes).
    void RadixSort(std::vector<Entry>* entries) {
        const size_t n = entries->size();
        constexpr int kDigits = 9;  // extra (least significant), then norm's 8 bytes
        auto digit = [](const Entry& e, int d) -> uint32_t {
            return d == 0 ? e.extra : static_cast<uint32_t>((e.norm >> (8 * (d - 1))) & 0xFF);
        };
        std::vector<std::array<size_t, 256>> counts(kDigits);
        for (auto& c : counts) c.fill(0);
        for (const Entry& e : *entries) {
            for (int d = 0; d < kDigits; ++d) ++counts[d][digit(e, d)];
        }
        scratch_.resize(n);
        Entry* src = entries->data();
        Entry* dst = scratch_.data();
        for (int d = 0; d < kDigits; ++d) {
            std::array<size_t, 256>& c = counts[d];
            if (c[digit(src[0], d)] == n) continue;  // every entry has this digit
            size_t pos = 0;
            for (size_t& x : c) {
                const size_t k = x;
                x = pos;
                pos += k;
            }
            for (size_t i = 0; i < n; ++i) dst[c[digit(src[i], d)]++] = src[i];
            std::swap(src, dst);
        }
        if (src != entries->data()) std::copy(src, src + n, entries->data());
    }

    // Stable insertion sort with the comparator from key k on.
    void SortSmall(uint32_t* rows, size_t n, size_t k) const {
        for (size_t i = 1; i < n; ++i) {
            const uint32_t r = rows[i];
            size_t j = i;
            while (j > 0 && comparator_.Compare(columns_, rows[j - 1], columns_, r, k) > 0) {
                rows[j] = rows[j - 1];
                --j;
            }
            rows[j] = r;
        }
    }

    static Refine Normalize(const ColumnVector& c, const uint32_t* rows, size_t n, size_t depth,
                            std::vector<Entry>* entries, std::vector<uint32_t>* nulls) {
        auto fill = [&](auto norm) {
            const uint64_t* bits = c.validity_bits();
            for (size_t i = 0; i < n; ++i) {
                const uint32_t r = rows[i];
                if (bits != nullptr && !((bits[r >> 6] >> (r & 63)) & 1)) {
                    nulls->push_back(r);
                } else {
                    entries->push_back(norm(r));
                }
            }
        };
        auto simple = [&](auto image) {
            fill([&](uint32_t r) { return Entry{image(r), 0, r}; });
            return Refine::kNextKey;
        };
        switch (c.type_id()) {
            case TypeId::kBoolean:
                return simple([d = c.Data<uint8_t>()](uint32_t r) { return uint64_t{d[r]}; });
            case TypeId::kInt8:
                return simple([d = c.Data<int8_t>()](uint32_t r) { return NormSigned(d[r]); });
            case TypeId::kInt16:
                return simple([d = c.Data<int16_t>()](uint32_t r) { return NormSigned(d[r]); });
            case TypeId::kInt32:
            case TypeId::kDate:
                return simple([d = c.Data<int32_t>()](uint32_t r) { return NormSigned(d[r]); });
            case TypeId::kFloat:
                return simple([d = c.Data<float>()](uint32_t r) { return NormDouble(d[r]); });
            case TypeId::kDouble:
                return simple([d = c.Data<double>()](uint32_t r) { return NormDouble(d[r]); });
            case TypeId::kDecimal:
                if (c.type().precision() > columnar::kMaxDecimal64Precision) {
                    const int128_t* d = c.Data<int128_t>();
                    if (depth == 0) {
                        simple([d](uint32_t r) {
                            return NormSigned(static_cast<int64_t>(d[r] >> 64));
                        });
                    } else {
                        simple([d](uint32_t r) { return static_cast<uint64_t>(d[r]); });
                    }
                    return Refine::kLowHalf;
                }
                return simple([d = c.Data<int64_t>()](uint32_t r) { return NormSigned(d[r]); });
            case TypeId::kVarchar:
            case TypeId::kVarbinary:
                fill([&c, depth](uint32_t r) {
                    const std::string_view s = c.GetString(r);
                    const size_t rest = s.size() > depth ? s.size() - depth : 0;
                    return Entry{NormPrefix(s, depth),
                                 rest > 8 ? kMore : static_cast<uint32_t>(rest), r};
                });
                return Refine::kNextWindow;
            default:  // INT64, TIMESTAMP
                return simple([d = c.Data<int64_t>()](uint32_t r) { return NormSigned(d[r]); });
        }
    }

    const RowComparator& comparator_;
    const std::vector<SortKey>& keys_;
    const ColumnRefs& columns_;
    std::vector<Entry> scratch_;  // the radix sort's second buffer, reused across ranges
};

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
    order->resize(rows);
    for (uint32_t r = 0; r < rows; ++r) (*order)[r] = r;
    RangeSorter(comparator, columns).Sort(order->data(), rows, 0, 0);
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
