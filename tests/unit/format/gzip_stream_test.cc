// Gzip output: whole-buffer GzipCompress (libdeflate) and the streaming GzipDeflater (zlib) both
// give gzip members that zlib reads back, and GzipCompress is deterministic (no time in it).
#include "format/gzip_stream.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <string>

namespace tarn::format {
namespace {

std::string Inflate(const std::string& gz) {
    z_stream z{};
    EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
    std::string out(1 << 20, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
    z.avail_in = static_cast<uInt>(gz.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
    out.resize(z.total_out);
    inflateEnd(&z);
    return out;
}

std::string SomeJsonLines() {
    std::string text;
    for (int i = 0; i < 5000; ++i) {
        text += "{\"id\":" + std::to_string(i) + ",\"page\":\"/p/" + std::to_string(i % 37) + "\"}\n";
    }
    return text;
}

TEST(GzipCompressTest, IsAGzipMemberZlibReadsBackWithoutATimeInItsHeader) {
    const std::string text = SomeJsonLines();
    auto gz = GzipCompress(text);
    ASSERT_TRUE(gz.ok()) << gz.status().ToString();
    EXPECT_LT(gz->size(), text.size() / 4);
    EXPECT_EQ(gz->substr(0, 3), std::string("\x1f\x8b\x08", 3));
    EXPECT_EQ(gz->substr(4, 4), std::string(4, '\0'));  // MTIME
    EXPECT_EQ(Inflate(*gz), text);
    EXPECT_EQ(*GzipCompress(text), *gz);  // same input, same bytes
    EXPECT_EQ(Inflate(*GzipCompress("")), "");
    EXPECT_EQ(Inflate(*GzipCompress(text, 1)), text);
}

TEST(GzipCompressTest, RefusesLevelsOutsideItsRange) {
    EXPECT_EQ(GzipCompress("x", 0).status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(GzipCompress("x", 13).status().code(), StatusCode::kInvalidArgument);
}

TEST(GzipDeflaterTest, StreamsAGzipMemberZlibReadsBack) {
    const std::string text = SomeJsonLines();
    auto deflater = GzipDeflater::Open();
    ASSERT_TRUE(deflater.ok());
    std::string gz;
    ASSERT_TRUE((*deflater)->Compress(text.substr(0, 1000), &gz).ok());
    ASSERT_TRUE((*deflater)->Compress(text.substr(1000), &gz).ok());
    ASSERT_TRUE((*deflater)->Finish(&gz).ok());
    EXPECT_EQ(Inflate(gz), text);
    EXPECT_EQ((*deflater)->Finish(&gz).code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace tarn::format
