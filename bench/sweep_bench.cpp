// The sweep's throughput in bar-evaluations per second: the kernel on one core, and the whole
// flow graph, on the reference workload (10 symbols x 100,000 bars, configs/bench_mean_reversion.toml's grid).
#include <benchmark/benchmark.h>

#include <thread>

#include "bench/bench_market.h"
#include "engine/replay/group_series.h"
#include "engine/replay/lane_block.h"
#include "engine/replay/replay_data.h"
#include "engine/sweep/sweep_graph.h"
#include "strategies/registry.h"

namespace tapegrid {
namespace {

const Recording& market() {
    return bench::reference_market();
}

// bb_period {10..30} x bb_std {1.5..3} x rsi_period {7,14,21} x rsi_threshold {20..40} x
// stop_loss_pct {1,2,3,5} x take_profit_pct {1,2,3,5}: 4,800 combinations.
ParameterGrid reference_grid() {
    const StrategyInfo& strategy = strategy_info<MeanReversion>();
    std::vector<GridAxis> axes = {
        {MeanReversion::kBbPeriod, {10, 15, 20, 25, 30}}, {MeanReversion::kBbStd, {1.5, 2.0, 2.5, 3.0}},
        {MeanReversion::kRsiPeriod, {7, 14, 21}},         {MeanReversion::kRsiThreshold, {20, 25, 30, 35, 40}},
        {MeanReversion::kStopLossPct, {1, 2, 3, 5}},      {MeanReversion::kTakeProfitPct, {1, 2, 3, 5}}};
    return ParameterGrid(strategy, default_params(strategy.params), std::move(axes), {});
}

class NullSink final : public RowSink {
  public:
    void write(const std::vector<SweepRow>& rows) override { benchmark::DoNotOptimize(rows.data()); }
};

// The kernel alone: one task (64 combinations sharing their series) over every chunk, one core.
void BM_SweepKernel_MeanReversion_10x100k(benchmark::State& state) {
    const ReplayData data = prepare_replay_data(market().bars, std::nullopt);
    const ParameterGrid grid = reference_grid();
    const SweepPlan plan = plan_sweep(grid, data, 8);
    double rate = 0;
    for (auto _ : state) rate = measure_bar_evaluations_per_second(data, grid, plan, data.chunk_count());
    state.counters["bar_evals/s"] = rate;
}
BENCHMARK(BM_SweepKernel_MeanReversion_10x100k)->Unit(benchmark::kMillisecond)->Iterations(3);

// The kernel at a chosen lane width, side by side: the first task's 64 combinations as blocks of
// L lanes over every chunk, one core. 8 lanes is the plan's block; on a target without AVX-512
// GCC lowers 8-lane vectors piecewise through the stack, and the sweep runs kNativeLanes (4).
template <int L>
void BM_LaneWidth_MeanReversion_10x100k(benchmark::State& state) {
    const ReplayData data = prepare_replay_data(market().bars, std::nullopt);
    const ParameterGrid grid = reference_grid();
    const SweepPlan plan = plan_sweep(grid, data, 8);
    const SweepTask& task = plan.tasks.front();
    std::vector<ParamSet> params(task.count);
    for (std::size_t i = 0; i < task.count; ++i)
        grid.fill(plan.groups[task.group].combinations[task.first + i], params[i]);
    std::vector<const ParamSet*> pointers;
    for (const auto& set : params) pointers.push_back(&set);
    OwnedSeries series(market().bars);
    const auto columns = assemble_columns<MeanReversion>(params[0], market().bars.size(), series);
    std::vector<typename Lanes<L>::Doubles> changes(kTimelineChunk);
    NullTradeSink sink;
    for (auto _ : state) {
        std::vector<LaneBlock<MeanReversion, L>> blocks;
        for (std::size_t first = 0; first < pointers.size(); first += L)
            blocks.emplace_back(std::span<const ParamSet* const>(pointers.data() + first, L), market().bars.size());
        for (std::size_t chunk = 0; chunk < data.chunk_count(); ++chunk)
            for (auto& block : blocks) block.run_chunk(data, columns, chunk, changes.data(), sink);
        benchmark::DoNotOptimize(blocks.front().metrics(0, data).total_pnl);
    }
    state.counters["bar_evals/s"] = benchmark::Counter(
        static_cast<double>(state.iterations() * task.count * data.total_bars), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_LaneWidth_MeanReversion_10x100k<8>)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_LaneWidth_MeanReversion_10x100k<4>)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// The whole sweep through the flow graph (indicators, replays, ranking), rows discarded.
void BM_SweepGraph_MeanReversion_10x100k(benchmark::State& state) {
    const ReplayData data = prepare_replay_data(market().bars, std::nullopt);
    const ParameterGrid grid = reference_grid();
    const auto threads = static_cast<std::size_t>(state.range(0));
    const SweepPlan plan = plan_sweep(grid, data, std::clamp<std::size_t>(600 / (8 * threads), 1, 8));
    RankSpec rank;
    rank.keys = {{Metric::kSharpeRatio, true}};
    NullSink sink;
    for (auto _ : state) {
        SweepRunOptions options;
        options.threads = threads;
        const SweepRunResult result = run_sweep(data, grid, plan, rank, sink, options);
        benchmark::DoNotOptimize(result.top.data());
    }
    state.counters["bar_evals/s"] =
        benchmark::Counter(static_cast<double>(state.iterations() * plan.bar_evaluations), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SweepGraph_MeanReversion_10x100k)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

}  // namespace
}  // namespace tapegrid

BENCHMARK_MAIN();
