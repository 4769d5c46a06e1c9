// The subcommand table of the `tapegrid` program and the option parsing they share.
#pragma once

#include <boost/program_options.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tapegrid::cli {

namespace po = boost::program_options;

using Arguments = std::vector<std::string>;

struct Command {
    const char* name;
    const char* summary;
    int (*run)(const Arguments& arguments);
};

// Every subcommand, in the order `tapegrid --help` lists them.
const std::vector<Command>& commands();

// The parts of a subcommand's command line.
struct CommandLine {
    std::string usage;        // "tapegrid import CSV... [options]"
    std::string description;  // a paragraph shown by --help
    po::options_description options{"Options", 100, 50};
    po::options_description hidden{"Hidden"};
    po::positional_options_description positional;
};

// Parses `arguments`; prints help and returns nothing for --help. A bad option, a missing
// value or an unknown flag is a UserError that names it.
std::optional<po::variables_map> parse(const Arguments& arguments, CommandLine& line);

// The REC argument (a recording file or id) with --store and --json, and its resolved path.
void add_recording_argument(CommandLine& line);
std::string recording_path(const po::variables_map& options);

// Options most commands share.
void add_store_option(CommandLine& line);
void add_json_option(CommandLine& line);
std::string store_directory(const po::variables_map& options);

// "--set k=v" values as (name, value) pairs; UserError for one without '='.
std::vector<std::pair<std::string, std::string>> parse_assignments(const po::variables_map& options,
                                                                   const char* option);

// A whole number >= 0 given on the command line, read strictly: digits only, no sign, no
// fraction, within uint64 (std::size_t options would take "-1" as 2^64 - 1). Declare options
// as po::value<Count>() and read them with count_option, which checks the range.
struct Count {
    std::uint64_t value = 0;
};
void validate(boost::any& value, const std::vector<std::string>& texts, Count*, int);

// The option's value, or UserError "--NAME: expected a whole number in [min, max], found N".
std::uint64_t count_option(const po::variables_map& options, const char* name, std::uint64_t min, std::uint64_t max);

// Asks the user on the terminal; without a terminal, refuses (the caller must pass --yes).
bool confirm(const std::string& question);

}  // namespace tapegrid::cli
