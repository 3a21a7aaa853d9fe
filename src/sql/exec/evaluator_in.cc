// [NOT] IN: a hash set of the values when they are all constants (built once per evaluator),
// else one typed comparison of x with each value's vector.
#include <algorithm>
#include <cstring>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/hash.h"
#include "sql/exec/evaluator_internal.h"
#include "sql/exec/expression_evaluator.h"
#include "sql/functions/functions.h"
#include "sql/functions/kernel_util.h"

namespace tarn::sql::exec_internal {

using columnar::ColumnVector;
using columnar::DataType;
using columnar::int128_t;
using columnar::TypeId;
using columnar::ValidityWords;

struct Int128Hash {
    size_t operator()(int128_t v) const {
        const auto u = static_cast<columnar::uint128_t>(v);
        return std::hash<uint64_t>()(static_cast<uint64_t>(u)) ^
               (std::hash<uint64_t>()(static_cast<uint64_t>(u >> 64)) * 0x9E3779B97F4A7C15ULL);
    }
};

struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return HashBytes(s); }
};

// Up to this many strings, a probe compares against each (length first) instead of hashing:
// for the short lists IN usually has, that is several times faster.
constexpr size_t kLinearStrings = 8;

// The values by physical family: integers, BOOLEAN, DATE and TIMESTAMP as int64; REAL and
// DOUBLE as double (NaN never matches, as in IEEE); DECIMAL unscaled; strings.
struct InListSet {
    std::unordered_set<int64_t> ints;
    std::unordered_set<double> doubles;
    std::unordered_set<int128_t, Int128Hash> decimals;
    std::unordered_set<std::string, StringHash, std::equal_to<>> strings;
    std::vector<std::string> string_list;  // the same strings, for lists of kLinearStrings or fewer
    bool has_null = false;
};

namespace {

enum class Family : uint8_t { kInt, kDouble, kDecimal, kString };

Family FamilyOf(TypeId id) {
    switch (id) {
        case TypeId::kFloat:
        case TypeId::kDouble:
            return Family::kDouble;
        case TypeId::kDecimal:
            return Family::kDecimal;
        case TypeId::kVarchar:
        case TypeId::kVarbinary:
            return Family::kString;
        default:
            return Family::kInt;
    }
}

// nullptr when some value is not a constant.
Result<std::shared_ptr<InListSet>> BuildInListSet(const EvalNode& node, const DataType& type,
                                                  int64_t now_micros) {
    for (size_t k = 1; k < node.children.size(); ++k) {
        if (!node.children[k].expr->IsConstant()) return std::shared_ptr<InListSet>();
    }
    auto set = std::make_shared<InListSet>();
    const Family family = FamilyOf(type.id());
    for (size_t k = 1; k < node.children.size(); ++k) {
        TARN_ASSIGN_OR_RETURN(Value v, EvaluateConstant(*node.children[k].expr, now_micros));
        if (v.is_null) {
            set->has_null = true;
            continue;
        }
        switch (family) {
            case Family::kInt:
                set->ints.insert(type.id() == TypeId::kBoolean ? int64_t{v.AsBool()} : v.AsInt());
                break;
            case Family::kDouble:
                set->doubles.insert(v.AsDouble());
                break;
            case Family::kDecimal:
                set->decimals.insert(v.AsInt128());
                break;
            case Family::kString:
                if (set->strings.insert(v.AsString()).second) set->string_list.push_back(v.AsString());
                break;
        }
    }
    return set;
}

template <class T, class Set>
void ProbeFixed(const Set& set, const ColumnVector& x, size_t rows, uint64_t* found) {
    const T* values = x.Data<T>();
    for (size_t i = 0; i < rows; ++i) {
        found[i >> 6] |= uint64_t{set.contains(values[i])} << (i & 63);
    }
}

void ProbeStringsLinear(const std::vector<std::string>& list, const ColumnVector& x, size_t rows,
                        uint64_t* found) {
    const uint32_t* off = x.offsets();
    const char* bytes = x.string_data();
    for (size_t i = 0; i < rows; ++i) {
        const size_t size = off[i + 1] - off[i];
        const char* data = bytes + off[i];
        bool hit = false;
        for (const std::string& s : list) {
            hit |= s.size() == size && std::memcmp(s.data(), data, size) == 0;
        }
        found[i >> 6] |= uint64_t{hit} << (i & 63);
    }
}

void ProbeInListSet(const InListSet& set, const ColumnVector& x, size_t rows, uint64_t* found) {
    switch (x.type_id()) {
        case TypeId::kBoolean:
            return ProbeFixed<uint8_t>(set.ints, x, rows, found);
        case TypeId::kInt8:
            return ProbeFixed<int8_t>(set.ints, x, rows, found);
        case TypeId::kInt16:
            return ProbeFixed<int16_t>(set.ints, x, rows, found);
        case TypeId::kInt32:
        case TypeId::kDate:
            return ProbeFixed<int32_t>(set.ints, x, rows, found);
        case TypeId::kInt64:
        case TypeId::kTimestamp:
            return ProbeFixed<int64_t>(set.ints, x, rows, found);
        case TypeId::kFloat:
            return ProbeFixed<float>(set.doubles, x, rows, found);
        case TypeId::kDouble:
            return ProbeFixed<double>(set.doubles, x, rows, found);
        case TypeId::kDecimal:
            if (internal::IsDecimal64(x.type())) {
                return ProbeFixed<int64_t>(set.decimals, x, rows, found);
            }
            return ProbeFixed<int128_t>(set.decimals, x, rows, found);
        default:
            if (set.string_list.size() <= kLinearStrings) {
                return ProbeStringsLinear(set.string_list, x, rows, found);
            }
            for (size_t i = 0; i < rows; ++i) {
                found[i >> 6] |= uint64_t{set.strings.contains(x.GetString(i))} << (i & 63);
            }
    }
}

// Sets bit i of `found` where x[i] == v[i] (both valid).
template <class T>
void MatchFixed(const ColumnVector& x, const ColumnVector& v, size_t rows, uint64_t* found) {
    const T* a = x.Data<T>();
    const T* b = v.Data<T>();
    for (size_t i = 0; i < rows; ++i) {
        found[i >> 6] |= uint64_t{a[i] == b[i]} << (i & 63);
    }
}

void MatchStrings(const ColumnVector& x, const ColumnVector& v, size_t rows, uint64_t* found) {
    for (size_t i = 0; i < rows; ++i) {
        found[i >> 6] |= uint64_t{x.GetString(i) == v.GetString(i)} << (i & 63);
    }
}

Status Match(const ColumnVector& x, const ColumnVector& v, size_t rows, uint64_t* found) {
    switch (x.type_id()) {
        case TypeId::kBoolean:
        case TypeId::kInt8:
            MatchFixed<uint8_t>(x, v, rows, found);
            break;
        case TypeId::kInt16:
            MatchFixed<int16_t>(x, v, rows, found);
            break;
        case TypeId::kInt32:
        case TypeId::kDate:
            MatchFixed<int32_t>(x, v, rows, found);
            break;
        case TypeId::kInt64:
        case TypeId::kTimestamp:
            MatchFixed<int64_t>(x, v, rows, found);
            break;
        case TypeId::kFloat:
            MatchFixed<float>(x, v, rows, found);
            break;
        case TypeId::kDouble:
            MatchFixed<double>(x, v, rows, found);
            break;
        case TypeId::kDecimal:
            if (internal::IsDecimal64(x.type())) {
                MatchFixed<int64_t>(x, v, rows, found);
            } else {
                MatchFixed<columnar::int128_t>(x, v, rows, found);
            }
            break;
        case TypeId::kVarchar:
        case TypeId::kVarbinary:
            MatchStrings(x, v, rows, found);
            break;
        default:
            return Status::Unimplemented("IN over " + SqlTypeName(x.type()));
    }
    return Status::Ok();
}

}  // namespace

