// Parquet's RLE/bit-packing hybrid encoding (Encodings.md, "RLE"), used for definition and
// repetition levels, dictionary indices and booleans. The stream is a sequence of runs, each
// opening with a ULEB128 header: low bit 1 means a bit-packed run of (header >> 1) groups of 8
// values packed LSB-first at `bit_width` bits; low bit 0 means an RLE run of (header >> 1) copies
// of one value stored little-endian in ceil(bit_width / 8) bytes. Neither class reads or writes
// the optional 4-byte length prefix or the bit-width byte that some contexts put before the runs;
// the caller does.
//
// The encoder appends to a caller-owned string; the decoder reads a caller-owned byte range with a
// hard end and reports any run that does not fit as Status::Corruption naming the byte offset. It
// never allocates. Thread-safety: an encoder or decoder is used by one thread at a time; distinct
// instances are independent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tarn::format {

// The number of bits needed to store values 0..max_value (0 for max_value 0).
int RleBitWidth(uint32_t max_value);

class RleBitPackedEncoder {
public:
    // REQUIRES: 0 <= bit_width <= 32. Does not take ownership of `out`, which must outlive the
    // encoder; runs are appended to it.
    RleBitPackedEncoder(int bit_width, std::string* out);

    // REQUIRES: value < 2^bit_width (higher bits are dropped).
    void Put(uint32_t value);
    void Put(const uint32_t* values, size_t n);
    // Puts `count` copies of `value`: the same stream as `count` Put calls, in O(1) once an RLE
    // run is open (levels of columns without nulls are one such run).
    void PutRepeated(uint32_t value, uint64_t count);

    // Writes everything still buffered, padding a last bit-packed group with zeros. Call once at
    // the end of a stream; afterwards the encoder may start another stream.
    void Flush();

private:
    static constexpr size_t kNoLiteralRun = ~size_t{0};
    static constexpr uint32_t kMaxLiteralGroups = 63;  // keeps the literal header one byte

    void FlushGroup();
    void EndLiteralRun();
    void WriteRleRun();

    int bit_width_;
    std::string* out_;
    uint32_t group_[8] = {};
    int group_size_ = 0;
    // Repeats of run_value_ counted from the last group boundary; > 8 means an RLE run is open and
    // its values are no longer buffered.
    uint32_t run_value_ = 0;
    uint64_t run_length_ = 0;
    size_t literal_header_pos_ = kNoLiteralRun;
    uint32_t literal_groups_ = 0;
};

class RleBitPackedDecoder {
public:
    // REQUIRES: 0 <= bit_width <= 32. `data` is the run bytes only and must outlive the decoder.
    RleBitPackedDecoder(std::string_view data, int bit_width);

    // Decodes up to n values into out[0..n). Returns how many were produced: fewer than n only
    // when the input ends at a run boundary. A bit-packed run's padding values are returned like
    // any others, so the caller asks only for as many values as it knows there are.
    Result<size_t> Decode(uint32_t* out, size_t n);

    // Bytes of `data` taken by the runs started so far.
    size_t position() const { return pos_; }

private:
    enum class RunKind : uint8_t { kRle, kPacked };

    Status NextRun();
    size_t TakePacked(uint32_t* out, size_t n);

    std::string_view data_;
    int bit_width_;
    size_t pos_ = 0;
    RunKind kind_ = RunKind::kRle;
    uint64_t run_left_ = 0;  // values of the current run not yet returned
    uint32_t rle_value_ = 0;
    size_t packed_pos_ = 0;  // offset of the next unread bit-packed group
    uint32_t group_[8] = {};
    int group_pos_ = 8;  // next value in group_; 8 = empty
};

}  // namespace tarn::format
