// GzipDeflater: streaming gzip compression (one gzip member, RFC 1952) for writers of text files
// whose size is not known up front (NDJSON and CSV output of `tarn convert`, query results).
//
// Use: Open, then Compress(chunk, &out) any number of times, then Finish(&out); `out` receives
// the compressed bytes produced so far (appended), which the caller writes out. Readers of
// ".gz" files (gzip, zcat, DuckDB, Athena) accept the result.
//
// Thread-safety: one thread at a time.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tarn::format {

// The whole of `data` as one gzip member (RFC 1952), in one call: for writers that hold the whole
// object in memory (delivery's objects). libdeflate, about twice zlib's speed at the same level
// and ratio. Deterministic: the header has no time (MTIME 0) and no name, so the same input and
// level give the same bytes. `level` 1..12 (libdeflate's range; 6 is zlib's default ratio).
// ResourceExhausted when memory runs out.
Result<std::string> GzipCompress(std::string_view data, int level = 6);

class GzipDeflater {
public:
    // `level` 1..9, or -1 for zlib's default (6).
    static Result<std::unique_ptr<GzipDeflater>> Open(int level = -1);
    ~GzipDeflater();
    GzipDeflater(const GzipDeflater&) = delete;
    GzipDeflater& operator=(const GzipDeflater&) = delete;

    // Compresses `in`, appending what deflate emits to *out (it may hold some input back).
    Status Compress(std::string_view in, std::string* out);
    // Flushes the rest and the gzip trailer to *out. Compress/Finish after Finish:
    // FailedPrecondition.
    Status Finish(std::string* out);

private:
    struct Stream;
    explicit GzipDeflater(std::unique_ptr<Stream> stream);
    Status Run(std::string_view in, int flush, std::string* out);

    std::unique_ptr<Stream> stream_;
    bool finished_ = false;
};

}  // namespace tarn::format
