#include "format/compression.h"

#include <brotli/decode.h>
#include <brotli/encode.h>
#include <lz4.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <memory>
#include <string>

namespace tarn::format {
namespace {

// ---- shared helpers ------------------------------------------------------------------------

Status SizeMismatch(CompressionCodec codec, size_t input_size, size_t expected, std::string what) {
    return Status::Corruption(std::string(CompressionCodecName(codec)) + " page of " +
                              std::to_string(input_size) + " compressed bytes " + what +
                              "; the page declares " + std::to_string(expected) +
                              " uncompressed bytes");
}

Status Damaged(CompressionCodec codec, size_t input_size, size_t expected, std::string_view why) {
    return Status::Corruption(std::string(CompressionCodecName(codec)) + " page of " +
                              std::to_string(input_size) + " compressed bytes (declared " +
                              std::to_string(expected) +
                              " uncompressed) is damaged: " + std::string(why));
}

// Grows `out` by `bound` bytes for a compressor to write into; Finish() trims to what it wrote.
class AppendWindow {
public:
    AppendWindow(std::string* out, size_t bound) : out_(out), start_(out->size()) {
        out_->resize(start_ + bound);
    }
    char* data() { return out_->data() + start_; }
    size_t capacity() const { return out_->size() - start_; }
    void Finish(size_t written) { out_->resize(start_ + written); }
    void Abandon() { out_->resize(start_); }

private:
    std::string* out_;
    size_t start_;
};

uint32_t LoadBigEndian32(const char* p) {
    const auto* b = reinterpret_cast<const unsigned char*>(p);
    return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
}

// ---- UNCOMPRESSED --------------------------------------------------------------------------

Status DecompressPlain(std::string_view in, size_t size, char* out) {
    if (in.size() != size) {
        return SizeMismatch(CompressionCodec::kUncompressed, in.size(), size, "are not the same");
    }
    if (size > 0) std::memcpy(out, in.data(), size);
    return Status::Ok();
}

// ---- SNAPPY --------------------------------------------------------------------------------

Result<size_t> CompressSnappy(std::string_view in, char* out, size_t capacity) {
    if (capacity < snappy::MaxCompressedLength(in.size())) {
        return Status::Internal("SNAPPY: output buffer below MaxCompressedLength");
    }
    size_t written = 0;
    snappy::RawCompress(in.data(), in.size(), out, &written);
    return written;
}

Status DecompressSnappy(std::string_view in, size_t size, char* out) {
    constexpr auto kCodec = CompressionCodec::kSnappy;
    size_t stated = 0;
    if (!snappy::GetUncompressedLength(in.data(), in.size(), &stated)) {
        return Damaged(kCodec, in.size(), size, "bad length preamble");
    }
    if (stated != size) {
        return SizeMismatch(kCodec, in.size(), size,
                            "states " + std::to_string(stated) + " uncompressed bytes");
    }
    // RawUncompress writes exactly `stated` bytes and checks every copy against that bound.
    if (!snappy::RawUncompress(in.data(), in.size(), out)) {
        return Damaged(kCodec, in.size(), size, "invalid Snappy block");
    }
    return Status::Ok();
}

// ---- GZIP ----------------------------------------------------------------------------------

constexpr int kGzipWriteWindowBits = 16 + MAX_WBITS;  // gzip wrapper
constexpr int kAutoReadWindowBits = 32 + MAX_WBITS;   // gzip or zlib header, detected

// One deflate stream per thread, reset between pages; re-parameterised when the level changes.
class DeflateContext {
public:
    ~DeflateContext() {
        if (initialized_) deflateEnd(&stream_);
    }
    z_stream* Acquire(int level) {
        if (!initialized_) {
            std::memset(&stream_, 0, sizeof(stream_));
            initialized_ = deflateInit2(&stream_, level, Z_DEFLATED, kGzipWriteWindowBits, 8,
                                        Z_DEFAULT_STRATEGY) == Z_OK;
            level_ = level;
            return initialized_ ? &stream_ : nullptr;
        }
        if (deflateReset(&stream_) != Z_OK) return nullptr;
        if (level != level_) {
            if (deflateParams(&stream_, level, Z_DEFAULT_STRATEGY) != Z_OK) return nullptr;
            level_ = level;
        }
        return &stream_;
    }

private:
    z_stream stream_;
    bool initialized_ = false;
    int level_ = 0;
};

class InflateContext {
public:
    ~InflateContext() {
        if (initialized_) inflateEnd(&stream_);
    }
    z_stream* Acquire() {
        if (!initialized_) {
            std::memset(&stream_, 0, sizeof(stream_));
            initialized_ = inflateInit2(&stream_, kAutoReadWindowBits) == Z_OK;
            return initialized_ ? &stream_ : nullptr;
        }
        return inflateReset(&stream_) == Z_OK ? &stream_ : nullptr;
    }

private:
    z_stream stream_;
    bool initialized_ = false;
};

// compressBound is for the 6-byte zlib wrapper; the gzip wrapper takes 18 bytes.
size_t GzipBound(size_t n) { return compressBound(static_cast<uLong>(n)) + 18; }

Status CheckGzipLevel(std::optional<int> level) {
    if (level && (*level < 1 || *level > 9)) {
        return Status::InvalidArgument("GZIP level must be 1..9, got " + std::to_string(*level));
    }
    return Status::Ok();
}

Result<size_t> CompressGzip(std::string_view in, char* out, size_t capacity,
                            std::optional<int> level) {
    TARN_RETURN_IF_ERROR(CheckGzipLevel(level));
    const int lvl = level.value_or(Z_DEFAULT_COMPRESSION);
    if (in.size() > UINT_MAX) return Status::InvalidArgument("GZIP input over 4 GiB");
    thread_local DeflateContext context;
    z_stream* z = context.Acquire(lvl);
    if (z == nullptr) return Status::Internal("zlib: cannot initialise a deflate stream");
    const size_t cap = std::min<size_t>(capacity, UINT_MAX);
    z->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z->avail_in = static_cast<uInt>(in.size());
    z->next_out = reinterpret_cast<Bytef*>(out);
    z->avail_out = static_cast<uInt>(cap);
    if (deflate(z, Z_FINISH) != Z_STREAM_END) {
        return Status::Internal("zlib: deflate did not finish within the output buffer");
    }
    return cap - z->avail_out;
}

// Runs inflate over every gzip member in the input; the caller checks the total size.
Status InflateMembers(z_stream* z, size_t in_size, size_t size) {
    constexpr auto kCodec = CompressionCodec::kGzip;
    for (;;) {
        int rc = inflate(z, Z_FINISH);
        if (rc == Z_STREAM_END) {
            if (z->avail_in == 0) return Status::Ok();
            if (inflateReset(z) != Z_OK) return Damaged(kCodec, in_size, size, "inflateReset");
            continue;  // another gzip member follows
        }
        if ((rc == Z_OK || rc == Z_BUF_ERROR) && z->avail_out == 0 && z->avail_in > 0) {
            return SizeMismatch(kCodec, in_size, size, "decompress to more bytes");
        }
        if (rc == Z_OK || rc == Z_BUF_ERROR) return Damaged(kCodec, in_size, size, "truncated");
        return Damaged(kCodec, in_size, size, z->msg != nullptr ? z->msg : "inflate failed");
    }
}

Status DecompressGzip(std::string_view in, size_t size, char* out) {
    constexpr auto kCodec = CompressionCodec::kGzip;
    if (in.size() > UINT_MAX || size > UINT_MAX) {
        return SizeMismatch(kCodec, in.size(), size, "exceed zlib's 4 GiB limit");
    }
    thread_local InflateContext context;
    z_stream* z = context.Acquire();
    if (z == nullptr) return Status::Internal("zlib: cannot initialise an inflate stream");
    z->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z->avail_in = static_cast<uInt>(in.size());
    z->next_out = reinterpret_cast<Bytef*>(out);
    z->avail_out = static_cast<uInt>(size);
    TARN_RETURN_IF_ERROR(InflateMembers(z, in.size(), size));
    if (z->avail_out != 0) {
        return SizeMismatch(kCodec, in.size(), size,
                            "decompress to " + std::to_string(size - z->avail_out) + " bytes");
    }
    return Status::Ok();
}

// ---- ZSTD ----------------------------------------------------------------------------------

struct ZstdCCtxFree {
    void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct ZstdDCtxFree {
    void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

Result<size_t> CompressZstd(std::string_view in, char* out, size_t capacity,
                            std::optional<int> level) {
    int lvl = level.value_or(ZSTD_CLEVEL_DEFAULT);
    if (lvl < ZSTD_minCLevel() || lvl > ZSTD_maxCLevel()) {
        return Status::InvalidArgument("ZSTD level must be " + std::to_string(ZSTD_minCLevel()) +
                                       ".." + std::to_string(ZSTD_maxCLevel()) + ", got " +
                                       std::to_string(lvl));
    }
    thread_local std::unique_ptr<ZSTD_CCtx, ZstdCCtxFree> cctx(ZSTD_createCCtx());
    if (cctx == nullptr) return Status::Internal("zstd: cannot create a compression context");
    size_t n = ZSTD_compressCCtx(cctx.get(), out, capacity, in.data(), in.size(), lvl);
    if (ZSTD_isError(n)) return Status::Internal(std::string("zstd: ") + ZSTD_getErrorName(n));
    return n;
}

Status DecompressZstd(std::string_view in, size_t size, char* out) {
    constexpr auto kCodec = CompressionCodec::kZstd;
    thread_local std::unique_ptr<ZSTD_DCtx, ZstdDCtxFree> dctx(ZSTD_createDCtx());
    if (dctx == nullptr) return Status::Internal("zstd: cannot create a decompression context");
    // Decoding into a flat buffer needs no window allocation, whatever the frame header says.
    size_t n = ZSTD_decompressDCtx(dctx.get(), out, size, in.data(), in.size());
    if (ZSTD_isError(n)) {
        if (ZSTD_getErrorCode(n) == ZSTD_error_dstSize_tooSmall) {
            return SizeMismatch(kCodec, in.size(), size, "decompress to more bytes");
        }
        return Damaged(kCodec, in.size(), size, ZSTD_getErrorName(n));
    }
    if (n != size) {
        return SizeMismatch(kCodec, in.size(), size,
                            "decompress to " + std::to_string(n) + " bytes");
    }
    return Status::Ok();
}

// ---- LZ4_RAW and LZ4 (Hadoop) --------------------------------------------------------------

Status CheckLz4Size(size_t n) {
    if (n > LZ4_MAX_INPUT_SIZE) {
        return Status::InvalidArgument("LZ4_RAW input of " + std::to_string(n) +
                                       " bytes exceeds LZ4's limit");
    }
    return Status::Ok();
}

Result<size_t> CompressLz4Raw(std::string_view in, char* out, size_t capacity) {
    TARN_RETURN_IF_ERROR(CheckLz4Size(in.size()));
    const int n = static_cast<int>(in.size());
    const int cap = static_cast<int>(std::min<size_t>(capacity, INT_MAX));
    const int written = LZ4_compress_default(in.data(), out, n, cap);
    if (written <= 0) return Status::Internal("LZ4_compress_default failed");
    return static_cast<size_t>(written);
}

// The number of bytes one LZ4 block decodes to, or -1 when it is invalid or exceeds `capacity`.
int64_t Lz4Block(std::string_view in, char* out, size_t capacity) {
    if (in.size() > INT_MAX) return -1;
    const int cap = static_cast<int>(std::min<size_t>(capacity, INT_MAX));
    return LZ4_decompress_safe(in.data(), out, static_cast<int>(in.size()), cap);
}

Status DecompressLz4Raw(std::string_view in, size_t size, char* out) {
    int64_t n = Lz4Block(in, out, size);
    if (n < 0) return Damaged(CompressionCodec::kLz4Raw, in.size(), size, "invalid LZ4 block");
    if (static_cast<size_t>(n) != size) {
        return SizeMismatch(CompressionCodec::kLz4Raw, in.size(), size,
                            "decompress to " + std::to_string(n) + " bytes");
    }
    return Status::Ok();
}

// Hadoop's BlockCompressorStream framing: repeated [u32 BE uncompressed][u32 BE compressed]
// [LZ4 block]. True only when the whole input parses so and fills out[0, size) exactly.
bool DecompressHadoopFrames(std::string_view in, size_t size, char* out) {
    constexpr size_t kPrefix = 8;
    size_t written = 0;
    while (in.size() >= kPrefix) {
        const uint32_t raw_len = LoadBigEndian32(in.data());
        const uint32_t block_len = LoadBigEndian32(in.data() + 4);
        in.remove_prefix(kPrefix);
        if (block_len > in.size() || raw_len > size - written) return false;
        if (Lz4Block(in.substr(0, block_len), out + written, raw_len) != raw_len) return false;
        written += raw_len;
        in.remove_prefix(block_len);
    }
    return in.empty() && written == size;
}

Status DecompressLz4Hadoop(std::string_view in, size_t size, char* out) {
    if (DecompressHadoopFrames(in, size, out)) return Status::Ok();
    // Some writers put a bare LZ4 block under the LZ4 codec; Arrow and parquet-mr accept it.
    int64_t n = Lz4Block(in, out, size);
    if (n < 0 || static_cast<size_t>(n) != size) {
        return Damaged(CompressionCodec::kLz4, in.size(), size,
                       "neither Hadoop-framed LZ4 nor an LZ4 block of the declared size");
    }
    return Status::Ok();
}

// ---- BROTLI --------------------------------------------------------------------------------

// Arrow's and parquet-mr's writers default to mid qualities too; 11 (the library's default) is
// tens of times slower for a few percent.
constexpr int kBrotliDefaultQuality = 5;

Result<size_t> CompressBrotli(std::string_view in, char* out, size_t capacity,
                              std::optional<int> level) {
    const int quality = level.value_or(kBrotliDefaultQuality);
    if (quality < BROTLI_MIN_QUALITY || quality > BROTLI_MAX_QUALITY) {
        return Status::InvalidArgument("BROTLI level must be " +
                                       std::to_string(BROTLI_MIN_QUALITY) + ".." +
                                       std::to_string(BROTLI_MAX_QUALITY) + ", got " +
                                       std::to_string(quality));
    }
    if (BrotliEncoderMaxCompressedSize(in.size()) == 0) {
        return Status::InvalidArgument("BROTLI input of " + std::to_string(in.size()) +
                                       " bytes exceeds brotli's limit");
    }
    size_t written = capacity;
    if (BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, in.size(),
                              reinterpret_cast<const uint8_t*>(in.data()), &written,
                              reinterpret_cast<uint8_t*>(out)) != BROTLI_TRUE) {
        return Status::Internal("BrotliEncoderCompress failed");
    }
    return written;
}

struct BrotliDecoderFree {
    void operator()(BrotliDecoderState* s) const { BrotliDecoderDestroyInstance(s); }
};

// Streams into the caller's buffer so that "more output than declared", "truncated" and
// "damaged" are told apart (the one-shot BrotliDecoderDecompress reports all three as ERROR).
// The decoder's own ring buffer is bounded by the stream's window: 16 MiB at most, since large
// windows are not enabled.
Status DecompressBrotli(std::string_view in, size_t size, char* out) {
    constexpr auto kCodec = CompressionCodec::kBrotli;
    std::unique_ptr<BrotliDecoderState, BrotliDecoderFree> state(
        BrotliDecoderCreateInstance(nullptr, nullptr, nullptr));
    if (state == nullptr) return Status::Internal("brotli: cannot create a decoder");
    size_t avail_in = in.size();
    const auto* next_in = reinterpret_cast<const uint8_t*>(in.data());
    size_t avail_out = size;
    auto* next_out = reinterpret_cast<uint8_t*>(out);
    const BrotliDecoderResult r = BrotliDecoderDecompressStream(
        state.get(), &avail_in, &next_in, &avail_out, &next_out, nullptr);
    switch (r) {
        case BROTLI_DECODER_RESULT_SUCCESS:
            if (avail_in != 0) return Damaged(kCodec, in.size(), size, "bytes after the stream");
            if (avail_out != 0) {
                return SizeMismatch(kCodec, in.size(), size,
                                    "decompress to " + std::to_string(size - avail_out) +
                                        " bytes");
            }
            return Status::Ok();
        case BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT:
            return SizeMismatch(kCodec, in.size(), size, "decompress to more bytes");
        case BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT:
            return Damaged(kCodec, in.size(), size, "the stream is truncated");
        case BROTLI_DECODER_RESULT_ERROR:
            break;
    }
    return Damaged(kCodec, in.size(), size,
                   BrotliDecoderErrorString(BrotliDecoderGetErrorCode(state.get())));
}

Status NotSupported(CompressionCodec codec, std::string_view hint) {
    return Status::Unimplemented("Parquet compression codec " +
                                 std::string(CompressionCodecName(codec)) +
                                 " is not supported by tarn" + std::string(hint));
}

}  // namespace

std::string_view CompressionCodecName(CompressionCodec codec) {
    switch (codec) {
        case CompressionCodec::kUncompressed:
            return "UNCOMPRESSED";
        case CompressionCodec::kSnappy:
            return "SNAPPY";
        case CompressionCodec::kGzip:
            return "GZIP";
        case CompressionCodec::kLzo:
            return "LZO";
        case CompressionCodec::kBrotli:
            return "BROTLI";
        case CompressionCodec::kLz4:
            return "LZ4";
        case CompressionCodec::kZstd:
            return "ZSTD";
        case CompressionCodec::kLz4Raw:
            return "LZ4_RAW";
    }
    return "UNKNOWN";
}

Result<CompressionCodec> CompressionCodecFromThrift(int32_t value) {
    if (value < 0 || value > static_cast<int32_t>(CompressionCodec::kLz4Raw)) {
        return Status::Corruption("unknown Parquet compression codec " + std::to_string(value));
    }
    return static_cast<CompressionCodec>(value);
}

size_t MaxCompressedSize(CompressionCodec codec, size_t input_size) {
    switch (codec) {
        case CompressionCodec::kUncompressed:
            return input_size;
        case CompressionCodec::kSnappy:
            return snappy::MaxCompressedLength(input_size);
        case CompressionCodec::kGzip:
            return GzipBound(input_size);
        case CompressionCodec::kZstd:
            return ZSTD_compressBound(input_size);
        case CompressionCodec::kBrotli:
            return BrotliEncoderMaxCompressedSize(input_size);  // 0 when too large
        case CompressionCodec::kLz4Raw:
            return input_size > LZ4_MAX_INPUT_SIZE
                       ? 0
                       : static_cast<size_t>(LZ4_compressBound(static_cast<int>(input_size)));
        default:
            return 0;
    }
}

Result<size_t> CompressTo(CompressionCodec codec, std::string_view input, char* out,
                          size_t capacity, std::optional<int> level) {
    switch (codec) {
        case CompressionCodec::kUncompressed:
            if (capacity < input.size()) {
                return Status::Internal("UNCOMPRESSED: output buffer too small");
            }
            if (!input.empty()) std::memcpy(out, input.data(), input.size());
            return input.size();
        case CompressionCodec::kSnappy:
            return CompressSnappy(input, out, capacity);
        case CompressionCodec::kGzip:
            return CompressGzip(input, out, capacity, level);
        case CompressionCodec::kZstd:
            return CompressZstd(input, out, capacity, level);
        case CompressionCodec::kLz4Raw:
            return CompressLz4Raw(input, out, capacity);
        case CompressionCodec::kBrotli:
            return CompressBrotli(input, out, capacity, level);
        case CompressionCodec::kLz4:
            return NotSupported(codec, " for writing; use LZ4_RAW");
        case CompressionCodec::kLzo:
            break;
    }
    return NotSupported(codec, "");
}

Status Compress(CompressionCodec codec, std::string_view input, std::string* out,
                std::optional<int> level) {
    // Checks that do not depend on the output come first, so that no window is opened for them.
    if (codec == CompressionCodec::kGzip) TARN_RETURN_IF_ERROR(CheckGzipLevel(level));
    if (codec == CompressionCodec::kLz4Raw) TARN_RETURN_IF_ERROR(CheckLz4Size(input.size()));
    const size_t bound = MaxCompressedSize(codec, input.size());
    if (bound == 0 && !input.empty()) return CompressTo(codec, input, nullptr, 0, level).status();
    AppendWindow window(out, std::max<size_t>(bound, 1));
    Result<size_t> n = CompressTo(codec, input, window.data(), window.capacity(), level);
    if (!n.ok()) {
        window.Abandon();
        return n.status();
    }
    window.Finish(*n);
    return Status::Ok();
}

Status Decompress(CompressionCodec codec, std::string_view input, size_t uncompressed_size,
                  char* out) {
    if (input.empty() && uncompressed_size == 0) return Status::Ok();
    char dummy = 0;  // some libraries reject a null output pointer even for zero bytes
    if (out == nullptr) out = &dummy;
    switch (codec) {
        case CompressionCodec::kUncompressed:
            return DecompressPlain(input, uncompressed_size, out);
        case CompressionCodec::kSnappy:
            return DecompressSnappy(input, uncompressed_size, out);
        case CompressionCodec::kGzip:
            return DecompressGzip(input, uncompressed_size, out);
        case CompressionCodec::kZstd:
            return DecompressZstd(input, uncompressed_size, out);
        case CompressionCodec::kLz4Raw:
            return DecompressLz4Raw(input, uncompressed_size, out);
        case CompressionCodec::kLz4:
            return DecompressLz4Hadoop(input, uncompressed_size, out);
        case CompressionCodec::kBrotli:
            return DecompressBrotli(input, uncompressed_size, out);
        case CompressionCodec::kLzo:
            break;
    }
    return NotSupported(codec, "");
}

}  // namespace tarn::format
