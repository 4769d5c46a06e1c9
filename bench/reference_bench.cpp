// The sweep against a plain scalar loop (bench/reference_kernel.h), in bar-evaluations per second:
// both end to end from the loaded bars (timeline, indicator series, replays) on the reference
// workload (10 symbols x 100,000 bars, sweep_bench.cpp's 4,800 mean_reversion combinations), at
// 1 and 2 threads.
#include <benchmark/benchmark.h>

#include <algorithm>

#include "bench/bench_market.h"
#include "bench/reference_kernel.h"
#include "engine/replay/replay_data.h"
#include "engine/sweep/sweep_graph.h"
#include "strategies/registry.h"

namespace tapegrid {
namespace {

const std::vector<SymbolBars>& bars() {
    return bench::reference_market().bars;
}

// As sweep_bench.cpp: bb_period {10..30} x bb_std {1.5..3} x rsi_period {7,14,21} x rsi_threshold
// {20..40} x stop_loss_pct {1,2,3,5} x take_profit_pct {1,2,3,5}: 4,800 combinations.
ParameterGrid reference_grid() {
    const StrategyInfo& strategy = strategy_info<MeanReversion>();
    std::vector<GridAxis> axes = {
        {MeanReversion::kBbPeriod, {10, 15, 20, 25, 30}}, {MeanReversion::kBbStd, {1.5, 2.0, 2.5, 3.0}},
        {MeanReversion::kRsiPeriod, {7, 14, 21}},         {MeanReversion::kRsiThreshold, {20, 25, 30, 35, 40}},
        {MeanReversion::kStopLossPct, {1, 2, 3, 5}},      {MeanReversion::kTakeProfitPct, {1, 2, 3, 5}}};
    return ParameterGrid(strategy, default_params(strategy.params), std::move(axes), {});
}

// The grid's combinations as the reference kernel takes them, in grid order.
std::vector<bench::ReferenceCombination> reference_combinations() {
    const ParameterGrid grid = reference_grid();
    std::vector<bench::ReferenceCombination> combinations;
    for (std::uint64_t index = 0; index < grid.size(); ++index) {
        const ParamSet p = grid.at(index);
        combinations.push_back({.bb_period = static_cast<int>(p[MeanReversion::kBbPeriod]),
                                .bb_std = p[MeanReversion::kBbStd],
                                .rsi_period = static_cast<int>(p[MeanReversion::kRsiPeriod]),
                                .rsi_threshold = p[MeanReversion::kRsiThreshold],
                                .stop_loss_pct = p[MeanReversion::kStopLossPct],
                                .take_profit_pct = p[MeanReversion::kTakeProfitPct]});
    }
    return combinations;
}

double bar_evaluations(std::size_t combinations) {
    std::size_t total = 0;
    for (const auto& symbol : bars()) total += symbol.size();
    return static_cast<double>(total) * static_cast<double>(combinations);
}

class NullSink final : public RowSink {
  public:
    void write(const std::vector<SweepRow>& rows) override { benchmark::DoNotOptimize(rows.data()); }
};

// The plain loop: union timeline, each distinct series once, then one combination at a time.
void BM_ReferenceLoop(benchmark::State& state) {
    const std::vector<bench::ReferenceCombination> combinations = reference_combinations();
    // As the sweep would infer it; not timed on either side.
    const double periods_per_year = prepare_replay_data(bars(), std::nullopt).periods_per_year;
    const auto threads = static_cast<int>(state.range(0));
    for (auto _ : state) {
        const auto rows = bench::run_reference_sweep(bars(), combinations, periods_per_year, threads);
        benchmark::DoNotOptimize(rows.data());
    }
    state.counters["bar_evals/s"] = benchmark::Counter(
        static_cast<double>(state.iterations()) * bar_evaluations(combinations.size()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ReferenceLoop)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

// tapegrid's sweep from the same bars: the timeline (prepare_replay_data), the plan, and the flow
// graph (series, replays, ranking), rows discarded; blocks per task as BM_SweepGraph's.
void BM_TapegridSweep(benchmark::State& state) {
    const ParameterGrid grid = reference_grid();
    const auto threads = static_cast<std::size_t>(state.range(0));
    RankSpec rank;
    rank.keys = {{Metric::kSharpeRatio, true}};
    NullSink sink;
    for (auto _ : state) {
        const ReplayData data = prepare_replay_data(bars(), std::nullopt);
        const SweepPlan plan = plan_sweep(grid, data, std::clamp<std::size_t>(600 / (8 * threads), 1, 8));
        SweepRunOptions options;
        options.threads = threads;
        const SweepRunResult result = run_sweep(data, grid, plan, rank, sink, options);
        benchmark::DoNotOptimize(result.top.data());
    }
    state.counters["bar_evals/s"] = benchmark::Counter(
        static_cast<double>(state.iterations()) * bar_evaluations(grid.size()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_TapegridSweep)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

}  // namespace
}  // namespace tapegrid

int main(int argc, char** argv) {
    // The market is generated before any timing starts.
    tapegrid::bench::reference_market();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
