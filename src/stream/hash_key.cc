#include "stream/hash_key.h"

#include <algorithm>
#include <type_traits>

#include "common/hash.h"

namespace tarn::stream {

Uint128 HashKeyToU128(const HashKey& key) {
    Uint128 v = 0;
    for (uint8_t b : key) v = (v << 8) | b;
    return v;
}

HashKey HashKeyFromU128(Uint128 value) {
    HashKey key;
    for (int i = 15; i >= 0; --i) {
        key[static_cast<size_t>(i)] = static_cast<uint8_t>(value & 0xff);
        value >>= 8;
    }
    return key;
}

std::string FormatU128(Uint128 value) {
    if (value == 0) return "0";
    std::string out;
    while (value != 0) {
        out.push_back(static_cast<char>('0' + static_cast<int>(value % 10)));
        value /= 10;
    }
    std::reverse(out.begin(), out.end());
    return out;
}

Result<HashKey> ParseHashKey(std::string_view text, std::string_view what) {
    auto invalid = [&](std::string_view why) {
        return Status::InvalidArgument("Invalid " + std::string(what) + " '" +
                                       std::string(text.substr(0, 64)) + "': " + std::string(why) +
                                       "; it must be a decimal integer in [0, 2^128 - 1]");
    };
    if (text.empty()) return invalid("empty");
    Uint128 v = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return invalid("not a decimal integer");
        const auto digit = static_cast<Uint128>(c - '0');
        if (v > (kMaxHashKeyValue - digit) / 10) return invalid("greater than 2^128 - 1");
        v = v * 10 + digit;
    }
    return HashKeyFromU128(v);
}

HashKey PartitionKeyHashKey(std::string_view partition_key) { return Md5(partition_key); }

HashKey RecordHashKey(const RecordInput& record) {
    return record.explicit_hash_key ? *record.explicit_hash_key
                                    : PartitionKeyHashKey(record.partition_key);
}

void RecordHashKeys(std::span<const RecordInput> records, HashKey* out) {
    static_assert(std::is_same_v<HashKey, Md5Digest>);
    thread_local std::vector<std::string_view> keys;
    thread_local std::vector<size_t> hashed;  // the records without an explicit hash key
    keys.clear();
    hashed.clear();
    for (size_t i = 0; i < records.size(); ++i) {
        if (records[i].explicit_hash_key) {
            out[i] = *records[i].explicit_hash_key;
        } else {
            keys.push_back(records[i].partition_key);
            hashed.push_back(i);
        }
    }
    if (hashed.size() == records.size()) {
        Md5Many(keys, out);  // the usual case: no explicit keys, digests land in place
        return;
    }
    thread_local std::vector<Md5Digest> digests;
    digests.resize(keys.size());
    Md5Many(keys, digests.data());
    for (size_t j = 0; j < hashed.size(); ++j) out[hashed[j]] = digests[j];
}

std::vector<HashKeyRange> UniformHashKeyRanges(uint32_t n) {
    std::vector<HashKeyRange> ranges;
    if (n == 0) return ranges;
    // floor(2^128 / n) without 2^128: floor((2^128 - 1) / n), plus one when n divides 2^128.
    // (For n == 1 that wraps to 0, harmlessly: the only range is the last one.)
    Uint128 width = kMaxHashKeyValue / n;
    if (kMaxHashKeyValue % n == n - 1) ++width;
    ranges.reserve(n);
    for (uint32_t i = 0; i < n; ++i) {
        const Uint128 start = width * i;
        const Uint128 end = i + 1 == n ? kMaxHashKeyValue : start + width - 1;
        ranges.push_back({HashKeyFromU128(start), HashKeyFromU128(end)});
    }
    return ranges;
}

}  // namespace tarn::stream
