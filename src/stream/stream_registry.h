// StreamRegistry: the streams of a server — owns the `streams/` directory (one folder per stream,
// `streams/<name>/stream.json`, shard folders beside it), loads every stream at Open() and
// serves Create/Delete/Describe/List/Update of their metadata.
//
// Status transitions, as in Kinesis: Create stores the stream as CREATING and returns; a
// background thread then makes it ACTIVE at once (so a Describe right after Create may see
// CREATING, then ACTIVE: SDK waiters poll). Resharding through Update() leaves the stream
// UPDATING and the same thread makes it ACTIVE again. Delete stores DELETING; the thread then
// removes the folder and forgets the stream. A transition interrupted by a crash is finished at
// the next Open(). A folder without stream.json (a Create cut by a crash) is removed at Open().
//
// The shard logs (StreamLog) are the owner's (StreamService): Create makes the stream's folder,
// which holds the shard folders (StreamDir(name)/ShardDirName(i)); the before_remove hook lets the
// owner close them before a deleted stream's folder goes.
//
// Thread-safety: every method may be called from any thread. Mutators (Create, Delete, Update and
// the transitions) serialize on one mutex and do their file I/O under it; readers (Describe,
// Find, List) only copy a pointer under a second mutex and never wait for I/O.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "stream/stream_metadata.h"

namespace tarn::stream {

struct StreamRegistryOptions {
    std::string dir;  // the streams/ directory; created when missing
    StreamMetadataOptions metadata;
    Clock* clock = nullptr;  // nullptr: SystemClock. Creation times.
    // Runs on the transition thread just before a deleted stream's folder is removed (the owner
    // of its shard logs closes them here). Must not call the registry.
    std::function<void(const std::string& name)> before_remove;
};

struct CreateStreamRequest {
    std::string name;
    std::optional<uint32_t> shard_count;  // required for PROVISIONED; ON_DEMAND defaults to 4
    StreamMode mode = StreamMode::kProvisioned;
    std::map<std::string, std::string> tags;
};

struct StreamListPage {
    std::vector<std::string> names;  // ascending (byte order)
    bool has_more = false;
};

inline constexpr uint32_t kMaxListStreamsLimit = 10000;

class StreamRegistry {
public:
    // Loads every stream (Corruption naming the file for a bad stream.json, or a folder whose
    // name is not its stream's) and starts the transition thread.
    static Result<std::unique_ptr<StreamRegistry>> Open(StreamRegistryOptions options);
    // Stops the transition thread (pending transitions are finished at the next Open()).
    ~StreamRegistry();
    StreamRegistry(const StreamRegistry&) = delete;
    StreamRegistry& operator=(const StreamRegistry&) = delete;

    // The new stream (status CREATING). InvalidArgument for a bad name, count or tag;
    // AlreadyExists "Stream <name> under account <a> already exists." when the name is taken
    // (also while it is being deleted); IOError/ResourceExhausted when the disk fails.
    Result<StreamMetadata> Create(const CreateStreamRequest& request);
    // Marks the stream DELETING (then it goes away). NotFound; FailedPrecondition when it is
    // already being deleted.
    Status Delete(std::string_view name);
    // NotFound "Stream <name> under account <a> not found."
    Result<StreamMetadata> Describe(std::string_view name) const;
    // By name or by ARN ("arn:..."); NotFound / InvalidArgument for an ARN of another account.
    Result<StreamMetadata> Find(std::string_view name_or_arn) const;
    // Find() without the copy: the published (immutable) metadata. For hot paths.
    Result<std::shared_ptr<const StreamMetadata>> FindShared(std::string_view name_or_arn) const;
    // Names after `exclusive_start` (empty: from the first), at most `limit` (1..10000).
    Result<StreamListPage> List(std::string_view exclusive_start, uint32_t limit) const;
    // Applies `change` to a copy of the stream's metadata and, when it returns OK and changed
    // something, stores and publishes it (then UPDATING is followed by ACTIVE). The error of
    // `change` is returned as is and nothing changes. FailedPrecondition while DELETING. `change`
    // runs under the mutators' lock: it must not call the registry.
    Result<StreamMetadata> Update(std::string_view name,
                                  const std::function<Status(StreamMetadata&)>& change);

    // The folder of a stream (whether or not it exists).
    std::string StreamDir(std::string_view name) const;
    const StreamMetadataOptions& metadata_options() const { return options_.metadata; }
    // Blocks until no transition is pending (for tests and orderly shutdown).
    void WaitForTransitions();

private:
    enum class Task : uint8_t { kActivate, kFinishDelete };

    explicit StreamRegistry(StreamRegistryOptions options);
    Status Load();
    Status Store(const StreamMetadata& meta);  // REQUIRES: write_mu_ held
    void Publish(std::shared_ptr<const StreamMetadata> meta);
    std::shared_ptr<const StreamMetadata> Get(std::string_view name) const;
    void Schedule(std::string name, Task task);
    void Run();
    void RunTask(const std::string& name, Task task);
    Status NotFound(std::string_view name) const;
    Status DeletingError(std::string_view name) const;

    const StreamRegistryOptions options_;
    Clock* const clock_;

    std::mutex write_mu_;  // serializes mutators and their I/O

    mutable std::mutex mu_;  // guards streams_ only; held for pointer copies
    std::map<std::string, std::shared_ptr<const StreamMetadata>, std::less<>> streams_;

    std::mutex task_mu_;
    std::condition_variable task_cv_;
    std::deque<std::pair<std::string, Task>> tasks_;  // guarded by task_mu_
    bool task_running_ = false;                       // guarded by task_mu_
    bool stopping_ = false;                           // guarded by task_mu_
    std::thread worker_;
};

}  // namespace tarn::stream
