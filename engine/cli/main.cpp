// The `tapegrid` program: dispatches to a subcommand and turns failures into exit codes.
#include <iostream>

#include "engine/cli/command.h"
#include "engine/core/errors.h"
#include "engine/core/version.h"
#include "io/hdf5/partial_files.h"

namespace {

void print_overview() {
    std::cout << "tapegrid " << tapegrid::kVersion
              << ": records trading sessions and replays them across parameter grids\n\n"
                 "usage: tapegrid COMMAND [options]    (tapegrid COMMAND --help for its options)\n\ncommands:\n";
    for (const auto& command : tapegrid::cli::commands())
        std::cout << "  " << command.name << std::string(14 - std::string(command.name).size(), ' ') << command.summary
                  << '\n';
    std::cout << "\nexit codes: 0 success, 1 internal error, 2 user error (bad file, option or config)\n";
}

}  // namespace

int main(int argc, char** argv) {
    using namespace tapegrid;
    const std::vector<std::string> arguments(argv + 1, argv + argc);
    if (arguments.empty() || arguments[0] == "--help" || arguments[0] == "-h" || arguments[0] == "help") {
        print_overview();
        return arguments.empty() ? kExitUserError : kExitOk;
    }
    if (arguments[0] == "--version" || arguments[0] == "version") {
        std::cout << "tapegrid " << kVersion << '\n';
        return kExitOk;
    }
    // A hidden partial file is removed if Ctrl-C stops the command while it writes one.
    remove_partial_files_on_signals();
    const std::string& name = arguments[0];
    for (const auto& command : cli::commands()) {
        if (name != command.name) continue;
        try {
            return command.run(cli::Arguments(arguments.begin() + 1, arguments.end()));
        } catch (const UserError& error) {
            std::cerr << "tapegrid " << name << ": error: " << error.what() << '\n';
            return kExitUserError;
        } catch (const Interrupted& error) {
            std::cerr << "tapegrid " << name << ": " << error.what() << '\n';
            return kExitInterrupted;
        } catch (const std::exception& error) {
            std::cerr << "tapegrid " << name << ": internal error: " << error.what() << '\n';
            return kExitInternalError;
        }
    }
    std::cerr << "tapegrid: unknown command '" << name << "' (tapegrid --help lists the commands)\n";
    return kExitUserError;
}
