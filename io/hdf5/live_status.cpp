// Reading and writing the live recorder's sidecar file.
#include "io/hdf5/live_status.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/core/errors.h"
#include "io/json/json_numbers.h"
#include "io/json/recording_info_json.h"

namespace tapegrid {

namespace {

std::string this_hostname() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) return "unknown";
    return name;
}

// Field 22 of /proc/PID/stat: the process start time in clock ticks since boot.
unsigned long long process_start_ticks(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!std::getline(stat, text)) return 0;
    const auto name_end = text.rfind(')');  // the command name may hold spaces
    if (name_end == std::string::npos) return 0;
    std::istringstream fields(text.substr(name_end + 2));
    std::string value;
    for (int field = 3; field <= 22 && fields >> value; ++field)
        if (field == 22) return std::stoull(value);
    return 0;
}

constexpr TimestampNs kRemoteHeartbeatTimeoutNs = 120 * kNsPerSecond;

}  // namespace

std::string live_status_path(const std::string& recording_path) {
    return recording_path + ".live";
}

void write_live_status(const std::string& recording_path, const RecordingInfo& info, const CommittedRows& committed) {
    nlohmann::json json;
    json["pid"] = ::getpid();
    json["hostname"] = this_hostname();
    json["process_start_ticks"] = process_start_ticks(::getpid());
    json["heartbeat"] = format_iso8601(now_ns());
    json["recording"] = recording_info_to_json(info);
    json["committed_bars"] = committed.bars;
    json["committed_events"] = committed.events;
    const std::string target = live_status_path(recording_path);
    const std::string temporary = target + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << json.dump() << '\n';
        if (!out) throw InternalError(temporary + ": cannot write the live-status file");
    }
    std::error_code error;
    std::filesystem::rename(temporary, target, error);
    if (error) throw InternalError(target + ": cannot write the live-status file: " + error.message());
}

std::optional<LiveStatus> read_live_status(const std::string& recording_path) {
    std::ifstream in(live_status_path(recording_path));
    if (!in) return std::nullopt;
    try {
        const nlohmann::json json = nlohmann::json::parse(in);
        LiveStatus status;
        const std::string where = live_status_path(recording_path);
        status.pid = json_whole_number<pid_t>(json.at("pid"), where + ": pid");
        status.hostname = json.at("hostname").get<std::string>();
        status.process_start_ticks =
            json_whole_number<unsigned long long>(json.at("process_start_ticks"), where + ": process_start_ticks");
        status.heartbeat_ns = parse_iso8601(json.at("heartbeat").get<std::string>()).value_or(0);
        status.info = recording_info_from_json(json.at("recording"), live_status_path(recording_path));
        status.committed.bars = json_whole_numbers_by_key<std::size_t>(json.at("committed_bars"), where);
        status.committed.events = json_whole_number<std::size_t>(json.at("committed_events"), where);
        return status;
    } catch (const std::exception&) {
        return std::nullopt;  // a sidecar being replaced or damaged says nothing reliable
    }
}

bool is_writer_alive(const LiveStatus& status) {
    if (status.hostname != this_hostname()) return now_ns() - status.heartbeat_ns < kRemoteHeartbeatTimeoutNs;
    if (status.pid <= 0) return false;
    if (::kill(status.pid, 0) != 0 && errno == ESRCH) return false;
    return process_start_ticks(status.pid) == status.process_start_ticks;
}

void remove_live_status(const std::string& recording_path) {
    std::error_code ignored;
    std::filesystem::remove(live_status_path(recording_path), ignored);
}

}  // namespace tapegrid
