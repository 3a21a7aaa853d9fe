// Internal to api/: the shared state behind an HttpRespond, created by a protocol session.
#pragma once

#include <atomic>
#include <functional>

#include "api/http.h"

namespace tarn::api {

class HttpRespond::State {
public:
    explicit State(std::function<void(HttpResponse)> deliver) : deliver_(std::move(deliver)) {}
    ~State();  // answers 500 when nobody did
    State(const State&) = delete;
    State& operator=(const State&) = delete;

    void Deliver(HttpResponse response);

private:
    std::atomic<bool> done_{false};
    std::function<void(HttpResponse)> deliver_;
};

}  // namespace tarn::api
