// A sweep's checkpoint (Boost.Serialization): what has been written and ranked, to resume from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/sweep/ranking.h"
#include "engine/sweep/sweep_spec.h"

namespace tapegrid {

struct SweepCheckpoint {
    std::uint64_t fingerprint = 0;      // of the config, the recordings and the plan: resume only the same sweep
    std::uint64_t blocks_per_task = 0;  // the plan's task size, so that a resumed plan has the same tasks
    std::uint64_t tasks_done = 0;       // a prefix of the plan's tasks, in order
    std::uint64_t rows = 0;             // rows of results.csv after them
    std::uint64_t csv_bytes = 0;        // bytes of results.csv after them (the header included)
    TopRows::State ranking;
};

// XXH3 of the effective config text, the recordings' ids and the plan's shape.
std::uint64_t sweep_fingerprint(const std::string& config_text, const std::vector<std::string>& recording_ids,
                                std::uint64_t combinations, std::uint64_t tasks, std::uint64_t blocks_per_task);

// Written to a temporary file and renamed into place: a crash leaves the previous checkpoint.
void save_checkpoint(const std::string& path, const SweepCheckpoint& checkpoint);

// Nothing when there is no file; UserError naming it when it cannot be read.
std::optional<SweepCheckpoint> load_checkpoint(const std::string& path);

}  // namespace tapegrid
