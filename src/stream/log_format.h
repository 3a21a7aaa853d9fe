// Constants of the stream segment format; the grammar is in log_format.md beside this file.
// Thread-safety: constants and pure functions.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

namespace tarn::stream::log_format {

static_assert(std::endian::native == std::endian::little, "the segment format is little-endian");

// Segment header: magic, version, flags, shard id, first offset, reserved, masked CRC.
inline constexpr char kSegmentMagic[8] = {'T', 'A', 'R', 'N', 'S', 'E', 'G', '\n'};
inline constexpr uint32_t kFormatVersion = 1;
inline constexpr size_t kSegmentHeaderSize = 40;
inline constexpr size_t kHeaderVersionPos = 8;
inline constexpr size_t kHeaderShardIdPos = 16;
inline constexpr size_t kHeaderFirstOffsetPos = 24;
inline constexpr size_t kHeaderCrcPos = 36;  // CRC over bytes [0, 36)

// Frame: masked crc32c (u32) | payload length (u32) | type (u8) | payload.
// The CRC covers length, type and payload: bytes [4, kFrameHeaderSize + length).
inline constexpr size_t kFrameHeaderSize = 9;
inline constexpr size_t kFrameLengthPos = 4;
inline constexpr size_t kFrameTypePos = 8;
enum FrameType : uint8_t {
    kZeroType = 0,  // reserved: zero-filled space after a crash reads as a bad frame
    kRecordType = 1,
};

// Record payload: offset (u64) | arrival ms (i64) | flags (u8) | key length (u16) |
// [explicit hash key (16 bytes) if flags & kFlagExplicitHashKey] | partition key | data.
inline constexpr size_t kRecordFixedSize = 19;
inline constexpr size_t kRecordOffsetPos = 0;
inline constexpr size_t kRecordArrivalPos = 8;
inline constexpr size_t kRecordFlagsPos = 16;
inline constexpr size_t kRecordKeyLengthPos = 17;
inline constexpr uint8_t kFlagExplicitHashKey = 0x01;
inline constexpr uint8_t kKnownFlags = kFlagExplicitHashKey;
inline constexpr size_t kHashKeySize = 16;
inline constexpr size_t kMinPartitionKeySize = 1;
inline constexpr size_t kMaxPartitionKeySize = 256;
inline constexpr size_t kMaxDataSize = size_t{1} << 20;  // 1 MiB
inline constexpr size_t kMaxPayloadSize =
    kRecordFixedSize + kHashKeySize + kMaxPartitionKeySize + kMaxDataSize;
inline constexpr size_t kMaxFrameSize = kFrameHeaderSize + kMaxPayloadSize;

// Segment files: "<first offset, 20 decimal digits>.seg".
inline constexpr int kSegmentNameDigits = 20;
inline constexpr char kSegmentSuffix[] = ".seg";

// Defaults of ShardLogOptions.
inline constexpr uint64_t kDefaultSegmentBytes = uint64_t{64} << 20;
inline constexpr uint32_t kDefaultIndexIntervalBytes = 4096;

// CRCs are stored masked, as in LevelDB, so a CRC over data that itself holds CRCs stays strong.
inline constexpr uint32_t kCrcMaskDelta = 0xa282ead8u;
inline constexpr uint32_t MaskCrc(uint32_t crc) {
    return ((crc >> 15) | (crc << 17)) + kCrcMaskDelta;
}
inline constexpr uint32_t UnmaskCrc(uint32_t masked) {
    uint32_t rot = masked - kCrcMaskDelta;
    return (rot >> 17) | (rot << 15);
}

}  // namespace tarn::stream::log_format
