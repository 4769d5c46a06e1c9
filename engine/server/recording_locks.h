// Who may touch a recording file at once, in `tapegrid serve`.
//
// Readers (pages, replays' loads, the dashboard) run in parallel. Saving a replay replaces the
// file whole (copy, add, seal, rename over), so readers need no protection from it: one that
// opened the file keeps its inode, one that opens it later gets the new file whole. Saves only
// exclude each other and deletes. A delete excludes everyone: a request that found the file
// either reads it whole or, once it holds its lock, sees it gone and answers 404.
//
// Readers enter through a turnstile that a waiting delete holds, so a steady stream of readers
// cannot starve it (glibc's rwlock, under std::shared_mutex, prefers readers).
#pragma once

#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>

#include "io/store/recording_store.h"

namespace tapegrid {

struct RecordingLocks {
    std::mutex writers;    // saves and deletes, one at a time
    std::mutex turnstile;  // held by a delete while it waits for the readers to leave
    std::shared_mutex readers;
};

// The locks of every recording file the server has touched, by path (never removed: a few
// hundred bytes a file).
class RecordingLockTable {
  public:
    RecordingLocks& of(const std::string& path);

  private:
    std::mutex mutex_;
    std::map<std::string, RecordingLocks> locks_;
};

// Held while a request reads the file; HttpError 404 when it was deleted before.
class RecordingRead {
  public:
    RecordingRead(RecordingLockTable& table, const StoredRecording& stored);

  private:
    std::shared_lock<std::shared_mutex> reading_;
};

// Held while a replay is saved into the file; HttpError 404 when it was deleted before.
class RecordingSave {
  public:
    RecordingSave(RecordingLockTable& table, const StoredRecording& stored);

  private:
    std::unique_lock<std::mutex> writing_;
};

// Held while the file is deleted; HttpError 404 when it was deleted before.
class RecordingDelete {
  public:
    RecordingDelete(RecordingLockTable& table, const StoredRecording& stored);

  private:
    std::unique_lock<std::mutex> writing_;
    std::unique_lock<std::shared_mutex> reading_;
};

}  // namespace tapegrid
