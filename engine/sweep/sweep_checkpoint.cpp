// The sweep's fingerprint.
#include "engine/sweep/sweep_checkpoint.h"

#include <fmt/format.h>
#include <xxhash.h>

namespace tapegrid {

std::uint64_t sweep_fingerprint(const std::string& config_text, const std::vector<std::string>& recording_ids,
                                std::uint64_t combinations, std::uint64_t tasks, std::uint64_t blocks_per_task) {
    std::string material = config_text;
    for (const auto& id : recording_ids) material.append("\n").append(id);
    material.append(fmt::format("\n{} {} {}", combinations, tasks, blocks_per_task));
    return XXH3_64bits(material.data(), material.size());
}

}  // namespace tapegrid
