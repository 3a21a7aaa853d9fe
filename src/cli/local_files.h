// Local files for CLI commands: a Parquet source over a path the user typed (read through a
// storage::LocalStore on its folder, so the same byte-range reads as lake files, and named in
// messages by the path as typed), and whole files mapped into memory for the text readers.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "format/parquet_source.h"

namespace tarn::cli {

// NotFound/IOError naming `path`; InvalidArgument for a directory.
Result<std::unique_ptr<format::RandomAccessSource>> OpenLocalSource(const std::string& path);

// A whole file mapped read-only. The text readers take their input as one buffer; mapping it
// costs page-table entries over the page cache instead of a copy into fresh memory (on the VMs
// tarn runs on, first-touching fresh memory costs far more than reading the bytes). The file must
// not shrink while mapped (tarn's own files never do: objects are replaced, never truncated).
class MappedFile {
public:
    static Result<std::unique_ptr<MappedFile>> Open(const std::string& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    std::string_view bytes() const { return {data_, size_}; }

private:
    MappedFile(const char* data, size_t size) : data_(data), size_(size) {}
    const char* data_;
    size_t size_;
};

}  // namespace tarn::cli
