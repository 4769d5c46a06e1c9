// An export's files: created new, written through a stream that reports its first failure.
#include "io/export/export_files.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

#include "engine/core/errors.h"

namespace tapegrid {

namespace fs = std::filesystem;

ExportFiles::~ExportFiles() {
    if (finished_) return;
    std::error_code ignored;  // a directory that holds something else stays
    std::for_each(created_.rbegin(), created_.rend(), [&](const fs::path& path) { fs::remove(path, ignored); });
}

void ExportFiles::make_directory(const fs::path& directory) {
    std::vector<fs::path> missing;
    for (fs::path at = directory; !at.empty() && !fs::exists(at); at = at.parent_path()) missing.push_back(at);
    std::for_each(missing.rbegin(), missing.rend(), [&](const fs::path& at) {
        fs::create_directory(at);
        created_.push_back(at);
    });
}

fs::path ExportFiles::new_file(const fs::path& path) {
    if (fs::exists(fs::symlink_status(path)))
        throw UserError(path.string() +
                        ": already exists; an export writes only new files (choose another "
                        "directory, or remove it)");
    created_.push_back(path);
    return created_.back();
}

ExportFile::ExportFile(const fs::path& path) : path_(path), out_(path, std::ios::binary | std::ios::trunc) {
    if (!out_) fail();
}

void ExportFile::write(std::string_view text) {
    out_.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out_) fail();
}

void ExportFile::close() {
    out_.close();
    if (!out_) fail();
}

void ExportFile::fail() const {
    throw UserError(path_.string() + ": cannot write: " + std::strerror(errno));
}

}  // namespace tapegrid
