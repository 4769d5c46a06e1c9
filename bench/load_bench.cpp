// Loading a recording into columns: the seal check, HDF5 reads and validation, in bytes of column data per second;
// and, on a 50 x 1,000,000-bar recording, the time to the first task beside the time to read the file's bytes.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include "bench/bench_files.h"
#include "engine/core/large_buffers.h"
#include "engine/replay/replay_data.h"
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

// 50 symbols x 1,000,000 bars (2.8 GB of columns), written as `tapegrid generate` writes it: a
// symbol and a batch at a time.
const std::string& big_recording_file() {
    static const std::string path = [] {
        MarketGeneratorOptions options;
        options.symbols = 50;
        options.bars = 1'000'000;
        const std::string file = (bench::scratch_directory() / "big.h5").string();
        RecordingInfo info = synthetic_market_info(options);
        write_recording_file(file, info, 1 << 16, [&](RecordingFileWriter& writer) {
            SymbolBars batch;
            for (std::size_t s = 0; s < options.symbols; ++s) {
                SymbolBarStream stream(options, s);
                while (stream.next(1 << 16, batch)) writer.append_bars(batch);
                writer.close_symbol(info.symbols[s]);
            }
        });
        return file;
    }();
    return path;
}

// The yardstick: the file's bytes read from the page cache into freshly allocated memory (its
// page faults included, as any load into a process's memory pays them).
void BM_ReadFileBytes_50x1M(benchmark::State& state) {
    const std::string& path = big_recording_file();
    const std::size_t bytes = std::filesystem::file_size(path);
    for (auto _ : state) {
        const int fd = ::open(path.c_str(), O_RDONLY);
        auto buffer = large_vector<char>(bytes);
        for (std::size_t offset = 0; offset < bytes;) {
            const ssize_t n = ::pread(fd, buffer.data() + offset, std::min<std::size_t>(64 << 20, bytes - offset),
                                      static_cast<off_t>(offset));
            if (n <= 0) break;
            offset += static_cast<std::size_t>(n);
        }
        ::close(fd);
        benchmark::DoNotOptimize(buffer.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_ReadFileBytes_50x1M)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// What a sweep does before its first task: the seal check, the columns read and validated, the
// union timeline merged and cut into chunks.
void BM_LoadToFirstTask_50x1M(benchmark::State& state) {
    const std::string& path = big_recording_file();
    for (auto _ : state) {
        Recording recording = load_recording(path, LoadOptions{.events = false});
        const ReplayData data = prepare_replay_data(recording.bars, std::nullopt);
        benchmark::DoNotOptimize(data.timeline.timestamps.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * std::filesystem::file_size(path)));
}
BENCHMARK(BM_LoadToFirstTask_50x1M)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace
}  // namespace tapegrid

BENCHMARK_MAIN();
