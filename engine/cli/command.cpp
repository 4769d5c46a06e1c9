// Shared command-line plumbing: the command table, option parsing, confirmation prompts.
#include "engine/cli/command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <charconv>
#include <iostream>

#include "engine/core/errors.h"
#include "engine/core/printable.h"
#include "io/store/recording_store.h"

namespace tapegrid::cli {

int run_generate(const Arguments&);
int run_import(const Arguments&);
int run_export(const Arguments&);
int run_recordings(const Arguments&);
int run_merge(const Arguments&);
int run_recover(const Arguments&);
int run_replay(const Arguments&);
int run_record(const Arguments&);
int run_replays(const Arguments&);
int run_strategies(const Arguments&);
int run_sweep(const Arguments&);
int run_serve(const Arguments&);
int run_report(const Arguments&);
int run_evaluate(const Arguments&);
int run_walkforward(const Arguments&);

const std::vector<Command>& commands() {
    static const std::vector<Command> table = {
        {"generate", "write a seeded synthetic recording (random walks with volatility regimes)", run_generate},
        {"import", "turn OHLCV CSV files (or an export directory) into a recording", run_import},
        {"export", "write a recording out as CSV or JSON files", run_export},
        {"recordings", "list, show, page through, delete and prune the recordings of a store", run_recordings},
        {"recover", "close a recording whose recorder died, keeping everything it flushed", run_recover},
        {"strategies", "list the strategies and their parameters", run_strategies},
        {"record", "run a strategy as a paper-trading session over a feed, recording everything", run_record},
        {"replay", "replay a recording with modified parameters and compare with the original", run_replay},
        {"replays", "show a replay stored in a recording", run_replays},
        {"sweep", "replay a strategy across a parameter grid from a config file, in parallel, and rank", run_sweep},
        {"walkforward", "walk-forward validation: choose on each train window, replay on the test window after it",
         run_walkforward},
        {"evaluate", "answer parameter sets read as JSON lines with their result rows (an optimiser's objective)",
         run_evaluate},
        {"serve", "serve the recordings API, sweeps as jobs and the dashboard over HTTP", run_serve},
        {"report", "write a dashboard page (recording, replay, sweep) as a self-contained HTML file", run_report},
        {"merge", "join the shards of one sweep (sweep --shard K/N) into one sweep's outputs", run_merge},
    };
    return table;
}

std::optional<po::variables_map> parse(const Arguments& arguments, CommandLine& line) {
    line.options.add_options()("help,h", "show this help");
    po::options_description all;
    all.add(line.options).add(line.hidden);
    po::variables_map values;
    try {
        po::store(po::command_line_parser(arguments).options(all).positional(line.positional).run(), values);
        if (values.count("help")) {
            std::cout << "usage: " << line.usage << "\n\n" << line.description << "\n\n" << line.options << "\n";
            return std::nullopt;
        }
        po::notify(values);
    } catch (const po::error& error) {
        throw UserError(std::string(error.what()) + " (usage: " + line.usage + "; --help lists the options)");
    }
    return values;
}

void add_recording_argument(CommandLine& line) {
    line.hidden.add_options()("rec", po::value<std::string>()->required(), "recording");
    line.positional.add("rec", 1);
    add_store_option(line);
    add_json_option(line);
}

std::string recording_path(const po::variables_map& options) {
    return resolve_recording(options["rec"].as<std::string>(), store_directory(options));
}

void add_store_option(CommandLine& line) {
    line.options.add_options()("store", po::value<std::string>(),
                               "the store directory (default: $TAPEGRID_STORE, else ./recordings)");
}

void add_json_option(CommandLine& line) {
    line.options.add_options()("json", "print JSON for scripts instead of a table");
}

std::string store_directory(const po::variables_map& options) {
    return resolve_store_directory(options.count("store") ? std::optional(options["store"].as<std::string>())
                                                          : std::nullopt);
}

std::vector<std::pair<std::string, std::string>> parse_assignments(const po::variables_map& options,
                                                                   const char* option) {
    std::vector<std::pair<std::string, std::string>> pairs;
    if (!options.count(option)) return pairs;
    for (const auto& text : options[option].as<std::vector<std::string>>()) {
        const auto equals = text.find('=');
        if (equals == std::string::npos || equals == 0)
            throw UserError(std::string("--") + option + " " + text + ": expected NAME=VALUE, e.g. --" + option +
                            " rsi_threshold=25");
        const std::string name = text.substr(0, equals);
        for (const auto& [seen, value] : pairs)
            if (seen == name)
                throw UserError(std::string("--") + option + " " + name + ": given twice (" + value + " and " +
                                text.substr(equals + 1) + ")");
        pairs.emplace_back(name, text.substr(equals + 1));
    }
    return pairs;
}

bool confirm(const std::string& question) {
    if (!::isatty(STDIN_FILENO))
        throw UserError(question + " needs confirmation, and there is no terminal to ask: pass --yes");
    std::cerr << question << " [y/N] " << std::flush;
    std::string answer;
    std::getline(std::cin, answer);
    return answer == "y" || answer == "Y" || answer == "yes";
}

void validate(boost::any& value, const std::vector<std::string>& texts, Count*, int) {
    po::validators::check_first_occurrence(value);
    const std::string& text = po::validators::get_single_string(texts);
    Count count;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count.value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size())
        throw po::invalid_option_value(printable(text) + " (expected a whole number >= 0)");
    value = count;
}

std::uint64_t count_option(const po::variables_map& options, const char* name, std::uint64_t min, std::uint64_t max) {
    const std::uint64_t value = options[name].as<Count>().value;
    if (value < min || value > max)
        throw UserError(fmt::format("--{}: expected a whole number in [{}, {}], found {}", name, min, max, value));
    return value;
}

}  // namespace tapegrid::cli
