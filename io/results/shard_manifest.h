// shard.json: what one shard of a sweep ran, so that `tapegrid merge` can check that the shards
// it joins are every part of one sweep, each once and finished, and find the sweep again.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "engine/sweep/sweep_shards.h"

namespace tapegrid {

struct ShardManifest {
    struct Recording {
        std::string path;  // absolute
        std::string recording_id;
        std::string content_hash;  // "xxh3-64-tree-4m:<hex>" of the bytes after the user block
        bool operator==(const Recording&) const = default;
    };

    ShardSpec shard;
    ShardRange rows;  // the rows of the whole sweep's table it holds
    std::uint64_t tasks = 0;
    std::uint64_t whole_combinations = 0;
    std::string config_fingerprint;                              // 16 hex digits: equal in every shard of one sweep
    std::string config_path;                                     // absolute: merge reads the config again from there
    std::vector<std::pair<std::string, std::string>> overrides;  // --set, in order
    std::string store_directory;
    std::vector<Recording> recordings;
    std::string tapegrid_version;
    std::string started_at, ended_at;  // ISO 8601, UTC; ended_at empty until it ends
    bool finished = false;             // every row of its range written
    std::uint64_t rows_written = 0;
};

inline constexpr const char* kShardManifestFile = "shard.json";
inline constexpr int kShardManifestFormat = 1;

nlohmann::json shard_manifest_json(const ShardManifest& manifest);
// Written to a temporary file and renamed over `path`: a reader never sees half of one.
void write_shard_manifest(const std::string& path, const ShardManifest& manifest);
// UserError naming `path` and the field when it is missing, unreadable or of another format.
ShardManifest read_shard_manifest(const std::string& path);

}  // namespace tapegrid
