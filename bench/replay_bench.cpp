// One replay (one parameter set) over 10 symbols x 100,000 bars, indicators included.
#include <benchmark/benchmark.h>

#include "bench/bench_market.h"
#include "engine/replay/replay_data.h"
#include "engine/replay/replay_runner.h"
#include "strategies/registry.h"

namespace tapegrid {
namespace {

const Recording& market() {
    return bench::reference_market();
}

void replay_strategy(benchmark::State& state, const std::string& name) {
    const Recording& recording = market();
    const ReplayData data = prepare_replay_data(recording.bars, std::nullopt);
    const StrategyInfo& strategy = find_strategy(name);
    const ParamSet params = default_params(strategy.params);
    std::int64_t trades = 0;
    for (auto _ : state) {
        const ReplayResult result = run_replay(name, data, params);
        trades = result.metrics.total_trades;
        benchmark::DoNotOptimize(result.metrics.total_pnl);
    }
    state.counters["bar_evals/s"] =
        benchmark::Counter(static_cast<double>(state.iterations() * data.total_bars), benchmark::Counter::kIsRate);
    state.counters["trades"] = static_cast<double>(trades);
}

void BM_ReplayMeanReversion_10x100k(benchmark::State& state) {
    replay_strategy(state, "mean_reversion");
}
void BM_ReplayMomentum_10x100k(benchmark::State& state) {
    replay_strategy(state, "momentum");
}
void BM_ReplayMaCrossover_10x100k(benchmark::State& state) {
    replay_strategy(state, "ma_crossover");
}
BENCHMARK(BM_ReplayMeanReversion_10x100k)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ReplayMomentum_10x100k)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ReplayMaCrossover_10x100k)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace tapegrid

BENCHMARK_MAIN();
