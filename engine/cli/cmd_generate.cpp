// `tapegrid generate`: a seeded synthetic recording.
#include <iostream>
#include <nlohmann/json.hpp>

#include "engine/cli/command.h"
#include "engine/core/errors.h"
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
    const Recording recording = generate_market(generator);
    const std::string path = options->count("output")
                                 ? (*options)["output"].as<std::string>()
                                 : store_path_for(store_directory(*options), recording.info.recording_id);
    write_recording_file(path, recording);
    if (options->count("json")) {
        std::cout << nlohmann::json{{"success", true},
                                    {"recording_id", recording.info.recording_id},
                                    {"path", path},
                                    {"symbols", recording.info.symbols},
                                    {"total_bars_recorded", recording.info.total_bars_recorded}}
                         .dump(2)
                  << '\n';
    } else {
        std::cout << "wrote " << path << "\n  recording_id " << recording.info.recording_id << "\n  "
                  << generator.symbols << " symbols x " << generator.bars
                  << " bars = " << recording.info.total_bars_recorded << " bars (seed " << generator.seed << ")\n";
    }
    return kExitOk;
}

}  // namespace tapegrid::cli
