// The shards `tapegrid merge` joins: their manifests read and checked against each other before
// anything is written, then their rows read back in shard order.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/sweep/parameter_grid.h"
#include "io/results/shard_manifest.h"
#include "io/results/sweep_writers.h"

namespace tapegrid {

struct ShardSet {
    std::vector<std::string> directories;  // in shard order
    std::vector<ShardManifest> manifests;  // likewise
};

// Reads DIR/shard.json of each directory. UserError, naming the directories, when one is not a
// shard's output, when a shard is missing, given twice or unfinished, or when two come from
// another config, other recordings or another tapegrid version than the first (or than this
// tapegrid).
ShardSet read_shard_set(const std::vector<std::string>& directories);

// Every shard's results.csv rows in shard order, in batches; checks that each file holds the
// rows its manifest says.
class ShardRows {
  public:
    ShardRows(const ShardSet& shards, const ParameterGrid& grid);
    bool next(std::vector<SweepRow>& rows);

  private:
    const ShardSet& shards_;
    const ParameterGrid& grid_;
    std::size_t shard_ = 0;
    std::unique_ptr<ResultsCsvReader> reader_;
};

}  // namespace tapegrid
