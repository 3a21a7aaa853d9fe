#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>
#include <utility>

namespace tarn::cli {

ProgressLine::ProgressLine(bool enabled, std::string label, std::string unit)
    : enabled_(enabled),
      label_(std::move(label)),
      unit_(std::move(unit)),
      start_(Clock::now()),
      last_(start_) {}

bool ProgressLine::StderrIsTerminal(int also_not_tty_fd) {
    return ::isatty(2) == 1 && (also_not_tty_fd < 0 || ::isatty(also_not_tty_fd) == 0);
}

void ProgressLine::Update(uint64_t done) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (now - last_ < std::chrono::milliseconds(250)) return;
    const double seconds = std::chrono::duration<double>(now - last_).count();
    Print(done, static_cast<double>(done - last_done_) / seconds);
    last_ = now;
    last_done_ = done;
}

void ProgressLine::Finish(uint64_t done) {
    if (!enabled_ || done == 0) return;
    const double seconds = std::chrono::duration<double>(Clock::now() - start_).count();
    Print(done, seconds > 0 ? static_cast<double>(done) / seconds : 0.0);
    std::fputc('\n', stderr);
}

void ProgressLine::Print(uint64_t done, double per_second) {
    std::string bar;
    if (total_ > 0) {
        constexpr int kWidth = 24;
        const double fraction =
            done >= total_ ? 1.0 : static_cast<double>(done) / static_cast<double>(total_);
        const int filled = static_cast<int>(fraction * kWidth);
        bar = " [" + std::string(static_cast<size_t>(filled), '#') +
              std::string(static_cast<size_t>(kWidth - filled), ' ') + "] ";
        bar += std::to_string(static_cast<int>(fraction * 100)) + "%";
    }
    std::fprintf(stderr, "\r%s: %llu %s, %.0f %s/s%s   ", label_.c_str(),
                 static_cast<unsigned long long>(done), unit_.c_str(), per_second, unit_.c_str(),
                 bar.c_str());
    std::fflush(stderr);
}

}  // namespace tarn::cli
