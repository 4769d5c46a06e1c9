// `tapegrid recover`: closes a recording whose writer died, keeping everything it flushed.
#pragma once

#include <string>

#include "engine/core/recording.h"

namespace tapegrid {

struct RecoveryReport {
    RecordingInfo info;               // as the file reads after recovery
    bool changed = false;             // false: the recording needed nothing
    std::size_t rows_trimmed = 0;     // rows of a flush cut short by the crash, dropped
    std::size_t columns_dropped = 0;  // indicator columns that flush created and never finished
};

// A file whose status is still `recording` and whose writer is gone is marked `interrupted`,
// its end time set to its last record's time, its counts recomputed from the data, and the
// columns of each symbol (and of the events) trimmed to the rows they all hold, should the
// crash have hit in the middle of a flush. The stale live sidecar is removed. A recording
// still being written is refused (UserError).
struct RecoverOptions {
    // Accept a sealed file that another program changed (its seal no longer matches): the
    // file is loaded and validated in full, then sealed anew.
    bool reseal = false;
};

RecoveryReport recover_recording(const std::string& path, const RecoverOptions& options = {});

}  // namespace tapegrid
