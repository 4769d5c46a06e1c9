// The server's sweep queue.
#include "engine/server/sweep_jobs.h"

#include <fmt/format.h>

#include <fstream>

#include "engine/core/errors.h"
#include "engine/core/uuid.h"
#include "engine/server/http_error.h"
#include "engine/sweep/sweep_runner.h"
#include "io/config/json_config.h"
#include "io/config/sweep_config.h"
#include "io/csv/csv_reader.h"
#include "io/hdf5/sweep_input_loader.h"
#include "io/results/sweep_directory.h"
#include "io/results/sweep_reports.h"

namespace tapegrid {

namespace fs = std::filesystem;

std::string_view to_string(SweepJobState state) {
    switch (state) {
        case SweepJobState::kQueued:
            return "queued";
        case SweepJobState::kRunning:
            return "running";
        case SweepJobState::kFinished:
            return "finished";
        case SweepJobState::kFailed:
            return "failed";
        case SweepJobState::kCancelled:
            return "cancelled";
        case SweepJobState::kInterrupted:
            return "interrupted";
    }
    return "unknown";
}

namespace {

std::optional<SweepJobState> parse_state(const std::string& text) {
    for (const auto state : {SweepJobState::kQueued, SweepJobState::kRunning, SweepJobState::kFinished,
                             SweepJobState::kFailed, SweepJobState::kCancelled, SweepJobState::kInterrupted})
        if (to_string(state) == text) return state;
    return std::nullopt;
}

bool ended(SweepJobState state) {
    return state != SweepJobState::kQueued && state != SweepJobState::kRunning;
}

void write_text(const fs::path& path, const std::string& text) {
    const fs::path temporary = path.string() + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << text;
        out.close();
        if (!out) throw std::runtime_error(temporary.string() + ": cannot write");
    }
    fs::rename(temporary, path);
}

std::string iso_or_empty(TimestampNs ns) {
    return ns == 0 ? std::string() : format_iso8601(ns);
}

// Recording files must lie inside the store: a config sent over HTTP reads nothing else.
void require_inside_store(const std::vector<std::string>& recordings, const std::string& store) {
    std::error_code error;
    const fs::path root = fs::weakly_canonical(store, error);
    for (const auto& recording : recordings) {
        const fs::path path = fs::weakly_canonical(recording, error);
        const auto relative = path.lexically_relative(root);
        if (error || relative.empty() || *relative.begin() == "..")
            throw HttpError(422,
                            "sweep.recordings: a sweep sent to the server reads recordings of its store only (by "
                            "recording id); '" +
                                recording + "' is outside it");
    }
}

}  // namespace

SweepJobs::SweepJobs(std::string store_directory, std::size_t threads)
    : root_(fs::path(store_directory) / "sweeps"), store_directory_(std::move(store_directory)), threads_(threads) {
    load_existing();
    worker_ = std::thread([this] { work(); });
}

SweepJobs::~SweepJobs() {
    {
        const std::lock_guard lock(mutex_);
        shutting_down_ = true;
        if (running_) running_->stop = true;
    }
    changed_.notify_all();
    worker_.join();
}

fs::path SweepJobs::job_directory(const std::string& id) const {
    return root_ / id;
}

void SweepJobs::save_state(const Job& job) const {
    write_text(job_directory(job.id) / "job.json", nlohmann::json{{"sweep_id", job.id},
                                                                  {"state", to_string(job.state)},
                                                                  {"submitted_at", iso_or_empty(job.submitted_ns)},
                                                                  {"started_at", iso_or_empty(job.started_ns)},
                                                                  {"finished_at", iso_or_empty(job.finished_ns)},
                                                                  {"error", job.error},
                                                                  {"plan", job.plan},
                                                                  {"run", job.run}}
                                                       .dump(2));
}

void SweepJobs::load_existing() {
    std::error_code error;
    if (!fs::is_directory(root_, error)) return;
    std::vector<Job*> waiting;
    for (const auto& entry : fs::directory_iterator(root_, error)) {
        const fs::path state_file = entry.path() / "job.json";
        if (!fs::is_regular_file(state_file, error)) continue;
        auto job = std::make_unique<Job>(entry.path().filename().string());
        try {
            const nlohmann::json saved = nlohmann::json::parse(read_text_file(state_file.string()));
            const auto state = parse_state(saved.at("state").get<std::string>());
            if (!state || saved.at("sweep_id").get<std::string>() != job->id) continue;
            job->state = *state;
            job->submitted_ns = parse_iso8601(saved.value("submitted_at", "")).value_or(0);
            job->started_ns = parse_iso8601(saved.value("started_at", "")).value_or(0);
            job->finished_ns = parse_iso8601(saved.value("finished_at", "")).value_or(0);
            job->error = saved.value("error", "");
            job->plan = saved.value("plan", nlohmann::json(nullptr));
            job->run = saved.value("run", nlohmann::json(nullptr));
        } catch (const std::exception&) {
            continue;  // a job.json cut short by a crash mid-rename cannot happen; anything else is not ours
        }
        // Queued, running or stopped with the server: carried on by this one.
        if (job->state == SweepJobState::kRunning || job->state == SweepJobState::kInterrupted)
            job->state = SweepJobState::kQueued;
        if (job->state == SweepJobState::kQueued) waiting.push_back(job.get());
        jobs_.emplace(job->id, std::move(job));
    }
    std::sort(waiting.begin(), waiting.end(), [](const Job* a, const Job* b) {
        return a->submitted_ns != b->submitted_ns ? a->submitted_ns < b->submitted_ns : a->id < b->id;
    });
    for (const Job* job : waiting) queue_.push_back(job->id);
}

