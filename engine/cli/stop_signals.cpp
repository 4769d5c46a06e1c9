// The stop-signal guard.
#include "engine/cli/stop_signals.h"

#include "engine/core/errors.h"

namespace tapegrid::cli {

namespace {

// A signal handler may only touch lock-free atomics, hence one flag for the process.
std::atomic<bool> stop_flag{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void request_stop(int) {
    stop_flag = true;
}

}  // namespace

StopSignals::StopSignals() {
    stop_flag = false;
    struct sigaction action {};
    action.sa_handler = request_stop;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGINT, &action, &previous_interrupt_) != 0 || sigaction(SIGTERM, &action, &previous_terminate_) != 0)
        throw InternalError("cannot install the SIGINT/SIGTERM handlers");
}

StopSignals::~StopSignals() {
    sigaction(SIGINT, &previous_interrupt_, nullptr);
    sigaction(SIGTERM, &previous_terminate_, nullptr);
}

const std::atomic<bool>& StopSignals::flag() const {
    return stop_flag;
}

}  // namespace tapegrid::cli
