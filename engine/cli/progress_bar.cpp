// The progress bar.
#include "engine/cli/progress_bar.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <string>

#include "engine/cli/human_units.h"

namespace tapegrid::cli {

ProgressBar::ProgressBar(const SweepProgress& progress, std::uint64_t combinations, bool enabled)
    : progress_(progress), combinations_(combinations) {
    if (enabled) thread_ = std::thread([this] { loop(); });
}

ProgressBar::~ProgressBar() {
    stop();
}

void ProgressBar::stop() {
    if (!thread_.joinable()) return;
    done_ = true;
    thread_.join();
    std::cerr << '\r' << std::string(100, ' ') << '\r' << std::flush;
}

void ProgressBar::loop() {
    const auto start = std::chrono::steady_clock::now();
    while (!done_) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const double rows = static_cast<double>(progress_.rows.load());
        const double fraction = combinations_ > 0 ? rows / static_cast<double>(combinations_) : 1.0;
        const double rate = static_cast<double>(progress_.bar_evaluations.load()) / std::max(elapsed, 1e-9);
        const int filled = static_cast<int>(fraction * 30);
        const std::string eta = fraction > 0 ? human_seconds(elapsed / fraction - elapsed) : "-";
        std::cerr << fmt::format("\r[{}{}] {:5.1f}%  {}/{} combinations  {}bar-evals/s  ETA {}   ",
                                 std::string(static_cast<std::size_t>(filled), '#'),
                                 std::string(static_cast<std::size_t>(30 - filled), '.'), fraction * 100,
                                 progress_.rows.load(), combinations_, human_count(rate), eta)
                  << std::flush;
    }
}

}  // namespace tapegrid::cli
