// A sweep's output directory: results.csv and results.h5 (every row), block_returns.bin (every
// row's block returns, for the overfitting report), checkpoint.bin, config.toml,
// plan.json (the plan, then the run) and top.json (the best rows with their trades); and a
// shard's shard.json.
#pragma once

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "engine/sweep/sweep_runner.h"
#include "io/results/overfitting_results.h"
#include "io/results/shard_manifest.h"
#include "io/results/sweep_writers.h"

namespace tapegrid {

// Where a sweep came from, for a shard's shard.json: what `tapegrid merge` loads again.
struct SweepOrigin {
    std::string config_path;
    std::vector<std::pair<std::string, std::string>> overrides;
    std::string store_directory;
};

class SweepDirectory final : public SweepOutputs {
  public:
    // The checkpoint of a stopped sweep in `directory`, to resume; UserError when there is none.
    static SweepCheckpoint checkpoint_to_resume(const std::string& directory);
    // Whether `directory` holds a checkpoint (`--resume auto`).
    static bool has_checkpoint(const std::string& directory);

    // Opens `directory` for `runner`'s sweep. Refuses one that holds an earlier sweep's results
    // unless `overwrite` (a resumed sweep carries on its own results). Writes config.toml and
    // plan.json; a resumed sweep's results.h5 is rebuilt from the rows results.csv held at its
    // checkpoint, and results.csv is cut back to them.
    // A shard's directory also gets shard.json (unfinished until finish()), from `origin`.
    SweepDirectory(const std::string& directory, const SweepRunner& runner, bool overwrite,
                   const SweepOrigin& origin = {});

    RowSink& rows() override { return *fan_out_; }
    void close_rows() override;
    void save_checkpoint(const SweepCheckpoint& checkpoint) override;
    void write_block_returns(const std::vector<double>& sums_and_squares) override;
    std::vector<double> read_block_returns() override;

    // Writes top.json, and plan.json again with the run's figures; a shard's shard.json says
    // whether it finished.
    void finish(const SweepOutcome& outcome);

    const std::filesystem::path& path() const { return path_; }
    const nlohmann::json& plan_json() const { return plan_; }  // plan.json as written
    const nlohmann::json& top_json() const { return top_; }    // top.json as written (after finish)

  private:
    // An exclusive flock on DIR/.sweep.lock, held while this sweep writes the directory.
    class Lock {
      public:
        explicit Lock(const std::filesystem::path& directory);
        ~Lock();
        // Writes this process's pid into the lock file, for another sweep's message; done once
        // this sweep is sure to write the directory (a refused one changes nothing).
        void record_owner();
        Lock(const Lock&) = delete;
        Lock& operator=(const Lock&) = delete;

      private:
        int descriptor_ = -1;
    };

    std::filesystem::path path_;
    std::unique_ptr<Lock> lock_;
    const SweepRunner& runner_;
    nlohmann::json plan_;
    nlohmann::json top_;
    std::unique_ptr<Hdf5ResultsWriter> hdf5_;
    std::unique_ptr<CsvResultsWriter> csv_;
    std::unique_ptr<FanOutSink> fan_out_;
    std::unique_ptr<BlockReturnsFile> block_returns_;  // when the sweep reports on overfitting
    std::optional<ShardManifest> shard_;
};

}  // namespace tapegrid
