// plan.json and top.json.
#include "io/results/sweep_reports.h"

#include "engine/core/metric_names.h"
#include "io/json/replay_json.h"
#include "io/results/sweep_writers.h"
#include "strategies/registry.h"

namespace tapegrid {

namespace {

// A shard's place in the whole sweep, or null.
nlohmann::json shard_json(const SweepRunner& runner) {
    if (!runner.shard()) return nullptr;
    const ShardSpec& shard = *runner.shard();
    const ShardRange& range = runner.whole().shards[shard.index];
    return {{"shard", shard.index},
            {"shards", shard.count},
            {"first_row", range.first_row},
            {"end_row", range.end_row},
            {"whole_combinations", runner.whole().combinations},
            {"whole_bar_evaluations", runner.whole().bar_evaluations}};
}

nlohmann::json search_json(const SweepRunner& runner) {
    const SearchSpec& search = runner.spec().search;
    if (search.method == SearchMethod::kGrid) return nullptr;
    return {{"method", search_method_name(search.method)},
            {"budget", search.budget},
            {"seed", search.seed},
            {"initial", search.initial},
            {"batch", search.batch},
            {"runs_grid", !runner.searches()},
            {"note", runner.search_note()}};
}

}  // namespace

nlohmann::json memory_json(const MemoryPath& memory) {
    if (memory.limit_bytes == 0) return nullptr;  // a front door that did not choose (tests, benches)
    return {{"path", memory.windowed ? "windows" : "in_memory"},
            {"window_timestamps", memory.windowed ? nlohmann::json(memory.window_timestamps) : nlohmann::json()},
            {"limit_bytes", memory.limit_bytes},
            {"in_memory_bytes", memory.in_memory_bytes},
            {"reason", memory.reason}};
}

nlohmann::json sweep_plan_json(const SweepRunner& runner) {
    const SweepSpec& spec = runner.spec();
    const SweepPlan& plan = runner.plan();
    nlohmann::json series = nlohmann::json::array();
    for (const auto& key : plan.distinct_series) series.push_back(key.describe());
    return {{"name", spec.name},
            {"strategy", spec.strategy},
            {"recordings", spec.recordings},
            {"grid_size", plan.grid_size},
            {"combinations", plan.combinations},
            {"dropped_by_constraints", plan.dropped_by_constraints},
            {"dropped_by_rules", plan.dropped_by_rules},
            {"bars", plan.bars},
            {"bar_evaluations", plan.bar_evaluations},
            {"groups", plan.groups.size()},
            {"tasks", plan.tasks.size()},
            {"distinct_series", series},
            {"threads", runner.threads()},
            {"estimated_seconds", runner.estimated_seconds()},
            {"estimated_memory_bytes", plan.estimated_memory_bytes},
            {"shard", shard_json(runner)},
            {"search", search_json(runner)},
            {"memory", memory_json(runner.memory())}};
}

nlohmann::json overfitting_json(const std::optional<OverfittingReport>& report) {
    if (!report) return nullptr;
    const ReturnMoments& m = report->moments;
    nlohmann::json pbo = nullptr;
    if (report->pbo) {
        const PboResult& p = *report->pbo;
        // The logits' distribution in 12 half-unit bins over [-3, 3] (the end bins take the rest).
        constexpr double kLow = -3.0, kHigh = 3.0;
        constexpr std::size_t kBins = 12;
        nlohmann::json edges = nlohmann::json::array();
        for (std::size_t b = 0; b <= kBins; ++b)
            edges.push_back(kLow + (kHigh - kLow) * static_cast<double>(b) / static_cast<double>(kBins));
        double mean = 0.0;
        for (const double l : p.logits) mean += l;
        if (!p.logits.empty()) mean /= static_cast<double>(p.logits.size());
        pbo = {{"pbo", p.pbo},
               {"blocks", report->matrix ? report->matrix->blocks : 0},
               {"splits_total", p.splits_total},
               {"splits_evaluated", p.splits_evaluated},
               {"sampled", p.sampled},
               {"logit_mean", finite_or_null(mean)},
               {"logit_histogram", {{"edges", edges}, {"counts", logit_histogram(p.logits, kLow, kHigh, kBins)}}},
               {"degradation_slope", finite_or_null(p.degradation_slope)},
               {"degradation_intercept", finite_or_null(p.degradation_intercept)},
               {"probability_of_loss", p.probability_of_loss}};
    }
    return {{"combination", report->combination},
            {"returns", m.count},
            {"sharpe_per_bar", finite_or_null(m.sharpe)},
            {"skewness", finite_or_null(m.skewness)},
            {"kurtosis", finite_or_null(m.kurtosis)},
            {"probabilistic_sharpe_ratio", finite_or_null(report->probabilistic_sharpe)},
            {"trials", report->trials},
            // V and SR* come from the block returns: null where they were not kept.
            {"sharpe_variance", report->matrix ? finite_or_null(report->sharpe_variance) : nullptr},
            {"expected_maximum_sharpe", report->matrix ? finite_or_null(report->expected_maximum_sharpe) : nullptr},
            {"deflated_sharpe_ratio", finite_or_null(report->deflated_sharpe)},
            {"pbo", pbo},
            {"pbo_skipped", report->pbo ? nlohmann::json(nullptr) : nlohmann::json(report->pbo_skipped)}};
}

nlohmann::json sweep_run_json(const SweepOutcome& outcome) {
    return {{"rows", outcome.rows_written},
            {"tasks", outcome.tasks_done},
            {"resumed_at_task", outcome.resumed_at_task},
            {"rows_this_run", outcome.rows_this_run},
            {"interrupted", outcome.interrupted},
            {"wall_seconds", outcome.wall_seconds},
            {"bar_evaluations_per_second", outcome.bar_evaluations_per_second},
            {"overfitting", overfitting_json(outcome.overfitting)},
            // Apart from the figures, which are the same however the sweep ran (in shards, over MPI).
            {"overfitting_seconds", outcome.overfitting ? nlohmann::json(outcome.overfitting->seconds) : nullptr}};
}

nlohmann::json sweep_top_json(const SweepRunner& runner, const SweepOutcome& outcome) {
    const SweepSpec& spec = runner.spec();
    const StrategyInfo& strategy = find_strategy(spec.strategy);
    nlohmann::json top = nlohmann::json::array();
    for (std::size_t i = 0; i < outcome.top.size(); ++i) {
        nlohmann::json row = sweep_row_json(*spec.grid, outcome.top[i].row);
        row["rank"] = i + 1;
        nlohmann::json trades = nlohmann::json::array();
        for (const auto& trade : outcome.top[i].trades) trades.push_back(trade_to_json(trade));
        row["positions"] = trades;
        top.push_back(std::move(row));
    }
    nlohmann::json original = nullptr;
    if (outcome.original) {
        original = {{"parameters", params_to_json(strategy, outcome.original->params)},
                    {"rank", outcome.original->rank},
                    {"in_grid", outcome.original->combination.has_value()}};
        for (const Metric metric : kAllMetrics)
            original[std::string(metric_name(metric))] =
                finite_or_null(metric_value(outcome.original->metrics, metric));
    }
    nlohmann::json rank = nlohmann::json::array();
    for (const auto& key : spec.rank.keys)
        rank.push_back({{"by", metric_name(key.metric)}, {"order", key.descending ? "descending" : "ascending"}});
    return {{"strategy", spec.strategy},
            {"rank_by", rank},
            {"ranked_rows", outcome.ranked_rows},
            {"top", top},
            {"original", original},
            {"overfitting", overfitting_json(outcome.overfitting)},
            {"interrupted", outcome.interrupted}};
}

}  // namespace tapegrid
