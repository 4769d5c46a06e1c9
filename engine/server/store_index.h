// The server's view of the store: recording ids to files, each file's metadata and replays read
// once and kept until the file changes (its size, modification time or inode), so a listing
// reads only what changed since the last one. Ids resolve only to files inside the store.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/server/file_identity.h"
#include "io/hdf5/replay_store.h"
#include "io/store/recording_store.h"

namespace tapegrid {

class StoreIndex {
  public:
    explicit StoreIndex(std::string store_directory);

    const std::string& directory() const { return directory_; }

    // Every recording of the store, newest first (unreadable ones with their error).
    std::vector<StoredRecording> recordings();

    // The file of the recording with this id (or a unique prefix of one, at least 8 characters),
    // or nothing. Anything that is not an id (a '/', "..", a NUL byte, an absolute path, more
    // than 64 characters) names nothing. Throws HttpError 400 for an ambiguous prefix.
    std::optional<StoredRecording> find(const std::string& recording_id);

    // The replays stored in a recording file (cached with the file).
    std::vector<ReplaySummary> replays(const std::string& path);

    // The recording holding this replay id, or nothing.
    std::optional<StoredRecording> find_replay(const std::string& replay_id);

  private:
    struct Entry {
        FileIdentity key;
        StoredRecording stored;
        std::optional<std::vector<ReplaySummary>> replays;
    };
    std::vector<StoredRecording> refresh();

    std::string directory_;
    std::mutex mutex_;
    std::map<std::string, Entry> entries_;  // by path
};

// Whether `text` can be a recording, replay or sweep id: 1 to 64 characters of [A-Za-z0-9_-].
bool plausible_id(const std::string& text);

}  // namespace tapegrid
