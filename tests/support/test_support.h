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

// The path of the tapegrid binary.
std::string tapegrid_binary();

// ../shared/data/real beside the repository, when present (CI has it).
std::optional<std::filesystem::path> shared_real_data();

void write_text(const std::string& path, const std::string& text);
std::string read_text(const std::string& path);

// A small recording with two symbols (one starting later), indicators with gaps, and events.
Recording make_sample_recording();

// Every file under `directory` with its size and modification time, to show nothing changed.
std::vector<std::string> snapshot_directory(const std::string& directory);

}  // namespace tapegrid::testing
