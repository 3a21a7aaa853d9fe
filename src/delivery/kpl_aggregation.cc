#include "delivery/kpl_aggregation.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <unordered_map>
#include <utility>

#include "common/hash.h"

namespace tarn::delivery {
namespace {

constexpr size_t kMagicSize = sizeof(kKplMagic);

// Protobuf wire types.
constexpr uint32_t kVarint = 0;
constexpr uint32_t kFixed64 = 1;
constexpr uint32_t kLengthDelimited = 2;
constexpr uint32_t kStartGroup = 3;
constexpr uint32_t kEndGroup = 4;
constexpr uint32_t kFixed32 = 5;

constexpr int kMaxGroupDepth = 100;  // protobuf's default recursion limit
constexpr uint64_t kMaxFieldNumber = (uint64_t{1} << 29) - 1;

Status Malformed(std::string_view what, size_t offset) {
    return Status::Corruption("KPL aggregate: " + std::string(what) + " at protobuf byte " +
                              std::to_string(offset));
}

// Reads protobuf wire format from `buf`, whose first byte is byte `base` of the whole message
// (for error messages). Never reads outside `buf`.
class WireReader {
public:
    WireReader(std::string_view buf, size_t base) : buf_(buf), base_(base) {}

    bool done() const { return pos_ == buf_.size(); }
    size_t offset() const { return base_ + pos_; }

    Status ReadVarint(uint64_t* value) {
        uint64_t result = 0;
        for (int i = 0; i < 10; ++i) {
            if (pos_ == buf_.size()) return Malformed("truncated varint", offset());
            const auto byte = static_cast<uint8_t>(buf_[pos_++]);
            result |= static_cast<uint64_t>(byte & 0x7F) << (7 * i);
            if ((byte & 0x80) == 0) {
                *value = result;
                return Status::Ok();
            }
        }
        return Malformed("varint longer than 10 bytes", offset());
    }

    Status ReadTag(uint32_t* field, uint32_t* wire_type) {
        const size_t at = offset();
        uint64_t tag = 0;
        TARN_RETURN_IF_ERROR(ReadVarint(&tag));
        const uint64_t number = tag >> 3;
        if (number == 0 || number > kMaxFieldNumber) return Malformed("invalid field number", at);
        *field = static_cast<uint32_t>(number);
        *wire_type = static_cast<uint32_t>(tag & 7);
        return Status::Ok();
    }

    // The payload of a length-delimited field; `*base` is its offset in the whole message.
    Status ReadLengthDelimited(std::string_view* out, size_t* base) {
        const size_t at = offset();
        uint64_t length = 0;
        TARN_RETURN_IF_ERROR(ReadVarint(&length));
        if (length > buf_.size() - pos_) return Malformed("length beyond the end", at);
        *base = offset();
        *out = buf_.substr(pos_, static_cast<size_t>(length));
        pos_ += static_cast<size_t>(length);
        return Status::Ok();
    }

    // Skips the value of a field whose tag was just read.
    Status SkipField(uint32_t field, uint32_t wire_type, int depth = 0) {
        const size_t at = offset();
        switch (wire_type) {
            case kVarint: {
                uint64_t ignored = 0;
                return ReadVarint(&ignored);
            }
            case kFixed64:
                return Advance(8, at);
            case kFixed32:
                return Advance(4, at);
            case kLengthDelimited: {
                std::string_view ignored;
                size_t ignored_base = 0;
                return ReadLengthDelimited(&ignored, &ignored_base);
            }
            case kStartGroup: {
                if (depth >= kMaxGroupDepth) return Malformed("groups nested too deeply", at);
                while (true) {
                    if (done()) return Malformed("group without its end", at);
                    uint32_t inner_field = 0;
                    uint32_t inner_type = 0;
                    const size_t tag_at = offset();
                    TARN_RETURN_IF_ERROR(ReadTag(&inner_field, &inner_type));
                    if (inner_type == kEndGroup) {
                        if (inner_field != field) return Malformed("mismatched group end", tag_at);
                        return Status::Ok();
                    }
                    TARN_RETURN_IF_ERROR(SkipField(inner_field, inner_type, depth + 1));
                }
            }
            case kEndGroup:
                return Malformed("group end without its start", at);
            default:
                return Malformed("invalid wire type " + std::to_string(wire_type), at);
        }
    }

private:
    Status Advance(size_t n, size_t at) {
        if (n > buf_.size() - pos_) return Malformed("truncated fixed-size field", at);
        pos_ += n;
        return Status::Ok();
    }

