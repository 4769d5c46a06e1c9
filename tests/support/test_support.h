// Helpers the tests share: temporary directories, running the CLI, the shared real data.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/recording.h"

namespace tapegrid::testing {

// A fresh directory under the system's temporary directory, removed with its contents.
class TemporaryDirectory {
  public:
    TemporaryDirectory();
    ~TemporaryDirectory();
    TemporaryDirectory(const TemporaryDirectory&) = delete;
    TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::string file(const std::string& name) const { return (path_ / name).string(); }

  private:
    std::filesystem::path path_;
};

struct CommandResult {
    int exit_code = -1;
    std::string out;  // standard output
    std::string err;  // standard error
};

// Runs a shell command line, capturing its output streams and exit code.
CommandResult run_command(const std::string& command_line);

// Runs the tapegrid binary built with the tests, with the given argument string.
CommandResult run_tapegrid(const std::string& arguments);

// Runs a shell command and returns its peak resident memory in KiB (Linux's ru_maxrss of the
// child, read by a python3 wrapper); fails the test when the command exits non-zero.
long peak_rss_kib(const std::string& command);

// The path of the tapegrid binary.
std::string tapegrid_binary();

// ../shared/data/real beside the repository, when present (CI has it).
std::optional<std::filesystem::path> shared_real_data();

void write_text(const std::string& path, const std::string& text);
std::string read_text(const std::string& path);

// A small recording with two symbols (one starting later), indicators with gaps, and events.
Recording make_sample_recording();

// One symbol of flat daily bars (open = high = low = close), for hand-worked series.
SymbolBars flat_daily_bars(const std::string& symbol, const std::vector<double>& closes);

// The hand-worked ma_crossover series of tests/strategies/ma_crossover_test.cpp.
inline const std::vector<double> kHandWorkedCloses = {10, 9, 8, 9, 8.5, 8, 10, 12, 11, 11.5};

// Every file under `directory` with its size and modification time, to show nothing changed.
std::vector<std::string> snapshot_directory(const std::string& directory);

}  // namespace tapegrid::testing
