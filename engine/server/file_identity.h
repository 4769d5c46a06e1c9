// Which version of a file a cache holds. A file replaced by a rename (a replay saved into a
// recording) has a new inode; one written in place (a resumed sweep's results.csv) a new size or
// modification time.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

namespace tapegrid {

struct FileIdentity {
    off_t size = 0;
    long long modified_ns = 0;
    ino_t inode = 0;
    bool operator==(const FileIdentity&) const = default;
};

// The regular file's identity now; nothing when there is no regular file at `path`.
std::optional<FileIdentity> file_identity(const std::string& path);

}  // namespace tapegrid
