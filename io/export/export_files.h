// The files an export creates: every one new, written a piece at a time, removed on failure.
#pragma once

#include <filesystem>
#include <fstream>
#include <string_view>
#include <vector>

namespace tapegrid {

// What one export creates, removed again unless it finishes: a failed export leaves no half of
// itself behind, and it writes over nothing (every file it would write must be new).
class ExportFiles {
  public:
    ExportFiles() = default;
    ExportFiles(const ExportFiles&) = delete;
    ExportFiles& operator=(const ExportFiles&) = delete;
    ~ExportFiles();

    // `directory` and its missing parents.
    void make_directory(const std::filesystem::path& directory);
    // A file the export will write; UserError when something is already there.
    std::filesystem::path new_file(const std::filesystem::path& path);
    void finish() { finished_ = true; }

  private:
    std::vector<std::filesystem::path> created_;
    bool finished_ = false;
};

// One file of an export, written a piece at a time. Every failed write is a UserError naming
// the file and the system's reason (a full disk, a file size limit), raised at once.
class ExportFile {
  public:
    explicit ExportFile(const std::filesystem::path& path);

    void write(std::string_view text);
    // The last buffer's write can fail too.
    void close();

  private:
    [[noreturn]] void fail() const;

    std::filesystem::path path_;
    std::ofstream out_;
};

}  // namespace tapegrid
