// `tapegrid recordings events` and `tapegrid recordings bars`: pages of a recording's rows.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "engine/cli/command.h"
#include "engine/cli/recording_views.h"
#include "engine/core/errors.h"
#include "io/hdf5/recording_reader.h"
#include "io/json/recording_info_json.h"
#include "io/store/recording_store.h"
#include "io/store/store_json.h"

namespace tapegrid::cli {

namespace {

void add_page_options(CommandLine& line, std::size_t default_limit) {
    line.options.add_options()(
        "limit", po::value<Count>()->default_value(Count{default_limit}, std::to_string(default_limit)),
        "rows per page")("offset", po::value<Count>()->default_value(Count{0}, "0"), "rows to skip");
    add_recording_argument(line);
}

std::string page_summary(std::size_t offset, std::size_t shown, std::size_t total, const char* noun) {
    if (shown == 0) return fmt::format("no {} on this page ({} in all)", noun, total);
    return fmt::format("{} {}-{} of {}", noun, offset + 1, offset + shown, total);
}

std::optional<TimestampNs> time_option(const po::variables_map& options, const char* name) {
    if (!options.count(name)) return std::nullopt;
    const std::string text = options[name].as<std::string>();
    return require_iso8601(text, std::string("--") + name);
}

}  // namespace

int run_recordings_events(const Arguments& arguments) {
    CommandLine line;
    line.usage = "tapegrid recordings events REC [--type T] [--symbol S] [--limit N --offset K]";
    line.description = "Shows a page of a recording's events in recorded order, with the total that match.";
    line.options.add_options()("type", po::value<std::string>(),
                               "only events of this type (SIGNAL_DETECTED, ORDER_PLACED, ...)")(
        "symbol", po::value<std::string>(), "only events of this symbol");
    add_page_options(line, 50);
    const auto options = parse(arguments, line);
    if (!options) return kExitOk;
    const std::string path = recording_path(*options);
    EventQuery query;
    if (options->count("type")) query.type = (*options)["type"].as<std::string>();
    if (options->count("symbol")) query.symbol = (*options)["symbol"].as<std::string>();
    query.limit = count_option(*options, "limit", 1, UINT64_MAX);
    query.offset = count_option(*options, "offset", 0, UINT64_MAX);
    const EventPage page = read_events(path, query);
    if (options->count("json")) {
        std::cout << event_page_json(page, query, path).dump(2) << '\n';
        return kExitOk;
    }
    Table table({"sequence", "time (UTC)", "type", "symbol", "event_data"});
    for (const auto& e : page.events) {
        std::string data = e.event_data;
        if (data.size() > 90) data = data.substr(0, 87) + "...";
        table.add_row({std::to_string(e.sequence), short_time(e.timestamp_ns), e.type, e.symbol, data});
    }
    if (!table.empty()) table.print(std::cout);
    std::cout << page_summary(query.offset, page.events.size(), page.total, "events") << '\n';
    return kExitOk;
}

int run_recordings_bars(const Arguments& arguments) {
    CommandLine line;
    line.usage = "tapegrid recordings bars REC [--symbol S] [--from T] [--to T] [--limit N --offset K]";
    line.description = "Shows a page of a recording's bars in recorded order, with the total that match.";
    line.options.add_options()("symbol", po::value<std::string>(), "only this symbol's bars")(
        "from", po::value<std::string>(), "from this time (ISO 8601, inclusive)")(
        "to", po::value<std::string>(), "up to this time (ISO 8601, inclusive)");
    add_page_options(line, 50);
    const auto options = parse(arguments, line);
    if (!options) return kExitOk;
    const std::string path = recording_path(*options);
    BarQuery query;
    if (options->count("symbol")) query.symbol = (*options)["symbol"].as<std::string>();
    query.from_ns = time_option(*options, "from");
    query.to_ns = time_option(*options, "to");
    query.limit = count_option(*options, "limit", 1, UINT64_MAX);
    query.offset = count_option(*options, "offset", 0, UINT64_MAX);
    const BarPage page = read_bars(path, query);
    if (options->count("json")) {
        std::cout << bar_page_json(page, query).dump(2) << '\n';
        return kExitOk;
    }
    Table table({"symbol", "time (UTC)", "open", "high", "low", "close", "volume", "indicators"});
    for (const auto& bar : page.bars) {
        std::string indicators;
        for (const auto& [name, value] : bar.indicators) {
            if (std::isnan(value)) continue;
            indicators += fmt::format("{}{}={:.4g}", indicators.empty() ? "" : " ", name, value);
        }
        table.add_row({bar.symbol, short_time(bar.timestamp_ns), fmt::format("{:.4f}", bar.open),
                       fmt::format("{:.4f}", bar.high), fmt::format("{:.4f}", bar.low),
                       fmt::format("{:.4f}", bar.close), fmt::format("{:.0f}", bar.volume), indicators});
    }
    if (!table.empty()) table.print(std::cout);
    std::cout << page_summary(query.offset, page.bars.size(), page.total, "bars") << '\n';
    return kExitOk;
}

}  // namespace tapegrid::cli
