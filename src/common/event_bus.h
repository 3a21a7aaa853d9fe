// EventBus: typed in-process publish/subscribe between stages ("objects committed to table T" →
// trigger the crawler).
//
//   struct ObjectsCommitted { std::string table; };
//   EventBus::Subscription sub = bus.Subscribe<ObjectsCommitted>(
//       [&](const ObjectsCommitted& e) { (void)scheduler.Trigger(crawl_task); });
//   bus.Publish(ObjectsCommitted{"raw.events"});
//
// Events are routed by their exact type (std::type_index of the decayed type; no base/derived
// matching). Publish calls every handler subscribed to that type when Publish began, in
// subscription order, synchronously on the publishing thread. Handlers must therefore be quick and
// must not block on the publisher: typically they trigger a Scheduler task. A handler that throws
// is caught and logged ("event_bus.handler_exception"); the other handlers still run.
//
// Handlers may publish, subscribe and unsubscribe (even themselves): Publish holds no bus-wide lock
// while a handler runs. The same handler may run concurrently when several threads publish.
//
// Subscription is a move-only RAII handle. When Unsubscribe() (or its destructor) returns, the
// handler is not running and will never be called again — except that a call from inside the
// handler itself (on the same thread) can't wait for its own invocation: it only guarantees no
// *further* calls. Unsubscribe never deadlocks on invocations further up its own thread's stack.
// A Subscription may outlive its EventBus (it then unsubscribes from nothing).
//
// Thread-safety: all methods may be called concurrently from any threads. A single Subscription
// object is not itself synchronized: don't move or unsubscribe the same handle from two threads.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <type_traits>
#include <typeindex>
#include <typeinfo>
#include <unordered_map>
#include <vector>

namespace tarn {

class EventBus {
private:
    struct Slot;
    struct Core;

public:
    class [[nodiscard]] Subscription {
    public:
        Subscription() = default;  // subscribed to nothing
        ~Subscription() { Unsubscribe(); }
        Subscription(Subscription&& other) noexcept = default;
        Subscription& operator=(Subscription&& other) noexcept {
            if (this != &other) {
                Unsubscribe();
                core_ = std::move(other.core_);
                slot_ = std::move(other.slot_);
            }
            return *this;
        }
        Subscription(const Subscription&) = delete;
        Subscription& operator=(const Subscription&) = delete;

        // See the header comment for the guarantee. Idempotent. REQUIRES: the caller holds no lock
        // that the handler may take on another thread (this waits for such running calls).
        void Unsubscribe();
        bool active() const { return slot_ != nullptr; }

    private:
        friend class EventBus;
        Subscription(std::shared_ptr<Core> core, std::shared_ptr<Slot> slot)
            : core_(std::move(core)), slot_(std::move(slot)) {}

        std::shared_ptr<Core> core_;
        std::shared_ptr<Slot> slot_;
    };

    EventBus();
    ~EventBus();
    EventBus(const EventBus&) = delete;
    EventBus& operator=(const EventBus&) = delete;

    // Calls `handler` for every event of type E published from now until the returned handle is
    // destroyed or unsubscribed. A subscription made during a Publish of E does not see that event.
    template <typename E>
    Subscription Subscribe(std::function<void(const E&)> handler) {
        using Event = std::remove_cvref_t<E>;
        return SubscribeErased(
            std::type_index(typeid(Event)),
            [h = std::move(handler)](const void* event) { h(*static_cast<const Event*>(event)); });
    }

    // Delivers `event` to the current subscribers of exactly type E; returns how many handlers
    // were called.
    template <typename E>
    size_t Publish(const E& event) {
        using Event = std::remove_cvref_t<E>;
        return PublishErased(std::type_index(typeid(Event)), &event);
    }

    // Current subscribers of E.
    template <typename E>
    size_t SubscriberCount() const {
        return CountErased(std::type_index(typeid(std::remove_cvref_t<E>)));
    }

private:
    using ErasedHandler = std::function<void(const void*)>;

    Subscription SubscribeErased(std::type_index type, ErasedHandler handler);
    size_t PublishErased(std::type_index type, const void* event);
    size_t CountErased(std::type_index type) const;

    std::shared_ptr<Core> core_;
};

}  // namespace tarn
