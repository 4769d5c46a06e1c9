// The sweep's output directory.
#include "io/results/sweep_directory.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "engine/core/errors.h"
#include "engine/core/timestamp.h"
#include "engine/core/version.h"
#include "io/hdf5/recording_seal.h"
#include "io/results/sweep_checkpoint_file.h"
#include "io/results/sweep_reports.h"

namespace tapegrid {

namespace fs = std::filesystem;

namespace {

constexpr const char* kCheckpointFile = "checkpoint.bin";

void write_text(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::trunc);
    out << text;
    if (!out) throw UserError(path.string() + ": cannot write");
}

}  // namespace

SweepCheckpoint SweepDirectory::checkpoint_to_resume(const std::string& directory) {
    const fs::path path = fs::path(directory).lexically_normal();
    auto checkpoint = load_checkpoint((path / kCheckpointFile).string());
    if (!checkpoint)
        throw UserError(path.string() + ": no checkpoint.bin to resume from; run the sweep without --resume");
    return *checkpoint;
}

bool SweepDirectory::has_checkpoint(const std::string& directory) {
    return fs::exists(fs::path(directory) / kCheckpointFile);
}

SweepDirectory::Lock::Lock(const fs::path& directory) {
    const std::string path = (directory / ".sweep.lock").string();
    descriptor_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (descriptor_ < 0) throw UserError(path + ": cannot create the lock file: " + std::strerror(errno));
    if (::flock(descriptor_, LOCK_EX | LOCK_NB) != 0) {
        char pid[32] = {};
        const ssize_t read = ::pread(descriptor_, pid, sizeof pid - 1, 0);
        ::close(descriptor_);
        descriptor_ = -1;
        throw UserError(directory.string() + ": another sweep is writing it (pid " +
                        (read > 0 ? std::string(pid, static_cast<std::size_t>(read)) : std::string("unknown")) +
                        "); wait for it to finish, or give --out another directory");
    }
}

void SweepDirectory::Lock::record_owner() {
    const std::string own = std::to_string(::getpid());
    if (::ftruncate(descriptor_, 0) == 0 && ::pwrite(descriptor_, own.data(), own.size(), 0) < 0) {
        // The pid only improves another sweep's message; the lock itself holds.
    }
}

SweepDirectory::Lock::~Lock() {
    if (descriptor_ >= 0) ::close(descriptor_);  // closing releases the flock
}

namespace {

ShardManifest start_shard_manifest(const SweepRunner& runner, const SweepOrigin& origin, const fs::path& directory) {
    const ShardSpec& shard = *runner.shard();
    ShardManifest m;
    m.shard = shard;
    m.rows = runner.whole().shards[shard.index];
    m.tasks = runner.plan().tasks.size();
    m.whole_combinations = runner.whole().combinations;
    m.config_fingerprint = fmt::format("{:016x}", runner.config_fingerprint());
    m.config_path = fs::absolute(origin.config_path).lexically_normal().string();
    m.overrides = origin.overrides;
    m.store_directory = origin.store_directory.empty() ? "" : fs::absolute(origin.store_directory).string();
    const SweepSpec& spec = runner.spec();
    for (std::size_t i = 0; i < spec.recordings.size(); ++i)
        m.recordings.push_back({fs::absolute(spec.recordings[i]).lexically_normal().string(),
                                runner.input().recordings[i].recording_id, content_hash(spec.recordings[i])});
    m.tapegrid_version = kVersion;
    m.started_at = format_iso8601(now_ns());
    // A resumed shard keeps the time it first started.
    if (runner.resume_checkpoint()) {
        try {
            m.started_at = read_shard_manifest((directory / kShardManifestFile).string()).started_at;
        } catch (const UserError&) {
            // No readable manifest from the first run: this run's start stands.
        }
    }
    return m;
}

}  // namespace

