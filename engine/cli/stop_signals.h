// Ctrl-C, SIGTERM and SIGUSR1 as a request to stop cleanly, for as long as a command runs a long
// job. Which signal came decides the exit code: Ctrl-C is the user's (130); SIGTERM and SIGUSR1
// are a scheduler's warning before a time limit or a preemption (75: run me again).
#pragma once

#include <atomic>
#include <csignal>

namespace tapegrid::cli {

// While it lives, SIGINT, SIGTERM and SIGUSR1 set stop_requested() instead of killing the
// process; its destructor puts the previous handlers back, on every path out (an exception included).
class StopSignals {
  public:
    StopSignals();
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    // Set once a signal arrived; what the job polls.
    const std::atomic<bool>& flag() const;
    bool stop_requested() const { return flag().load(); }
    // The first signal that arrived, or 0.
    int signal() const;
    // After a stop: 75 (EX_TEMPFAIL) for a scheduler's SIGTERM or SIGUSR1, else 130.
    int exit_code() const;

  private:
    struct sigaction previous_interrupt_ {};
    struct sigaction previous_terminate_ {};
    struct sigaction previous_user1_ {};
};

}  // namespace tapegrid::cli
