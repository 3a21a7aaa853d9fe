// RandomAccessSource: the byte-range reads the Parquet reader makes, over an ObjectStore object
// (a lake file, on local disk or S3) or over bytes in memory (tests). The reader never reads a
// whole file: it asks for the footer's range and then for the column chunks it needs, so the same
// code is cheap on S3, where each Read is one ranged GET.
//
// Reads are exact: a Read that cannot return all of [offset, offset + length) is an error (the
// object changed or is shorter than its size said), never a short result.
//
// Thread-safety: one thread at a time per source; the ObjectStore behind it may be shared.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "storage/storage.h"

namespace tarn::format {

class RandomAccessSource {
public:
    virtual ~RandomAccessSource() = default;
    RandomAccessSource(const RandomAccessSource&) = delete;
    RandomAccessSource& operator=(const RandomAccessSource&) = delete;

    // What the source reads, for messages: the object key or the file path.
    virtual const std::string& name() const = 0;
    // The size in bytes (asked once and remembered).
    virtual Result<uint64_t> Size() = 0;
    // Exactly `length` bytes at `offset`, written at `dest`. REQUIRES: offset + length <= Size().
    // The store's error (NotFound, IOError, ...) or Corruption when fewer bytes come back.
    Status ReadInto(uint64_t offset, uint64_t length, char* dest) {
        TARN_RETURN_IF_ERROR(DoRead(offset, length, dest));
        CountRead(length);
        return Status::Ok();
    }
    // As ReadInto, into a new string (small reads: the footer).
    Result<std::string> Read(uint64_t offset, uint64_t length) {
        std::string bytes(length, '\0');
        TARN_RETURN_IF_ERROR(ReadInto(offset, length, bytes.data()));
        return bytes;
    }

    // Bytes returned by Read so far.
    uint64_t bytes_read() const { return bytes_read_; }
    // Read calls so far.
    uint64_t reads() const { return reads_; }

protected:
    RandomAccessSource() = default;
    // ReadInto's work: all of [offset, offset + length) at `dest`, or an error.
    virtual Status DoRead(uint64_t offset, uint64_t length, char* dest) = 0;

private:
    void CountRead(uint64_t bytes) {
        bytes_read_ += bytes;
        ++reads_;
    }

    uint64_t bytes_read_ = 0;
    uint64_t reads_ = 0;
};

// The object `key` of `store` (Head for the size, GetRange for reads). Does not take ownership of
// `store`, which must outlive the source.
std::unique_ptr<RandomAccessSource> MakeObjectSource(storage::ObjectStore* store, std::string key);

// `bytes` held in memory, called `name` in messages.
std::unique_ptr<RandomAccessSource> MakeMemorySource(std::string name, std::string bytes);

}  // namespace tarn::format
