// The sidecar a live recorder keeps beside its file: who writes it, and its metadata so far.
//
// A recording is written without SWMR (docs/FORMAT.md says why), so no other process may
// open the HDF5 file while it is written. The recorder rewrites `<file>.live` (atomically,
// at every flush) so that `recordings active`, `list` and `show` can report a recording in
// progress, and so that a reader can tell a live recording from one whose writer died.
#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>

#include "engine/core/recording.h"

namespace tapegrid {

// The rows a completed flush put in the file. Rows past these belong to a flush that a crash
// cut short: they may be half-written, so readers and `recover` ignore them.
struct CommittedRows {
    std::map<std::string, std::size_t> bars;  // per symbol
    std::size_t events = 0;
};

struct LiveStatus {
    pid_t pid = 0;
    std::string hostname;
    unsigned long long process_start_ticks = 0;  // guards against a reused pid
    TimestampNs heartbeat_ns = 0;
    RecordingInfo info;
    CommittedRows committed;
};

std::string live_status_path(const std::string& recording_path);

// Writes the sidecar for the calling process (temporary file, then rename).
void write_live_status(const std::string& recording_path, const RecordingInfo& info, const CommittedRows& committed);

// Reads the sidecar; nothing when there is none or it cannot be parsed.
std::optional<LiveStatus> read_live_status(const std::string& recording_path);

// True when the writer named by the sidecar still runs: on this host, the same process
// (pid and start time); on another host, a heartbeat in the last two minutes.
bool is_writer_alive(const LiveStatus& status);

void remove_live_status(const std::string& recording_path);

}  // namespace tapegrid