    std::string_view buf_;
    size_t base_;
    size_t pos_ = 0;
};

struct RawRecord {
    uint64_t partition_key_index = 0;
    uint64_t explicit_hash_key_index = 0;
    bool has_explicit_hash_key = false;
    std::string_view data;
};

struct Decoded {
    std::vector<std::string_view> partition_keys;
    std::vector<std::string_view> explicit_hash_keys;
    std::vector<RawRecord> records;
};

Status CheckTag(std::string_view bytes, size_t base) {
    WireReader reader(bytes, base);
    bool has_key = false;
    while (!reader.done()) {
        uint32_t field = 0;
        uint32_t type = 0;
        TARN_RETURN_IF_ERROR(reader.ReadTag(&field, &type));
        if (field == 1 && type == kLengthDelimited) has_key = true;
        TARN_RETURN_IF_ERROR(reader.SkipField(field, type));
    }
    if (!has_key) return Malformed("tag without its key", base);
    return Status::Ok();
}

Status DecodeRecord(std::string_view bytes, size_t base, RawRecord* out) {
    WireReader reader(bytes, base);
    bool has_partition_key_index = false;
    bool has_data = false;
    while (!reader.done()) {
        uint32_t field = 0;
        uint32_t type = 0;
        TARN_RETURN_IF_ERROR(reader.ReadTag(&field, &type));
        if (field == 1 && type == kVarint) {
            TARN_RETURN_IF_ERROR(reader.ReadVarint(&out->partition_key_index));
            has_partition_key_index = true;
        } else if (field == 2 && type == kVarint) {
            TARN_RETURN_IF_ERROR(reader.ReadVarint(&out->explicit_hash_key_index));
            out->has_explicit_hash_key = true;
        } else if (field == 3 && type == kLengthDelimited) {
            size_t data_base = 0;
            TARN_RETURN_IF_ERROR(reader.ReadLengthDelimited(&out->data, &data_base));
            has_data = true;
        } else if (field == 4 && type == kLengthDelimited) {
            std::string_view tag;
            size_t tag_base = 0;
            TARN_RETURN_IF_ERROR(reader.ReadLengthDelimited(&tag, &tag_base));
            TARN_RETURN_IF_ERROR(CheckTag(tag, tag_base));
        } else {
            TARN_RETURN_IF_ERROR(reader.SkipField(field, type));
        }
    }
    if (!has_partition_key_index) return Malformed("record without partition_key_index", base);
    if (!has_data) return Malformed("record without data", base);
    return Status::Ok();
}

Status Decode(std::string_view protobuf, Decoded* out) {
    WireReader reader(protobuf, 0);
    while (!reader.done()) {
        uint32_t field = 0;
        uint32_t type = 0;
        TARN_RETURN_IF_ERROR(reader.ReadTag(&field, &type));
        if (type != kLengthDelimited || field < 1 || field > 3) {
            TARN_RETURN_IF_ERROR(reader.SkipField(field, type));
            continue;
        }
        std::string_view bytes;
        size_t base = 0;
        TARN_RETURN_IF_ERROR(reader.ReadLengthDelimited(&bytes, &base));
        if (field == 1) {
            out->partition_keys.push_back(bytes);
        } else if (field == 2) {
            out->explicit_hash_keys.push_back(bytes);
        } else {
            RawRecord record;
            TARN_RETURN_IF_ERROR(DecodeRecord(bytes, base, &record));
            out->records.push_back(record);
        }
    }
    return Status::Ok();
}

Result<std::vector<UserRecord>> Resolve(const Decoded& decoded) {
    std::vector<UserRecord> out;
    out.reserve(decoded.records.size());
    for (size_t i = 0; i < decoded.records.size(); ++i) {
        const RawRecord& raw = decoded.records[i];
        UserRecord user;
        if (raw.partition_key_index >= decoded.partition_keys.size()) {
            return Status::Corruption(
                "KPL aggregate: user record " + std::to_string(i) + " has partition_key_index " +
                std::to_string(raw.partition_key_index) + " but the partition key table has " +
                std::to_string(decoded.partition_keys.size()) + " entries");
        }
        user.partition_key = decoded.partition_keys[raw.partition_key_index];
        if (raw.has_explicit_hash_key) {
            if (raw.explicit_hash_key_index >= decoded.explicit_hash_keys.size()) {
                return Status::Corruption(
                    "KPL aggregate: user record " + std::to_string(i) +
                    " has explicit_hash_key_index " + std::to_string(raw.explicit_hash_key_index) +
                    " but the explicit hash key table has " +
                    std::to_string(decoded.explicit_hash_keys.size()) + " entries");
            }
            user.explicit_hash_key = decoded.explicit_hash_keys[raw.explicit_hash_key_index];
        }
        user.data = raw.data;
        out.push_back(user);
    }
    return out;
}

bool DigestMatches(std::string_view protobuf, std::string_view digest) {
    const Md5Digest computed = Md5(protobuf);
    return std::memcmp(computed.data(), digest.data(), kKplDigestSize) == 0;
}

size_t VarintSize(uint64_t v) {
    size_t n = 1;
    while (v >= 0x80) {
        v >>= 7;
        ++n;
    }
    return n;
}

void AppendVarint(std::string* out, uint64_t v) {
    while (v >= 0x80) {
        out->push_back(static_cast<char>((v & 0x7F) | 0x80));
        v >>= 7;
    }
    out->push_back(static_cast<char>(v));
}

void AppendBytesField(std::string* out, uint32_t field, std::string_view bytes) {
    AppendVarint(out, (uint64_t{field} << 3) | kLengthDelimited);
    AppendVarint(out, bytes.size());
    out->append(bytes);
}

// Index of `key` in `table`, adding it if new.
uint64_t Intern(std::string_view key, std::vector<std::string_view>* table,
                std::unordered_map<std::string_view, uint64_t>* index) {
    auto [it, inserted] = index->try_emplace(key, table->size());
    if (inserted) table->push_back(key);
    return it->second;
}

}  // namespace

bool IsKplAggregated(std::string_view record) {
    return record.size() > kMagicSize + kKplDigestSize &&
           std::memcmp(record.data(), kKplMagic, kMagicSize) == 0;
}

Result<std::vector<UserRecord>> Deaggregate(std::string_view record,
                                            std::string_view partition_key) {
    auto unchanged = [&]() -> Result<std::vector<UserRecord>> {
        return std::vector<UserRecord>{{partition_key, {}, record}};
    };
    if (!IsKplAggregated(record)) return unchanged();
    const std::string_view protobuf =
        record.substr(kMagicSize, record.size() - kMagicSize - kKplDigestSize);
    if (!DigestMatches(protobuf, record.substr(record.size() - kKplDigestSize))) return unchanged();
    Decoded decoded;
    if (!Decode(protobuf, &decoded).ok()) return unchanged();
    return Resolve(decoded);
}

Result<std::vector<UserRecord>> DeaggregateStrict(std::string_view record) {
    if (!IsKplAggregated(record)) {
        return Status::Corruption("KPL aggregate: no magic, or no protobuf before the MD5");
    }
    const std::string_view protobuf =
        record.substr(kMagicSize, record.size() - kMagicSize - kKplDigestSize);
    if (!DigestMatches(protobuf, record.substr(record.size() - kKplDigestSize))) {
        return Status::Corruption("KPL aggregate: MD5 of the protobuf does not match");
    }
    Decoded decoded;
    TARN_RETURN_IF_ERROR(Decode(protobuf, &decoded));
    return Resolve(decoded);
}

std::string Aggregate(const std::vector<UserRecord>& records) {
    std::vector<std::string_view> partition_keys;
    std::vector<std::string_view> explicit_hash_keys;
    std::unordered_map<std::string_view, uint64_t> partition_key_index;
    std::unordered_map<std::string_view, uint64_t> explicit_hash_key_index;
    struct Indices {
        uint64_t partition_key;
        uint64_t explicit_hash_key;
    };
    std::vector<Indices> indices;
    indices.reserve(records.size());
    for (const UserRecord& r : records) {
        Indices idx{Intern(r.partition_key, &partition_keys, &partition_key_index), 0};
        if (!r.explicit_hash_key.empty()) {
            idx.explicit_hash_key =
                Intern(r.explicit_hash_key, &explicit_hash_keys, &explicit_hash_key_index);
        }
        indices.push_back(idx);
    }

    // Size first, so that the data is copied once.
    auto field_size = [](size_t payload) { return 1 + VarintSize(payload) + payload; };
    auto record_body_size = [&](size_t i) {
        const UserRecord& r = records[i];
        size_t n = 1 + VarintSize(indices[i].partition_key) + field_size(r.data.size());
        if (!r.explicit_hash_key.empty()) n += 1 + VarintSize(indices[i].explicit_hash_key);
        return n;
    };
    size_t total = kMagicSize + kKplDigestSize;
    for (std::string_view k : partition_keys) total += field_size(k.size());
    for (std::string_view k : explicit_hash_keys) total += field_size(k.size());
    for (size_t i = 0; i < records.size(); ++i) total += field_size(record_body_size(i));

    std::string out;
    out.reserve(total);
    out.append(kKplMagic, kMagicSize);
    for (std::string_view k : partition_keys) AppendBytesField(&out, 1, k);
    for (std::string_view k : explicit_hash_keys) AppendBytesField(&out, 2, k);
    for (size_t i = 0; i < records.size(); ++i) {
        const UserRecord& r = records[i];
        AppendVarint(&out, (uint64_t{3} << 3) | kLengthDelimited);
        AppendVarint(&out, record_body_size(i));
        AppendVarint(&out, (uint64_t{1} << 3) | kVarint);
        AppendVarint(&out, indices[i].partition_key);
        if (!r.explicit_hash_key.empty()) {
            AppendVarint(&out, (uint64_t{2} << 3) | kVarint);
            AppendVarint(&out, indices[i].explicit_hash_key);
        }
        AppendBytesField(&out, 3, r.data);
    }
    const Md5Digest digest = Md5(std::string_view(out).substr(kMagicSize));
    out.append(reinterpret_cast<const char*>(digest.data()), digest.size());
    return out;
}

}  // namespace tarn::delivery
