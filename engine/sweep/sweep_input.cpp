// Merging a sweep's recordings.
#include "engine/sweep/sweep_input.h"

#include <fmt/format.h>

#include <map>
#include <string>

namespace tapegrid {

std::vector<std::vector<std::string>> side_by_side_names(const std::vector<std::vector<std::string>>& symbols,
                                                         const std::vector<std::string>& ids) {
    std::map<std::string, int> seen;
    for (const auto& names : symbols)
        for (const auto& name : names) ++seen[name];
    std::vector<std::vector<std::string>> named = symbols;
    for (std::size_t r = 0; r < named.size(); ++r)
        for (auto& name : named[r])
            if (seen[name] > 1) name = fmt::format("{}@{}", name, ids[r].substr(0, 8));
    return named;
}

SweepInput merge_recordings(std::vector<Recording> recordings) {
    std::vector<std::vector<std::string>> symbols;
    std::vector<std::string> ids;
    for (const auto& recording : recordings) {
        symbols.emplace_back();
        for (const auto& bars : recording.bars) symbols.back().push_back(bars.symbol);
        ids.push_back(recording.info.recording_id);
    }
    const auto names = side_by_side_names(symbols, ids);
    SweepInput input;
    for (std::size_t r = 0; r < recordings.size(); ++r) {
        for (std::size_t s = 0; s < recordings[r].bars.size(); ++s) {
            recordings[r].bars[s].symbol = names[r][s];
            input.symbols.push_back(std::move(recordings[r].bars[s]));
        }
        input.recordings.push_back(std::move(recordings[r].info));
    }
    return input;
}

}  // namespace tapegrid
