// The sweep's throughput in bar-evaluations per second: the kernel on one core, and the whole
// flow graph, on the reference workload (10 symbols x 100,000 bars, configs/bench_mean_reversion.toml's grid).
#include <benchmark/benchmark.h>

#include <thread>

#include "bench/bench_market.h"
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
