// min and max of every orderable type. Numbers order as SQL does (NaN above every number, so
// max is NaN when a NaN is present); strings order by bytes and the state keeps its own copy,
// reallocated only when a longer value replaces it, so memory is per group, not per row.
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <type_traits>

#include "sql/functions/aggregate_internal.h"

namespace tarn::sql::aggregate {
namespace {

using columnar::TypeId;

template <class T>
bool Less(T a, T b) {
    if constexpr (std::is_floating_point_v<T>) {
        return a < b || (std::isnan(b) && !std::isnan(a));
    } else {
        return a < b;
    }
}

template <class T, bool kMax>
struct MinMaxOps {
    using In = T;
    struct State {
        T value;
        bool has;
    };
    static void Init(State* s) {
        s->value = T{};
        s->has = false;
    }
    static void Add(State* s, In v) {
        if (!s->has || (kMax ? Less(s->value, v) : Less(v, s->value))) {
            s->value = v;
            s->has = true;
        }
    }
    static void Merge(State* d, const State* s) {
        if (s->has) Add(d, s->value);
    }
    static Status Final(const State& s, ColumnVector* out) {
        if (!s.has) {
            out->AppendNull();
        } else {
            out->Append<T>(s.value);
        }
        return Status::Ok();
    }
};

template <bool kMax>
struct MinMaxStringOps {
    using In = std::string_view;
    struct State {
        char* data;  // malloc'ed, `capacity` bytes; owned
        uint32_t size;
        uint32_t capacity;
        bool has;
    };
    static void Init(State* s) { *s = {nullptr, 0, 0, false}; }
    static void Add(State* s, In v) {
        const std::string_view cur(s->data, s->size);
        if (s->has && !(kMax ? cur < v : v < cur)) return;
        if (v.size() > s->capacity) {
            std::free(s->data);
            s->capacity = static_cast<uint32_t>(v.size());
            s->data = static_cast<char*>(std::malloc(v.size()));
        }
        if (!v.empty()) std::memcpy(s->data, v.data(), v.size());
        s->size = static_cast<uint32_t>(v.size());
        s->has = true;
    }
    static void Merge(State* d, const State* s) {
        if (s->has) Add(d, std::string_view(s->data, s->size));
    }
    static Status Final(const State& s, ColumnVector* out) {
        if (!s.has) {
            out->AppendNull();
        } else {
            out->AppendString(std::string_view(s.data, s.size));
        }
        return Status::Ok();
    }
    static void Destroy(State* s) {
        std::free(s->data);
        s->data = nullptr;
        s->capacity = 0;
    }
};

template <bool kMax>
std::shared_ptr<AggregateFunction> MakeFor(const DataType& type) {
    switch (type.id()) {
        case TypeId::kBoolean:
            return MakeAggregate<MinMaxOps<uint8_t, kMax>>(type, type);
        case TypeId::kInt8:
            return MakeAggregate<MinMaxOps<int8_t, kMax>>(type, type);
        case TypeId::kInt16:
            return MakeAggregate<MinMaxOps<int16_t, kMax>>(type, type);
        case TypeId::kInt32:
        case TypeId::kDate:
            return MakeAggregate<MinMaxOps<int32_t, kMax>>(type, type);
        case TypeId::kInt64:
        case TypeId::kTimestamp:
            return MakeAggregate<MinMaxOps<int64_t, kMax>>(type, type);
        case TypeId::kFloat:
            return MakeAggregate<MinMaxOps<float, kMax>>(type, type);
        case TypeId::kDouble:
            return MakeAggregate<MinMaxOps<double, kMax>>(type, type);
        case TypeId::kDecimal:
            if (type.precision() <= columnar::kMaxDecimal64Precision) {
                return MakeAggregate<MinMaxOps<int64_t, kMax>>(type, type);
            }
            return MakeAggregate<MinMaxOps<int128_t, kMax>>(type, type);
        case TypeId::kVarchar:
        case TypeId::kVarbinary:
            return MakeAggregate<MinMaxStringOps<kMax>>(type, type);
        default:
            return nullptr;  // ROW/ARRAY/MAP: not orderable here
    }
}

}  // namespace

std::shared_ptr<AggregateFunction> MakeMinMax(const DataType& type, bool is_max) {
    return is_max ? MakeFor<true>(type) : MakeFor<false>(type);
}

}  // namespace tarn::sql::aggregate
