// `tapegrid recover`: closes a recording whose recorder died.
#include <iostream>
#include <nlohmann/json.hpp>

#include "engine/cli/command.h"
#include "engine/core/errors.h"
#include "io/hdf5/recording_recovery.h"
#include "io/json/recording_info_json.h"
#include "io/store/recording_store.h"

namespace tapegrid::cli {

int run_recover(const Arguments& arguments) {
    CommandLine line;
    line.usage = "tapegrid recover REC";
    line.description =
        "A recorder killed mid-session leaves its file with status `recording` (read as `interrupted`).\n"
        "recover marks it `interrupted` for good, sets its end time to its last record, recomputes its\n"
        "counts, drops the rows of a flush the crash cut short, and removes the stale .live sidecar.\n"
        "Every record flushed before the crash is kept. A recording still being written is left alone.\n"
        "With --reseal, a finished recording that another program changed is checked in full and sealed anew.";
    line.options.add_options()("reseal",
                               "accept a finished recording that another program changed: validate it in full, "
                               "then seal it anew");
    add_recording_argument(line);
    const auto options = parse(arguments, line);
    if (!options) return kExitOk;
    const std::string path = recording_path(*options);
    const RecoveryReport report = recover_recording(path, RecoverOptions{.reseal = options->count("reseal") > 0});
    if (options->count("json")) {
        std::cout << nlohmann::json{{"success", true},
                                    {"recovered", report.changed},
                                    {"rows_trimmed", report.rows_trimmed},
                                    {"recording", recording_info_to_json(report.info)}}
                         .dump(2)
                  << '\n';
    } else if (report.changed) {
        std::cout << "recovered " << path << ": status " << to_string(report.info.status) << ", "
                  << report.info.total_bars_recorded << " bars and " << report.info.total_events_recorded
                  << " events kept";
        if (report.rows_trimmed > 0) std::cout << ", " << report.rows_trimmed << " rows of an unfinished flush dropped";
        std::cout << '\n';
    } else {
        std::cout << path << ": nothing to recover: a finished recording (status " << to_string(report.info.status)
                  << "), every row checked\n";
    }
    return kExitOk;
}

}  // namespace tapegrid::cli
