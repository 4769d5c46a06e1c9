// Cutting a sweep's rows into shards.
#include "engine/sweep/sweep_shards.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "engine/core/errors.h"
#include "engine/core/printable.h"

namespace tapegrid {

std::vector<ShardRange> cut_shards(const SweepPlan& plan, std::size_t count) {
    count = std::max<std::size_t>(1, count);
    const std::uint64_t total = plan.combinations;
    std::vector<std::uint64_t> group_starts;  // each group's first row, then the total
    group_starts.reserve(plan.groups.size() + 1);
    std::uint64_t row = 0;
    for (const auto& group : plan.groups) {
        group_starts.push_back(row);
        row += group.combinations.size();
    }
    group_starts.push_back(row);
    const auto tolerance =
        static_cast<std::uint64_t>(kShardSnapShare * static_cast<double>(total) / static_cast<double>(count));
    std::vector<std::uint64_t> cuts = {0};
    for (std::size_t k = 1; k < count; ++k) {
        // k * total / count, rounded to nearest, without overflow.
        const auto ideal = static_cast<std::uint64_t>((static_cast<unsigned __int128>(k) * total + count / 2) /
                                                      static_cast<unsigned __int128>(count));
        // The group boundaries on either side of the ideal cut.
        const auto after = std::lower_bound(group_starts.begin(), group_starts.end(), ideal);
        const std::uint64_t next = *after;  // group_starts ends with total >= ideal
        const std::uint64_t previous = after == group_starts.begin() ? 0 : *std::prev(after);
        const std::uint64_t nearest = next - ideal <= ideal - previous ? next : previous;
        std::uint64_t cut = 0;
        if (std::max(nearest, ideal) - std::min(nearest, ideal) <= tolerance) {
            cut = nearest;
        } else {
            // Inside the group that starts at `previous`: whole lane blocks from its start.
            const std::uint64_t offset = ideal - previous;
            const std::uint64_t blocks = (offset + kSweepLanes / 2) / kSweepLanes;
            cut = std::min(previous + blocks * kSweepLanes, next);
        }
        cuts.push_back(std::max(cut, cuts.back()));
    }
    cuts.push_back(total);
    std::vector<ShardRange> ranges;
    ranges.reserve(count);
    for (std::size_t k = 0; k < count; ++k) ranges.push_back({cuts[k], std::max(cuts[k], cuts[k + 1])});
    return ranges;
}

void restrict_plan(SweepPlan& plan, ShardRange range, std::size_t blocks_per_task) {
    std::vector<SweepGroup> kept;
    std::set<IndicatorKey> distinct;
    std::uint64_t row = 0;
    for (auto& group : plan.groups) {
        const std::uint64_t start = row, end = row + group.combinations.size();
        row = end;
        const std::uint64_t from = std::max(start, range.first_row), to = std::min(end, range.end_row);
        if (from >= to) continue;
        SweepGroup part;
        part.keys = std::move(group.keys);
        part.combinations.assign(group.combinations.begin() + static_cast<std::ptrdiff_t>(from - start),
                                 group.combinations.begin() + static_cast<std::ptrdiff_t>(to - start));
        distinct.insert(part.keys.begin(), part.keys.end());
        kept.push_back(std::move(part));
    }
    plan.groups = std::move(kept);
    plan.distinct_series.assign(distinct.begin(), distinct.end());
    plan.combinations = 0;
    for (const auto& group : plan.groups) plan.combinations += group.combinations.size();
    plan.bar_evaluations = plan.combinations * plan.bars;
    plan.estimated_memory_bytes = estimate_memory_bytes(plan);
    cut_tasks(plan, blocks_per_task);
}

ShardSpec parse_shard(const std::string& text) {
    const auto refuse = [&] {
        return UserError(
            fmt::format("--shard: expected K/N, shard K (counted from 0) of N shards with 0 <= K < N, or "
                        "auto inside a Slurm array job; found '{}'",
                        printable(text)));
    };
    const std::size_t slash = text.find('/');
    if (slash == std::string::npos) throw refuse();
    const auto number = [&](std::string_view part) {
        std::uint64_t value = 0;
        const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
        if (part.empty() || error != std::errc() || end != part.data() + part.size()) throw refuse();
        return value;
    };
    const std::string_view view(text);
    const std::uint64_t index = number(view.substr(0, slash)), count = number(view.substr(slash + 1));
    if (count == 0 || index >= count || count > kMaxShards) throw refuse();
    return {static_cast<std::size_t>(index), static_cast<std::size_t>(count)};
}

}  // namespace tapegrid