SweepDirectory::SweepDirectory(const std::string& directory, const SweepRunner& runner, bool overwrite,
                               const SweepOrigin& origin)
    : path_(fs::path(directory).lexically_normal()), runner_(runner) {
    const std::string checkpoint_path = (path_ / kCheckpointFile).string();
    const SweepSpec& spec = runner.spec();
    const auto& resume = runner.resume_checkpoint();
    // Locked before anything is read or written: two sweeps into one directory would mix files.
    std::error_code error;
    fs::create_directories(path_, error);
    if (error) throw UserError(path_.string() + ": cannot create the output directory: " + error.message());
    lock_ = std::make_unique<Lock>(path_);
    // Never over an earlier sweep's results unless asked.
    if (!resume && fs::exists(path_ / "results.csv") && !overwrite) {
        const auto earlier = load_checkpoint(checkpoint_path);
        const bool unfinished =
            earlier && earlier->fingerprint == runner.fingerprint() && earlier->tasks_done < runner.plan().tasks.size();
        throw UserError(path_.string() + ": already holds the results of a sweep" +
                        (unfinished ? " that stopped before the end; pass --resume to carry it on, --overwrite to "
                                      "start again"
                                    : "; pass --overwrite to replace them, or --out another directory"));
    }
    lock_->record_owner();
    if (runner.shard()) {
        shard_ = start_shard_manifest(runner, origin, path_);
        write_shard_manifest((path_ / kShardManifestFile).string(), *shard_);
    }
    write_text(path_ / "config.toml", spec.config_text);
    plan_ = sweep_plan_json(runner);
    write_text(path_ / "plan.json", plan_.dump(2) + "\n");

    const std::string csv_path = (path_ / "results.csv").string();
    hdf5_ = std::make_unique<Hdf5ResultsWriter>((path_ / "results.h5").string(), *spec.grid, spec.config_text);
    if (resume) hdf5_->write(read_results_csv(csv_path, *spec.grid, resume->rows));
    csv_ = std::make_unique<CsvResultsWriter>(csv_path, *spec.grid,
                                              resume ? std::optional(resume->csv_bytes) : std::nullopt);
    fan_out_ = std::make_unique<FanOutSink>(std::vector<RowSink*>{csv_.get(), hdf5_.get()});
    if (spec.overfitting.enabled)
        block_returns_ =
            std::make_unique<BlockReturnsFile>((path_ / "block_returns.bin").string(), spec.overfitting.blocks,
                                               resume ? std::optional(resume->rows) : std::nullopt);
    // A checkpoint of no task done, at once: a job killed before its first task ends (a
    // preemption, a node failure) resumes from here instead of finding results it cannot place.
    if (!resume) save_checkpoint({runner.fingerprint(), runner.blocks_per_task(), 0, 0, csv_->position(), {}, {}});
}

void SweepDirectory::close_rows() {
    csv_->close();
    hdf5_->close();
}

void SweepDirectory::write_block_returns(const std::vector<double>& sums_and_squares) {
    if (block_returns_) block_returns_->append(sums_and_squares);
}

std::vector<double> SweepDirectory::read_block_returns() {
    return block_returns_ ? block_returns_->read_all() : std::vector<double>{};
}

void SweepDirectory::save_checkpoint(const SweepCheckpoint& checkpoint) {
    // The block returns of every row the checkpoint counts are on disk before it is.
    if (block_returns_) block_returns_->flush();
    tapegrid::save_checkpoint((path_ / kCheckpointFile).string(), checkpoint);
}

void SweepDirectory::finish(const SweepOutcome& outcome) {
    if (outcome.overfitting) write_overfitting_results((path_ / "results.h5").string(), *outcome.overfitting);
    if (runner_.searches()) write_search_trace((path_ / "trace.csv").string(), runner_.spec(), outcome.trace);
    top_ = sweep_top_json(runner_, outcome);
    write_text(path_ / "top.json", top_.dump(2) + "\n");
    plan_["run"] = sweep_run_json(outcome);
    write_text(path_ / "plan.json", plan_.dump(2) + "\n");
    if (shard_) {
        shard_->ended_at = format_iso8601(now_ns());
        shard_->finished = !outcome.interrupted;
        shard_->rows_written = outcome.rows_written;
        write_shard_manifest((path_ / kShardManifestFile).string(), *shard_);
    }
}

}  // namespace tapegrid
