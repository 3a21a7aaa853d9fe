// Parquet page compression codecs (the `CompressionCodec` enum of the Parquet Thrift spec).
//
// Compress() appends one compressed page body to a caller-owned string. Decompress() writes into
// a caller buffer of exactly the page's declared uncompressed size (Parquet page headers carry
// it) and succeeds only when the input decodes to exactly that many bytes; anything else — a
// truncated or damaged input, a size that does not match — is Status::Corruption naming the codec
// and the sizes. The input is never trusted to size an allocation: decoders write only into the
// caller's buffer. Wire forms: SNAPPY is a raw Snappy block; GZIP is gzip-wrapped deflate (zlib
// headers are accepted when reading, as are concatenated gzip members); ZSTD is one frame (frames
// without a content size and several frames are accepted when reading); LZ4_RAW is an LZ4 block;
// LZ4 (deprecated) is read only, as Hadoop's framing with a fallback to a plain LZ4 block, as
// other readers do; BROTLI is one brotli stream (decoding allocates the stream's window, 16 MiB
// at most). LZO gives Status::Unimplemented. An empty input decompresses to an empty page under
// every codec.
//
// Thread-safety: all functions may be called from many threads at once. Each thread keeps its own
// reusable codec contexts (zstd, zlib) in thread_local storage, created on first use and freed
// when the thread exits (brotli's decoder is made per call); no call allocates beyond what the
// libraries do.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tarn::format {

// The values are those of parquet.thrift's CompressionCodec and appear on disk.
enum class CompressionCodec : int32_t {
    kUncompressed = 0,
    kSnappy = 1,
    kGzip = 2,
    kLzo = 3,
    kBrotli = 4,
    kLz4 = 5,  // deprecated: Hadoop's framing around LZ4 blocks; read only
    kZstd = 6,
    kLz4Raw = 7,
};

// The spec's name, e.g. "SNAPPY", "LZ4_RAW"; "UNKNOWN" for a value outside the enum.
std::string_view CompressionCodecName(CompressionCodec codec);

// The codec for a Thrift value read from a file; Corruption for a value the spec does not define.
Result<CompressionCodec> CompressionCodecFromThrift(int32_t value);

// Appends the compressed form of `input` to `*out`. `level` is the codec's own level (GZIP 1..9,
// ZSTD ZSTD_minCLevel()..ZSTD_maxCLevel(), BROTLI 0..11); nullopt picks the library default
// (for BROTLI quality 5, not the library's slow 11); SNAPPY, LZ4_RAW and UNCOMPRESSED ignore it.
// InvalidArgument for a level out of range or an input too large for the codec (LZ4: ~2 GiB;
// GZIP: 4 GiB); Unimplemented for LZ4 (write LZ4_RAW) and LZO.
// On error `*out` is left as it was. Does not take ownership of `out`.
Status Compress(CompressionCodec codec, std::string_view input, std::string* out,
                std::optional<int> level = std::nullopt);

// The most bytes Compress/CompressTo may produce from `input_size` bytes under `codec` (a
// writable codec; 0 for the others).
size_t MaxCompressedSize(CompressionCodec codec, size_t input_size);

// Compresses `input` into out[0, capacity) and returns the compressed size, with Compress's errors
// (plus Internal when `capacity` is too small). For callers that keep their own output buffers.
// REQUIRES: capacity >= MaxCompressedSize(codec, input.size()).
Result<size_t> CompressTo(CompressionCodec codec, std::string_view input, char* out,
                          size_t capacity, std::optional<int> level = std::nullopt);

// Decompresses `input` into out[0, uncompressed_size).
// REQUIRES: `out` points to at least `uncompressed_size` writable bytes (may be null when 0).
// The contents of `out` are unspecified when the result is not OK.
Status Decompress(CompressionCodec codec, std::string_view input, size_t uncompressed_size,
                  char* out);

}  // namespace tarn::format
