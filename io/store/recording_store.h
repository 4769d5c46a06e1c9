// A store: a directory of recording files. Finding, listing, deleting and pruning recordings.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/core/recording.h"

namespace tapegrid {

// --store DIR, else $TAPEGRID_STORE, else ./recordings.
std::string resolve_store_directory(const std::optional<std::string>& store_option);

struct StoredRecording {
    std::string path;
    std::optional<RecordingInfo> info;  // nothing when the file could not be read
    std::string error;                  // why it could not be read
    bool live = false;                  // a recorder is writing it now
};

// Every *.h5 file of the store, metadata only, sorted by start time (newest first).
// Unreadable files are listed with their error instead of failing the listing.
std::vector<StoredRecording> list_store(const std::string& store_directory);

// REC: a path to a recording file, or a recording id (or a unique prefix of one, at least
// 4 characters) of a recording in the store. Throws UserError when it names nothing or
// more than one recording.
std::string resolve_recording(const std::string& rec, const std::string& store_directory);

// Where a new recording with this id goes in the store (the store is created if needed).
std::string store_path_for(const std::string& store_directory, const std::string& recording_id);

// Deletes a recording file (and a stale live sidecar); refuses one being written.
void delete_recording(const std::string& path);

}  // namespace tapegrid
