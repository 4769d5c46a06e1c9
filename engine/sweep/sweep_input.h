// The recordings a sweep replays, their symbols side by side as one portfolio.
#pragma once

#include <vector>

#include "engine/core/recording.h"

namespace tapegrid {

struct SweepInput {
    std::vector<SymbolBars> symbols;        // every recording's, in config order
    std::vector<RecordingInfo> recordings;  // their metadata, in config order
};

// Puts loaded recordings side by side. A symbol name that two recordings share is kept apart
// as SYMBOL@<the first 8 characters of the recording's id>.
SweepInput merge_recordings(std::vector<Recording> recordings);

}  // namespace tapegrid
