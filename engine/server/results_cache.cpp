// The server's cache of ended sweeps' results.
#include "engine/server/results_cache.h"

#include "engine/core/errors.h"
#include "io/results/results_table.h"

namespace tapegrid {

std::shared_ptr<const ResultsTable> ResultsCache::get(const std::filesystem::path& csv_path) {
    const std::string path = csv_path.string();
    const std::optional<FileIdentity> identity = file_identity(path);
    if (!identity) throw UserError(path + ": no such file");
    {
        const std::lock_guard lock(mutex_);
        for (auto entry = entries_.begin(); entry != entries_.end(); ++entry) {
            if (entry->path != path) continue;
            if (entry->identity == *identity) {
                entries_.splice(entries_.begin(), entries_, entry);
                return entries_.front().table;
            }
            entries_.erase(entry);  // appended to by a resume since
            break;
        }
    }
    auto table = std::make_shared<const ResultsTable>(read_results_table(path, SIZE_MAX));
    const std::lock_guard lock(mutex_);
    entries_.push_front({path, *identity, table});
    while (entries_.size() > max_tables_) entries_.pop_back();
    return table;
}

}  // namespace tapegrid
