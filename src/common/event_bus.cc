#include "common/event_bus.h"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <thread>

#include "common/logging.h"

namespace tarn {

// One subscription. `handler` is set at construction and cleared only by Unsubscribe once no
// other thread can be calling it.
struct EventBus::Slot {
    Slot(std::type_index t, ErasedHandler h) : type(t), handler(std::move(h)) {}

    const std::type_index type;
    ErasedHandler handler;

    std::mutex mu;
    std::condition_variable idle_cv;       // an invocation ended
    bool removed = false;                  // guarded by mu
    std::vector<std::thread::id> callers;  // threads inside `handler`, guarded by mu
};

// Subscribers per event type as immutable lists: Publish copies one pointer under the lock and
// walks the list without it; Subscribe/Unsubscribe replace the list (copy-on-write).
struct EventBus::Core {
    using List = std::vector<std::shared_ptr<Slot>>;

    mutable std::mutex mu;
    std::unordered_map<std::type_index, std::shared_ptr<const List>> subscribers;  // guarded by mu
};

EventBus::EventBus() : core_(std::make_shared<Core>()) {}

EventBus::~EventBus() = default;

EventBus::Subscription EventBus::SubscribeErased(std::type_index type, ErasedHandler handler) {
    auto slot = std::make_shared<Slot>(type, std::move(handler));
    {
        std::lock_guard<std::mutex> lock(core_->mu);
        std::shared_ptr<const Core::List>& list = core_->subscribers[type];
        auto updated = list ? std::make_shared<Core::List>(*list) : std::make_shared<Core::List>();
        updated->push_back(slot);
        list = std::move(updated);
    }
    return Subscription(core_, std::move(slot));
}

size_t EventBus::PublishErased(std::type_index type, const void* event) {
    std::shared_ptr<const Core::List> list;
    {
        std::lock_guard<std::mutex> lock(core_->mu);
        auto it = core_->subscribers.find(type);
        if (it == core_->subscribers.end()) return 0;
        list = it->second;
    }
    const std::thread::id self = std::this_thread::get_id();
    size_t called = 0;
    for (const std::shared_ptr<Slot>& slot : *list) {
        {
            std::lock_guard<std::mutex> lock(slot->mu);
            if (slot->removed) continue;
            slot->callers.push_back(self);
        }
        try {
            slot->handler(event);
        } catch (const std::exception& e) {
            TARN_LOG_ERROR("event_bus.handler_exception",
                           {{"event_type", type.name()}, {"error", e.what()}});
        } catch (...) {
            TARN_LOG_ERROR("event_bus.handler_exception",
                           {{"event_type", type.name()}, {"error", "unknown exception"}});
        }
        {
            std::lock_guard<std::mutex> lock(slot->mu);
            slot->callers.erase(std::find(slot->callers.begin(), slot->callers.end(), self));
        }
        slot->idle_cv.notify_all();
        ++called;
    }
    return called;
}

size_t EventBus::CountErased(std::type_index type) const {
    std::lock_guard<std::mutex> lock(core_->mu);
    auto it = core_->subscribers.find(type);
    return it == core_->subscribers.end() ? 0 : it->second->size();
}

void EventBus::Subscription::Unsubscribe() {
    if (!slot_) return;
    {
        std::lock_guard<std::mutex> lock(core_->mu);
        auto it = core_->subscribers.find(slot_->type);
        if (it != core_->subscribers.end()) {
            auto updated = std::make_shared<Core::List>();
            for (const std::shared_ptr<Slot>& s : *it->second) {
                if (s != slot_) updated->push_back(s);
            }
            if (updated->empty()) {
                core_->subscribers.erase(it);
            } else {
                it->second = std::move(updated);
            }
        }
    }
    ErasedHandler doomed;  // the handler's captures, destroyed outside the lock
    {
        const std::thread::id self = std::this_thread::get_id();
        std::unique_lock<std::mutex> lock(slot_->mu);
        slot_->removed = true;
        // Invocations on other threads finish; ours (further up this stack) can't be waited for.
        slot_->idle_cv.wait(lock, [&] {
            return std::all_of(slot_->callers.begin(), slot_->callers.end(),
                               [&](std::thread::id id) { return id == self; });
        });
        if (slot_->callers.empty()) doomed = std::move(slot_->handler);
    }
    slot_.reset();
    core_.reset();
}

}  // namespace tarn
