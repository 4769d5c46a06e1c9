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
    line.options.add_options()("symbols", po::value<long long>()->default_value(10),
                               "number of symbols (SYN00, SYN01, ...)")(
        "bars", po::value<long long>()->default_value(100000), "bars per symbol")(
        "seed", po::value<unsigned long long>()->default_value(42), "random seed")(
        "interval", po::value<std::string>()->default_value("1m"), "bar interval: 1m, 5m, 15m, 30m, 1h or 1d")(
        "start", po::value<std::string>(), "first trading day (ISO date; default 2024-01-02)")(
        "output,o", po::value<std::string>(), "the recording file to write (must not exist)");
    add_store_option(line);
    add_json_option(line);
    const auto options = parse(arguments, line);
    if (!options) return kExitOk;

    MarketGeneratorOptions generator;
    const long long symbols = (*options)["symbols"].as<long long>();
    const long long bars = (*options)["bars"].as<long long>();
    if (symbols < 1 || symbols > 100000)
        throw UserError("--symbols: expected 1..100000, found " + std::to_string(symbols));
    if (bars < 1) throw UserError("--bars: expected at least 1, found " + std::to_string(bars));
    generator.symbols = static_cast<std::size_t>(symbols);
    generator.bars = static_cast<std::size_t>(bars);
    generator.seed = (*options)["seed"].as<unsigned long long>();
    generator.interval_ns = parse_interval((*options)["interval"].as<std::string>());
    if (options->count("start")) {
        const auto start = parse_iso8601((*options)["start"].as<std::string>());
        if (!start)
            throw UserError("--start: expected an ISO date like 2024-01-02, found '" +
                            (*options)["start"].as<std::string>() + "'");
        generator.start_ns = *start;
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
