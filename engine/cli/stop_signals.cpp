// The stop-signal guard.
#include "engine/cli/stop_signals.h"

#include "engine/core/errors.h"

namespace tapegrid::cli {

namespace {

// A signal handler may only touch lock-free atomics, hence one flag for the process.
std::atomic<bool> stop_flag{false};
std::atomic<int> first_signal{0};
static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free);

extern "C" void request_stop(int number) {
    int none = 0;
    first_signal.compare_exchange_strong(none, number);
    stop_flag = true;
}

}  // namespace

StopSignals::StopSignals() {
    stop_flag = false;
    first_signal = 0;
    struct sigaction action {};
    action.sa_handler = request_stop;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGINT, &action, &previous_interrupt_) != 0 ||
        sigaction(SIGTERM, &action, &previous_terminate_) != 0 || sigaction(SIGUSR1, &action, &previous_user1_) != 0)
        throw InternalError("cannot install the SIGINT/SIGTERM/SIGUSR1 handlers");
}

StopSignals::~StopSignals() {
    sigaction(SIGINT, &previous_interrupt_, nullptr);
    sigaction(SIGTERM, &previous_terminate_, nullptr);
    sigaction(SIGUSR1, &previous_user1_, nullptr);
}

int StopSignals::signal() const {
    return first_signal.load();
}

int StopSignals::exit_code() const {
    const int number = signal();
    return number == SIGTERM || number == SIGUSR1 ? kExitTemporaryFailure : kExitInterrupted;
}

const std::atomic<bool>& StopSignals::flag() const {
    return stop_flag;
}

}  // namespace tapegrid::cli
