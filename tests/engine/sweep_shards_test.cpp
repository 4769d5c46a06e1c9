// Shards: how a plan's rows are cut, how a shard's plan is restricted, "K/N", and Slurm's array
// variables.
#include "engine/sweep/sweep_shards.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <numeric>
#include <string>

#include "engine/cli/slurm_environment.h"
#include "engine/core/errors.h"

namespace tapegrid {
namespace {

using ::testing::HasSubstr;

// A plan of groups of the given sizes, combinations numbered in order (every other grid index,
// as if a constraint dropped the rest), each group with an indicator key of its own.
SweepPlan plan_of(const std::vector<std::size_t>& sizes) {
    SweepPlan plan;
    std::uint64_t index = 0;
    for (std::size_t g = 0; g < sizes.size(); ++g) {
        SweepGroup group;
        group.keys.push_back(IndicatorKey{IndicatorKind::kSma, static_cast<int>(g + 2)});
        for (std::size_t i = 0; i < sizes[g]; ++i, index += 2) group.combinations.push_back(index);
        plan.groups.push_back(group);
        plan.combinations += sizes[g];
    }
    plan.bars = 1000;
    plan.bar_evaluations = plan.combinations * plan.bars;
    return plan;
}

std::vector<std::uint64_t> cuts(const std::vector<ShardRange>& ranges) {
    std::vector<std::uint64_t> starts;
    for (const auto& range : ranges) starts.push_back(range.first_row);
    return starts;
}

void expect_contiguous(const std::vector<ShardRange>& ranges, std::uint64_t total) {
    ASSERT_FALSE(ranges.empty());
    EXPECT_EQ(ranges.front().first_row, 0u);
    for (std::size_t k = 1; k < ranges.size(); ++k) EXPECT_EQ(ranges[k].first_row, ranges[k - 1].end_row) << k;
    EXPECT_EQ(ranges.back().end_row, total);
}

TEST(ShardCut, EqualGroupsAreCutAtTheirBoundaries) {
    const SweepPlan plan = plan_of({100, 100, 100, 100});
    const auto ranges = cut_shards(plan, 4);
    expect_contiguous(ranges, 400);
    EXPECT_EQ(cuts(ranges), (std::vector<std::uint64_t>{0, 100, 200, 300}));
    // Two shards: the middle boundary.
    EXPECT_EQ(cuts(cut_shards(plan, 2)), (std::vector<std::uint64_t>{0, 200}));
}

TEST(ShardCut, ABoundaryWithinFivePercentIsTakenElseWholeLaneBlocksInsideTheGroup) {
    // 3 shards of 400 rows: ideal cuts at 133 and 267; the nearest boundaries (100, 300) are
    // 33 rows away, above 5% of 133 (6 rows): cut inside the groups, on multiples of 8 rows
    // from the group's start: 100 + 32 = 132 and 200 + 64 = 264.
    EXPECT_EQ(cuts(cut_shards(plan_of({100, 100, 100, 100}), 3)), (std::vector<std::uint64_t>{0, 132, 264}));
    // Groups of 95 and 105: the ideal cut at 100 is 5 rows from the boundary at 95, within 5%
    // of 100 rows: the group stays whole.
    EXPECT_EQ(cuts(cut_shards(plan_of({95, 105}), 2)), (std::vector<std::uint64_t>{0, 95}));
    // 10 rows off is too far: 100 - 90 = 10 > 5: inside the second group, 90 + 8 = 98.
    EXPECT_EQ(cuts(cut_shards(plan_of({90, 110}), 2)), (std::vector<std::uint64_t>{0, 98}));
}

TEST(ShardCut, MoreShardsThanRowsLeavesEmptyShardsAndEveryRowOnce) {
    const SweepPlan plan = plan_of({3, 2});
    const auto ranges = cut_shards(plan, 12);
    ASSERT_EQ(ranges.size(), 12u);
    expect_contiguous(ranges, 5);
    std::uint64_t rows = 0, empty = 0;
    for (const auto& range : ranges) {
        rows += range.rows();
        empty += range.rows() == 0;
    }
    EXPECT_EQ(rows, 5u);
    EXPECT_GE(empty, 7u);
    EXPECT_EQ(cut_shards(plan, 12), ranges);  // deterministic
}

TEST(ShardCut, ManyUnevenGroupsStayBalanced) {
    std::vector<std::size_t> sizes;
    for (std::size_t g = 0; g < 97; ++g) sizes.push_back(10 + (g * 37) % 90);
    const SweepPlan plan = plan_of(sizes);
    for (const std::size_t count : {2, 5, 16, 64}) {
        const auto ranges = cut_shards(plan, count);
        expect_contiguous(ranges, plan.combinations);
        const double mean = static_cast<double>(plan.combinations) / static_cast<double>(count);
        for (const auto& range : ranges) {
            // Off by the snap (5% of the mean) plus half a lane block, at each of its two ends.
            EXPECT_NEAR(static_cast<double>(range.rows()), mean, 2 * (kShardSnapShare * mean + kSweepLanes / 2.0))
                << count;
        }
    }
}

TEST(ShardCut, RestrictKeepsTheShardsRowsAndTheirSeries) {
    SweepPlan plan = plan_of({100, 100, 100, 100});
    restrict_plan(plan, {132, 264}, 2);
    ASSERT_EQ(plan.groups.size(), 2u);
    EXPECT_EQ(plan.groups[0].combinations.size(), 68u);  // rows 132..199 of the second group
    EXPECT_EQ(plan.groups[0].combinations.front(), 2u * 132);
    EXPECT_EQ(plan.groups[1].combinations.size(), 64u);  // rows 200..263
    EXPECT_EQ(plan.combinations, 132u);
    EXPECT_EQ(plan.bar_evaluations, 132'000u);
    EXPECT_EQ(plan.distinct_series.size(), 2u);
    // Tasks of up to 2 blocks (16 rows), numbered from the shard's own first row.
    ASSERT_FALSE(plan.tasks.empty());
    EXPECT_EQ(plan.tasks.front().first_row, 0u);
    EXPECT_EQ(plan.tasks.back().first_row + plan.tasks.back().count, 132u);
    SweepPlan empty = plan_of({10});
    restrict_plan(empty, {10, 10}, 1);
    EXPECT_EQ(empty.combinations, 0u);
    EXPECT_TRUE(empty.tasks.empty());
}

std::string refusal(const std::string& text) {
    try {
        parse_shard(text);
    } catch (const UserError& error) {
        return error.what();
    }
    return "accepted";
}

TEST(ShardSpecText, KOfNCountedFromZero) {
    EXPECT_EQ(parse_shard("0/1").index, 0u);
    EXPECT_EQ(parse_shard("3/4").index, 3u);
    EXPECT_EQ(parse_shard("3/4").count, 4u);
    for (const std::string bad : {"4/4", "-1/3", "1/0", "abc", "", "1/", "/3", "1/3/5", " 1/3", "1/+3", "0x1/3"})
        EXPECT_THAT(refusal(bad), HasSubstr("--shard: expected K/N, shard K (counted from 0) of N shards")) << bad;
}

// Slurm's array variables, from a table.
cli::Environment slurm(std::map<std::string, std::string> variables) {
    return [variables = std::move(variables)](const char* name) -> const char* {
        const auto found = variables.find(name);
        return found == variables.end() ? nullptr : found->second.c_str();
    };
}

std::string slurm_refusal(const cli::Environment& environment) {
    try {
        cli::shard_from_slurm_array(environment);
    } catch (const UserError& error) {
        return error.what();
    }
    return "accepted";
}

TEST(SlurmArray, TaskIdsMapToShardsWithAnOffsetAndAStep) {
    // sbatch --array=0-3: task 2 is shard 2 of 4.
    auto shard = cli::shard_from_slurm_array(slurm({{"SLURM_ARRAY_TASK_ID", "2"},
                                                    {"SLURM_ARRAY_TASK_COUNT", "4"},
                                                    {"SLURM_ARRAY_TASK_MIN", "0"},
                                                    {"SLURM_ARRAY_TASK_MAX", "3"},
                                                    {"SLURM_ARRAY_TASK_STEP", "1"}}));
    EXPECT_EQ(shard.index, 2u);
    EXPECT_EQ(shard.count, 4u);
    // --array=5-8 (no STEP variable): task 5 is shard 0.
    shard = cli::shard_from_slurm_array(slurm({{"SLURM_ARRAY_TASK_ID", "5"},
                                               {"SLURM_ARRAY_TASK_COUNT", "4"},
                                               {"SLURM_ARRAY_TASK_MIN", "5"},
                                               {"SLURM_ARRAY_TASK_MAX", "8"}}));
    EXPECT_EQ(shard.index, 0u);
    EXPECT_EQ(shard.count, 4u);
    // --array=4-10:2 gives tasks 4, 6, 8, 10: task 8 is shard 2 of 4.
    shard = cli::shard_from_slurm_array(slurm({{"SLURM_ARRAY_TASK_ID", "8"},
                                               {"SLURM_ARRAY_TASK_COUNT", "4"},
                                               {"SLURM_ARRAY_TASK_MIN", "4"},
                                               {"SLURM_ARRAY_TASK_MAX", "10"},
                                               {"SLURM_ARRAY_TASK_STEP", "2"}}));
    EXPECT_EQ(shard.index, 2u);
    EXPECT_EQ(shard.count, 4u);
}

TEST(SlurmArray, OutsideAnArrayOrWithAListItRefuses) {
    EXPECT_THAT(slurm_refusal(slurm({})), HasSubstr("SLURM_ARRAY_TASK_ID is not set: this is not a Slurm array job"));
    EXPECT_THAT(slurm_refusal(slurm({{"SLURM_ARRAY_TASK_ID", "1"}})),
                HasSubstr("SLURM_ARRAY_TASK_COUNT is not set; expected a whole number"));
    // --array=1,5,7: three tasks between 1 and 7 cannot be a range with a step.
    EXPECT_THAT(slurm_refusal(slurm({{"SLURM_ARRAY_TASK_ID", "5"},
                                     {"SLURM_ARRAY_TASK_COUNT", "3"},
                                     {"SLURM_ARRAY_TASK_MIN", "1"},
                                     {"SLURM_ARRAY_TASK_MAX", "7"},
                                     {"SLURM_ARRAY_TASK_STEP", "1"}})),
                HasSubstr("a list such as --array=1,5,7 cannot be mapped"));
    EXPECT_THAT(slurm_refusal(slurm({{"SLURM_ARRAY_TASK_ID", "x"},
                                     {"SLURM_ARRAY_TASK_COUNT", "3"},
                                     {"SLURM_ARRAY_TASK_MIN", "0"},
                                     {"SLURM_ARRAY_TASK_MAX", "2"}})),
                HasSubstr("SLURM_ARRAY_TASK_ID is 'x'"));
}

TEST(SlurmArray, CpusPerTaskGivesTheThreads) {
    EXPECT_EQ(cli::slurm_cpus_per_task(slurm({{"SLURM_CPUS_PER_TASK", "16"}})), std::optional<std::size_t>(16));
    EXPECT_EQ(cli::slurm_cpus_per_task(slurm({})), std::nullopt);
    EXPECT_EQ(cli::slurm_cpus_per_task(slurm({{"SLURM_CPUS_PER_TASK", "0"}})), std::nullopt);
    EXPECT_EQ(cli::slurm_cpus_per_task(slurm({{"SLURM_CPUS_PER_TASK", "lots"}})), std::nullopt);
}

}  // namespace
}  // namespace tapegrid
