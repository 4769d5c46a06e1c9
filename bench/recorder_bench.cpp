// Appending bars through the SessionRecorder with its default flush policy, in bars per second.
#include <benchmark/benchmark.h>

#include "bench/bench_files.h"
#include "io/hdf5/session_recorder.h"

namespace tapegrid {
namespace {

// One recording of 4 symbols x state.range(0) bars, with two indicators per bar, as a live
// loop would record them: a bar per symbol per timestamp, then a flush on the default policy.
void BM_RecordBars_DefaultFlushPolicy(benchmark::State& state) {
    const auto bars_per_symbol = static_cast<std::size_t>(state.range(0));
    const std::vector<std::string> symbols = {"AAA", "BBB", "CCC", "DDD"};
    int run = 0;
    for (auto _ : state) {
        const std::string path = (bench::scratch_directory() / ("rec" + std::to_string(run++) + ".h5")).string();
        SessionRecorder recorder(path, "bench", 1, "mean_reversion", {{"bb_period", 20}}, symbols);
        for (std::size_t i = 0; i < bars_per_symbol; ++i) {
            const TimestampNs t = 1'704'205'800'000'000'000 + static_cast<TimestampNs>(i) * kNsPerMinute;
            const double close = 100.0 + static_cast<double>(i % 500) * 0.01;
            for (const auto& symbol : symbols)
                recorder.record_market_data(symbol, t, close, close + 0.05, close - 0.05, close, 1000.0,
                                            {{"rsi", 50.0}, {"bb_lower", close - 1.0}});
        }
        recorder.stop_recording();
        state.PauseTiming();
        std::filesystem::remove(path);
        state.ResumeTiming();
    }
    state.counters["bars/s"] =
        benchmark::Counter(static_cast<double>(state.iterations() * bars_per_symbol * 4), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RecordBars_DefaultFlushPolicy)->Arg(250'000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace tapegrid

BENCHMARK_MAIN();
