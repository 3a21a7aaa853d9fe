// count, sum and avg (and their DISTINCT forms), with Trino's result types and overflow rules.
#include <cstdint>
#include <string_view>

#include "sql/functions/aggregate_internal.h"

namespace tarn::sql::aggregate {
namespace {

using columnar::TypeId;

// 10^38 - 1: the largest DECIMAL(38) unscaled value.
constexpr int128_t kMaxDecimal38 = [] {
    int128_t v = 1;
    for (int i = 0; i < 38; ++i) v *= 10;
    return v - 1;
}();

Status DecimalOverflow() { return Status::InvalidArgument("Decimal overflow"); }

// ---- count ------------------------------------------------------------------------------------
void InitCount(uint8_t* state) { *reinterpret_cast<int64_t*>(state) = 0; }

void UpdateCountStar(uint8_t* const* states, const ColumnVector*, size_t rows) {
    for (size_t i = 0; i < rows; ++i) ++*reinterpret_cast<int64_t*>(states[i]);
}

// count(x) only looks at validity, so it takes every type, nested ones included.
void UpdateCount(uint8_t* const* states, const ColumnVector* arg, size_t rows) {
    ForEachValid(arg->validity_bits(), rows,
                 [&](size_t i) { ++*reinterpret_cast<int64_t*>(states[i]); });
}

void CombineCount(uint8_t* dst, const uint8_t* src) {
    *reinterpret_cast<int64_t*>(dst) += *reinterpret_cast<const int64_t*>(src);
}

Status FinalizeCount(const uint8_t* const* states, size_t n, ColumnVector* out) {
    for (size_t i = 0; i < n; ++i)
        out->Append<int64_t>(*reinterpret_cast<const int64_t*>(states[i]));
    return Status::Ok();
}

// The inner Ops of count(DISTINCT x).
template <class T>
struct CountOps {
    using In = T;
    struct State {
        int64_t count;
    };
    static void Init(State* s) { s->count = 0; }
    static void Add(State* s, In) { ++s->count; }
    static void Merge(State* d, const State* s) { d->count += s->count; }
    static Status Final(const State& s, ColumnVector* out) {
        out->Append<int64_t>(s.count);
        return Status::Ok();
    }
};

// ---- sum --------------------------------------------------------------------------------------
// Exact sums: integers into BIGINT (Acc int64_t), DECIMAL(p, s) into DECIMAL(38, s) (Acc
// int128_t). An overflow is remembered and reported at finalize, as Trino fails the query on it.
template <class T, class Acc>
struct SumExactOps {
    using In = T;
    struct State {
        Acc sum;
        bool has;
        bool overflow;
    };
    static void Init(State* s) { *s = {0, false, false}; }
    static void Add(State* s, In v) {
        s->overflow |= __builtin_add_overflow(s->sum, static_cast<Acc>(v), &s->sum);
        s->has = true;
    }
    static void Merge(State* d, const State* s) {
        d->overflow |= s->overflow || __builtin_add_overflow(d->sum, s->sum, &d->sum);
        d->has |= s->has;
    }
    static Status Final(const State& s, ColumnVector* out) {
        if constexpr (std::is_same_v<Acc, int128_t>) {
            if (s.overflow || s.sum > kMaxDecimal38 || s.sum < -kMaxDecimal38) {
                return DecimalOverflow();
            }
        } else if (s.overflow) {
            return Status::InvalidArgument("bigint addition overflow");
        }
        if (!s.has) {
            out->AppendNull();
        } else {
            out->Append<Acc>(s.sum);
        }
        return Status::Ok();
    }
};
template <class T>
using SumIntOps = SumExactOps<T, int64_t>;
template <class T>
using SumDecimalOps = SumExactOps<T, int128_t>;

// REAL and DOUBLE sum in double precision and return the argument's type.
template <class T>
struct SumFloatOps {
    using In = T;
    struct State {
        double sum;
        bool has;
    };
    static void Init(State* s) { *s = {0, false}; }
    static void Add(State* s, In v) {
        s->sum += static_cast<double>(v);
        s->has = true;
    }
    static void Merge(State* d, const State* s) {
        d->sum += s->sum;
        d->has |= s->has;
    }
    static Status Final(const State& s, ColumnVector* out) {
        if (!s.has) {
            out->AppendNull();
        } else {
            out->Append<T>(static_cast<T>(s.sum));
        }
        return Status::Ok();
    }
};

// ---- avg --------------------------------------------------------------------------------------
// Integers: an exact int128 sum, then one division in double.
template <class T>
struct AvgIntOps {
    using In = T;
    struct State {
        int128_t sum;
        int64_t count;
    };
    static void Init(State* s) { *s = {0, 0}; }
    static void Add(State* s, In v) {
        s->sum += v;
        ++s->count;
    }
    static void Merge(State* d, const State* s) {
        d->sum += s->sum;
        d->count += s->count;
    }
    static Status Final(const State& s, ColumnVector* out) {
        if (s.count == 0) {
            out->AppendNull();
        } else {
            out->Append<double>(static_cast<double>(s.sum) / static_cast<double>(s.count));
        }
        return Status::Ok();
    }
};

// DECIMAL(p, s) averages into DECIMAL(p, s), rounding half away from zero. Out is the physical
// type of the result (int64_t for p <= 18).
template <class T, class Out>
struct AvgDecimalOps {
    using In = T;
    struct State {
        int128_t sum;
        int64_t count;
        bool overflow;
    };
    static void Init(State* s) { *s = {0, 0, false}; }
    static void Add(State* s, In v) {
        s->overflow |= __builtin_add_overflow(s->sum, static_cast<int128_t>(v), &s->sum);
        ++s->count;
    }
    static void Merge(State* d, const State* s) {
        d->overflow |= s->overflow || __builtin_add_overflow(d->sum, s->sum, &d->sum);
        d->count += s->count;
    }
    static Status Final(const State& s, ColumnVector* out) {
        if (s.overflow) return DecimalOverflow();
        if (s.count == 0) {
            out->AppendNull();
            return Status::Ok();
        }
        int128_t q = s.sum / s.count;
        const int128_t r = s.sum % s.count;
        const int128_t abs_r = r < 0 ? -r : r;
        if (2 * abs_r >= s.count) q += s.sum < 0 ? -1 : 1;
        out->Append<Out>(static_cast<Out>(q));
        return Status::Ok();
    }
};

template <class T>
struct AvgFloatOps {
    using In = T;
    struct State {
        double sum;
        int64_t count;
    };
    static void Init(State* s) { *s = {0, 0}; }
    static void Add(State* s, In v) {
        s->sum += static_cast<double>(v);
        ++s->count;
    }
    static void Merge(State* d, const State* s) {
        d->sum += s->sum;
        d->count += s->count;
    }
    static Status Final(const State& s, ColumnVector* out) {
        if (s.count == 0) {
            out->AppendNull();
        } else {
            out->Append<T>(static_cast<T>(s.sum / static_cast<double>(s.count)));
        }
        return Status::Ok();
    }
};

template <class Ops>
std::shared_ptr<AggregateFunction> Make(const DataType& ret, const DataType& arg, bool distinct) {
    return distinct ? MakeAggregate<DistinctOps<Ops>>(ret, arg) : MakeAggregate<Ops>(ret, arg);
}

template <template <class> class Ops>
std::shared_ptr<AggregateFunction> MakeForInteger(const DataType& ret, const DataType& arg,
                                                  bool distinct) {
    switch (arg.id()) {
        case TypeId::kInt8:
            return Make<Ops<int8_t>>(ret, arg, distinct);
        case TypeId::kInt16:
            return Make<Ops<int16_t>>(ret, arg, distinct);
        case TypeId::kInt32:
            return Make<Ops<int32_t>>(ret, arg, distinct);
        case TypeId::kInt64:
            return Make<Ops<int64_t>>(ret, arg, distinct);
        default:
            return nullptr;
    }
}

bool IsInteger(TypeId id) {
    return id == TypeId::kInt8 || id == TypeId::kInt16 || id == TypeId::kInt32 ||
           id == TypeId::kInt64;
}

}  // namespace

std::shared_ptr<AggregateFunction> MakeCountStar() {
    auto f = std::make_shared<AggregateFunction>();
    f->has_arg = false;
    f->state_size = sizeof(int64_t);
    f->state_align = alignof(int64_t);
    f->init = &InitCount;
    f->update = &UpdateCountStar;
    f->combine = &CombineCount;
    f->finalize = &FinalizeCount;
    return f;
}

std::shared_ptr<AggregateFunction> MakeCount(const DataType& type, bool distinct) {
    const DataType ret = DataType::Int64();
    if (!distinct) {
        auto f = MakeCountStar();
        f->has_arg = true;
        f->arg_type = type;
        f->update = &UpdateCount;
        return f;
    }
    switch (type.id()) {
        case TypeId::kBoolean:
            return Make<CountOps<uint8_t>>(ret, type, true);
        case TypeId::kInt8:
            return Make<CountOps<int8_t>>(ret, type, true);
        case TypeId::kInt16:
            return Make<CountOps<int16_t>>(ret, type, true);
        case TypeId::kInt32:
        case TypeId::kDate:
            return Make<CountOps<int32_t>>(ret, type, true);
        case TypeId::kInt64:
        case TypeId::kTimestamp:
            return Make<CountOps<int64_t>>(ret, type, true);
        case TypeId::kFloat:
            return Make<CountOps<float>>(ret, type, true);
        case TypeId::kDouble:
            return Make<CountOps<double>>(ret, type, true);
        case TypeId::kDecimal:
            if (type.precision() <= columnar::kMaxDecimal64Precision) {
                return Make<CountOps<int64_t>>(ret, type, true);
            }
            return Make<CountOps<int128_t>>(ret, type, true);
        case TypeId::kVarchar:
        case TypeId::kVarbinary:
            return Make<CountOps<std::string_view>>(ret, type, true);
        default:
            return nullptr;
    }
}

std::shared_ptr<AggregateFunction> MakeSum(const DataType& type, bool distinct) {
    const TypeId id = type.id();
    if (IsInteger(id)) return MakeForInteger<SumIntOps>(DataType::Int64(), type, distinct);
    if (id == TypeId::kFloat) return Make<SumFloatOps<float>>(type, type, distinct);
    if (id == TypeId::kDouble) return Make<SumFloatOps<double>>(type, type, distinct);
    if (id == TypeId::kDecimal) {
        const DataType ret = DataType::Decimal(columnar::kMaxDecimalPrecision, type.scale());
        if (type.precision() <= columnar::kMaxDecimal64Precision) {
            return Make<SumDecimalOps<int64_t>>(ret, type, distinct);
        }
        return Make<SumDecimalOps<int128_t>>(ret, type, distinct);
    }
    return nullptr;
}

std::shared_ptr<AggregateFunction> MakeAvg(const DataType& type, bool distinct) {
    const TypeId id = type.id();
    if (IsInteger(id)) return MakeForInteger<AvgIntOps>(DataType::Double(), type, distinct);
    if (id == TypeId::kFloat) return Make<AvgFloatOps<float>>(type, type, distinct);
    if (id == TypeId::kDouble) return Make<AvgFloatOps<double>>(type, type, distinct);
    if (id == TypeId::kDecimal) {
        if (type.precision() <= columnar::kMaxDecimal64Precision) {
            return Make<AvgDecimalOps<int64_t, int64_t>>(type, type, distinct);
        }
        return Make<AvgDecimalOps<int128_t, int128_t>>(type, type, distinct);
    }
    return nullptr;
}

}  // namespace tarn::sql::aggregate
