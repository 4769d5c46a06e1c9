// Saving and reading replays inside recording files.
#include "io/hdf5/replay_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "engine/core/uuid.h"
#include "io/hdf5/hdf5_attribute.h"
#include "io/hdf5/hdf5_column.h"
#include "io/hdf5/hdf5_handle.h"
#include "io/hdf5/hdf5_string_column.h"
#include "io/hdf5/live_status.h"
#include "io/hdf5/partial_files.h"
#include "io/hdf5/recording_file_writer.h"
#include "io/hdf5/recording_layout.h"
#include "io/hdf5/recording_reader.h"
#include "io/hdf5/recording_seal.h"
#include "io/json/replay_json.h"

namespace tapegrid {

namespace {

namespace fs = std::filesystem;

// Serialises saves into one store: each save copies the file, and two at once would lose one.
class DirectoryLock {
  public:
    explicit DirectoryLock(const fs::path& directory)
        : fd_(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) {
        if (fd_ >= 0) ::flock(fd_, LOCK_EX);
    }
    ~DirectoryLock() {
        if (fd_ >= 0) ::close(fd_);
    }
    DirectoryLock(const DirectoryLock&) = delete;
    DirectoryLock& operator=(const DirectoryLock&) = delete;

  private:
    int fd_;
};

void write_trades(hid_t replay_group, const std::vector<Trade>& trades) {
    h5::Handle group = h5::create_group(replay_group, "trades");
    const std::size_t chunk = std::max<std::size_t>(64, trades.size());
    const auto numbers = [&](const char* name, auto field) {
        std::vector<double> values;
        values.reserve(trades.size());
        for (const auto& trade : trades) values.push_back(field(trade));
        h5::Handle column = h5::create_column(group.get(), name, h5::ColumnType::kFloat64, chunk);
        h5::append_column(column.get(), values.data(), values.size());
    };
    const auto integers = [&](const char* name, auto field) {
        std::vector<std::int64_t> values;
        values.reserve(trades.size());
        for (const auto& trade : trades) values.push_back(field(trade));
        h5::Handle column = h5::create_column(group.get(), name, h5::ColumnType::kInt64, chunk);
        h5::append_column(column.get(), values.data(), values.size());
    };
    const auto texts = [&](const char* name, auto field) {
        std::vector<std::string> values;
        values.reserve(trades.size());
        for (const auto& trade : trades) values.push_back(field(trade));
        h5::StringColumn column = h5::create_string_column(group.get(), name, chunk);
        h5::append_strings(column, values);
    };
    texts("symbol", [](const Trade& t) { return t.symbol; });
    integers("direction", [](const Trade& t) { return std::int64_t{t.direction}; });
    integers("entry_time", [](const Trade& t) { return t.entry_time_ns; });
    integers("exit_time", [](const Trade& t) { return t.exit_time_ns; });
    numbers("entry_price", [](const Trade& t) { return t.entry_price; });
    numbers("exit_price", [](const Trade& t) { return t.exit_price; });
    numbers("quantity", [](const Trade& t) { return t.quantity; });
    numbers("pnl", [](const Trade& t) { return t.pnl; });
    numbers("pnl_pct", [](const Trade& t) { return t.pnl_pct; });
    texts("exit_reason", [](const Trade& t) { return std::string(to_string(t.exit_reason)); });
}

}  // namespace

std::string save_replay(const std::string& recording_path, const ReplayOutcome& outcome,
                        const std::string& description) {
    h5::silence_hdf5_errors();
    if (const auto live = read_live_status(recording_path); live && is_writer_alive(*live))
        throw UserError(recording_path + ": is being written by a live recorder; save the replay once it has stopped");
    const fs::path path(recording_path);
    DirectoryLock lock(path.parent_path().empty() ? fs::path(".") : path.parent_path());
    const SealState seal = verify_seal(recording_path);
    const RecordingInfo info = read_recording_info(recording_path);
    if (seal == SealState::kUnsealed)
        throw UserError(recording_path + ": the recording was interrupted and is not closed; run `tapegrid recover " +
                        recording_path + "` first");

    std::string replay_id = make_uuid_v4();
    const TimestampNs created = now_ns();
    const nlohmann::json result = replay_to_json(outcome, info, replay_id, description, created);
    const std::string copy = temporary_path_for(recording_path) + ".replay";
    const PartialFileGuard guard(copy);
    std::error_code ignored;
    fs::remove(copy, ignored);
    try {
        fs::copy_file(recording_path, copy);
        {
            h5::Handle access = h5::make_plist(h5::check_id(H5Pcreate(H5P_FILE_ACCESS), "file access plist"));
            h5::check_status(H5Pset_libver_bounds(access.get(), H5F_LIBVER_V18, H5F_LIBVER_V18), "format bounds");
            h5::Handle file =
                h5::open_file(copy, H5F_ACC_RDWR, access.get(), recording_path + ": opening to add a replay");
            h5::Handle replays = h5::link_exists(file.get(), layout::kReplaysGroup)
                                     ? h5::open_group(file.get(), layout::kReplaysGroup, recording_path)
                                     : h5::create_group(file.get(), layout::kReplaysGroup);
            h5::Handle group = h5::create_group(replays.get(), replay_id);
            const hid_t g = group.get();
            const ReplayMetrics& m = outcome.result.metrics;
            h5::write_attribute(g, "replay_id", replay_id);
            h5::write_attribute(g, "recording_id", info.recording_id);
            h5::write_attribute(g, "strategy_name", outcome.result.strategy_name);
            h5::write_attribute(g, "created_at_ns", created);
            h5::write_attribute(g, "description", description);
            h5::write_attribute(g, "parameters", result["parameters"].dump());
            h5::write_attribute(g, "modified_parameters", result["modified_parameters"].dump());
            h5::write_attribute(g, "total_trades", m.total_trades);
            h5::write_attribute(g, "winning_trades", m.winning_trades);
            h5::write_attribute(g, "losing_trades", m.losing_trades);
            h5::write_attribute(g, "win_rate", m.win_rate);
            h5::write_attribute(g, "total_pnl", m.total_pnl);
            h5::write_attribute(g, "max_drawdown", m.max_drawdown);
            h5::write_attribute(g, "max_drawdown_pct", m.max_drawdown_pct);
            h5::write_attribute(g, "sharpe_ratio", m.sharpe_ratio);
            h5::write_attribute(g, "sortino_ratio", m.sortino_ratio);
            h5::write_attribute(g, "profit_factor", m.profit_factor);
            h5::write_attribute(g, "trades_diff", outcome.comparison.trades_diff);
            h5::write_attribute(g, "pnl_diff", outcome.comparison.pnl_diff);
            h5::write_attribute(g, "win_rate_diff", outcome.comparison.win_rate_diff);
            h5::StringColumn json = h5::create_string_column(g, "result", 1);
            h5::append_strings(json, {result.dump()});
            write_trades(g, outcome.result.trades);
            if (file.close() < 0) throw InternalError(copy + ": closing failed: " + h5::hdf5_error_text());
        }
        seal_recording(copy);
        fs::rename(copy, recording_path);
    } catch (...) {
        fs::remove(copy, ignored);
        throw;
    }
    return replay_id;
}

std::vector<ReplaySummary> list_replays(const std::string& recording_path) {
    h5::silence_hdf5_errors();
    read_recording_info(recording_path);  // checks the file is a recording
    std::vector<ReplaySummary> replays;
    if (const auto live = read_live_status(recording_path); live && is_writer_alive(*live)) return replays;
    h5::Handle file = h5::open_file<UserError>(recording_path, H5F_ACC_RDONLY, H5P_DEFAULT, recording_path);
    if (!h5::link_exists(file.get(), layout::kReplaysGroup)) return replays;
    h5::Handle group = h5::open_group(file.get(), layout::kReplaysGroup, recording_path);
    for (const auto& name : h5::link_names(group.get(), recording_path + ": /replays")) {
        const std::string where = recording_path + ": /replays/" + name;
        h5::Handle replay = h5::open_group(group.get(), name, recording_path + ": /replays");
        const hid_t r = replay.get();
        ReplaySummary summary;
        summary.replay_id = h5::read_string_attribute(r, "replay_id", where).value_or(name);
        summary.strategy_name = h5::read_string_attribute(r, "strategy_name", where).value_or("");
        summary.created_at_ns = h5::read_int_attribute(r, "created_at_ns", where).value_or(0);
        summary.description = h5::read_string_attribute(r, "description", where).value_or("");
        summary.modified_parameters = h5::read_string_attribute(r, "modified_parameters", where).value_or("{}");
        summary.total_trades = h5::read_int_attribute(r, "total_trades", where).value_or(0);
        summary.total_pnl = h5::read_double_attribute(r, "total_pnl", where).value_or(0);
        summary.win_rate = h5::read_double_attribute(r, "win_rate", where).value_or(0);
        summary.max_drawdown = h5::read_double_attribute(r, "max_drawdown", where).value_or(0);
        summary.sharpe_ratio = h5::read_double_attribute(r, "sharpe_ratio", where).value_or(0);
        summary.trades_diff = h5::read_int_attribute(r, "trades_diff", where).value_or(0);
        summary.pnl_diff = h5::read_double_attribute(r, "pnl_diff", where).value_or(0);
        replays.push_back(std::move(summary));
    }
    std::stable_sort(replays.begin(), replays.end(),
                     [](const ReplaySummary& a, const ReplaySummary& b) { return a.created_at_ns < b.created_at_ns; });
    return replays;
}

nlohmann::json read_replay(const std::string& recording_path, const std::string& replay_id) {
    h5::silence_hdf5_errors();
    verify_seal(recording_path);
    read_recording_info(recording_path);
    h5::Handle file = h5::open_file<UserError>(recording_path, H5F_ACC_RDONLY, H5P_DEFAULT, recording_path);
    const std::string where = recording_path + ": /replays";
    if (!h5::link_exists(file.get(), layout::kReplaysGroup) ||
        !h5::link_exists(h5::open_group(file.get(), layout::kReplaysGroup, recording_path).get(), replay_id))
        throw UserError(recording_path + ": no replay '" + replay_id + "' (`tapegrid recordings replays " +
                        recording_path + "` lists them)");
    h5::Handle group = h5::open_group(file.get(), layout::kReplaysGroup, recording_path);
    h5::Handle replay = h5::open_group(group.get(), replay_id, where);
    const h5::StringColumn column = h5::open_string_column(replay.get(), "result", where + "/" + replay_id);
    const auto texts = h5::read_strings(column, 0, h5::string_column_rows(column));
    if (texts.size() != 1) throw UserError(where + "/" + replay_id + "/result: expected one JSON document");
    try {
        return nlohmann::json::parse(texts[0]);
    } catch (const nlohmann::json::exception& error) {
        throw UserError(where + "/" + replay_id + "/result: not valid JSON: " + error.what());
    }
}

}  // namespace tapegrid
