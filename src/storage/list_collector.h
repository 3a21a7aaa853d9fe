// ListCollector: the paging, start_after and delimiter rules of ObjectStore::List, in one place,
// for stores that can produce their keys in byte-wise order (LocalStore walks directories; an
// in-memory or fault-injecting store iterates a sorted map). S3 applies the same rules server-side.
//
// Use: offer keys in strictly increasing byte-wise order; skip whole groups of keys that
// CanSkip() rules out (e.g. a directory's subtree); stop when done(); then Finish().
//
//   ListCollector c(prefix, options);
//   for (each key k in order, until c.done()) {
//       if (c.Offer(k) == ListCollector::Verdict::kTake) c.AddObject({k, size, mtime});
//   }
//   ListPage page = std::move(c).Finish();
//
// Thread-safety: none; one listing uses one collector.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "storage/storage.h"

namespace tarn::storage {

class ListCollector {
public:
    // REQUIRES: options.max_keys >= 1 (callers validate and report InvalidArgument).
    ListCollector(std::string_view prefix, const ListOptions& options);

    enum class Verdict {
        kSkip,  // not part of this page (out of range, or rolled up into a common prefix)
        kTake,  // an object of this page: call AddObject with its info (or skip it if it vanished)
        kStop,  // the page is full and more entries exist; done() is now true
    };
    // REQUIRES: keys are offered in strictly increasing order.
    Verdict Offer(std::string_view key);
    void AddObject(ObjectInfo info);

    // True when no key that starts with `group` can be part of the rest of this page: the group is
    // outside the prefix, wholly at or before start_after, or inside a common prefix already
    // returned. Lets a store skip a directory without reading it.
    bool CanSkip(std::string_view group) const;

    bool done() const { return done_; }
    ListPage Finish() &&;

private:
    bool Full() const { return count_ >= max_keys_; }

    std::string prefix_;
    std::string start_after_;
    std::string delimiter_;
    size_t max_keys_;
    // Keys starting with this are skipped: the last common prefix returned, or start_after when it
    // is itself a common prefix.
    std::optional<std::string> skip_prefix_;
    size_t count_ = 0;
    bool done_ = false;
    std::string last_;
    ListPage page_;
};

}  // namespace tarn::storage
