// Resolving sweep.recordings: glob(3) for patterns, then files, then the store's recording ids.
#include "io/config/recording_paths.h"

#include <fmt/format.h>
#include <glob.h>

#include <filesystem>
#include <set>

#include "engine/core/errors.h"
#include "engine/core/printable.h"
#include "io/store/recording_store.h"

namespace tapegrid {

namespace fs = std::filesystem;

std::vector<std::string> resolve_recordings(const ConfigReader& config, const toml::node& node,
                                            const std::string& store_directory) {
    std::vector<std::string> paths;
    const auto entries = config.strings(node, "sweep.recordings");
    if (entries.empty()) config.fail(node, "sweep.recordings", "expected at least one recording");
    for (const auto& entry : entries) {
        const fs::path relative =
            fs::path(entry).is_absolute() ? fs::path(entry) : fs::path(config.directory()) / entry;
        if (entry.find_first_of("*?[") != std::string::npos) {
            glob_t matches{};
            const int status = ::glob(relative.c_str(), 0, nullptr, &matches);
            std::vector<std::string> found;
            for (std::size_t i = 0; status == 0 && i < matches.gl_pathc; ++i) found.emplace_back(matches.gl_pathv[i]);
            ::globfree(&matches);
            if (found.empty())
                config.fail(node, "sweep.recordings",
                            fmt::format("'{}' matches no file (looked for {})", entry, relative.string()));
            paths.insert(paths.end(), found.begin(), found.end());
        } else if (std::error_code error; fs::is_regular_file(relative, error)) {
            paths.push_back(relative.string());
        } else if (error && error != std::errc::no_such_file_or_directory) {
            // A name too long, a directory on the way that cannot be searched: say so, as for a
            // missing file (found by the sweep_config fuzzer).
            config.fail(node, "sweep.recordings",
                        fmt::format("'{}' cannot be read (looked for {}): {}", printable(entry),
                                    printable(relative.string()), error.message()));
        } else {
            try {
                paths.push_back(resolve_recording(entry, store_directory));
            } catch (const UserError&) {
                config.fail(node, "sweep.recordings",
                            fmt::format("'{}' is neither a file (looked for {}) nor a recording id in the store {}",
                                        entry, relative.string(), store_directory));
            }
        }
    }
    std::set<std::string> unique;
    for (const auto& path : paths) {
        std::error_code error;
        const fs::path canonical = fs::weakly_canonical(path, error);
        if (!unique.insert(error ? path : canonical.string()).second)
            config.fail(node, "sweep.recordings", "the recording " + path + " is named twice");
    }
    return paths;
}

}  // namespace tapegrid
