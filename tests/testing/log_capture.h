// CapturedLog: collects the log lines written while it is alive, for tests to inspect.
//
// The constructor installs it as the process's LogSink and the destructor restores stderr
// (SetLogSink(nullptr)), so at most one may be alive at a time. Each line keeps its trailing '\n'.
//
// Thread-safety: Write() and Lines() may be called from any thread.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/logging.h"

namespace tarn::testing {

class CapturedLog : public LogSink {
public:
    CapturedLog() { SetLogSink(this); }
    ~CapturedLog() override { SetLogSink(nullptr); }
    CapturedLog(const CapturedLog&) = delete;
    CapturedLog& operator=(const CapturedLog&) = delete;

    void Write(std::string_view line) override {
        std::lock_guard<std::mutex> lock(mu_);
        lines_.emplace_back(line);
    }
    // Every line so far, in the order written.
    std::vector<std::string> Lines() {
        std::lock_guard<std::mutex> lock(mu_);
        return lines_;
    }
    // The lines so far that contain `containing`, in the order written.
    std::vector<std::string> Lines(std::string_view containing) {
        std::lock_guard<std::mutex> lock(mu_);
        std::vector<std::string> out;
        for (const std::string& l : lines_) {
            if (l.find(containing) != std::string::npos) out.push_back(l);
        }
        return out;
    }

private:
    std::mutex mu_;
    std::vector<std::string> lines_;
};

}  // namespace tarn::testing