std::string SweepJobs::submit(const std::string& config_text, bool is_json) {
    std::string toml_text = config_text;
    if (is_json) {
        try {
            toml_text = json_config_as_toml(config_text);
        } catch (const UserError& error) {
            throw HttpError(400, error.what());
        }
    }
    auto job = std::make_unique<Job>(make_uuid_v4());
    job->submitted_ns = now_ns();
    const fs::path directory = job_directory(job->id);
    fs::create_directories(directory);
    try {
        write_text(directory / "config.toml", toml_text);
        // Everything `tapegrid sweep` checks before any work, with its messages.
        const SweepSpec spec = load_sweep_config((directory / "config.toml").string(), {}, store_directory_);
        require_inside_store(spec.recordings, store_directory_);
        save_state(*job);
    } catch (const UserError& error) {
        fs::remove_all(directory);
        throw HttpError(422, error.what());
    } catch (...) {
        fs::remove_all(directory);
        throw;
    }
    std::string id = job->id;
    {
        const std::lock_guard lock(mutex_);
        jobs_.emplace(id, std::move(job));
        queue_.push_back(id);
    }
    changed_.notify_all();
    return id;
}

nlohmann::json SweepJobs::describe_locked(const Job& job) const {
    nlohmann::json json = {{"sweep_id", job.id},
                           {"state", to_string(job.state)},
                           {"submitted_at", iso_or_empty(job.submitted_ns)},
                           {"started_at", iso_or_empty(job.started_ns)},
                           {"finished_at", iso_or_empty(job.finished_ns)},
                           {"error", job.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(job.error)},
                           {"plan", job.plan},
                           {"run", job.run}};
    if (job.state == SweepJobState::kQueued) {
        std::size_t position = 0;
        for (const auto& id : queue_) {
            if (id == job.id) break;
            ++position;
        }
        json["queue_position"] = position;
    }
    const std::uint64_t total = job.plan.is_object() ? job.plan.value("combinations", std::uint64_t{0}) : 0;
    std::uint64_t done = 0;
    double rate = 0.0;
    std::optional<double> eta;
    if (job.state == SweepJobState::kRunning) {
        done = job.rows_before + job.progress.rows.load();
        const double seconds = static_cast<double>(now_ns() - job.started_ns) / 1e9;
        if (seconds > 0) rate = static_cast<double>(job.progress.bar_evaluations.load()) / seconds;
        if (rate > 0 && total >= done) eta = static_cast<double>(total - done) * static_cast<double>(job.bars) / rate;
    } else if (job.run.is_object()) {
        done = job.run.value("rows", std::uint64_t{0});
        rate = job.run.value("bar_evaluations_per_second", 0.0);
    }
    json["progress"] = {{"rows_done", done},
                        {"rows_total", total},
                        {"fraction", total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 0.0}};
    json["bar_evaluations_per_second"] = rate;
    json["eta_seconds"] = eta ? nlohmann::json(*eta) : nlohmann::json(nullptr);
    return json;
}

std::optional<nlohmann::json> SweepJobs::describe(const std::string& sweep_id) {
    const std::lock_guard lock(mutex_);
    const auto job = jobs_.find(sweep_id);
    if (job == jobs_.end()) return std::nullopt;
    return describe_locked(*job->second);
}

nlohmann::json SweepJobs::list() {
    const std::lock_guard lock(mutex_);
    std::vector<const Job*> jobs;
    for (const auto& [id, job] : jobs_) jobs.push_back(job.get());
    std::sort(jobs.begin(), jobs.end(), [](const Job* a, const Job* b) {
        return a->submitted_ns != b->submitted_ns ? a->submitted_ns > b->submitted_ns : a->id < b->id;
    });
    nlohmann::json list = nlohmann::json::array();
    for (const Job* job : jobs) list.push_back(describe_locked(*job));
    return list;
}

