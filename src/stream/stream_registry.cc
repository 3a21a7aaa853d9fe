#include "stream/stream_registry.h"

#include <chrono>
#include <filesystem>
#include <system_error>

#include "common/logging.h"
#include "common/names.h"
#include "stream/file_io.h"

namespace tarn::stream {

namespace fs = std::filesystem;

StreamRegistry::StreamRegistry(StreamRegistryOptions options)
    : options_(std::move(options)),
      clock_(options_.clock ? options_.clock : SystemClock::Instance()) {}

StreamRegistry::~StreamRegistry() {
    {
        std::lock_guard lock(task_mu_);
        stopping_ = true;
    }
    task_cv_.notify_all();
    if (worker_.joinable()) worker_.join();
}

Result<std::unique_ptr<StreamRegistry>> StreamRegistry::Open(StreamRegistryOptions options) {
    std::unique_ptr<StreamRegistry> r(new StreamRegistry(std::move(options)));
    TARN_RETURN_IF_ERROR(DefaultFileIo()->CreateDirs(r->options_.dir));
    TARN_RETURN_IF_ERROR(r->Load());
    r->worker_ = std::thread([p = r.get()] { p->Run(); });
    return r;
}

Status StreamRegistry::Load() {
    std::error_code ec;
    for (const fs::directory_entry& e : fs::directory_iterator(options_.dir, ec)) {
        if (!e.is_directory(ec)) continue;
        const std::string dir = e.path().string();
        const std::string name = e.path().filename().string();
        Result<StreamMetadata> m = LoadStreamMetadata(dir);
        if (m.status().code() == StatusCode::kNotFound) {
            // A Create cut short before its file was stored: the stream never existed.
            TARN_LOG_WARN("stream.removed_incomplete", {{"dir", dir}});
            fs::remove_all(e.path(), ec);
            if (ec) return Status::FromErrno(ec.value(), "remove " + dir);
            continue;
        }
        if (!m.ok()) return m.status();
        if (m->name != name) {
            return Status::Corruption(dir + "/" + std::string(kStreamMetadataFileName) +
                                      ": names stream '" + m->name + "' but lies in folder '" +
                                      name + "'");
        }
        if (m->status == StreamStatus::kDeleting) {
            tasks_.emplace_back(name, Task::kFinishDelete);
        } else if (m->status != StreamStatus::kActive) {
            tasks_.emplace_back(name, Task::kActivate);
        }
        streams_.emplace(name, std::make_shared<const StreamMetadata>(std::move(m).value()));
    }
    if (ec) return Status::FromErrno(ec.value(), "list " + options_.dir);
    return Status::Ok();
}

std::string StreamRegistry::StreamDir(std::string_view name) const {
    return options_.dir + "/" + std::string(name);
}

Status StreamRegistry::Store(const StreamMetadata& meta) {
    return SaveStreamMetadata(StreamDir(meta.name), meta);
}

void StreamRegistry::Publish(std::shared_ptr<const StreamMetadata> meta) {
    std::lock_guard lock(mu_);
    streams_[meta->name] = std::move(meta);
}

std::shared_ptr<const StreamMetadata> StreamRegistry::Get(std::string_view name) const {
    std::lock_guard lock(mu_);
    auto it = streams_.find(name);
    return it == streams_.end() ? nullptr : it->second;
}

Status StreamRegistry::NotFound(std::string_view name) const {
    return Status::NotFound("Stream " + std::string(name) + " under account " +
                            options_.metadata.account + " not found.");
}

Status StreamRegistry::DeletingError(std::string_view name) const {
    return Status::FailedPrecondition("Stream " + std::string(name) + " under account " +
                                      options_.metadata.account +
                                      " not ACTIVE, instead in state DELETING.");
}

Result<StreamMetadata> StreamRegistry::Create(const CreateStreamRequest& request) {
    TARN_RETURN_IF_ERROR(ValidateName(NameKind::kStream, request.name));
    uint32_t count = 0;
    if (request.shard_count) {
        count = *request.shard_count;
    } else if (request.mode == StreamMode::kOnDemand) {
        count = kOnDemandDefaultShards;
    } else {
        return Status::InvalidArgument("ShardCount is required for a PROVISIONED stream");
    }
    const int64_t now_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock_->Now().time_since_epoch())
            .count();
    TARN_ASSIGN_OR_RETURN(
        StreamMetadata meta,
        StreamMetadata::New(request.name, count, request.mode, now_ms, options_.metadata));
    TARN_RETURN_IF_ERROR(meta.AddTags(request.tags));
    {
        std::lock_guard write(write_mu_);
        if (Get(request.name) != nullptr) {
            return Status::AlreadyExists("Stream " + request.name + " under account " +
                                         options_.metadata.account + " already exists.");
        }
        const std::string dir = StreamDir(request.name);
        Status st = DefaultFileIo()->CreateDirs(dir);
        if (st.ok()) st = Store(meta);
        if (!st.ok()) {
            std::error_code ec;
            fs::remove_all(dir, ec);
            return st;
        }
        Publish(std::make_shared<const StreamMetadata>(meta));
    }
    TARN_LOG_INFO("stream.created", {{"stream", meta.name}, {"shards", count}});
    Schedule(meta.name, Task::kActivate);
    return meta;
}

