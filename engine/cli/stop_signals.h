// Ctrl-C and SIGTERM as a request to stop cleanly, for as long as a command runs a long job.
#pragma once

#include <atomic>
#include <csignal>

namespace tapegrid::cli {

// While it lives, SIGINT and SIGTERM set stop_requested() instead of killing the process; its
// destructor puts the previous handlers back, on every path out (an exception included).
class StopSignals {
  public:
    StopSignals();
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    // Set once a signal arrived; what the job polls.
    const std::atomic<bool>& flag() const;
    bool stop_requested() const { return flag().load(); }

  private:
    struct sigaction previous_interrupt_ {};
    struct sigaction previous_terminate_ {};
};

}  // namespace tapegrid::cli