nlohmann::json SweepJobs::cancel(const std::string& sweep_id) {
    std::unique_lock lock(mutex_);
    const auto found = jobs_.find(sweep_id);
    if (found == jobs_.end()) throw HttpError(404, "no sweep with id '" + sweep_id + "'");
    Job& job = *found->second;
    if (ended(job.state))
        throw HttpError(409, fmt::format("sweep {} has already ended ({})", sweep_id, to_string(job.state)));
    job.cancel_requested = true;
    if (job.state == SweepJobState::kQueued) {
        std::erase(queue_, sweep_id);
        job.state = SweepJobState::kCancelled;
        job.finished_ns = now_ns();
        save_state(job);
    } else {
        job.stop = true;  // the worker records the state once the running tasks finish
        changed_.wait(lock, [&] { return ended(job.state); });
    }
    return describe_locked(job);
}

nlohmann::json SweepJobs::resume(const std::string& sweep_id) {
    // The answer says what this request did (queued, and where), described under the same lock:
    // once notified, the worker may already have taken it.
    nlohmann::json answer;
    {
        const std::lock_guard lock(mutex_);
        const auto found = jobs_.find(sweep_id);
        if (found == jobs_.end()) throw HttpError(404, "no sweep with id '" + sweep_id + "'");
        Job& job = *found->second;
        if (!ended(job.state) || job.state == SweepJobState::kFinished)
            throw HttpError(409, fmt::format("sweep {} is {}: only a cancelled, interrupted or failed sweep resumes",
                                             sweep_id, to_string(job.state)));
        job.state = SweepJobState::kQueued;
        job.cancel_requested = false;
        job.stop = false;
        job.error.clear();
        job.finished_ns = 0;
        job.run = nullptr;
        save_state(job);
        queue_.push_back(sweep_id);
        answer = describe_locked(job);
    }
    changed_.notify_all();
    return answer;
}

fs::path SweepJobs::results_directory(const std::string& sweep_id) {
    const std::lock_guard lock(mutex_);
    const auto found = jobs_.find(sweep_id);
    if (found == jobs_.end()) throw HttpError(404, "no sweep with id '" + sweep_id + "'");
    const Job& job = *found->second;
    fs::path out = job_directory(sweep_id) / "out";
    std::error_code error;
    if (!ended(job.state) || job.state == SweepJobState::kFailed || !fs::is_regular_file(out / "results.csv", error))
        throw HttpError(409, fmt::format("sweep {} has no results to show yet ({})", sweep_id, to_string(job.state)));
    return out;
}

void SweepJobs::wait_idle() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return queue_.empty() && running_ == nullptr; });
}

void SweepJobs::work() {
    std::unique_lock lock(mutex_);
    while (true) {
        changed_.wait(lock, [&] { return shutting_down_ || !queue_.empty(); });
        if (shutting_down_) return;
        Job& job = *jobs_.at(queue_.front());
        queue_.pop_front();
        running_ = &job;
        job.state = SweepJobState::kRunning;
        job.started_ns = now_ns();
        job.progress.rows = 0;
        job.progress.bar_evaluations = 0;
        save_state(job);
        lock.unlock();
        std::string error;
        try {
            run_job(job);
        } catch (const std::exception& caught) {
            error = caught.what();
        }
        lock.lock();
        job.finished_ns = now_ns();
        if (!error.empty()) {
            job.state = SweepJobState::kFailed;
            job.error = error;
        } else if (job.run.is_object() && job.run.value("interrupted", false)) {
            job.state = job.cancel_requested ? SweepJobState::kCancelled : SweepJobState::kInterrupted;
        } else {
            job.state = SweepJobState::kFinished;
        }
        save_state(job);
        running_ = nullptr;
        changed_.notify_all();
    }
}

void SweepJobs::run_job(Job& job) {
    const fs::path directory = job_directory(job.id);
    const std::string config = (directory / "config.toml").string();
    SweepSpec spec = load_sweep_config(config, {}, store_directory_);
    require_inside_store(spec.recordings, store_directory_);
    spec.output_directory = (directory / "out").string();
    SweepRequest request;
    request.threads = threads_;
    if (SweepDirectory::has_checkpoint(spec.output_directory))
        request.resume_from = SweepDirectory::checkpoint_to_resume(spec.output_directory);
    const SweepRunner runner(spec, load_sweep_input(spec.recordings), request);
    SweepDirectory outputs(spec.output_directory, runner, false, SweepOrigin{config, {}, store_directory_});
    {
        const std::lock_guard lock(mutex_);
        job.plan = sweep_plan_json(runner);
        job.rows_before = runner.rows_before();
        job.bars = runner.data().total_bars;
        job.started_ns = now_ns();
        save_state(job);
    }
    const SweepOutcome outcome = runner.run(outputs, &job.stop, &job.progress);
    outputs.finish(outcome);
    const std::lock_guard lock(mutex_);
    job.run = sweep_run_json(outcome);
}

}  // namespace tapegrid
