// What a sweep has written and ranked so far, to resume from; and the fingerprint that says
// whether a checkpoint belongs to this sweep. (io/results/sweep_checkpoint_file stores it.)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/sweep/ranking.h"

namespace tapegrid {

struct SweepCheckpoint {
    std::uint64_t fingerprint = 0;      // of the config, the recordings and the plan: resume only the same sweep
    std::uint64_t blocks_per_task = 0;  // the plan's task size, so that a resumed plan has the same tasks
    std::uint64_t tasks_done = 0;       // a prefix of the plan's tasks, in order
    std::uint64_t rows = 0;             // rows of the results after them
    std::uint64_t csv_bytes = 0;        // where the row sink stood after them (bytes of results.csv)
    TopRows::State ranking;
    std::string source;  // where it was read from, for messages (not stored)
};

// XXH3 of the effective config text, the recordings' ids and the plan's shape: stable across
// processes and machines.
std::uint64_t sweep_fingerprint(const std::string& config_text, const std::vector<std::string>& recording_ids,
                                std::uint64_t combinations, std::uint64_t tasks, std::uint64_t blocks_per_task);

}  // namespace tapegrid
