// Encoding and decoding of segment headers and record frames (log_format.md). No allocation and no
// virtual calls: these run once per record on the append and read paths.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "common/status.h"
#include "stream/log_format.h"
#include "stream/record.h"

namespace tarn::stream {

struct SegmentHeader {
    uint32_t version = log_format::kFormatVersion;
    uint64_t shard_id = 0;
    Offset first_offset{};
};

// Writes the kSegmentHeaderSize bytes of `header` to `out`.
void EncodeSegmentHeader(const SegmentHeader& header, char* out);
// Corruption for a short header, bad magic or bad CRC; Unimplemented for a version this build does
// not know. `what` names the file in messages.
Status DecodeSegmentHeader(const char* data, size_t size, std::string_view what,
                           SegmentHeader* out);

// Whether the record's sizes are allowed (partition key 1..256 bytes, data <= 1 MiB).
Status ValidateRecord(const RecordInput& record);

// Bytes the frame of `record` takes.
inline size_t EncodedFrameSize(const RecordInput& record) {
    return log_format::kFrameHeaderSize + log_format::kRecordFixedSize +
           (record.explicit_hash_key ? log_format::kHashKeySize : 0) + record.partition_key.size() +
           record.data.size();
}

// Writes the frame of `record` to `out`. REQUIRES: ValidateRecord(record) is OK and `out` has
// EncodedFrameSize(record) bytes. Returns the bytes written.
size_t EncodeRecordFrame(const RecordInput& record, Offset offset, int64_t arrival_ms, char* out);
// EncodeRecordFrame without its CRC (the first 4 bytes are left unset), for a batch of frames that
// SealRecordFrames then checksums together, several CRCs in flight at once.
size_t EncodeUnsealedRecordFrame(const RecordInput& record, Offset offset, int64_t arrival_ms,
                                 char* out);
// Writes the CRC of each unsealed frame starting at buf + frame_starts[i].
void SealRecordFrames(char* buf, std::span<const size_t> frame_starts);

enum class FrameError : uint8_t {
    kNone = 0,
    kIncomplete,  // fewer bytes than the frame header or its length say
    kBadLength,   // the length is outside what a record frame can have
    kBadCrc,
    kBadType,
    kBadPayload,  // CRC matched but the fields are inconsistent
};
const char* FrameErrorName(FrameError e);

// Decodes the frame at `data` (at most `size` bytes available). On kNone, `*out` views into `data`
// and `*frame_size` is the frame's length. `verify_crc` = false only for bytes already verified.
FrameError DecodeRecordFrame(const char* data, size_t size, bool verify_crc, RecordView* out,
                             size_t* frame_size);

}  // namespace tarn::stream
