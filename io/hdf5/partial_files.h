// The hidden files tapegrid builds a recording in before it publishes it (".NAME.partial-PID"):
// removed if the process is stopped by a signal while it writes one, and found afterwards when a
// process was killed outright (SIGKILL), so that `recordings list` can tell and `prune` remove them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tapegrid {

// While it lives, `path` is removed if SIGINT, SIGTERM or SIGHUP ends the process.
class PartialFileGuard {
  public:
    explicit PartialFileGuard(const std::string& path);
    ~PartialFileGuard();
    PartialFileGuard(const PartialFileGuard&) = delete;
    PartialFileGuard& operator=(const PartialFileGuard&) = delete;

  private:
    int slot_ = -1;
};

// Installs the handlers that remove guarded files, then end the process as the signal would
// have. Called once, when the program starts; a command that handles Ctrl-C itself (sweep,
// record: engine/cli/stop_signals.h) replaces them while it runs and restores them after.
void remove_partial_files_on_signals();

struct StalePartialFile {
    std::string path;
    std::uint64_t bytes = 0;
    long pid = 0;  // the process that was writing it, no longer running
};

// The partial files in `directory` whose writer is no longer running.
std::vector<StalePartialFile> stale_partial_files(const std::string& directory);

}  // namespace tapegrid
