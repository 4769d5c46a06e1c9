// What a Slurm job tells its processes through the environment: the array task (a shard) and
// the CPUs it was given (threads).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>

#include "engine/sweep/sweep_shards.h"

namespace tapegrid::cli {

// getenv, or a table in tests.
using Environment = std::function<const char*(const char*)>;
Environment process_environment();

// `--shard auto`: this array task's shard. Slurm numbers array tasks MIN, MIN+STEP, ..., MAX
// (`--array=4-10:2` gives 4, 6, 8, 10): shard K = (SLURM_ARRAY_TASK_ID - MIN) / STEP of N =
// SLURM_ARRAY_TASK_COUNT. A sparse list (`--array=1,5,7`) has no step and cannot be mapped.
// UserError outside an array job, or when the variables disagree.
ShardSpec shard_from_slurm_array(const Environment& environment);

// SLURM_CPUS_PER_TASK, when set (a positive integer).
std::optional<std::size_t> slurm_cpus_per_task(const Environment& environment);

}  // namespace tapegrid::cli
