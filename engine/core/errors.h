// The two kinds of failure tapegrid reports: the user's (exit 2) and its own (exit 1).
#pragma once

#include <stdexcept>
#include <string>

namespace tapegrid {

// Bad input the user can fix: a file, a config key, an argument. The message says
// where (file, line or dataset, key), what was expected and what was found.
class UserError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// A failure that is tapegrid's fault or the system's (disk full, library error).
class InternalError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// The user asked to stop (Ctrl-C); work done so far was kept.
class Interrupted : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

inline constexpr int kExitOk = 0;
inline constexpr int kExitInternalError = 1;
inline constexpr int kExitUserError = 2;
inline constexpr int kExitInterrupted = 130;
// EX_TEMPFAIL: stopped cleanly by a scheduler's SIGTERM or SIGUSR1 (a time limit, a
// preemption); the same command with --resume finishes the job.
inline constexpr int kExitTemporaryFailure = 75;

}  // namespace tapegrid
