// NdjsonSource (internal to the NDJSON reader): hands out the input in chunks of whole lines, each
// followed by at least simdjson::SIMDJSON_PADDING readable bytes, so simdjson may parse a line in
// place. Plain input is handed out in place (its last few lines, which lack that padding in the
// caller's buffer, from a padded copy); gzip input (magic 1f 8b, any number of members) is inflated
// into one reused buffer of about chunk_bytes, grown only for a longer line.
//
// Thread-safety: none.
#pragma once

#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tarn::format::ndjson_internal {

class NdjsonSource {
public:
    // Does not copy `data`: it must outlive the source.
    NdjsonSource(std::string_view data, std::string_view name, size_t chunk_bytes,
                 size_t max_line_bytes);
    ~NdjsonSource();
    NdjsonSource(const NdjsonSource&) = delete;
    NdjsonSource& operator=(const NdjsonSource&) = delete;

    // The next chunk: whole lines, the last one ending with '\n' unless it ends the input. false at
    // the end of the input. The chunk stays valid until the next call. Corruption for damaged
    // gzip, ResourceExhausted for a line longer than max_line_bytes.
    Result<bool> Next(std::string_view* chunk);

    bool gzip() const { return gzip_; }

private:
    Result<bool> NextPlain(std::string_view* chunk);
    Result<bool> NextGzip(std::string_view* chunk);
    // Inflates into buffer_[filled_, capacity) until it is full or the input ends.
    Status Inflate();

    std::string_view data_;
    std::string_view name_;
    size_t chunk_bytes_;
    size_t max_line_bytes_;
    bool gzip_ = false;
    // Plain: how much of data_ has been handed out.
    size_t plain_pos_ = 0;
    // Gzip: inflated bytes in buffer_[0, filled_), of which [0, consumed_) were handed out.
    z_stream zs_{};
    bool zs_ready_ = false;
    bool input_done_ = false;
    size_t in_pos_ = 0;         // bytes of data_ given to zlib
    bool member_open_ = false;  // inside a gzip member (its end not yet seen)
    Status pending_error_;      // returned once the lines inflated before it are handed out
    std::string buffer_;        // size() = capacity + padding
    size_t capacity_ = 0;
    size_t filled_ = 0;
    size_t consumed_ = 0;
    uint64_t inflated_total_ = 0;  // bytes inflated before buffer_[0]
};

}  // namespace tarn::format::ndjson_internal
