// storage: the lake's object store seam.
//
// An ObjectStore holds immutable objects under S3-style keys. Every part of tarn that reads or
// writes the lake (delivery, the Parquet writer, the crawler, queries, compaction) goes through
// this interface, so the same code runs on local files (LocalStore, storage/local_store.h), on S3
// (a later S3Store: one PUT, or a multipart upload for an ObjectWriter) and on test stores that
// inject faults. The data-dir lock lives beside it in storage/data_dir.h.
//
// Keys. A key is 1..kMaxKeyBytes bytes of UTF-8, made of '/'-separated segments. ValidateKey()
// states the rules; every store applies the same rules so that a lake moves between backends
// unchanged: no empty segment (no leading or trailing '/', no "//"), no "." or ".." segment, no
// NUL, no backslash, and no segment starting with kReservedPrefix (LocalStore's temporary files).
//
// Semantics shared by every store:
//   - Put and ObjectWriter::Commit are atomic: a reader sees the old object or the whole new one,
//     never a part. When they return OK the object is durable. When they fail, the object may or
//     may not have been replaced (as with an S3 PUT that timed out); it is not acknowledged.
//   - Objects are immutable once written; replace them with a new Put.
//   - A missing key is NotFound, with the operation and the key in the message ("get raw/x: no such
//     object"). Errors from the OS carry the operation and the key ("put raw/x.json: No space left
//     on device", ResourceExhausted).
//   - List returns keys in strict byte-wise order (as S3 does), one bounded page at a time.
//   - Delete is idempotent: deleting a missing key is OK.
//
// Thread-safety: every ObjectStore method may be called from many threads at once. An ObjectWriter
// is used by one thread at a time; different writers are independent.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace tarn::storage {

// Longest key, in bytes (S3's limit).
inline constexpr size_t kMaxKeyBytes = 1024;
// No key segment may start with this; LocalStore names its temporary files with it.
inline constexpr std::string_view kReservedPrefix = ".tarn-tmp-";
// Default and recommended page size of List (S3's).
inline constexpr size_t kDefaultMaxKeys = 1000;

// OK when `key` follows the key rules above; otherwise InvalidArgument with a message such as
// `invalid key "a//b": empty segment`.
Status ValidateKey(std::string_view key);

// One object as Head and List report it.
struct ObjectInfo {
    std::string key;
    uint64_t size = 0;
    std::chrono::system_clock::time_point mtime;  // when the object was written
};

struct ListOptions {
    // Only keys strictly greater than this (byte-wise) are listed; "" lists from the start. When a
    // delimiter is given and `start_after` is a common prefix of this listing (the prefix, then a
    // part without the delimiter, then the delimiter), every key under it is skipped too, so that a
    // page's next_start_after continues correctly after a common prefix (as S3 does).
    std::string start_after;
    // Most entries (objects plus common prefixes) in one page. REQUIRES: >= 1 (0 is
    // InvalidArgument).
    size_t max_keys = kDefaultMaxKeys;
    // Empty: list every key under the prefix. Otherwise (usually "/"): keys that contain the
    // delimiter after the prefix are rolled up into one common prefix each (the key up to and
    // including the first such delimiter), as S3's CommonPrefixes; a crawler lists partitions so.
    std::string delimiter;
};

struct ListPage {
    std::vector<ObjectInfo> objects;           // in byte-wise key order
    std::vector<std::string> common_prefixes;  // in byte-wise order; only with a delimiter
    // True when more entries follow; pass next_start_after as ListOptions::start_after (with the
    // same prefix and delimiter) to get them. next_start_after is the last entry of this page (a
    // key or a common prefix); it is empty when the page is not truncated.
    bool truncated = false;
    std::string next_start_after;
};

// Writes one object as a stream of appends, for objects too large to hold in memory. Nothing is
// visible under the key until Commit() returns OK; destroying the writer without a successful
// Commit() aborts it (the partial data is removed, the old object, if any, is untouched).
// After the first error, Append() and Commit() return that error again.
// Thread-safety: one thread at a time. A writer may outlive its store only if the store says so
// (LocalStore's writers may).
class ObjectWriter {
public:
    virtual ~ObjectWriter() = default;
    ObjectWriter(const ObjectWriter&) = delete;
    ObjectWriter& operator=(const ObjectWriter&) = delete;

    // Appends `data` to the object. REQUIRES: Commit() has not been called.
    virtual Status Append(std::string_view data) = 0;
    // Publishes the object atomically and durably, replacing any object under the key; the same
    // guarantees as ObjectStore::Put. The writer is finished afterwards, whatever the result.
    virtual Status Commit() = 0;
    // Bytes appended so far.
    virtual uint64_t size() const = 0;
    virtual const std::string& key() const = 0;

protected:
    ObjectWriter() = default;
};

class ObjectStore {
public:
    virtual ~ObjectStore() = default;
    ObjectStore(const ObjectStore&) = delete;
    ObjectStore& operator=(const ObjectStore&) = delete;

    // Stores `data` under `key`, replacing any object there, atomically and durably.
    virtual Status Put(std::string_view key, std::string_view data) = 0;
    // Starts writing an object under `key`; see ObjectWriter. Fails early for a key that can never
    // be written (invalid, or a store-specific conflict).
    virtual Result<std::unique_ptr<ObjectWriter>> OpenWriter(std::string_view key) = 0;

    // The whole object.
    virtual Result<std::string> Get(std::string_view key) = 0;
    // Up to `length` bytes from `offset`: fewer when the object ends first. As an S3 ranged GET,
    // the range must start inside the object: offset >= size is InvalidArgument, except that an
    // empty range (length == 0) at offset <= size returns "".
    virtual Result<std::string> GetRange(std::string_view key, uint64_t offset,
                                         uint64_t length) = 0;
    // As GetRange, into `dest` (room for `length` bytes) instead of a new string; returns how
    // many bytes it wrote. Lets a reader reuse its buffers: on small VMs, first-touching fresh
    // memory costs far more than the read itself.
    virtual Result<uint64_t> GetRangeInto(std::string_view key, uint64_t offset, uint64_t length,
                                          char* dest) = 0;
    // Size and mtime of the object (info.key is `key`).
    virtual Result<ObjectInfo> Head(std::string_view key) = 0;

    // One page of the keys that start with `prefix` (a plain string prefix: "raw/ev" matches
    // "raw/events/x"; "" matches everything). A prefix that no valid key can have (e.g. "a//")
    // yields an empty page. Keys written or deleted while a listing is paged through may or may
    // not appear; every key present throughout appears exactly once.
    virtual Result<ListPage> List(std::string_view prefix, const ListOptions& options) = 0;

    // Removes the object; OK when there is none.
    virtual Status Delete(std::string_view key) = 0;

protected:
    ObjectStore() = default;
};

}  // namespace tarn::storage
