// Parquet's DELTA_BINARY_PACKED encoding (Encodings.md) for INT32 and INT64 columns:
//
//   stream    := header block*
//   header    := <block size in values: ULEB128, a multiple of 128>
//                <miniblocks per block: ULEB128, block size / miniblocks a multiple of 32>
//                <total value count: ULEB128> <first value: zigzag ULEB128>
//   block     := <min delta: zigzag ULEB128> <bit width: 1 byte per miniblock> miniblock*
//   miniblock := (value - previous - min delta) for each value, bit-packed LSB-first, padded
//                to a full miniblock; the last block omits miniblocks it does not need.
//
// Deltas use wrapping (two's complement) arithmetic in the column's width, so any values,
// INT64_MIN and INT64_MAX included, round-trip, and an INT32 column never needs more than 32 bits.
//
// The encoder buffers one block and the encoded bytes until Finish (the header holds the total
// count). The decoder reads a caller-owned byte range with a hard end; a malformed or truncated
// stream is Status::Corruption naming the byte offset, and Open checks the header's value count
// against the bytes that follow so callers may size buffers from total_values(). Neither allocates
// per value. Thread-safety: one thread per instance; instances are independent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace tarn::format {

// T is int32_t or int64_t.
template <typename T>
class DeltaBinaryPackedEncoder {
public:
    static constexpr uint32_t kDefaultBlockSize = 128;
    static constexpr uint32_t kDefaultMiniblocks = 4;

    // REQUIRES: block_size is a positive multiple of 128, miniblocks > 0 and
    // block_size / miniblocks is a multiple of 32.
    explicit DeltaBinaryPackedEncoder(uint32_t block_size = kDefaultBlockSize,
                                      uint32_t miniblocks = kDefaultMiniblocks);

    void Put(T value);
    void Put(const T* values, size_t n);

    // Number of values put since construction or the last Finish.
    uint64_t count() const { return count_; }

    // Appends the encoded stream of every value put since construction or the last Finish to
    // `out` and resets the encoder for a new stream.
    void Finish(std::string* out);

private:
    void FlushBlock();

    uint32_t block_size_;
    uint32_t miniblocks_;
    uint32_t miniblock_size_;
    uint64_t count_ = 0;
    T first_ = 0;
    T last_ = 0;
    std::vector<T> deltas_;           // block_size_ entries; the first n_deltas_ are live
    std::vector<uint64_t> relative_;  // delta - min delta, per block
    std::vector<uint8_t> widths_;
    size_t n_deltas_ = 0;
    std::string body_;  // encoded blocks
};

class DeltaBinaryPackedDecoder {
public:
    // Parses and checks the header. `data` must outlive the decoder; it may continue past the
    // encoded stream (position() tells where the stream ended).
    static Result<DeltaBinaryPackedDecoder> Open(std::string_view data);

    uint64_t total_values() const { return total_; }
    uint64_t values_left() const { return left_; }

    // Decode up to n values into out[0..n); returns how many were produced (fewer than n only
    // when the stream has no more values). The int32 form truncates to 32 bits, as INT32 columns
    // require.
    Result<size_t> Decode(int64_t* out, size_t n);
    Result<size_t> Decode(int32_t* out, size_t n);

    // Bytes of `data` read so far; once values_left() is 0, the encoded stream's length.
    size_t position() const { return pos_; }

private:
    explicit DeltaBinaryPackedDecoder(std::string_view data) : data_(data) {}

    Status ParseHeader();
    Status NextMiniblock();
    Status NextBlock();
    template <typename T>
    Result<size_t> DecodeImpl(T* out, size_t n);

    std::string_view data_;
    size_t pos_ = 0;
    uint64_t block_size_ = 0;
    uint64_t miniblocks_ = 0;
    uint64_t miniblock_size_ = 0;
    uint64_t total_ = 0;
    uint64_t left_ = 0;
    bool first_pending_ = false;
    uint64_t last_ = 0;             // last value, as two's complement bits
    uint64_t min_delta_ = 0;        // of the current block
    size_t widths_pos_ = 0;         // offset of the current block's bit widths
    uint64_t miniblock_index_ = 0;  // next miniblock of the current block
    bool in_block_ = false;
    uint64_t miniblock_left_ = 0;  // values of the current miniblock not yet unpacked
    int width_ = 0;
    size_t packed_pos_ = 0;            // next unread group of the current miniblock
    static constexpr int kChunk = 32;  // values unpacked at a time; miniblocks hold multiples of 32
    uint64_t chunk_[kChunk] = {};
    int chunk_pos_ = kChunk;  // next value in chunk_; kChunk = empty
};

}  // namespace tarn::format
