// ValueDecoder: turns the value bytes of a column chunk's pages into the columnar values of one
// leaf (ParquetColumn::type), applying the leaf's ValueConversion (parquet_schema.h) on the way.
// Internal to the format module; ColumnChunkReader drives one per leaf.
//
// Encodings, by physical type:
//   PLAIN                    every type (BOOLEAN bit-packed LSB first; BYTE_ARRAY 4-byte length
//                            prefixed; INT96 12 bytes; FIXED_LEN_BYTE_ARRAY type_length bytes)
//   PLAIN_DICTIONARY,        every type: indices (a bit-width byte, then RLE/bit-packed runs)
//   RLE_DICTIONARY           into the chunk's dictionary page
//   RLE                      BOOLEAN (data page v2): a 4-byte length, then runs of bit width 1
//   DELTA_BINARY_PACKED      INT32, INT64
//   DELTA_LENGTH_BYTE_ARRAY  BYTE_ARRAY
//   DELTA_BYTE_ARRAY         BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY
//   BYTE_STREAM_SPLIT        FLOAT, DOUBLE, INT32, INT64, FIXED_LEN_BYTE_ARRAY
//
// How values reach the vector: fixed-width values that need no conversion are decoded straight
// into the vector's buffer (PLAIN is one memcpy); converted ones go through a scratch buffer that
// is reused page after page. The dictionary page is decoded and converted once per column chunk
// into a vector of the leaf's type, and data pages gather from it (indices decoded in bulk,
// bounds-checked once per run of values). VARCHAR values are checked to be UTF-8 (the
// dictionary's once), DECIMAL values to fit their precision.
//
// Thread-safety: one thread per decoder.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "columnar/buffer.h"
#include "columnar/column_vector.h"
#include "common/status.h"
#include "format/parquet_metadata.h"
#include "format/parquet_rle_decoder.h"
#include "format/parquet_schema.h"

namespace tarn::format {

class PhysicalDecoder;

// The size of one physical value as decoded: 1 for BOOLEAN (one byte per value), 4, 8, 12 for
// INT96, type_length for FIXED_LEN_BYTE_ARRAY; 0 for BYTE_ARRAY.
size_t PhysicalWidth(Type type, int32_t type_length);

// Strict UTF-8 (RFC 3629: no overlong forms, surrogates or code points above U+10FFFF).
bool IsValidUtf8(const char* data, size_t size);

class ValueDecoder {
public:
    // REQUIRES: `column` outlives the decoder. `context` prefixes error messages.
    ValueDecoder(const ParquetColumn& column, std::string context);
    ~ValueDecoder();
    ValueDecoder(const ValueDecoder&) = delete;
    ValueDecoder& operator=(const ValueDecoder&) = delete;

    // Forgets the dictionary: the next column chunk starts; `context` prefixes messages from now.
    void ResetChunk(std::string context) {
        has_dictionary_ = false;
        context_ = std::move(context);
    }

    // Decodes a dictionary page of `num_values` PLAIN values.
    Status SetDictionary(Encoding encoding, std::string_view data, size_t num_values);

    // Starts the values of a data page holding at most `max_values` values.
    Status StartPage(Encoding encoding, std::string_view data, size_t max_values);

    // Decodes the next n values of the page into slots [pos, pos + n) of `out` (the leaf's type):
    // fixed-width vectors must have length() >= pos + n; string vectors must have
    // offsets()[pos] == string_bytes() and length() >= pos + n (their offsets pos + 1 .. pos + n
    // are written).
    Status Decode(size_t n, columnar::ColumnVector* out, size_t pos);

private:
    Status Fail(const std::string& what) const;
    // Decodes n values from `src` (not the dictionary) into out[pos, pos + n).
    Status DecodeFrom(PhysicalDecoder* src, size_t n, columnar::ColumnVector* out, size_t pos);
    Status ConvertFixed(const uint8_t* phys, size_t n, columnar::ColumnVector* out, size_t pos);
    Status ConvertStrings(const columnar::ColumnVector& in, size_t n, columnar::ColumnVector* out,
                          size_t pos);
    Status CheckDecimals(const columnar::ColumnVector& out, size_t pos, size_t n) const;
    Status CheckUtf8(const columnar::ColumnVector& out, size_t pos, size_t n) const;
    Status Gather(size_t n, columnar::ColumnVector* out, size_t pos);
    PhysicalDecoder* DecoderFor(Encoding encoding);

    const ParquetColumn& column_;
    std::string context_;
    const size_t phys_width_;
    // Fixed-width values need no conversion and have the storage's width.
    const bool direct_;
    Encoding encoding_ = Encoding::kPlain;
    bool dictionary_page_ = false;  // the current page gathers from the dictionary
    PhysicalDecoder* current_ = nullptr;

    // One decoder per encoding, made on first use and reused for every page.
    std::unique_ptr<PhysicalDecoder> plain_;
    std::unique_ptr<PhysicalDecoder> rle_bool_;
    std::unique_ptr<PhysicalDecoder> delta_;
    std::unique_ptr<PhysicalDecoder> delta_length_;
    std::unique_ptr<PhysicalDecoder> delta_bytes_;
    std::unique_ptr<PhysicalDecoder> split_;

    bool has_dictionary_ = false;
    columnar::ColumnVector dictionary_;
    RleDecoder indices_;
    columnar::Buffer index_buf_;

    columnar::Buffer scratch_;                // physical values before conversion
    columnar::ColumnVector scratch_strings_;  // BYTE_ARRAY values before conversion
};

}  // namespace tarn::format
