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
