// PageReader: walks the pages of one Parquet column chunk held in memory: parses each page
// header, checks its sizes against the chunk and against what its codec can expand to (before
// anything is allocated), decompresses it into a buffer reused from page to page, and splits a data
// page into its repetition levels, definition levels and values:
//
//   data page v1   [compressed: rep levels][def levels][values]; RLE levels carry a 4-byte length
//                  prefix, (deprecated) BIT_PACKED levels are ceil(n * bit width / 8) bytes,
//                  MSB-first, and are handed on re-encoded as one RLE/bit-packed run
//   data page v2   [rep levels][def levels] uncompressed, then [values], compressed unless
//                  is_compressed is false; level lengths come from the header
//   dictionary     [values], PLAIN
// Index pages and page types this reader does not know are skipped. Errors are Corruption (or
// Unimplemented for codecs tarn lacks) prefixed with the caller's context.
//
// Thread-safety: one thread per reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "columnar/buffer.h"
#include "common/status.h"
#include "format/compression.h"
#include "format/parquet_metadata.h"

namespace tarn::format {

// Pages larger than this (uncompressed) are refused as corrupt; Parquet writers keep pages near
// 1 MiB and the format caps them at 2 GiB.
inline constexpr size_t kMaxPageBytes = size_t{1} << 30;

struct ParquetPage {
    PageType type = PageType::kDataPage;
    // Data pages: level entries (values and nulls); dictionary pages: dictionary values.
    size_t num_values = 0;
    Encoding encoding = Encoding::kPlain;  // of the values
    // The RLE/bit-packed runs of the levels (without length prefix); empty when the column has no
    // such levels.
    std::string_view rep_levels;
    std::string_view def_levels;
    std::string_view values;
};

class PageReader {
public:
    // Starts on a column chunk. `chunk` must outlive the reading; `context` prefixes messages
    // (e.g. "lake/x.parquet: column 'a.b' of row group 2").
    void Reset(std::string_view chunk, CompressionCodec codec, int16_t max_def_level,
               int16_t max_rep_level, std::string context);

    // The next data or dictionary page; false after the last page. The views stay valid until the
    // next call.
    Result<bool> Next(ParquetPage* page);

    // Offset of the next page header within the chunk.
    size_t position() const { return pos_; }

private:
    Status Fail(const std::string& what) const;
    // Decompresses `in` into buffer_ (or returns it as is when uncompressed).
    Result<std::string_view> Decompress(std::string_view in, size_t uncompressed_size);
    Status SplitLevels(std::string_view* body, size_t num_values, ParquetPage* page,
                       const DataPageHeader& h);
    Result<std::string_view> TakeV1Levels(std::string_view* body, Encoding encoding,
                                          int16_t max_level, size_t num_values,
                                          std::string* recoded, const char* what);

    std::string_view chunk_;
    size_t pos_ = 0;
    CompressionCodec codec_ = CompressionCodec::kUncompressed;
    int16_t max_def_ = 0;
    int16_t max_rep_ = 0;
    std::string context_;
    size_t page_index_ = 0;
    columnar::Buffer buffer_;
    std::string recoded_def_;  // BIT_PACKED levels re-encoded as RLE runs
    std::string recoded_rep_;
};

}  // namespace tarn::format
