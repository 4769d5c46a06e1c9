// A program the test starts and stops by its pid, pass or fail: a server, a live recorder.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace tapegrid::testing {

class ChildProcess {
  public:
    // Starts `arguments` (arguments[0] is the program's path) with its standard output going to
    // `stdout_path` and its standard error to `stderr_path`.
    ChildProcess(const std::vector<std::string>& arguments, const std::string& stdout_path,
                 const std::string& stderr_path);
    // Stops it (SIGTERM, then SIGKILL after 10 s) if it still runs.
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    bool running();
    // Sends `signal` and waits up to `patience` for it to end; returns its exit code (128 + the
    // signal when a signal ended it), or -1 if it had to be killed.
    int stop(int signal, std::chrono::milliseconds patience = std::chrono::seconds(30));
    // Waits for it to end by itself; its exit code, or -1 after `patience` (it is then killed).
    int wait(std::chrono::milliseconds patience);

  private:
    pid_t pid_ = -1;
    int exit_code_ = -1;
};

}  // namespace tapegrid::testing
