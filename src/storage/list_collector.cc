#include "storage/list_collector.h"

#include <utility>

namespace tarn::storage {

ListCollector::ListCollector(std::string_view prefix, const ListOptions& options)
    : prefix_(prefix),
      start_after_(options.start_after),
      delimiter_(options.delimiter),
      max_keys_(options.max_keys) {
    // A start_after that is a common prefix of this listing ("<prefix><part><delimiter>", the part
    // without the delimiter) continues after everything rolled up into it.
    if (!delimiter_.empty() && start_after_.size() > prefix_.size() &&
        std::string_view(start_after_).starts_with(prefix_)) {
        size_t pos = start_after_.find(delimiter_, prefix_.size());
        if (pos != std::string::npos && pos + delimiter_.size() == start_after_.size()) {
            skip_prefix_ = start_after_;
        }
    }
}

ListCollector::Verdict ListCollector::Offer(std::string_view key) {
    if (done_) return Verdict::kStop;
    if (!key.starts_with(prefix_)) return Verdict::kSkip;
    if (key <= std::string_view(start_after_)) return Verdict::kSkip;
    if (skip_prefix_ && key.starts_with(*skip_prefix_)) return Verdict::kSkip;
    if (!delimiter_.empty()) {
        size_t pos = key.find(delimiter_, prefix_.size());
        if (pos != std::string_view::npos) {
            if (Full()) {
                page_.truncated = true;
                done_ = true;
                return Verdict::kStop;
            }
            std::string common(key.substr(0, pos + delimiter_.size()));
            page_.common_prefixes.push_back(common);
            last_ = common;
            skip_prefix_ = std::move(common);
            ++count_;
            return Verdict::kSkip;
        }
    }
    if (Full()) {
        page_.truncated = true;
        done_ = true;
        return Verdict::kStop;
    }
    return Verdict::kTake;
}

void ListCollector::AddObject(ObjectInfo info) {
    last_ = info.key;
    page_.objects.push_back(std::move(info));
    ++count_;
}

bool ListCollector::CanSkip(std::string_view group) const {
    if (done_) return true;
    std::string_view prefix(prefix_);
    // Outside the prefix: neither contains the other.
    if (!group.starts_with(prefix) && !prefix.starts_with(group)) return true;
    // Every key "<group>..." is <= start_after unless start_after itself starts with the group.
    std::string_view after(start_after_);
    if (group <= after && !after.starts_with(group)) return true;
    if (skip_prefix_ && group.starts_with(*skip_prefix_)) return true;
    return false;
}

ListPage ListCollector::Finish() && {
    if (page_.truncated) page_.next_start_after = last_;
    return std::move(page_);
}

}  // namespace tarn::storage
