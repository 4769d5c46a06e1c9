// A sweep's progress on the terminal: a bar, combinations done, speed and time left.
#pragma once

#include <atomic>
#include <cstdint>
#include <thread>

#include "engine/sweep/sweep_graph.h"

namespace tapegrid::cli {

// Redraws standard error five times a second from its own thread while enabled; stop() (or the
// destructor) clears the line.
class ProgressBar {
  public:
    ProgressBar(const SweepProgress& progress, std::uint64_t combinations, bool enabled);
    ~ProgressBar();
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;
    void stop();

  private:
    void loop();

    const SweepProgress& progress_;
    std::uint64_t combinations_;
    std::atomic<bool> done_{false};
    std::thread thread_;
};

}  // namespace tapegrid::cli
