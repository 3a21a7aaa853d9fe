// CsvInput: the bytes a CSV reader tokenizes, as a window that slides over the file's text.
//
// A plain file is one window: the caller's buffer itself, no copy, final() from the start. A gzip
// file (detected by its magic, 1f 8b) is inflated with zlib a chunk at a time into an owned
// window; Refill drops the bytes the reader has consumed and inflates the next chunk behind the
// rest, so memory is the compressed input plus about one chunk plus the longest row the reader
// waited for (the reader bounds that: CsvReadOptions::max_row_bytes). Concatenated gzip members
// are read one after another; a damaged or truncated stream, or bytes after the last member that
// do not start another, are Status::Corruption naming the file and the compressed offset.
// A UTF-8 byte-order mark at the start of the text is skipped.
//
// Thread-safety: one thread at a time; does not own the caller's buffer, which must outlive it.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace tarn::format {

class CsvInput {
public:
    // Reads `data` (the file's bytes); `name` is for messages. Inflates the first chunk of a gzip
    // file (Corruption when it is damaged).
    static Result<std::unique_ptr<CsvInput>> Open(std::string_view data, std::string name);
    ~CsvInput();
    CsvInput(const CsvInput&) = delete;
    CsvInput& operator=(const CsvInput&) = delete;

    // The text available now. Pointers into it are invalidated by Refill.
    std::string_view window() const { return {window_data_, window_size_}; }
    // True when window() ends where the file's text ends.
    bool final() const { return final_; }
    bool gzip() const { return gzip_; }

    // Drops window()[0, consumed) and appends at least one more byte of text, or sets final().
    // REQUIRES: !final() and consumed <= window().size().
    Status Refill(size_t consumed);

private:
    struct Inflater;
    CsvInput(std::string_view data, std::string name);
    Status InflateChunk();

    std::string_view data_;
    std::string name_;
    bool gzip_ = false;
    bool final_ = false;
    const char* window_data_ = nullptr;
    size_t window_size_ = 0;
    std::vector<char> buffer_;  // gzip: the window's storage
    std::unique_ptr<Inflater> inflater_;
};

}  // namespace tarn::format