// x IN (v1, ...): TRUE when some valid v equals x; else NULL when x or some v is NULL; else
// FALSE. (NOT IN negates the TRUE/FALSE.) Constant lists probe a hash set built once; other
// lists compare x with each value's vector.
Result<const ColumnVector*> EvaluateIn(EvalNode& node, const EvalInput& input,
                                       const uint64_t* active) {
    const size_t rows = input.rows;
    const size_t words = ValidityWords(rows);
    TARN_ASSIGN_OR_RETURN(const ColumnVector* x, EvaluateNode(node.children[0], input, active));
    if (x->type().is_nested()) {
        return Status::Unimplemented("IN over " + SqlTypeName(x->type()));
    }
    std::vector<uint64_t>& found = node.scratch;
    std::vector<uint64_t>& saw_null = node.remaining;
    found.assign(words, 0);
    saw_null.assign(words, 0);
    if (!node.in_set_checked) {
        node.in_set_checked = true;
        TARN_ASSIGN_OR_RETURN(node.in_set, BuildInListSet(node, x->type(), input.now_micros));
    }
    if (node.in_set != nullptr) {
        ProbeInListSet(*node.in_set, *x, rows, found.data());
        if (node.in_set->has_null) saw_null.assign(words, ~uint64_t{0});
    }
    std::vector<uint64_t>& hits = node.mask;
    hits.resize(words);
    for (size_t k = 1; k < node.children.size() && node.in_set == nullptr; ++k) {
        TARN_ASSIGN_OR_RETURN(const ColumnVector* v, EvaluateNode(node.children[k], input, active));
        std::fill(hits.begin(), hits.end(), 0);
        TARN_RETURN_IF_ERROR(Match(*x, *v, rows, hits.data()));
        for (size_t w = 0; w < words; ++w) {
            const uint64_t valid = ValidityWord(*v, w);
            found[w] |= hits[w] & valid;
            saw_null[w] |= ~valid;
        }
    }
    std::vector<uint64_t>& values = node.mask;  // the hits are done with
    std::vector<uint64_t>& valid = node.valid;
    values.resize(words);
    valid.resize(words);
    for (size_t w = 0; w < words; ++w) {
        valid[w] = ValidityWord(*x, w) & (found[w] | ~saw_null[w]);
        values[w] = node.expr->negated ? ~found[w] : found[w];
    }
    WriteBooleans(values.data(), valid.data(), rows, &node.out);
    return &node.out;
}

}  // namespace tarn::sql::exec_internal
