// Dictionaries of the Parquet writer's RLE_DICTIONARY encoding: the distinct values of a column
// chunk in first-seen order, found through an open-addressing hash table (linear probing, load
// at most 1/2, power-of-two size). Internal to the format module.
//
// FixedDictionary keys fixed-width values by their bits (so -0.0 and 0.0, and NaNs of different
// payloads, are distinct entries, as a dictionary must reproduce bits exactly); the key is kept in
// the slot beside its index so a probe touches one cache line. ByteArrayDictionary keeps the
// dictionary page's PLAIN bytes (4-byte length + bytes per entry) as its storage, and slots of a
// 32-bit hash tag, the index and the entry's offset and length, comparing bytes only when tag and
// length match.
//
// Neither allocates per value: storage grows geometrically and Clear() keeps it.
// Thread-safety: one thread per instance.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "common/hash.h"

namespace tarn::format {

inline uint64_t Load64(const char* p) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}
inline uint64_t Load32(const char* p) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

// 64x64 -> 128-bit multiply, folded (wyhash's "mum").
inline uint64_t MulFold(uint64_t a, uint64_t b) {
    const unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
    return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

// A fast 64-bit hash of a byte string in the manner of wyhash (not cryptographic: values come
// from trusted batches and the table's load is bounded, so collisions only cost time). Short
// strings take two overlapping loads and no loop.
inline uint64_t HashBytes(const char* p, size_t n) {
    constexpr uint64_t k0 = 0xa0761d6478bd642fULL;
    constexpr uint64_t k1 = 0xe7037ed1a0b428dbULL;
    constexpr uint64_t k2 = 0x8ebc6af09c88c6e3ULL;
    uint64_t seed = k0 ^ (n * k2);
    uint64_t a;
    uint64_t b;
    if (n <= 16) {
        if (n >= 8) {
            a = Load64(p);
            b = Load64(p + n - 8);
        } else if (n >= 4) {
            a = Load32(p);
            b = Load32(p + n - 4);
        } else if (n > 0) {
            a = (static_cast<uint64_t>(static_cast<uint8_t>(p[0])) << 16) |
                (static_cast<uint64_t>(static_cast<uint8_t>(p[n >> 1])) << 8) |
                static_cast<uint8_t>(p[n - 1]);
            b = 0;
        } else {
            a = b = 0;
        }
    } else {
        size_t i = n;
        while (i > 16) {
            seed = MulFold(Load64(p) ^ k1, Load64(p + 8) ^ seed);
            p += 16;
            i -= 16;
        }
        a = Load64(p + i - 16);  // the last 16 bytes, overlapping what was hashed
        b = Load64(p + i - 8);
    }
    return MulFold(k1 ^ n, MulFold(a ^ k1, b ^ seed));
}

// a == b for byte ranges of equal length n, without a call for short ones.
inline bool BytesEqual(const char* a, const char* b, size_t n) {
    if (n <= 16) {
        if (n >= 8) {
            return Load64(a) == Load64(b) && Load64(a + n - 8) == Load64(b + n - 8);
        }
        if (n >= 4) return Load32(a) == Load32(b) && Load32(a + n - 4) == Load32(b + n - 4);
        for (size_t i = 0; i < n; ++i) {
            if (a[i] != b[i]) return false;
        }
        return true;
    }
    return std::memcmp(a, b, n) == 0;
}

template <class Key>
inline uint64_t HashKey(Key k) {
    if constexpr (sizeof(Key) == 16) {
        const auto lo = static_cast<uint64_t>(k);
        const auto hi = static_cast<uint64_t>(k >> 64);
        return MurmurFinalize64(lo ^ MurmurFinalize64(hi + 0x9e3779b97f4a7c15ULL));
    } else {
        return MurmurFinalize64(static_cast<uint64_t>(k));
    }
}

// Key is an unsigned integer of the value's width (uint32_t, uint64_t or unsigned __int128).
template <class Key>
class FixedDictionary {
public:
    FixedDictionary() { Rehash(kInitialSlots); }

    // The index of `key`, inserting it when new.
    uint32_t GetOrInsert(Key key) {
        size_t pos = HashKey(key) & mask_;
        for (;;) {
            Slot& s = slots_[pos];
            if (s.index1 == 0) break;
            if (s.key == key) return s.index1 - 1;
            pos = (pos + 1) & mask_;
        }
        const auto index = static_cast<uint32_t>(values_.size());
        slots_[pos] = Slot{key, index + 1};
        values_.push_back(key);
        if (values_.size() * 2 > slots_.size()) Rehash(slots_.size() * 2);
        return index;
    }

    size_t size() const { return values_.size(); }
    const std::vector<Key>& values() const { return values_; }

    void Clear() {
        values_.clear();
        if (slots_.size() > kInitialSlots * 64) {
            Rehash(kInitialSlots);  // don't keep a huge table around for the next chunk
        } else {
            std::fill(slots_.begin(), slots_.end(), Slot{});
        }
    }

private:
    static constexpr size_t kInitialSlots = 1024;
    struct Slot {
        Key key{};
        uint32_t index1 = 0;  // index + 1; 0 = empty
    };

    void Rehash(size_t n) {
        slots_.assign(n, Slot{});
        mask_ = n - 1;
        for (size_t i = 0; i < values_.size(); ++i) {
            size_t pos = HashKey(values_[i]) & mask_;
            while (slots_[pos].index1 != 0) pos = (pos + 1) & mask_;
            slots_[pos] = Slot{values_[i], static_cast<uint32_t>(i + 1)};
        }
    }

    std::vector<Slot> slots_;
    size_t mask_ = 0;
    std::vector<Key> values_;
};

class ByteArrayDictionary {
public:
    ByteArrayDictionary() {
        slots_.assign(kInitialSlots, Slot{});
        mask_ = kInitialSlots - 1;
    }

    // The index of `value`, inserting it when new; *inserted tells which.
    uint32_t GetOrInsert(std::string_view value, bool* inserted) {
        const uint64_t h = HashBytes(value.data(), value.size());
        const auto tag = static_cast<uint32_t>(h >> 32);
        const auto len = static_cast<uint32_t>(value.size());
        size_t pos = static_cast<size_t>(tag) & mask_;
        for (;;) {
            const Slot& s = slots_[pos];
            if (s.index1 == 0) break;
            // The slot holds the entry's place, so a probe reads the table and the bytes only.
            if (s.tag == tag && s.len == len &&
                BytesEqual(plain_.data() + s.start, value.data(), len)) {
                *inserted = false;
                return s.index1 - 1;
            }
            pos = (pos + 1) & mask_;
        }
        const auto index = static_cast<uint32_t>(starts_.size());
        plain_.append(reinterpret_cast<const char*>(&len), 4);
        const auto start = static_cast<uint32_t>(plain_.size());
        starts_.push_back(start);
        plain_.append(value.data(), value.size());
        slots_[pos] = Slot{tag, index + 1, start, len};
        if (starts_.size() * 2 > slots_.size()) Rehash(slots_.size() * 2);
        *inserted = true;
        return index;
    }

    std::string_view Get(uint32_t index) const {
        const uint32_t start = starts_[index];
        uint32_t len;
        std::memcpy(&len, plain_.data() + start - 4, 4);
        return {plain_.data() + start, len};
    }

    size_t size() const { return starts_.size(); }
    // The dictionary page body: every entry PLAIN-encoded, in index order.
    const std::string& plain() const { return plain_; }

    void Clear() {
        plain_.clear();
        starts_.clear();
        if (slots_.size() > kInitialSlots * 64) {
            slots_.assign(kInitialSlots, Slot{});  // don't keep a huge table for the next chunk
            mask_ = kInitialSlots - 1;
        } else {
            std::fill(slots_.begin(), slots_.end(), Slot{});
        }
    }

private:
    static constexpr size_t kInitialSlots = 1024;
    struct Slot {
        uint32_t tag = 0;     // high bits of the hash; the position comes from them too
        uint32_t index1 = 0;  // index + 1; 0 = empty
        uint32_t start = 0;   // of the entry's bytes in plain_
        uint32_t len = 0;
    };

    void Rehash(size_t n) {
        std::vector<Slot> old;
        old.swap(slots_);
        slots_.assign(n, Slot{});
        mask_ = n - 1;
        for (const Slot& s : old) {
            if (s.index1 == 0) continue;
            size_t pos = static_cast<size_t>(s.tag) & mask_;
            while (slots_[pos].index1 != 0) pos = (pos + 1) & mask_;
            slots_[pos] = s;
        }
    }

    std::vector<Slot> slots_;
    size_t mask_ = 0;
    std::string plain_;
    std::vector<uint32_t> starts_;  // offset of each entry's bytes in plain_
};

}  // namespace tarn::format
