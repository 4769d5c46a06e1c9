// Splitting one sweep across processes: shard K of N is a contiguous range of the plan's rows.
//
// Rows follow the grid's order whatever the task size, so a shard's rows are a slice of the
// single-process results.csv, and concatenating the shards' rows in shard order gives it back.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/sweep/sweep_plan.h"

namespace tapegrid {

// Shard `index` of `count` (0-based).
struct ShardSpec {
    std::size_t index = 0;
    std::size_t count = 1;
};

// The rows [first_row, end_row) of the whole sweep's table.
struct ShardRange {
    std::uint64_t first_row = 0;
    std::uint64_t end_row = 0;
    std::uint64_t rows() const { return end_row - first_row; }
    bool operator==(const ShardRange&) const = default;
};

// Cuts the plan's rows into `count` ranges, in order, balanced by cost (every row replays the
// same bars, so cost is rows, plus the indicator series of every group a range touches). A cut
// moves to the nearest group boundary when that changes the shard's share by at most
// kShardSnapShare of the mean share (a group's rows share their series), else to a multiple of
// kSweepLanes rows inside the group. Deterministic: the same plan and count give the same cut.
// With more shards than rows, some shards are empty.
std::vector<ShardRange> cut_shards(const SweepPlan& plan, std::size_t count);
inline constexpr double kShardSnapShare = 0.05;

// Keeps only the rows of `range`: groups trimmed and emptied ones dropped, combinations, bar
// evaluations and the distinct series recounted; tasks are recut (cut_tasks) with
// `blocks_per_task`.
void restrict_plan(SweepPlan& plan, ShardRange range, std::size_t blocks_per_task);

// More shards than any cluster runs processes: a typo, not a job.
inline constexpr std::size_t kMaxShards = 1'000'000;

// "K/N" -> ShardSpec, or UserError ("--shard: expected K/N with 0 <= K < N, found '4/4'").
ShardSpec parse_shard(const std::string& text);

}  // namespace tapegrid
