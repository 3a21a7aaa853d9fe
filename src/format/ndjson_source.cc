#include "format/ndjson_source.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>

namespace tarn::format::ndjson_internal {
namespace {

constexpr size_t kPadding = simdjson::SIMDJSON_PADDING;
// zlib counts input in uInt: feed it at most this much at a time.
constexpr size_t kMaxInflateInput = size_t{1} << 30;

bool IsGzipMember(std::string_view bytes) {
    return bytes.size() >= 2 && static_cast<uint8_t>(bytes[0]) == 0x1f &&
           static_cast<uint8_t>(bytes[1]) == 0x8b;
}

bool AllZero(std::string_view bytes) {
    return std::all_of(bytes.begin(), bytes.end(), [](char c) { return c == 0; });
}

// The position just past the last '\n' in [begin, end), or nullptr.
const char* AfterLastNewline(const char* begin, const char* end) {
    const void* nl = memrchr(begin, '\n', static_cast<size_t>(end - begin));
    return nl == nullptr ? nullptr : static_cast<const char*>(nl) + 1;
}

}  // namespace

NdjsonSource::NdjsonSource(std::string_view data, std::string_view name, size_t chunk_bytes,
                           size_t max_line_bytes)
    : data_(data),
      name_(name),
      chunk_bytes_(std::max<size_t>(chunk_bytes, 4096)),
      max_line_bytes_(std::max(max_line_bytes, chunk_bytes_)),
      gzip_(IsGzipMember(data)) {}

NdjsonSource::~NdjsonSource() {
    if (zs_ready_) inflateEnd(&zs_);
}

Result<bool> NdjsonSource::Next(std::string_view* chunk) {
    return gzip_ ? NextGzip(chunk) : NextPlain(chunk);
}

Result<bool> NdjsonSource::NextPlain(std::string_view* chunk) {
    if (plain_pos_ >= data_.size()) return false;
    // Lines ending before size - padding can be parsed in place: the caller's bytes after them
    // are the padding.
    const size_t safe_end = data_.size() > kPadding ? data_.size() - kPadding : 0;
    if (plain_pos_ < safe_end) {
        const char* begin = data_.data() + plain_pos_;
        const char* end = AfterLastNewline(begin, data_.data() + safe_end);
        if (end != nullptr) {
            *chunk = std::string_view(begin, static_cast<size_t>(end - begin));
            plain_pos_ += chunk->size();
            return true;
        }
    }
    // The rest, from a zero-padded copy.
    const std::string_view rest = data_.substr(plain_pos_);
    buffer_.assign(rest.size() + kPadding, '\0');
    std::memcpy(buffer_.data(), rest.data(), rest.size());
    plain_pos_ = data_.size();
    *chunk = std::string_view(buffer_.data(), rest.size());
    return true;
}

Result<bool> NdjsonSource::NextGzip(std::string_view* chunk) {
    if (!zs_ready_) {
        if (inflateInit2(&zs_, 15 + 16) != Z_OK) {
            return Status::ResourceExhausted(std::string(name_) + ": cannot start zlib");
        }
        zs_ready_ = true;
        capacity_ = chunk_bytes_;
        buffer_.assign(capacity_ + kPadding, '\0');
    }
    // Keep the unhanded tail (a partial line) at the front.
    if (consumed_ > 0) {
        std::memmove(buffer_.data(), buffer_.data() + consumed_, filled_ - consumed_);
        inflated_total_ += consumed_;
        filled_ -= consumed_;
        consumed_ = 0;
    }
    while (true) {
        const size_t searched = filled_;  // the tail before it holds no '\n'
        if (!input_done_) TARN_RETURN_IF_ERROR(Inflate());
        const char* end = AfterLastNewline(buffer_.data() + searched, buffer_.data() + filled_);
        if (end != nullptr) {
            consumed_ = static_cast<size_t>(end - buffer_.data());
            *chunk = std::string_view(buffer_.data(), consumed_);
            return true;
        }
        if (input_done_) {
            if (filled_ == 0) {
                if (!pending_error_.ok()) return pending_error_;
                return false;
            }
            // The last line, without '\n': zero what follows so simdjson sees it end there.
            std::memset(buffer_.data() + filled_, 0, kPadding);
            consumed_ = filled_;
            *chunk = std::string_view(buffer_.data(), filled_);
            return true;
        }
        if (filled_ == capacity_) {
            if (capacity_ >= max_line_bytes_) {
                return Status::ResourceExhausted(
                    std::string(name_) + ": a line at uncompressed byte offset " +
                    std::to_string(inflated_total_) + " is longer than " +
                    std::to_string(max_line_bytes_) + " bytes");
            }
            capacity_ = std::min(capacity_ * 2, max_line_bytes_);
            buffer_.resize(capacity_ + kPadding);
        }
    }
}

Status NdjsonSource::Inflate() {
    zs_.next_out = reinterpret_cast<Bytef*>(buffer_.data() + filled_);
    zs_.avail_out = static_cast<uInt>(capacity_ - filled_);
    while (zs_.avail_out > 0) {
        if (zs_.avail_in == 0) {
            const size_t feed = std::min(data_.size() - in_pos_, kMaxInflateInput);
            if (feed == 0) {
                input_done_ = true;
                if (member_open_) {
                    pending_error_ = Status::Corruption(
                        std::string(name_) + ": gzip data ends inside a member (truncated at " +
                        std::to_string(data_.size()) + " compressed bytes)");
                }
                break;
            }
            zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data_.data() + in_pos_));
            zs_.avail_in = static_cast<uInt>(feed);
            in_pos_ += feed;
        }
        const size_t in_offset = in_pos_ - zs_.avail_in;
        member_open_ = true;
        const int rc = inflate(&zs_, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
            member_open_ = false;
            // Another member, zero padding (some writers add it), or garbage.
            const std::string_view rest = data_.substr(in_pos_ - zs_.avail_in);
            if (rest.empty()) continue;  // the next round sees the end of input
            if (IsGzipMember(rest)) {
                inflateReset(&zs_);
                continue;
            }
            if (!AllZero(rest)) {
                pending_error_ =
                    Status::Corruption(std::string(name_) +
                                       ": bytes that are not gzip after the member ending at "
                                       "compressed byte offset " +
                                       std::to_string(data_.size() - rest.size()));
            }
            zs_.avail_in = 0;
            in_pos_ = data_.size();
            input_done_ = true;
            break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            pending_error_ = Status::Corruption(std::string(name_) +
                                                ": damaged gzip data near compressed byte offset " +
                                                std::to_string(in_offset) + ": " +
                                                (zs_.msg != nullptr ? zs_.msg : "inflate failed"));
            input_done_ = true;
            break;
        }
    }
    filled_ = capacity_ - zs_.avail_out;
    return Status::Ok();
}

}  // namespace tarn::format::ndjson_internal
