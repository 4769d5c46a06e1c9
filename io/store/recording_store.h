// A store: a directory of recording files. Finding, listing, deleting and pruning recordings.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/core/recording.h"
#include "io/hdf5/live_status.h"

namespace tapegrid {

// --store DIR, else $TAPEGRID_STORE, else ./recordings.
std::string resolve_store_directory(const std::optional<std::string>& store_option);

struct StoredRecording {
    std::string path;
    std::optional<RecordingInfo> info;  // nothing when the file could not be read
    std::string error;                  // why it could not be read
    bool live = false;                  // a recorder is writing it now
};

// One recording file: its metadata, or why it could not be read.
StoredRecording describe_stored_recording(const std::string& path);

// Newest first (by start time), then by path.
void sort_newest_first(std::vector<StoredRecording>& recordings);

// Every *.h5 file of the store, metadata only, sorted by start time (newest first).
// Unreadable files are listed with their error instead of failing the listing.
std::vector<StoredRecording> list_store(const std::string& store_directory);

// REC: a path to a recording file, or a recording id (or a unique prefix of one, at least
// 4 characters) of a recording in the store. Throws UserError when it names nothing or
// more than one recording.
std::string resolve_recording(const std::string& rec, const std::string& store_directory);

// Where a new recording with this id goes in the store (the store is created if needed).
std::string store_path_for(const std::string& store_directory, const std::string& recording_id);

// A recording a live recorder is writing right now, described by the sidecar it rewrites at every
// flush (the HDF5 file itself stays closed to readers while it is written).
struct ActiveRecording {
    std::string path;
    LiveStatus live;
};

// The store's recordings being written by instance `instance_id`, whose writer is alive.
std::vector<ActiveRecording> active_recordings(const std::string& store_directory, std::int64_t instance_id);

// Deletes a recording file (and a stale live sidecar); refuses one being written.
void delete_recording(const std::string& path);

}  // namespace tapegrid
