// `tapegrid generate`: a seeded synthetic recording.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "engine/cli/command.h"
#include "engine/core/errors.h"
#include "engine/core/system_memory.h"
#include "engine/synthetic/market_generator.h"
#include "io/hdf5/recording_file_writer.h"
#include "io/store/recording_store.h"

namespace tapegrid::cli {

namespace {

TimestampNs parse_interval(const std::string& text) {
    if (text == "1m") return kNsPerMinute;
    if (text == "5m") return 5 * kNsPerMinute;
    if (text == "15m") return 15 * kNsPerMinute;
    if (text == "30m") return 30 * kNsPerMinute;
    if (text == "1h") return kNsPerHour;
    if (text == "1d") return kNsPerDay;
    throw UserError("--interval: expected one of 1m, 5m, 15m, 30m, 1h, 1d, found '" + text + "'");
}

// Memory is no limit (the bars are written a batch at a time), the disk is: a recording its
// filesystem cannot hold is refused before anything is written, not after hours of writing.
void refuse_what_the_disk_cannot_hold(const MarketGeneratorOptions& generator, const std::string& path) {
    // 7 columns of 8 bytes a bar; HDF5's own structures add well under 1%.
    const double bytes = static_cast<double>(generator.symbols) * static_cast<double>(generator.bars) * 7.0 * 8.0;
    std::filesystem::path directory = std::filesystem::absolute(path).parent_path();
    std::error_code error;
    while (!directory.empty() && !std::filesystem::exists(directory, error) && directory != directory.root_path())
        directory = directory.parent_path();
    const std::filesystem::space_info space = std::filesystem::space(directory, error);
    if (error) return;  // nothing known about the disk: the write itself will say
    if (bytes > static_cast<double>(space.available))
        throw UserError(fmt::format(
            "--symbols {} x --bars {}: the recording would need {} of disk, and {} has {} free; generate fewer bars",
            generator.symbols, generator.bars, human_bytes(bytes), directory.string(),
            human_bytes(static_cast<double>(space.available))));
}

}  // namespace

int run_generate(const Arguments& arguments) {
    CommandLine line;
    line.usage = "tapegrid generate --symbols N --bars M --seed S [-o FILE] [options]";
    line.description =
        "Writes a synthetic recording: for each symbol, a mean-reverting random walk whose volatility\n"
        "switches between a calm and a volatile regime, on a weekday 14:30-21:00 UTC session calendar.\n"
        "The same seed always gives the same bars. Without -o the recording goes into the store.";
    line.options.add_options()("symbols", po::value<Count>()->default_value(Count{10}, "10"),
                               "number of symbols (SYN00, SYN01, ...)")(
        "bars", po::value<Count>()->default_value(Count{100000}, "100000"), "bars per symbol")(
        "seed", po::value<Count>()->default_value(Count{42}, "42"), "random seed")(
        "interval", po::value<std::string>()->default_value("1m"), "bar interval: 1m, 5m, 15m, 30m, 1h or 1d")(
        "start", po::value<std::string>(), "first trading day (ISO date; default 2024-01-02)")(
        "output,o", po::value<std::string>(), "the recording file to write (must not exist)");
    add_store_option(line);
    add_json_option(line);
    const auto options = parse(arguments, line);
    if (!options) return kExitOk;

    MarketGeneratorOptions generator;
    generator.symbols = count_option(*options, "symbols", 1, 100000);
    generator.bars = count_option(*options, "bars", 1, UINT64_MAX);
    generator.seed = count_option(*options, "seed", 0, UINT64_MAX);
    generator.interval_ns = parse_interval((*options)["interval"].as<std::string>());
    if (options->count("start")) {
        generator.start_ns = require_iso8601((*options)["start"].as<std::string>(), "--start");
    }
    RecordingInfo info = synthetic_market_info(generator);
    const std::string path = options->count("output") ? (*options)["output"].as<std::string>()
                                                      : store_path_for(store_directory(*options), info.recording_id);
    refuse_what_the_disk_cannot_hold(generator, path);
    // A symbol at a time, a batch at a time: tens of MB of buffers whatever the size.
    constexpr std::size_t kBatchRows = 1 << 16;
    const std::size_t chunk_rows = std::clamp<std::size_t>(generator.bars, 1024, kBatchRows);
    write_recording_file(path, info, chunk_rows, [&](RecordingFileWriter& writer) {
        SymbolBars batch;
        for (std::size_t s = 0; s < generator.symbols; ++s) {
            SymbolBarStream stream(generator, s);
            while (stream.next(kBatchRows, batch)) writer.append_bars(batch);
            writer.close_symbol(info.symbols[s]);
        }
    });
    if (options->count("json")) {
        std::cout << nlohmann::json{{"success", true},
                                    {"recording_id", info.recording_id},
                                    {"path", path},
                                    {"symbols", info.symbols},
                                    {"total_bars_recorded", info.total_bars_recorded}}
                         .dump(2)
                  << '\n';
    } else {
        std::cout << "wrote " << path << "\n  recording_id " << info.recording_id << "\n  " << generator.symbols
                  << " symbols x " << generator.bars << " bars = " << info.total_bars_recorded << " bars (seed "
                  << generator.seed << ")\n";
    }
    return kExitOk;
}

}  // namespace tapegrid::cli
