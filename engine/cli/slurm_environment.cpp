// Reading Slurm's job environment.
#include "engine/cli/slurm_environment.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <string_view>

#include "engine/core/errors.h"
#include "engine/core/printable.h"

namespace tapegrid::cli {

namespace {

std::optional<std::uint64_t> whole_number(const char* text) {
    if (text == nullptr) return std::nullopt;
    const std::string_view view(text);
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(view.data(), view.data() + view.size(), value);
    if (view.empty() || error != std::errc() || end != view.data() + view.size()) return std::nullopt;
    return value;
}

}  // namespace

Environment process_environment() {
    return [](const char* name) { return static_cast<const char*>(std::getenv(name)); };
}

ShardSpec shard_from_slurm_array(const Environment& environment) {
    const char* id_text = environment("SLURM_ARRAY_TASK_ID");
    if (id_text == nullptr)
        throw UserError(
            "--shard auto: SLURM_ARRAY_TASK_ID is not set: this is not a Slurm array job (sbatch --array=0-N); "
            "outside one, give the shard as --shard K/N");
    const auto variable = [&](const char* name) {
        const char* text = environment(name);
        const auto value = whole_number(text);
        if (!value)
            throw UserError(
                fmt::format("--shard auto: {} is {}; expected a whole number (Slurm sets it in an "
                            "array job)",
                            name, text == nullptr ? "not set" : "'" + printable(text) + "'"));
        return *value;
    };
    const std::uint64_t id = variable("SLURM_ARRAY_TASK_ID");
    const std::uint64_t count = variable("SLURM_ARRAY_TASK_COUNT");
    const std::uint64_t min = variable("SLURM_ARRAY_TASK_MIN");
    const std::uint64_t max = variable("SLURM_ARRAY_TASK_MAX");
    // Slurm sets STEP only for a range with a step (--array=0-15:4); a plain range steps by 1.
    const std::uint64_t step = environment("SLURM_ARRAY_TASK_STEP") != nullptr ? variable("SLURM_ARRAY_TASK_STEP") : 1;
    if (step == 0 || count == 0 || min > max || id < min || id > max || (id - min) % step != 0 ||
        (max - min) / step + 1 != count)
        throw UserError(fmt::format(
            "--shard auto: the array's variables do not describe a range with a step: task {} of {} in {}-{}:{} "
            "(SLURM_ARRAY_TASK_ID, _COUNT, _MIN, _MAX, _STEP); submit with --array=MIN-MAX[:STEP] (a list such as "
            "--array=1,5,7 cannot be mapped to shards), or give --shard K/N",
            id, count, min, max, step));
    if (count > kMaxShards)
        throw UserError(fmt::format("--shard auto: {} array tasks; at most {} shards", count, kMaxShards));
    return {static_cast<std::size_t>((id - min) / step), static_cast<std::size_t>(count)};
}

std::optional<std::size_t> slurm_cpus_per_task(const Environment& environment) {
    const auto value = whole_number(environment("SLURM_CPUS_PER_TASK"));
    if (!value || *value == 0 || *value > 4096) return std::nullopt;
    return static_cast<std::size_t>(*value);
}

}  // namespace tapegrid::cli
