#include "format/compression.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace tarn::format {
namespace {

using Codec = CompressionCodec;

const std::vector<Codec> kWritable = {Codec::kUncompressed, Codec::kSnappy, Codec::kGzip,
                                      Codec::kZstd, Codec::kLz4Raw, Codec::kBrotli};
const std::vector<Codec> kCompressing = {Codec::kSnappy, Codec::kGzip, Codec::kZstd,
                                         Codec::kLz4Raw, Codec::kBrotli};

std::string FromHex(std::string_view hex) {
    std::string out;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) {
        out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
    }
    return out;
}

std::string RandomBytes(size_t n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::string s(n, '\0');
    for (char& c : s) c = static_cast<char>(rng());
    return s;
}

std::string Repetitive(size_t n) {
    const std::string_view unit = "tarn event {\"user\":42,\"kind\":\"click\"}\n";
    std::string s;
    while (s.size() < n) s.append(unit.substr(0, std::min(unit.size(), n - s.size())));
    return s;
}

std::string Compressed(Codec codec, std::string_view in) {
    std::string out;
    Status st = Compress(codec, in, &out);
    EXPECT_TRUE(st.ok()) << CompressionCodecName(codec) << ": " << st.ToString();
    return out;
}

Status DecompressTo(Codec codec, std::string_view in, size_t size, std::string* out) {
    out->assign(size, '\0');
    return Decompress(codec, in, size, out->data());
}

void ExpectRoundTrip(Codec codec, const std::string& input) {
    std::string out = "prefix";  // Compress appends
    ASSERT_TRUE(Compress(codec, input, &out).ok());
    ASSERT_EQ(out.substr(0, 6), "prefix");
    std::string back;
    Status st = DecompressTo(codec, std::string_view(out).substr(6), input.size(), &back);
    ASSERT_TRUE(st.ok()) << CompressionCodecName(codec) << ": " << st.ToString();
    EXPECT_TRUE(back == input) << CompressionCodecName(codec) << " size " << input.size();
}

// Wraps `block` (an LZ4 block of `raw_size` bytes) in one Hadoop frame: two big-endian u32s.
std::string HadoopFrame(uint32_t raw_size, const std::string& block) {
    std::string s;
    for (uint32_t v : {raw_size, static_cast<uint32_t>(block.size())}) {
        for (int shift = 24; shift >= 0; shift -= 8) s.push_back(static_cast<char>(v >> shift));
    }
    return s + block;
}

// ---- interop vectors ----
// kPlain (54 bytes) compressed by the real tools on Debian 12 and embedded as hex:
//   printf 'tarn parquet page tarn parquet page tarn parquet page\n' > v.txt
//   gzip 1.12:  gzip -9 -n -c v.txt | xxd -p
//   zstd 1.5.4: zstd -19 --no-check -c v.txt | xxd -p            (frame with content size)
//               zstd --no-content-size -c v.txt | xxd -p          (frame without it, with checksum)
//   lz4 1.9.4:  lz4 -c v.txt | xxd -p -s 11 -l 29   (the one LZ4 block inside the CLI's frame:
//               7-byte frame header, then a 4-byte LE block size of 29)
//   zlib-wrapped: python3 -c "import zlib; print(zlib.compress(open('v.txt','rb').read(),
//   9).hex())"
//   brotli (Node.js 20's bundled Google brotli, default quality 11):
//               node -e 'console.log(require("zlib").brotliCompressSync(
//                   require("fs").readFileSync("v.txt")).toString("hex"))'
constexpr std::string_view kPlain = "tarn parquet page tarn parquet page tarn parquet page\n";
constexpr std::string_view kGzipHex =
    "1f8b08000000000002032b492cca5328482c2a2c4d2d01d2e9a90a258445b8002d6ddb5736000000";
constexpr std::string_view kZlibHex = "78da2b492cca5328482c2a2c4d2d01d2e9a90a258445b80031a71407";
constexpr std::string_view kZstdHex =
    "28b52ffd2036cd0000987461726e20706172717565742070616765200a01001439c3";
constexpr std::string_view kZstdNoSizeHex =
    "28b52ffd0400cd0000987461726e20706172717565742070616765200a01001439c399db0d16";
