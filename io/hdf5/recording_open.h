// Opening a recording to read it: the checks every reader makes first, and its metadata.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "engine/core/recording.h"
#include "io/hdf5/hdf5_handle.h"
#include "io/hdf5/live_status.h"
#include "io/hdf5/recording_seal.h"

namespace tapegrid {

// Opens for reading: refuses a missing file, a directory, a file a live recorder writes, a
// file that is not HDF5 or not a recording of this format version. With `verify`, it first
// verifies the seal, so that HDF5 never parses a corrupted finished recording, and refuses a
// completed one without its seal; metadata reads skip both (listings stay fast) and rely on the
// checksums HDF5 keeps on the superblock and object headers, where the attributes live.
h5::Handle open_recording_file(const std::string& path, bool verify = true);

// The root attributes as metadata (a `recording` status whose writer is gone reads `interrupted`).
RecordingInfo read_info_attributes(hid_t file, const std::string& path);

// A recording opened to read its rows, as load_recording reads them.
struct RecordingForRows {
    std::string path;
    h5::Handle file;
    RecordingInfo info;
    SealState seal = SealState::kNone;
    // For a recording whose writer died: the rows of its last completed flush (live_status.h).
    std::optional<CommittedRows> committed;

    // The rows of `symbol` to read: all of them, or those its last completed flush committed.
    std::size_t bar_row_limit(const std::string& symbol) const;
    std::size_t event_rows(std::size_t rows_in_file) const;
    // True when the writer died unsealed: rows may be cut short by a flush it did not finish.
    bool interrupted_unsealed() const;
    // What to add to a read error of an interrupted recording (its last flush may be cut
    // short): the advice to recover it; "" for any other recording.
    std::string recovery_hint() const;
    // `error` with the recovery hint.
    UserError explain(const UserError& error) const;
};

// Verifies the seal (unless `verify_seal` is false: resealing a file another program changed)
// and refuses a completed recording without one, opens the file and reads its metadata.
RecordingForRows open_recording_for_rows(const std::string& path, bool verify_seal = true);

}  // namespace tapegrid
