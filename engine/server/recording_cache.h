// Recordings the server keeps loaded: each file is read once (validated, columnar) and answers its
// event pages, market-data pages, replays and dashboard pages from memory until the file changes
// or the cache needs the room. Bounded by bytes; the least recently used go first.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>

#include "engine/core/recording.h"
#include "engine/server/file_identity.h"

namespace tapegrid {

class RecordingCache {
  public:
    explicit RecordingCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

    // The recording in `path`, loaded now or earlier (when the file has not changed since).
    // The caller holds the file's read lock (engine/server/server_context.h). UserError when the
    // file cannot be loaded.
    std::shared_ptr<const Recording> get(const std::string& path);

    // What the cache holds now.
    std::size_t bytes() const;

  private:
    struct Entry {
        std::string path;
        FileIdentity identity;
        std::size_t bytes = 0;
        std::shared_ptr<const Recording> recording;
    };
    std::size_t max_bytes_;
    mutable std::mutex mutex_;
    std::list<Entry> entries_;  // most recently used first
    std::size_t bytes_ = 0;
};

// About how many bytes a loaded recording takes.
std::size_t recording_bytes(const Recording& recording);

}  // namespace tapegrid
