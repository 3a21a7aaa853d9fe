// Internal to sql/functions/: how the aggregate functions are built. Each aggregate is an "Ops"
// class -- its State, the input type In it reads, and Init / Add / Merge / Final (and Destroy
// when the state owns memory) on one state -- and MakeAggregate turns it into the batch-wise
// AggregateFunction: `update` is one typed loop per batch that skips NULL inputs a 64-row
// validity word at a time and calls the inlined Add. DistinctOps<Ops> wraps any Ops with a
// per-group hash set of the distinct values, fed to Ops at finalize.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>

#include "common/hash.h"
#include "columnar/column_vector.h"
#include "common/status.h"
#include "sql/functions/functions.h"

namespace tarn::sql::aggregate {

using columnar::ColumnVector;
using columnar::DataType;
using columnar::int128_t;

// Calls fn(i) for every valid i < rows; `bits` nullptr means all valid.
template <class Fn>
inline void ForEachValid(const uint64_t* bits, size_t rows, Fn&& fn) {
    if (bits == nullptr) {
        for (size_t i = 0; i < rows; ++i) fn(i);
        return;
    }
    const size_t words = columnar::ValidityWords(rows);
    for (size_t w = 0; w < words; ++w) {
        uint64_t word = bits[w];
        const size_t base = w * 64;
        if (base + 64 > rows) word &= (uint64_t{1} << (rows - base)) - 1;
        if (word == ~uint64_t{0}) {
            for (size_t i = base; i < base + 64; ++i) fn(i);
            continue;
        }
        while (word != 0) {
            fn(base + static_cast<size_t>(std::countr_zero(word)));
            word &= word - 1;
        }
    }
}

// Reads slot i of a vector as In: a typed load, or a string view for VARCHAR/VARBINARY.
template <class In>
struct Reader {
    explicit Reader(const ColumnVector& c) : data(c.Data<In>()) {}
    In operator()(size_t i) const { return data[i]; }
    const In* data;
};
template <>
struct Reader<std::string_view> {
    explicit Reader(const ColumnVector& c) : offsets(c.offsets()), bytes(c.string_data()) {}
    std::string_view operator()(size_t i) const {
        return {bytes + offsets[i], offsets[i + 1] - offsets[i]};
    }
    const uint32_t* offsets;
    const char* bytes;
};

template <class Ops>
void UpdateOps(uint8_t* const* states, const ColumnVector* arg, size_t rows) {
    using State = typename Ops::State;
    const Reader<typename Ops::In> read(*arg);
    ForEachValid(arg->validity_bits(), rows,
                 [&](size_t i) { Ops::Add(reinterpret_cast<State*>(states[i]), read(i)); });
}

template <class Ops>
void InitOps(uint8_t* state) {
    Ops::Init(reinterpret_cast<typename Ops::State*>(state));
}

template <class Ops>
void CombineOps(uint8_t* dst, const uint8_t* src) {
    using State = typename Ops::State;
    Ops::Merge(reinterpret_cast<State*>(dst), reinterpret_cast<const State*>(src));
}

template <class Ops>
Status FinalizeOps(const uint8_t* const* states, size_t n, ColumnVector* out) {
    using State = typename Ops::State;
    for (size_t i = 0; i < n; ++i) {
        TARN_RETURN_IF_ERROR(Ops::Final(*reinterpret_cast<const State*>(states[i]), out));
    }
    return Status::Ok();
}

template <class Ops>
concept OwnsMemory = requires(typename Ops::State* s) {
    Ops::Destroy(s);
};

template <class Ops>
void DestroyOps(uint8_t* state) {
    Ops::Destroy(reinterpret_cast<typename Ops::State*>(state));
}

template <class Ops>
std::shared_ptr<AggregateFunction> MakeAggregate(const DataType& return_type,
                                                 const DataType& arg_type) {
    auto f = std::make_shared<AggregateFunction>();
    f->return_type = return_type;
    f->arg_type = arg_type;
    f->state_size = sizeof(typename Ops::State);
    f->state_align = alignof(typename Ops::State);
    f->init = &InitOps<Ops>;
    f->update = &UpdateOps<Ops>;
    f->combine = &CombineOps<Ops>;
    f->finalize = &FinalizeOps<Ops>;
    if constexpr (OwnsMemory<Ops>) f->destroy = &DestroyOps<Ops>;
    return f;
}

// ---- DISTINCT ---------------------------------------------------------------------------------
// Values are equal as SQL groups them: -0.0 = 0.0 and NaN = NaN.
struct DistinctHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return HashBytes(s); }
    template <class T>
    size_t operator()(T v) const {
        if constexpr (std::is_floating_point_v<T>) {
            if (v == 0) return 0;  // -0.0 and 0.0
            if (std::isnan(v)) return 0x7ff8;
            return std::hash<T>{}(v);
        } else if constexpr (std::is_same_v<T, int128_t>) {
            const auto u = static_cast<columnar::uint128_t>(v);
            return std::hash<uint64_t>{}(static_cast<uint64_t>(u) ^
                                         (static_cast<uint64_t>(u >> 64) * 0x9e3779b97f4a7c15ULL));
        } else {
            return std::hash<T>{}(v);
        }
    }
};
struct DistinctEq {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
        if constexpr (std::is_floating_point_v<A>) {
            return a == b || (std::isnan(a) && std::isnan(b));
        } else {
            return a == b;
        }
    }
};

template <class Ops>
struct DistinctOps {
    using In = typename Ops::In;
    // Strings own their bytes: the batch they came from is gone by finalize.
    using Key = std::conditional_t<std::is_same_v<In, std::string_view>, std::string, In>;
    using Set = std::unordered_set<Key, DistinctHash, DistinctEq>;
    struct State {
        Set* set;  // allocated at the group's first non-NULL value
    };
    static void Init(State* s) { s->set = nullptr; }
    static void Add(State* s, In v) {
        if (s->set == nullptr) s->set = new Set();
        if constexpr (std::is_same_v<In, std::string_view>) {
            if (s->set->find(v) == s->set->end()) s->set->emplace(v);
        } else {
            s->set->insert(v);
        }
    }
    static void Merge(State* dst, const State* src) {
        if (src->set == nullptr) return;
        for (const Key& k : *src->set) Add(dst, In(k));
    }
    static Status Final(const State& s, ColumnVector* out) {
        typename Ops::State inner;
        Ops::Init(&inner);
        if (s.set != nullptr) {
            for (const Key& k : *s.set) Ops::Add(&inner, In(k));
        }
        Status status = Ops::Final(inner, out);
        if constexpr (OwnsMemory<Ops>) Ops::Destroy(&inner);
        return status;
    }
    static void Destroy(State* s) {
        delete s->set;
        s->set = nullptr;
    }
};

// ---- The functions, by family (nullptr when the family does not take `type`) --------------------
std::shared_ptr<AggregateFunction> MakeCountStar();
std::shared_ptr<AggregateFunction> MakeCount(const DataType& type, bool distinct);
std::shared_ptr<AggregateFunction> MakeSum(const DataType& type, bool distinct);
std::shared_ptr<AggregateFunction> MakeAvg(const DataType& type, bool distinct);
std::shared_ptr<AggregateFunction> MakeMinMax(const DataType& type, bool is_max);

}  // namespace tarn::sql::aggregate
