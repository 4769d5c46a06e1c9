// A sweep's checkpoint on disk (Boost.Serialization text archive, portable across a cluster's machines).
#pragma once

#include <optional>
#include <string>

#include "engine/sweep/sweep_checkpoint.h"

namespace tapegrid {

// Written to a temporary file and renamed into place: a crash leaves the previous checkpoint.
void save_checkpoint(const std::string& path, const SweepCheckpoint& checkpoint);

// Nothing when there is no file; UserError naming it when it cannot be read.
std::optional<SweepCheckpoint> load_checkpoint(const std::string& path);

}  // namespace tapegrid
