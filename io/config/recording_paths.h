// sweep.recordings to file paths: files and globs relative to the config, or recording ids in the store.
#pragma once

#include <toml++/toml.h>

#include <string>
#include <vector>

#include "io/config/config_reader.h"

namespace tapegrid {

// The recordings `node` (a string or an array of them) names, as paths: a file or a glob relative
// to the config file's directory, else a recording id in `store_directory`. Fails on an entry that
// names nothing, and on a recording named twice.
std::vector<std::string> resolve_recordings(const ConfigReader& config, const toml::node& node,
                                            const std::string& store_directory);

}  // namespace tapegrid
