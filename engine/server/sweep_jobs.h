// Sweeps as jobs for `tapegrid serve`: submitted configs are checked, queued and run one at a time
// on the server's cores, each into a directory of its own under STORE/sweeps/ID/ (config.toml as
// submitted, job.json with its state, out/ with the sweep's usual outputs and checkpoint). A
// cancelled sweep keeps what ran and its checkpoint; a server stopped mid-sweep leaves it
// resumable, and the next server resumes it from its checkpoint before running the queue.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

#include "engine/core/timestamp.h"
#include "engine/sweep/sweep_graph.h"

namespace tapegrid {

enum class SweepJobState { kQueued, kRunning, kFinished, kFailed, kCancelled, kInterrupted };
std::string_view to_string(SweepJobState state);

class SweepJobs {
  public:
    // Reads the jobs under STORE/sweeps/, queues again those that were queued or running when the
    // last server stopped (oldest first), and starts the worker.
    SweepJobs(std::string store_directory, std::size_t threads);
    // Stops the running sweep (its checkpoint is written; the next server resumes it).
    ~SweepJobs();
    SweepJobs(const SweepJobs&) = delete;
    SweepJobs& operator=(const SweepJobs&) = delete;

    // Checks `config_text` (TOML, or with `is_json` a JSON object shaped like the TOML) and queues
    // it; returns the sweep id. HttpError 400 for text that does not parse, 422 for a config
    // that is wrong (as `tapegrid sweep` says it) or names recordings outside the store.
    std::string submit(const std::string& config_text, bool is_json);

    // The job as the API shows it, or nothing for an unknown id.
    std::optional<nlohmann::json> describe(const std::string& sweep_id);
    // Every job, newest first.
    nlohmann::json list();
    // Stops a queued or running job; HttpError 404 for an unknown id, 409 for one that ended.
    nlohmann::json cancel(const std::string& sweep_id);
    // Queues a cancelled, interrupted or failed job again; it carries on from its checkpoint.
    // HttpError 404 for an unknown id, 409 for one queued, running or finished.
    nlohmann::json resume(const std::string& sweep_id);
    // A finished (or cancelled, or interrupted) job's output directory; HttpError 404 or 409.
    std::filesystem::path results_directory(const std::string& sweep_id);
    // Blocks until the queue is empty and nothing runs (tests and a clean shutdown).
    void wait_idle();

  private:
    struct Job {
        explicit Job(std::string sweep_id) : id(std::move(sweep_id)) {}
        std::string id;
        SweepJobState state = SweepJobState::kQueued;
        TimestampNs submitted_ns = 0, started_ns = 0, finished_ns = 0;
        std::string error;
        nlohmann::json plan = nullptr;  // once planned
        nlohmann::json run = nullptr;   // once ended
        std::uint64_t rows_before = 0;  // rows a resumed run found done
        std::uint64_t rows_total = 0;
        std::uint64_t bars = 0;
        SweepProgress progress;
        std::atomic<bool> stop{false};
        bool cancel_requested = false;
    };

    std::filesystem::path job_directory(const std::string& id) const;
    void save_state(const Job& job) const;  // job.json, replaced atomically
    nlohmann::json describe_locked(const Job& job) const;
    void load_existing();
    void work();
    void run_job(Job& job);

    std::filesystem::path root_;  // STORE/sweeps
    std::string store_directory_;
    std::size_t threads_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::map<std::string, std::unique_ptr<Job>> jobs_;
    std::deque<std::string> queue_;
    Job* running_ = nullptr;
    bool shutting_down_ = false;
    std::thread worker_;
};

}  // namespace tapegrid
