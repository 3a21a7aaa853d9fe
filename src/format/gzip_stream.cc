#include "format/gzip_stream.h"

#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <climits>

namespace tarn::format {
namespace {

constexpr int kGzipWindowBits = 15 + 16;  // 32 KiB window, gzip header and trailer
constexpr size_t kOutStep = 64 << 10;

}  // namespace

Result<std::string> GzipCompress(std::string_view data, int level) {
    if (level < 1 || level > 12) {
        return Status::InvalidArgument("gzip level " + std::to_string(level) + " is not in 1..12");
    }
    struct Free {
        void operator()(libdeflate_compressor* c) const { libdeflate_free_compressor(c); }
    };
    // A compressor holds a few hundred KB of tables: one per thread, kept for its next object.
    thread_local std::unique_ptr<libdeflate_compressor, Free> compressors[13];
    auto& compressor = compressors[level];
    if (!compressor) compressor.reset(libdeflate_alloc_compressor(level));
    if (!compressor) return Status::ResourceExhausted("gzip: out of memory for a compressor");
    std::string out(libdeflate_gzip_compress_bound(compressor.get(), data.size()), '\0');
    const size_t written = libdeflate_gzip_compress(compressor.get(), data.data(), data.size(),
                                                    out.data(), out.size());
    // The bound is the worst case, so the output always fits.
    if (written == 0) return Status::Internal("gzip: output larger than its bound");
    out.resize(written);
    return out;
}

struct GzipDeflater::Stream {
    z_stream z{};
    ~Stream() { deflateEnd(&z); }
};

GzipDeflater::GzipDeflater(std::unique_ptr<Stream> stream) : stream_(std::move(stream)) {}
GzipDeflater::~GzipDeflater() = default;

Result<std::unique_ptr<GzipDeflater>> GzipDeflater::Open(int level) {
    if (level != -1 && (level < 1 || level > 9)) {
        return Status::InvalidArgument("gzip level must be 1..9, got " + std::to_string(level));
    }
    auto stream = std::make_unique<Stream>();
    if (deflateInit2(&stream->z, level == -1 ? Z_DEFAULT_COMPRESSION : level, Z_DEFLATED,
                     kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        // deflateEnd on a stream that failed to initialise is harmless (Z_STREAM_ERROR).
        return Status::Internal("zlib: cannot initialise a deflate stream");
    }
    return std::unique_ptr<GzipDeflater>(new GzipDeflater(std::move(stream)));
}

Status GzipDeflater::Run(std::string_view in, int flush, std::string* out) {
    z_stream& z = stream_->z;
    size_t done = 0;
    while (true) {
        const size_t chunk = std::min<size_t>(in.size() - done, UINT_MAX);
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + done));
        z.avail_in = static_cast<uInt>(chunk);
        const bool last_chunk = done + chunk == in.size();
        const int mode = last_chunk ? flush : Z_NO_FLUSH;
        int rc = Z_OK;
        do {
            const size_t before = out->size();
            out->resize(before + kOutStep);
            z.next_out = reinterpret_cast<Bytef*>(out->data() + before);
            z.avail_out = static_cast<uInt>(kOutStep);
            rc = deflate(&z, mode);
            out->resize(before + kOutStep - z.avail_out);
            if (rc == Z_STREAM_ERROR) return Status::Internal("zlib: deflate failed");
        } while (z.avail_out == 0 || (mode == Z_FINISH && rc != Z_STREAM_END));
        done += chunk;
        if (last_chunk) return Status::Ok();
    }
}

Status GzipDeflater::Compress(std::string_view in, std::string* out) {
    if (finished_) return Status::FailedPrecondition("gzip stream already finished");
    if (in.empty()) return Status::Ok();
    return Run(in, Z_NO_FLUSH, out);
}

Status GzipDeflater::Finish(std::string* out) {
    if (finished_) return Status::FailedPrecondition("gzip stream already finished");
    finished_ = true;
    return Run({}, Z_FINISH, out);
}

}  // namespace tarn::format
