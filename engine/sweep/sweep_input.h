// The recordings a sweep replays, their symbols side by side as one portfolio.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/core/recording.h"
#include "engine/replay/bar_windows.h"

namespace tapegrid {

struct SweepInput {
    std::vector<SymbolBars> symbols;        // every recording's, in config order
    std::vector<RecordingInfo> recordings;  // their metadata, in config order
    // Recordings read a window at a time instead (symbols then stays empty): the path for
    // recordings larger than memory (engine/sweep/windowed_sweep.h).
    std::shared_ptr<BarWindowSource> windows;
};

// Puts loaded recordings side by side. A symbol name that two recordings share is kept apart
// as SYMBOL@<the first 8 characters of the recording's id>.
SweepInput merge_recordings(std::vector<Recording> recordings);

// The names merge_recordings gives: `symbols[r]` are recording r's, `ids[r]` its id.
std::vector<std::vector<std::string>> side_by_side_names(const std::vector<std::vector<std::string>>& symbols,
                                                         const std::vector<std::string>& ids);

}  // namespace tapegrid