Status StreamRegistry::Delete(std::string_view name) {
    {
        std::lock_guard write(write_mu_);
        auto cur = Get(name);
        if (cur == nullptr) return NotFound(name);
        if (cur->status == StreamStatus::kDeleting) return DeletingError(name);
        auto next = std::make_shared<StreamMetadata>(*cur);
        next->status = StreamStatus::kDeleting;
        TARN_RETURN_IF_ERROR(Store(*next));
        Publish(std::move(next));
    }
    Schedule(std::string(name), Task::kFinishDelete);
    return Status::Ok();
}

Result<StreamMetadata> StreamRegistry::Describe(std::string_view name) const {
    auto cur = Get(name);
    if (cur == nullptr) return NotFound(name);
    return *cur;
}

Result<StreamMetadata> StreamRegistry::Find(std::string_view name_or_arn) const {
    if (name_or_arn.starts_with("arn:")) {
        TARN_ASSIGN_OR_RETURN(std::string name, StreamNameFromArn(name_or_arn, options_.metadata));
        return Describe(name);
    }
    return Describe(name_or_arn);
}

Result<std::shared_ptr<const StreamMetadata>> StreamRegistry::FindShared(
    std::string_view name_or_arn) const {
    std::shared_ptr<const StreamMetadata> cur;
    if (name_or_arn.starts_with("arn:")) {
        TARN_ASSIGN_OR_RETURN(std::string name, StreamNameFromArn(name_or_arn, options_.metadata));
        cur = Get(name);
        if (cur == nullptr) return NotFound(name);
    } else {
        cur = Get(name_or_arn);
        if (cur == nullptr) return NotFound(name_or_arn);
    }
    return cur;
}

Result<StreamListPage> StreamRegistry::List(std::string_view exclusive_start,
                                            uint32_t limit) const {
    if (limit < 1 || limit > kMaxListStreamsLimit) {
        return Status::InvalidArgument("Limit " + std::to_string(limit) +
                                       " is out of range: it must be in 1..10000");
    }
    StreamListPage page;
    std::lock_guard lock(mu_);
    auto it = exclusive_start.empty() ? streams_.begin() : streams_.upper_bound(exclusive_start);
    for (; it != streams_.end(); ++it) {
        if (page.names.size() == limit) {
            page.has_more = true;
            break;
        }
        page.names.push_back(it->first);
    }
    return page;
}

Result<StreamMetadata> StreamRegistry::Update(
    std::string_view name, const std::function<Status(StreamMetadata&)>& change) {
    StreamMetadata next;
    {
        std::lock_guard write(write_mu_);
        auto cur = Get(name);
        if (cur == nullptr) return NotFound(name);
        if (cur->status == StreamStatus::kDeleting) return DeletingError(name);
        next = *cur;
        TARN_RETURN_IF_ERROR(change(next));
        if (next == *cur) return next;
        if (next.name != cur->name) return Status::Internal("Update may not rename a stream");
        TARN_RETURN_IF_ERROR(Store(next));
        Publish(std::make_shared<const StreamMetadata>(next));
    }
    if (next.status == StreamStatus::kUpdating || next.status == StreamStatus::kCreating) {
        Schedule(next.name, Task::kActivate);
    }
    return next;
}

void StreamRegistry::Schedule(std::string name, Task task) {
    {
        std::lock_guard lock(task_mu_);
        tasks_.emplace_back(std::move(name), task);
    }
    task_cv_.notify_all();
}

void StreamRegistry::WaitForTransitions() {
    std::unique_lock lock(task_mu_);
    task_cv_.wait(lock, [&] { return (tasks_.empty() && !task_running_) || stopping_; });
}

void StreamRegistry::Run() {
    std::unique_lock lock(task_mu_);
    for (;;) {
        task_cv_.wait(lock, [&] { return stopping_ || !tasks_.empty(); });
        if (stopping_) return;
        auto [name, task] = std::move(tasks_.front());
        tasks_.pop_front();
        task_running_ = true;
        lock.unlock();
        RunTask(name, task);
        lock.lock();
        task_running_ = false;
        task_cv_.notify_all();
    }
}

void StreamRegistry::RunTask(const std::string& name, Task task) {
    std::lock_guard write(write_mu_);
    auto cur = Get(name);
    if (cur == nullptr) return;
    if (task == Task::kActivate) {
        if (cur->status != StreamStatus::kCreating && cur->status != StreamStatus::kUpdating) {
            return;
        }
        auto next = std::make_shared<StreamMetadata>(*cur);
        next->status = StreamStatus::kActive;
        if (Status st = Store(*next); !st.ok()) {
            // Stays CREATING/UPDATING; the next Open() retries.
            TARN_LOG_ERROR("stream.activate_failed", {{"stream", name}, {"error", st.ToString()}});
            return;
        }
        Publish(std::move(next));
        return;
    }
    if (cur->status != StreamStatus::kDeleting) return;
    if (options_.before_remove) options_.before_remove(name);
    std::error_code ec;
    fs::remove_all(StreamDir(name), ec);
    if (ec) {
        // Stays DELETING; the next Open() retries.
        TARN_LOG_ERROR("stream.delete_failed", {{"stream", name}, {"error", ec.message()}});
        return;
    }
    {
        std::lock_guard lock(mu_);
        streams_.erase(name);
    }
    TARN_LOG_INFO("stream.deleted", {{"stream", name}});
}

}  // namespace tarn::stream
