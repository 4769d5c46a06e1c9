// Loading a recording into columns: the seal check, HDF5 reads and validation, in bytes of column data per second.
#include <benchmark/benchmark.h>

#include "bench/bench_files.h"
#include "engine/synthetic/market_generator.h"
#include "io/hdf5/recording_file_writer.h"
#include "io/hdf5/recording_reader.h"
#include "io/hdf5/recording_seal.h"
#include "io/validation/bars_validation.h"

namespace tapegrid {
namespace {

constexpr std::size_t kSymbols = 10;
constexpr std::size_t kBarsPerSymbol = 200'000;
// timestamp, open, high, low, close, volume, sequence: 8 bytes each.
constexpr std::size_t kColumnBytes = kSymbols * kBarsPerSymbol * 7 * 8;

const std::string& recording_file() {
    static const std::string path = [] {
        MarketGeneratorOptions options;
        options.symbols = kSymbols;
        options.bars = kBarsPerSymbol;
        const std::string file = (bench::scratch_directory() / "load.h5").string();
        write_recording_file(file, generate_market(options));
        return file;
    }();
    return path;
}

// The whole load a replay does: seal verification, one read per column, validation.
void BM_LoadRecording_10x200k(benchmark::State& state) {
    const std::string& path = recording_file();
    for (auto _ : state) {
        Recording recording = load_recording(path, LoadOptions{.events = false});
        benchmark::DoNotOptimize(recording.bars.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kColumnBytes));
}
BENCHMARK(BM_LoadRecording_10x200k)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same without the seal check: HDF5 reads and validation alone.
void BM_LoadRecordingUnverified_10x200k(benchmark::State& state) {
    const std::string& path = recording_file();
    for (auto _ : state) {
        Recording recording = load_recording(path, LoadOptions{.events = false, .verify_seal = false});
        benchmark::DoNotOptimize(recording.bars.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kColumnBytes));
}
BENCHMARK(BM_LoadRecordingUnverified_10x200k)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_VerifySeal_10x200k(benchmark::State& state) {
    const std::string& path = recording_file();
    for (auto _ : state) benchmark::DoNotOptimize(verify_seal(path));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * std::filesystem::file_size(path)));
}
BENCHMARK(BM_VerifySeal_10x200k)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ValidateBars_200k(benchmark::State& state) {
    MarketGeneratorOptions options;
    options.symbols = 1;
    options.bars = kBarsPerSymbol;
    const Recording recording = generate_market(options);
    for (auto _ : state) validate_bars(recording.bars[0], "bench");
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * kBarsPerSymbol * 7 * 8));
}
BENCHMARK(BM_ValidateBars_200k)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace tapegrid

BENCHMARK_MAIN();
