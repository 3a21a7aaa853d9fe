// ProgressLine: "label: N units, R units/s" (with a percentage and a bar once the total is known)
// on stderr, rewritten in place a few times a second. Long-running CLI work shows one when stderr
// is a terminal; otherwise it prints nothing.
//
// Thread-safety: Update may be called from one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace tarn::cli {

class ProgressLine {
public:
    ProgressLine(bool enabled, std::string label, std::string unit);

    // The amount that is 100%; 0: unknown (no percentage).
    void SetTotal(uint64_t total) { total_ = total; }
    // Reprints when the last print is 250 ms old; cheap otherwise.
    void Update(uint64_t done);
    // Prints the final figures (average rate) and ends the line.
    void Finish(uint64_t done);

    // True when stderr is a terminal (and `also_not_tty_fd`, when >= 0, is not: output going to
    // the terminal must not be mixed with a progress line).
    static bool StderrIsTerminal(int also_not_tty_fd = -1);

private:
    using Clock = std::chrono::steady_clock;
    void Print(uint64_t done, double per_second);

    bool enabled_;
    std::string label_;
    std::string unit_;
    uint64_t total_ = 0;
    Clock::time_point start_;
    Clock::time_point last_;
    uint64_t last_done_ = 0;
};

}  // namespace tarn::cli
