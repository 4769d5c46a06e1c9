// Indicator series over one symbol of 100,000 one-minute bars: bars per second for each kind,
// at short and long periods (the exact window sums of docs/STRATEGIES.md cost O(period) a bar).
#include <benchmark/benchmark.h>

#include "bench/bench_market.h"
#include "engine/indicators/streaming_indicator.h"

namespace tapegrid {
namespace {

void series(benchmark::State& state, IndicatorKind kind) {
    const SymbolBars& bars = bench::reference_market().bars.front();
    const IndicatorKey key{kind, static_cast<int>(state.range(0))};
    for (auto _ : state) {
        const std::vector<double> values = compute_indicator(key, bars);
        benchmark::DoNotOptimize(values.back());
    }
    state.counters["bars/s"] =
        benchmark::Counter(static_cast<double>(state.iterations() * bars.size()), benchmark::Counter::kIsRate);
}

void BM_Sma(benchmark::State& state) {
    series(state, IndicatorKind::kSma);
}
void BM_StdDev(benchmark::State& state) {
    series(state, IndicatorKind::kStdDev);
}
void BM_Ema(benchmark::State& state) {
    series(state, IndicatorKind::kEma);
}
void BM_Rsi(benchmark::State& state) {
    series(state, IndicatorKind::kRsi);
}
void BM_Atr(benchmark::State& state) {
    series(state, IndicatorKind::kAtr);
}
void BM_PriorHigh(benchmark::State& state) {
    series(state, IndicatorKind::kPriorHigh);
}
void BM_PriorMeanVolume(benchmark::State& state) {
    series(state, IndicatorKind::kPriorMeanVolume);
}
BENCHMARK(BM_Sma)->Arg(2)->Arg(20)->Arg(200)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_StdDev)->Arg(2)->Arg(20)->Arg(60)->Arg(200)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Ema)->Arg(20)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Rsi)->Arg(14)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Atr)->Arg(14)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PriorHigh)->Arg(20)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_PriorMeanVolume)->Arg(20)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace tapegrid

BENCHMARK_MAIN();