constexpr std::string_view kLz4BlockHex =
    "ff037461726e207061727175657420706167652012000c50706167650a";
constexpr std::string_view kBrotliHex =
    "1b3500f8c56dec7796fb3aa41716568a5415210cc31b98b7afc06c210a";

TEST(CompressionTest, ThriftValuesAndNames) {
    EXPECT_EQ(static_cast<int>(Codec::kUncompressed), 0);
    EXPECT_EQ(static_cast<int>(Codec::kSnappy), 1);
    EXPECT_EQ(static_cast<int>(Codec::kGzip), 2);
    EXPECT_EQ(static_cast<int>(Codec::kLzo), 3);
    EXPECT_EQ(static_cast<int>(Codec::kBrotli), 4);
    EXPECT_EQ(static_cast<int>(Codec::kLz4), 5);
    EXPECT_EQ(static_cast<int>(Codec::kZstd), 6);
    EXPECT_EQ(static_cast<int>(Codec::kLz4Raw), 7);
    EXPECT_EQ(CompressionCodecName(Codec::kLz4Raw), "LZ4_RAW");
    EXPECT_EQ(CompressionCodecFromThrift(6).value_or(Codec::kLzo), Codec::kZstd);
    EXPECT_EQ(CompressionCodecFromThrift(8).status().code(), StatusCode::kCorruption);
    EXPECT_EQ(CompressionCodecFromThrift(-1).status().code(), StatusCode::kCorruption);
}

TEST(CompressionTest, RoundTripsEveryCodecAndShape) {
    const std::vector<std::string> inputs = {"",
                                             "x",
                                             RandomBytes(1000, 1),
                                             RandomBytes(1 << 20, 2),
                                             Repetitive(1000),
                                             Repetitive(1 << 20)};
    for (Codec codec : kWritable) {
        for (const std::string& input : inputs) ExpectRoundTrip(codec, input);
    }
}

TEST(CompressionTest, RepetitiveInputShrinks) {
    const std::string input = Repetitive(1 << 20);
    for (Codec codec : kCompressing) {
        EXPECT_LT(Compressed(codec, input).size(), input.size() / 10)
            << CompressionCodecName(codec);
    }
}

