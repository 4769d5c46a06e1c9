// The results of sweeps that have ended, kept read: a sweep's results.csv changes only when a
// resume appends to it, so pages of its results are answered without reading it again. Keyed by
// the file's path, size and modification time; the most recently asked for are kept.
#pragma once

#include <cstddef>
#include <filesystem>
#include <list>
#include <memory>
#include <mutex>
#include <string>

#include "engine/core/results_table.h"
#include "engine/server/file_identity.h"

namespace tapegrid {

class ResultsCache {
  public:
    explicit ResultsCache(std::size_t tables) : max_tables_(tables) {}
    // results.csv read whole, now or earlier; UserError as read_results_table says.
    std::shared_ptr<const ResultsTable> get(const std::filesystem::path& csv_path);

  private:
    struct Entry {
        std::string path;
        FileIdentity identity;
        std::shared_ptr<const ResultsTable> table;
    };
    std::size_t max_tables_;
    std::mutex mutex_;
    std::list<Entry> entries_;  // most recently used first
};

}  // namespace tapegrid
