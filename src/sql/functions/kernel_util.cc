// Shared kernel helpers (kernel_util.h).
#include "sql/functions/kernel_util.h"

#include <algorithm>
#include <array>

#include "sql/functions/functions.h"

namespace tarn::sql::internal {

int128_t Pow10(int n) {
    static const std::array<int128_t, 39> kPowers = [] {
        std::array<int128_t, 39> p{};
        p[0] = 1;
        for (size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
        return p;
    }();
    return kPowers[static_cast<size_t>(n)];
}

std::string Int128ToString(int128_t v) {
    if (v == 0) return "0";
    const bool negative = v < 0;
    columnar::uint128_t u =
        negative ? -static_cast<columnar::uint128_t>(v) : static_cast<columnar::uint128_t>(v);
    std::string digits;
    while (u != 0) {
        digits.push_back(static_cast<char>('0' + static_cast<int>(u % 10)));
        u /= 10;
    }
    if (negative) digits.push_back('-');
    std::reverse(digits.begin(), digits.end());
    return digits;
}

columnar::DataType IntegerAsDecimal(const columnar::DataType& t) {
    using columnar::DataType;
    using columnar::TypeId;
    switch (t.id()) {
        case TypeId::kInt8:
            return DataType::Decimal(3, 0);
        case TypeId::kInt16:
            return DataType::Decimal(5, 0);
        case TypeId::kInt32:
            return DataType::Decimal(10, 0);
        case TypeId::kInt64:
            return DataType::Decimal(19, 0);
        default:
            return t;
    }
}

std::string UpperTypeName(const columnar::DataType& type) {
    std::string name = SqlTypeName(type);
    for (char& c : name) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return name;
}

}  // namespace tarn::sql::internal
