#include "stream/record_codec.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace tarn::stream {
namespace {

namespace lf = log_format;

std::vector<char> Encode(const RecordInput& r, Offset off, int64_t arrival) {
    std::vector<char> buf(EncodedFrameSize(r));
    EXPECT_EQ(EncodeRecordFrame(r, off, arrival, buf.data()), buf.size());
    return buf;
}

TEST(RecordCodecTest, FrameRoundTripsWithAndWithoutHashKey) {
    HashKey hk{};
    for (size_t i = 0; i < hk.size(); ++i) hk[i] = static_cast<uint8_t>(i * 7);
    const std::string big(lf::kMaxDataSize, 'x');
    const std::string long_key(256, 'p');
    const RecordInput inputs[] = {
        {"k", "", std::nullopt},
        {"partition-1", "hello world", hk},
        {long_key, big, std::nullopt},
    };
    for (const RecordInput& in : inputs) {
        auto buf = Encode(in, Offset{42}, 1700000000123);
        RecordView out;
        size_t frame_size = 0;
        ASSERT_EQ(DecodeRecordFrame(buf.data(), buf.size(), true, &out, &frame_size),
                  FrameError::kNone);
        EXPECT_EQ(frame_size, buf.size());
        EXPECT_EQ(out.offset, Offset{42});
        EXPECT_EQ(out.arrival_ms, 1700000000123);
        EXPECT_EQ(out.partition_key, in.partition_key);
        EXPECT_EQ(out.data, in.data);
        EXPECT_EQ(out.has_explicit_hash_key, in.explicit_hash_key.has_value());
        if (in.explicit_hash_key) {
            EXPECT_EQ(out.explicit_hash_key, *in.explicit_hash_key);
        }
    }
}

TEST(RecordCodecTest, EveryPrefixIsIncompleteAndEveryFlippedByteIsRejected) {
    auto buf = Encode({"key", "some data", std::nullopt}, Offset{1}, 5);
    RecordView out;
    size_t fs;
    for (size_t n = 0; n < buf.size(); ++n) {
        FrameError e = DecodeRecordFrame(buf.data(), n, true, &out, &fs);
        EXPECT_NE(e, FrameError::kNone) << n;
    }
    for (size_t i = 0; i < buf.size(); ++i) {
        auto bad = buf;
        bad[i] ^= 0x40;
        EXPECT_NE(DecodeRecordFrame(bad.data(), bad.size(), true, &out, &fs), FrameError::kNone)
            << "byte " << i;
    }
}

TEST(RecordCodecTest, ZeroBytesAreABadLength) {
    std::vector<char> zeros(64, 0);
    RecordView out;
    size_t fs;
    EXPECT_EQ(DecodeRecordFrame(zeros.data(), zeros.size(), true, &out, &fs),
              FrameError::kBadLength);
}

TEST(RecordCodecTest, ValidateRecordChecksSizes) {
    EXPECT_TRUE(ValidateRecord({"k", "", std::nullopt}).ok());
    EXPECT_EQ(ValidateRecord({"", "d", std::nullopt}).code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(ValidateRecord({std::string(257, 'k'), "d", std::nullopt}).code(),
              StatusCode::kInvalidArgument);
    const std::string too_big(lf::kMaxDataSize + 1, 'x');
    EXPECT_EQ(ValidateRecord({"k", too_big, std::nullopt}).code(), StatusCode::kInvalidArgument);
}

TEST(RecordCodecTest, SegmentHeaderRoundTripAndChecks) {
    char buf[lf::kSegmentHeaderSize];
    EncodeSegmentHeader(SegmentHeader{lf::kFormatVersion, 7, Offset{1234}}, buf);
    SegmentHeader h;
    ASSERT_TRUE(DecodeSegmentHeader(buf, sizeof(buf), "f", &h).ok());
    EXPECT_EQ(h.shard_id, 7u);
    EXPECT_EQ(h.first_offset, Offset{1234});

    EXPECT_EQ(DecodeSegmentHeader(buf, 39, "f", &h).code(), StatusCode::kCorruption);
    char bad[lf::kSegmentHeaderSize];
    std::memcpy(bad, buf, sizeof(buf));
    bad[0] = 'X';
    EXPECT_EQ(DecodeSegmentHeader(bad, sizeof(bad), "f", &h).code(), StatusCode::kCorruption);
    std::memcpy(bad, buf, sizeof(buf));
    bad[lf::kHeaderShardIdPos] ^= 1;
    EXPECT_EQ(DecodeSegmentHeader(bad, sizeof(bad), "f", &h).code(), StatusCode::kCorruption);
    EncodeSegmentHeader(SegmentHeader{lf::kFormatVersion + 1, 7, Offset{0}}, bad);
    Status s = DecodeSegmentHeader(bad, sizeof(bad), "seg-file", &h);
    EXPECT_EQ(s.code(), StatusCode::kUnimplemented);
    EXPECT_NE(s.message().find("version 2"), std::string::npos) << s.ToString();
    EXPECT_NE(s.message().find("seg-file"), std::string::npos) << s.ToString();
}

TEST(RecordCodecTest, CrcMaskIsInvertible) {
    for (uint32_t v : {0u, 1u, 0xffffffffu, 0x12345678u}) {
        EXPECT_EQ(lf::UnmaskCrc(lf::MaskCrc(v)), v);
        EXPECT_NE(lf::MaskCrc(v), v);
    }
}

}  // namespace
}  // namespace tarn::stream
