#include "stream/record_codec.h"

#include <cstring>
#include <string>
#include <vector>

#include "common/hash.h"

namespace tarn::stream {

namespace lf = log_format;

namespace {

template <typename T>
inline void Store(char* p, T v) {
    std::memcpy(p, &v, sizeof(T));
}
template <typename T>
inline T Load(const char* p) {
    T v;
    std::memcpy(&v, p, sizeof(T));
    return v;
}

}  // namespace

void EncodeSegmentHeader(const SegmentHeader& header, char* out) {
    std::memset(out, 0, lf::kSegmentHeaderSize);
    std::memcpy(out, lf::kSegmentMagic, sizeof(lf::kSegmentMagic));
    Store<uint32_t>(out + lf::kHeaderVersionPos, header.version);
    Store<uint64_t>(out + lf::kHeaderShardIdPos, header.shard_id);
    Store<uint64_t>(out + lf::kHeaderFirstOffsetPos, ToU64(header.first_offset));
    Store<uint32_t>(out + lf::kHeaderCrcPos, lf::MaskCrc(Crc32c(out, lf::kHeaderCrcPos)));
}

Status DecodeSegmentHeader(const char* data, size_t size, std::string_view what,
                           SegmentHeader* out) {
    const std::string name(what);
    if (size < lf::kSegmentHeaderSize) {
        return Status::Corruption(name + ": segment header is short (" + std::to_string(size) +
                                  " bytes)");
    }
    if (std::memcmp(data, lf::kSegmentMagic, sizeof(lf::kSegmentMagic)) != 0) {
        return Status::Corruption(name + ": not a tarn segment (bad magic)");
    }
    const uint32_t version = Load<uint32_t>(data + lf::kHeaderVersionPos);
    if (version != lf::kFormatVersion) {
        return Status::Unimplemented(name + ": segment format version " + std::to_string(version) +
                                     " is not supported (this build reads version " +
                                     std::to_string(lf::kFormatVersion) + ")");
    }
    const uint32_t crc = lf::UnmaskCrc(Load<uint32_t>(data + lf::kHeaderCrcPos));
    if (crc != Crc32c(data, lf::kHeaderCrcPos)) {
        return Status::Corruption(name + ": segment header CRC mismatch");
    }
    out->version = version;
    out->shard_id = Load<uint64_t>(data + lf::kHeaderShardIdPos);
    out->first_offset = Offset{Load<uint64_t>(data + lf::kHeaderFirstOffsetPos)};
    return Status::Ok();
}

Status ValidateRecord(const RecordInput& record) {
    if (record.partition_key.size() < lf::kMinPartitionKeySize ||
        record.partition_key.size() > lf::kMaxPartitionKeySize) {
        return Status::InvalidArgument("partition key must be 1..256 bytes, not " +
                                       std::to_string(record.partition_key.size()));
    }
    if (record.data.size() > lf::kMaxDataSize) {
        return Status::InvalidArgument("record data must be at most 1 MiB, not " +
                                       std::to_string(record.data.size()) + " bytes");
    }
    return Status::Ok();
}

size_t EncodeUnsealedRecordFrame(const RecordInput& record, Offset offset, int64_t arrival_ms,
                                 char* out) {
    const size_t hk = record.explicit_hash_key ? lf::kHashKeySize : 0;
    const size_t payload =
        lf::kRecordFixedSize + hk + record.partition_key.size() + record.data.size();
    char* p = out + lf::kFrameHeaderSize;
    Store<uint64_t>(p + lf::kRecordOffsetPos, ToU64(offset));
    Store<int64_t>(p + lf::kRecordArrivalPos, arrival_ms);
    p[lf::kRecordFlagsPos] = static_cast<char>(hk ? lf::kFlagExplicitHashKey : 0);
    Store<uint16_t>(p + lf::kRecordKeyLengthPos,
                    static_cast<uint16_t>(record.partition_key.size()));
    p += lf::kRecordFixedSize;
    if (hk) {
        std::memcpy(p, record.explicit_hash_key->data(), hk);
        p += hk;
    }
    std::memcpy(p, record.partition_key.data(), record.partition_key.size());
    p += record.partition_key.size();
    if (!record.data.empty()) std::memcpy(p, record.data.data(), record.data.size());
    Store<uint32_t>(out + lf::kFrameLengthPos, static_cast<uint32_t>(payload));
    out[lf::kFrameTypePos] = static_cast<char>(lf::kRecordType);
    return lf::kFrameHeaderSize + payload;
}

namespace {
// What a frame's CRC covers: its length and type fields and its payload.
std::string_view CrcCoverage(const char* frame) {
    const size_t payload = Load<uint32_t>(frame + lf::kFrameLengthPos);
    return {frame + lf::kFrameLengthPos, 5 + payload};
}
}  // namespace

size_t EncodeRecordFrame(const RecordInput& record, Offset offset, int64_t arrival_ms, char* out) {
    const size_t size = EncodeUnsealedRecordFrame(record, offset, arrival_ms, out);
    Store<uint32_t>(out, lf::MaskCrc(Crc32c(CrcCoverage(out))));
    return size;
}

void SealRecordFrames(char* buf, std::span<const size_t> frame_starts) {
    thread_local std::vector<std::string_view> coverage;
    thread_local std::vector<uint32_t> crcs;
    coverage.clear();
    for (size_t start : frame_starts) coverage.push_back(CrcCoverage(buf + start));
    crcs.resize(coverage.size());
    Crc32cMany(coverage, crcs.data());
    for (size_t i = 0; i < frame_starts.size(); ++i) {
        Store<uint32_t>(buf + frame_starts[i], lf::MaskCrc(crcs[i]));
    }
}

const char* FrameErrorName(FrameError e) {
    switch (e) {
        case FrameError::kNone:
            return "ok";
        case FrameError::kIncomplete:
            return "incomplete frame";
        case FrameError::kBadLength:
            return "bad frame length";
        case FrameError::kBadCrc:
            return "frame CRC mismatch";
        case FrameError::kBadType:
            return "unknown frame type";
        case FrameError::kBadPayload:
            return "bad record fields";
    }
    return "?";
}

FrameError DecodeRecordFrame(const char* data, size_t size, bool verify_crc, RecordView* out,
                             size_t* frame_size) {
    if (size < lf::kFrameHeaderSize) return FrameError::kIncomplete;
    const uint32_t length = Load<uint32_t>(data + lf::kFrameLengthPos);
    if (length < lf::kRecordFixedSize + lf::kMinPartitionKeySize || length > lf::kMaxPayloadSize) {
        return FrameError::kBadLength;
    }
    if (size - lf::kFrameHeaderSize < length) return FrameError::kIncomplete;
    if (verify_crc) {
        const uint32_t crc = lf::UnmaskCrc(Load<uint32_t>(data));
        if (crc != Crc32c(data + lf::kFrameLengthPos, 5 + size_t{length})) {
            return FrameError::kBadCrc;
        }
    }
    if (static_cast<uint8_t>(data[lf::kFrameTypePos]) != lf::kRecordType) {
        return FrameError::kBadType;
    }
    const char* p = data + lf::kFrameHeaderSize;
    const uint8_t flags = static_cast<uint8_t>(p[lf::kRecordFlagsPos]);
    const size_t key_len = Load<uint16_t>(p + lf::kRecordKeyLengthPos);
    const size_t hk = (flags & lf::kFlagExplicitHashKey) ? lf::kHashKeySize : 0;
    if ((flags & ~lf::kKnownFlags) != 0 || key_len < lf::kMinPartitionKeySize ||
        key_len > lf::kMaxPartitionKeySize || lf::kRecordFixedSize + hk + key_len > length ||
        length - (lf::kRecordFixedSize + hk + key_len) > lf::kMaxDataSize) {
        return FrameError::kBadPayload;
    }
    out->offset = Offset{Load<uint64_t>(p + lf::kRecordOffsetPos)};
    out->arrival_ms = Load<int64_t>(p + lf::kRecordArrivalPos);
    const char* q = p + lf::kRecordFixedSize;
    out->has_explicit_hash_key = hk != 0;
    if (hk) {
        std::memcpy(out->explicit_hash_key.data(), q, hk);
        q += hk;
    }
    out->partition_key = std::string_view(q, key_len);
    q += key_len;
    out->data = std::string_view(q, length - (lf::kRecordFixedSize + hk + key_len));
    *frame_size = lf::kFrameHeaderSize + length;
    return FrameError::kNone;
}

}  // namespace tarn::stream
