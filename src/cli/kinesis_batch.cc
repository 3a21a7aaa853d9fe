#include "cli/kinesis_batch.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

namespace tarn::cli {
namespace {

// Every event line starts {"event_id":"<36-character uuid>","user_id":<digits>,...
constexpr std::string_view kUserField = R"("user_id":)";
constexpr size_t kUserFieldSearchEnd = 80;

// The digits of the line's user_id, or empty.
std::string_view UserIdOf(std::string_view line) {
    const size_t at = line.substr(0, kUserFieldSearchEnd).find(kUserField);
    if (at == std::string_view::npos) return {};
    const size_t first = at + kUserField.size();
    size_t last = first;
    while (last < line.size() && line[last] >= '0' && line[last] <= '9') ++last;
    return line.substr(first, last - first);
}

void AppendHex(const Md5Digest& digest, std::string* out) {
    constexpr char kHex[] = "0123456789abcdef";
    for (const uint8_t b : digest) {
        out->push_back(kHex[b >> 4]);
        out->push_back(kHex[b & 15]);
    }
}

}  // namespace

BatchWriter::BatchWriter(const ClickstreamGenerator* generator, std::string stream,
                         unsigned max_batch, size_t record_bytes, bool keep_acks, PutApi api)
    : generator_(generator),
      stream_(std::move(stream)),
      record_bytes_(record_bytes),
      keep_acks_(keep_acks),
      lines_(
          std::make_unique_for_overwrite<char[]>(max_batch * ClickstreamGenerator::kMaxLineBytes)),
      body_(api) {
}

void BatchWriter::WriteScheduled(uint64_t first, uint64_t n) {
    frozen_ = nullptr;
    const char* end = generator_->WriteEvents(first, n, lines_.get());
    BuildBody(first, lines_.get(), end);
}

void BatchWriter::WriteLive(LiveClickstream* live, uint64_t n, int64_t now_ms) {
    frozen_ = nullptr;
    const uint64_t first = live->next_index();
    const char* end = live->WriteNext(n, now_ms, lines_.get());
    BuildBody(first, lines_.get(), end);
}

void BatchWriter::BuildBody(uint64_t first, const char* lines, const char* end) {
    body_.Begin(stream_);
    data_bytes_ = 0;
    keys_.clear();
    key_ends_.clear();
    data_md5s_.clear();
    char index_key[24];
    for (uint64_t index = first; lines < end; ++index) {
        const char* newline = static_cast<const char*>(std::memchr(lines, '\n', end - lines));
        const std::string_view line(lines, newline + 1 - lines);
        lines = newline + 1;
        std::string_view key = UserIdOf(line);
        if (key.empty()) {
            const auto [key_end, ec] =
                std::to_chars(index_key, index_key + sizeof index_key, index);
            key = std::string_view(index_key, key_end - index_key);
        }
        const std::string_view data = ShapeRecord(line);
        body_.Add(key, data);
        data_bytes_ += data.size();
        if (keep_acks_) {
            keys_.append(key);
            key_ends_.push_back(static_cast<uint32_t>(keys_.size()));
            data_md5s_.push_back(Md5(data));
        }
    }
    body_.Finish();
}

FrozenBatch BatchWriter::Freeze() {
    return FrozenBatch{std::string(body_text()), records(), data_bytes()};
}

std::string_view BatchWriter::ShapeRecord(std::string_view line) {
    if (record_bytes_ == 0 || line.size() == record_bytes_) return line;
    record_.clear();
    if (line.size() > record_bytes_) {
        record_.append(line.substr(0, record_bytes_ - 1));
    } else {
        record_.append(line.substr(0, line.size() - 1));
        record_.append(record_bytes_ - line.size(), ' ');
    }
    record_.push_back('\n');
    return record_;
}

void BatchWriter::AppendAckLine(size_t index, std::string_view shard, std::string_view sequence,
                                std::string* out) const {
    const size_t key_begin = index == 0 ? 0 : key_ends_[index - 1];
    out->append(keys_, key_begin, key_ends_[index] - key_begin);
    out->push_back('\t');
    out->append(shard);
    out->push_back('\t');
    out->append(sequence);
    out->push_back('\t');
    AppendHex(data_md5s_[index], out);
    out->push_back('\n');
}

RecordSource::RecordSource(const ClickstreamGenerator* generator, uint64_t count, bool unlimited,
                           unsigned batch, double rate, bool live_time)
    : count_(count),
      unlimited_(unlimited),
      // With a rate, at most 50 ms of records per batch, so a slow rate still flows steadily.
      batch_(rate > 0 ? static_cast<unsigned>(std::clamp(rate / 20, 1.0, double(batch))) : batch),
      rate_(rate),
      start_(std::chrono::steady_clock::now()) {
    if (live_time) live_.emplace(generator);
}

void RecordSource::Freeze(uint64_t distinct, BatchWriter* builder) {
    distinct_ = distinct;
    frozen_.clear();
    frozen_.reserve(distinct / batch_);
    for (uint64_t first = 0; first < distinct; first += batch_) {
        builder->WriteScheduled(first, batch_);
        frozen_.push_back(builder->Freeze());
    }
}

RecordSource::SteadyTime RecordSource::DueTime(uint64_t index) const {
    if (rate_ <= 0) return start_;
    return start_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                        std::chrono::duration<double>(static_cast<double>(index) / rate_));
}

RecordSource::Take RecordSource::Next(SteadyTime now, BatchWriter* writer, SteadyTime* due) {
    if (!live_) {
        const uint64_t first = next_.fetch_add(batch_, std::memory_order_relaxed);
        if (!unlimited_ && first >= count_) return Take::kDone;
        const uint64_t n = unlimited_ ? batch_ : std::min<uint64_t>(batch_, count_ - first);
        if (distinct_ == 0) {
            writer->WriteScheduled(first, n);
        } else if (n == batch_) {
            writer->UseFrozen(&frozen_[first % distinct_ / batch_]);
        } else {  // the short last batch
            writer->WriteScheduled(first % distinct_, n);
        }
        *due = DueTime(first);
        return Take::kBatch;
    }
    // Live lines must be generated in index order with non-decreasing times: claim and generate
    // under the lock, and only once the batch is due.
    std::lock_guard lock(live_mu_);
    const uint64_t first = live_->next_index();
    if (!unlimited_ && first >= count_) return Take::kDone;
    *due = DueTime(first);
    if (*due > now) return Take::kWait;
    const uint64_t n = unlimited_ ? batch_ : std::min<uint64_t>(batch_, count_ - first);
    const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
    writer->WriteLive(&*live_, n, now_ms);
    return Take::kBatch;
}

}  // namespace tarn::cli
