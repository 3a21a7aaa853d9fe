// CsvInput: plain windows and chunked gzip inflation (see csv_input.h).
#include "format/csv_input.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>

namespace tarn::format {
namespace {

// Text inflated per Refill. Large enough that refills are rare, small enough to stay in cache.
constexpr size_t kInflateChunk = size_t{1} << 20;
// zlib counts input in uInt; feed it at most this much at once.
constexpr size_t kMaxInflateInput = size_t{1} << 30;
constexpr int kGzipWindowBits = 16 + MAX_WBITS;

bool HasGzipMagic(std::string_view s) {
    return s.size() >= 2 && static_cast<unsigned char>(s[0]) == 0x1f &&
           static_cast<unsigned char>(s[1]) == 0x8b;
}

bool AllZero(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c == '\0'; });
}

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

}  // namespace

struct CsvInput::Inflater {
    z_stream stream{};
    bool initialized = false;
    size_t in_offset = 0;  // bytes of data_ handed to zlib so far

    ~Inflater() {
        if (initialized) inflateEnd(&stream);
    }
};

CsvInput::CsvInput(std::string_view data, std::string name) : data_(data), name_(std::move(name)) {}

CsvInput::~CsvInput() = default;

Result<std::unique_ptr<CsvInput>> CsvInput::Open(std::string_view data, std::string name) {
    std::unique_ptr<CsvInput> input(new CsvInput(data, std::move(name)));
    if (!HasGzipMagic(data)) {
        input->final_ = true;
        if (data.starts_with(kUtf8Bom)) data.remove_prefix(kUtf8Bom.size());
        input->window_data_ = data.data();
        input->window_size_ = data.size();
        return input;
    }
    input->gzip_ = true;
    input->inflater_ = std::make_unique<Inflater>();
    if (inflateInit2(&input->inflater_->stream, kGzipWindowBits) != Z_OK) {
        return Status::Internal("zlib: cannot initialise an inflate stream");
    }
    input->inflater_->initialized = true;
    while (!input->final_ && input->window_size_ < kUtf8Bom.size()) {
        TARN_RETURN_IF_ERROR(input->InflateChunk());
    }
    if (input->window().starts_with(kUtf8Bom)) TARN_RETURN_IF_ERROR(input->Refill(3));
    return input;
}

Status CsvInput::Refill(size_t consumed) {
    if (!gzip_) return Status::Internal(name_ + ": CsvInput::Refill on a plain input");
    const size_t keep = window_size_ - consumed;
    if (keep > 0 && consumed > 0) std::memmove(buffer_.data(), window_data_ + consumed, keep);
    window_size_ = keep;
    window_data_ = buffer_.data();
    const size_t before = window_size_;
    while (!final_ && window_size_ == before) TARN_RETURN_IF_ERROR(InflateChunk());
    return Status::Ok();
}

// Inflates up to kInflateChunk more bytes of text behind the window (possibly none, when a member
// ends); sets final_ after the last member.
Status CsvInput::InflateChunk() {
    if (buffer_.size() < window_size_ + kInflateChunk) {
        // Grow geometrically: a long row makes the window grow a chunk at a time.
        std::vector<char> bigger(std::max(buffer_.size() * 2, window_size_ + kInflateChunk));
        if (window_size_ > 0) std::memcpy(bigger.data(), window_data_, window_size_);
        buffer_.swap(bigger);
    }
    window_data_ = buffer_.data();
    z_stream& z = inflater_->stream;
    z.next_out = reinterpret_cast<Bytef*>(buffer_.data() + window_size_);
    z.avail_out = static_cast<uInt>(kInflateChunk);
    auto corrupt = [&](std::string_view why) {
        return Status::Corruption(name_ + ": damaged gzip stream near compressed offset " +
                                  std::to_string(inflater_->in_offset - z.avail_in) + ": " +
                                  std::string(why));
    };
    while (z.avail_out > 0) {
        if (z.avail_in == 0 && inflater_->in_offset < data_.size()) {
            const size_t n = std::min(data_.size() - inflater_->in_offset, kMaxInflateInput);
            z.next_in =
                reinterpret_cast<Bytef*>(const_cast<char*>(data_.data())) + inflater_->in_offset;
            z.avail_in = static_cast<uInt>(n);
            inflater_->in_offset += n;
        }
        const int rc = inflate(&z, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
            const std::string_view rest = data_.substr(inflater_->in_offset - z.avail_in);
            if (HasGzipMagic(rest)) {
                if (inflateReset(&z) != Z_OK) return corrupt("inflateReset failed");
                continue;  // another member follows
            }
            // Trailing zeros (block padding) are ignored, as gzip(1) does.
            if (!AllZero(rest)) return corrupt("bytes after the last gzip member");
            final_ = true;
            break;
        }
        if (rc == Z_BUF_ERROR && z.avail_in == 0 && inflater_->in_offset == data_.size()) {
            return corrupt("truncated");
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            return corrupt(z.msg != nullptr ? z.msg : "inflate failed");
        }
    }
    window_size_ += kInflateChunk - z.avail_out;
    return Status::Ok();
}

}  // namespace tarn::format