TEST(CompressionTest, LevelsAreAppliedAndChecked) {
    const std::string input = Repetitive(100000);
    for (int level : {1, 9, 6}) {
        std::string out;
        ASSERT_TRUE(Compress(Codec::kGzip, input, &out, level).ok());
        std::string back;
        ASSERT_TRUE(DecompressTo(Codec::kGzip, out, input.size(), &back).ok());
        EXPECT_EQ(back, input);
    }
    for (int level : {-5, 1, 19}) {
        std::string out;
        ASSERT_TRUE(Compress(Codec::kZstd, input, &out, level).ok());
        std::string back;
        ASSERT_TRUE(DecompressTo(Codec::kZstd, out, input.size(), &back).ok());
        EXPECT_EQ(back, input);
    }
    for (int level : {0, 5, 11}) {
        std::string out;
        ASSERT_TRUE(Compress(Codec::kBrotli, input, &out, level).ok());
        std::string back;
        ASSERT_TRUE(DecompressTo(Codec::kBrotli, out, input.size(), &back).ok());
        EXPECT_EQ(back, input);
    }
    std::string out = "keep";
    EXPECT_EQ(Compress(Codec::kBrotli, input, &out, 12).code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(Compress(Codec::kBrotli, input, &out, -1).code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(Compress(Codec::kGzip, input, &out, 10).code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(Compress(Codec::kZstd, input, &out, 1000).code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(out, "keep");
}

TEST(CompressionTest, GzipWritesAGzipHeader) {
    std::string out = Compressed(Codec::kGzip, kPlain);
    ASSERT_GE(out.size(), 2u);
    EXPECT_EQ(static_cast<uint8_t>(out[0]), 0x1f);
    EXPECT_EQ(static_cast<uint8_t>(out[1]), 0x8b);
}

TEST(CompressionTest, WrongUncompressedSizeIsCorruption) {
    const std::string input = Repetitive(5000) + RandomBytes(3000, 3);
    for (Codec codec : kWritable) {
        const std::string packed = Compressed(codec, input);
        for (size_t size : {size_t{0}, input.size() - 1, input.size() + 1, input.size() * 2}) {
            std::string back;
            Status st = DecompressTo(codec, packed, size, &back);
            EXPECT_EQ(st.code(), StatusCode::kCorruption)
                << CompressionCodecName(codec) << " size " << size << ": " << st.ToString();
            EXPECT_NE(st.message().find(CompressionCodecName(codec)), std::string::npos)
                << st.ToString();
        }
    }
}

TEST(CompressionTest, TruncatedInputIsCorruption) {
    const std::string input = Repetitive(5000) + RandomBytes(3000, 4);
    for (Codec codec : kCompressing) {
        const std::string packed = Compressed(codec, input);
        for (size_t keep :
             {size_t{0}, size_t{1}, size_t{5}, packed.size() / 2, packed.size() - 1}) {
            std::string back;
            Status st = DecompressTo(codec, packed.substr(0, keep), input.size(), &back);
            EXPECT_EQ(st.code(), StatusCode::kCorruption)
                << CompressionCodecName(codec) << " keep " << keep << ": " << st.ToString();
        }
    }
}

TEST(CompressionTest, GarbageNeverCrashes) {
    // Random bytes and single-byte flips of valid pages: any status is fine, a crash is not (ASan).
    const std::string input = Repetitive(4000) + RandomBytes(500, 5);
    std::mt19937 rng(6);
    for (Codec codec : {Codec::kSnappy, Codec::kGzip, Codec::kZstd, Codec::kLz4Raw, Codec::kLz4,
                        Codec::kBrotli}) {
        const std::string packed = Compressed(codec == Codec::kLz4 ? Codec::kLz4Raw : codec, input);
        for (int trial = 0; trial < 300; ++trial) {
            std::string bad = trial % 3 == 0 ? RandomBytes(1 + rng() % 200, rng()) : packed;
            if (trial % 3 != 0) bad[rng() % bad.size()] ^= static_cast<char>(1 + rng() % 255);
            std::string back;
            Status st = DecompressTo(codec, bad, input.size(), &back);
            if (!st.ok()) {
                EXPECT_EQ(st.code(), StatusCode::kCorruption) << st.ToString();
            }
        }
    }
}

TEST(CompressionTest, UncompressedSizeMustMatchInput) {
    std::string back;
    EXPECT_EQ(DecompressTo(Codec::kUncompressed, "abc", 2, &back).code(), StatusCode::kCorruption);
    EXPECT_EQ(DecompressTo(Codec::kUncompressed, "abc", 4, &back).code(), StatusCode::kCorruption);
}

TEST(CompressionTest, EmptyInputIsAnEmptyPage) {
    for (Codec codec : kWritable) {
        EXPECT_TRUE(Decompress(codec, "", 0, nullptr).ok()) << CompressionCodecName(codec);
    }
    std::string back;
    EXPECT_EQ(DecompressTo(Codec::kSnappy, "", 10, &back).code(), StatusCode::kCorruption);
}

TEST(CompressionTest, LzoIsUnimplemented) {
    {
        std::string out;
        Status st = Compress(Codec::kLzo, "abc", &out);
        EXPECT_EQ(st.code(), StatusCode::kUnimplemented);
        EXPECT_NE(st.message().find("LZO"), std::string::npos);
        char buf[3];
        EXPECT_EQ(Decompress(Codec::kLzo, "abc", 3, buf).code(), StatusCode::kUnimplemented);
    }
    std::string out;
    EXPECT_EQ(Compress(Codec::kLz4, "abc", &out).code(), StatusCode::kUnimplemented);
}

TEST(CompressionTest, DecodesGzipCliOutput) {
    std::string back;
    ASSERT_TRUE(DecompressTo(Codec::kGzip, FromHex(kGzipHex), kPlain.size(), &back).ok());
    EXPECT_EQ(back, kPlain);
    // Two concatenated gzip members (`cat a.gz b.gz`) decode to both payloads.
    const std::string twice = FromHex(kGzipHex) + FromHex(kGzipHex);
    ASSERT_TRUE(DecompressTo(Codec::kGzip, twice, 2 * kPlain.size(), &back).ok());
    EXPECT_EQ(back, std::string(kPlain) + std::string(kPlain));
}

TEST(CompressionTest, DecodesZlibWrappedDeflate) {
    std::string back;
    ASSERT_TRUE(DecompressTo(Codec::kGzip, FromHex(kZlibHex), kPlain.size(), &back).ok());
    EXPECT_EQ(back, kPlain);
}

TEST(CompressionTest, DecodesZstdCliFramesWithAndWithoutContentSize) {
    for (std::string_view hex : {kZstdHex, kZstdNoSizeHex}) {
        std::string back;
        Status st = DecompressTo(Codec::kZstd, FromHex(hex), kPlain.size(), &back);
        ASSERT_TRUE(st.ok()) << st.ToString();
        EXPECT_EQ(back, kPlain);
        EXPECT_EQ(DecompressTo(Codec::kZstd, FromHex(hex), kPlain.size() - 1, &back).code(),
                  StatusCode::kCorruption);
    }
}

TEST(CompressionTest, DecodesLz4CliBlockAsLz4RawAndLegacy) {
    std::string back;
    for (Codec codec : {Codec::kLz4Raw, Codec::kLz4}) {  // LZ4 falls back to a bare block
        Status st = DecompressTo(codec, FromHex(kLz4BlockHex), kPlain.size(), &back);
        ASSERT_TRUE(st.ok()) << st.ToString();
        EXPECT_EQ(back, kPlain);
    }
}

TEST(CompressionTest, DecodesNodeBrotliStream) {
    std::string back;
    Status st = DecompressTo(Codec::kBrotli, FromHex(kBrotliHex), kPlain.size(), &back);
    ASSERT_TRUE(st.ok()) << st.ToString();
    EXPECT_EQ(back, kPlain);
    // Bytes after the end of the stream are damage, not ignored.
    st = DecompressTo(Codec::kBrotli, FromHex(kBrotliHex) + "x", kPlain.size(), &back);
    EXPECT_EQ(st.code(), StatusCode::kCorruption);
    EXPECT_NE(st.message().find("after the stream"), std::string::npos) << st.ToString();
}

TEST(CompressionTest, DecodesHadoopFramedLz4) {
    // Two Hadoop frames: the CLI's block, then a block tarn writes for a second payload.
    const std::string second = Repetitive(3000);
    const std::string framed = HadoopFrame(kPlain.size(), FromHex(kLz4BlockHex)) +
                               HadoopFrame(second.size(), Compressed(Codec::kLz4Raw, second));
    std::string back;
    Status st = DecompressTo(Codec::kLz4, framed, kPlain.size() + second.size(), &back);
    ASSERT_TRUE(st.ok()) << st.ToString();
    EXPECT_EQ(back, std::string(kPlain) + second);
    // A frame cut short or a total that does not match is Corruption.
    EXPECT_EQ(DecompressTo(Codec::kLz4, framed.substr(0, framed.size() - 3),
                           kPlain.size() + second.size(), &back)
                  .code(),
              StatusCode::kCorruption);
    EXPECT_EQ(DecompressTo(Codec::kLz4, framed, kPlain.size() + second.size() + 1, &back).code(),
              StatusCode::kCorruption);
    // A frame claiming more than the page declares is rejected before decoding.
    EXPECT_EQ(DecompressTo(Codec::kLz4, HadoopFrame(1u << 30, FromHex(kLz4BlockHex)), kPlain.size(),
                           &back)
                  .code(),
              StatusCode::kCorruption);
}

TEST(CompressionTest, ContextsWorkAcrossThreads) {
    const std::string input = Repetitive(200000);
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            Codec codec = t % 2 == 0 ? Codec::kZstd : Codec::kGzip;
            for (int i = 0; i < 5; ++i) {
                std::string packed;
                std::string back;
                if (!Compress(codec, input, &packed).ok() ||
                    !DecompressTo(codec, packed, input.size(), &back).ok() || back != input) {
                    ++failures;
                }
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace tarn::format
