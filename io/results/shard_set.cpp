// Checking and reading the shards of a sweep.
#include "io/results/shard_set.h"

#include <fmt/format.h>

#include <filesystem>
#include <map>

#include "engine/core/errors.h"
#include "engine/core/version.h"

namespace tapegrid {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMergeBatchRows = 8192;

std::string shard_name(const ShardManifest& m) {
    return fmt::format("shard {} of {}", m.shard.index, m.shard.count);
}

}  // namespace

ShardSet read_shard_set(const std::vector<std::string>& directories) {
    if (directories.empty()) throw UserError("no shard directories given");
    std::vector<ShardManifest> manifests;
    for (const auto& directory : directories) {
        if (!fs::is_directory(directory)) throw UserError(directory + ": no such directory");
        manifests.push_back(read_shard_manifest((fs::path(directory) / kShardManifestFile).string()));
    }
    const ShardManifest& first = manifests.front();
    const std::string& first_directory = directories.front();
    std::map<std::size_t, std::size_t> by_index;  // shard -> position in `directories`
    for (std::size_t i = 0; i < manifests.size(); ++i) {
        const ShardManifest& m = manifests[i];
        const std::string& directory = directories[i];
        if (m.tapegrid_version != kVersion)
            throw UserError(
                fmt::format("{}: written by tapegrid {}; this is tapegrid {}: merge with the version that "
                            "ran the shards, or run them again",
                            directory, m.tapegrid_version, kVersion));
        if (m.shard.count != first.shard.count)
            throw UserError(fmt::format("{} is {}, but {} is {}: shards of different cuts", directory, shard_name(m),
                                        first_directory, shard_name(first)));
        if (m.config_fingerprint != first.config_fingerprint || m.whole_combinations != first.whole_combinations)
            throw UserError(
                fmt::format("{} and {} come from different sweeps (another config, other --set "
                            "values, or other recordings: config fingerprints {} and {})",
                            directory, first_directory, m.config_fingerprint, first.config_fingerprint));
        if (m.recordings != first.recordings) {
            std::string which;
            for (std::size_t r = 0; r < std::min(m.recordings.size(), first.recordings.size()); ++r)
                if (m.recordings[r].content_hash != first.recordings[r].content_hash) {
                    which = fmt::format(": {} has {}, {} has {}", m.recordings[r].path, m.recordings[r].content_hash,
                                        first.recordings[r].path, first.recordings[r].content_hash);
                    break;
                }
            throw UserError(fmt::format("{} and {} replayed different data{}", directory, first_directory, which));
        }
        if (const auto [at, inserted] = by_index.emplace(m.shard.index, i); !inserted)
            throw UserError(
                fmt::format("{} is given twice: {} and {}", shard_name(m), directories[at->second], directory));
        if (!m.finished)
            throw UserError(
                fmt::format("{}: {} did not finish ({} of its {} rows written); run it again with "
                            "--resume, then merge",
                            directory, shard_name(m), m.rows_written, m.rows.rows()));
    }
    std::vector<std::size_t> missing;
    for (std::size_t k = 0; k < first.shard.count && missing.size() < 20; ++k)
        if (!by_index.count(k)) missing.push_back(k);
    if (!missing.empty())
        throw UserError(fmt::format("{} of the {} shards {} missing: {}{}", missing.size(), first.shard.count,
                                    missing.size() == 1 ? "is" : "are", fmt::join(missing, ", "),
                                    missing.size() == 20 ? ", ..." : ""));
    ShardSet set;
    std::uint64_t next_row = 0;
    for (const auto& [index, position] : by_index) {
        const ShardManifest& m = manifests[position];
        if (m.rows.first_row != next_row || m.rows_written != m.rows.rows())
            throw UserError(fmt::format("{}: {} holds rows {} to {} ({} written); the shards before it end at row {}",
                                        directories[position], shard_name(m), m.rows.first_row, m.rows.end_row,
                                        m.rows_written, next_row));
        next_row = m.rows.end_row;
        set.directories.push_back(directories[position]);
        set.manifests.push_back(m);
    }
    if (next_row != first.whole_combinations)
        throw UserError(fmt::format("the shards hold {} rows; the sweep has {}", next_row, first.whole_combinations));
    return set;
}

ShardRows::ShardRows(const ShardSet& shards, const ParameterGrid& grid) : shards_(shards), grid_(grid) {}

bool ShardRows::next(std::vector<SweepRow>& rows) {
    for (;;) {
        if (shard_ == shards_.directories.size()) {
            rows.clear();
            return false;
        }
        const std::string path = (fs::path(shards_.directories[shard_]) / "results.csv").string();
        if (!reader_) reader_ = std::make_unique<ResultsCsvReader>(path, grid_);
        if (reader_->next(rows, kMergeBatchRows)) return true;
        const ShardManifest& m = shards_.manifests[shard_];
        if (reader_->rows_read() != m.rows.rows())
            throw UserError(
                fmt::format("{}: holds {} rows; its shard.json says {}", path, reader_->rows_read(), m.rows.rows()));
        reader_.reset();
        ++shard_;
    }
}

}  // namespace tapegrid
