// Merging a sweep's recordings.
#include "engine/sweep/sweep_input.h"

#include <fmt/format.h>

#include <map>
#include <string>

namespace tapegrid {

SweepInput merge_recordings(std::vector<Recording> recordings) {
    std::map<std::string, int> seen;
    for (const auto& recording : recordings)
        for (const auto& bars : recording.bars) ++seen[bars.symbol];
    SweepInput input;
    for (auto& recording : recordings) {
        for (auto& bars : recording.bars) {
            if (seen[bars.symbol] > 1)
                bars.symbol = fmt::format("{}@{}", bars.symbol, recording.info.recording_id.substr(0, 8));
            input.symbols.push_back(std::move(bars));
        }
        input.recordings.push_back(std::move(recording.info));
    }
    return input;
}

}  // namespace tapegrid
