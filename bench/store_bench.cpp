// Listing a store of 1,000 recordings: metadata only.
#include <benchmark/benchmark.h>

#include "bench/bench_files.h"
#include "engine/synthetic/market_generator.h"
#include "io/hdf5/recording_file_writer.h"
#include "io/store/recording_store.h"

namespace tapegrid {
namespace {

const std::string& store_of_1000() {
    static const std::string store = [] {
        const std::string directory = (bench::scratch_directory() / "store").string();
        MarketGeneratorOptions options;
        options.symbols = 3;
        options.bars = 2'000;
        for (int i = 0; i < 1000; ++i) {
            options.seed = static_cast<std::uint64_t>(i);
            const Recording recording = generate_market(options);
            write_recording_file(store_path_for(directory, recording.info.recording_id), recording);
        }
        return directory;
    }();
    return store;
}

void BM_ListStore_1000Recordings(benchmark::State& state) {
    const std::string& store = store_of_1000();
    for (auto _ : state) {
        const auto listed = list_store(store);
        if (listed.size() != 1000) state.SkipWithError("expected 1000 recordings");
        benchmark::DoNotOptimize(listed.data());
    }
}
BENCHMARK(BM_ListStore_1000Recordings)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace tapegrid

BENCHMARK_MAIN();
