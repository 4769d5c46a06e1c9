// The recording store.
#include "io/store/recording_store.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "engine/core/errors.h"
#include "engine/core/printable.h"
#include "engine/core/uuid.h"
#include "io/hdf5/live_status.h"
#include "io/hdf5/recording_reader.h"

namespace tapegrid {

namespace fs = std::filesystem;

std::string resolve_store_directory(const std::optional<std::string>& store_option) {
    if (store_option && !store_option->empty()) return *store_option;
    if (const char* environment = std::getenv("TAPEGRID_STORE"); environment != nullptr && *environment != '\0')
        return environment;
    return "recordings";
}

StoredRecording describe_stored_recording(const std::string& path) {
    StoredRecording stored;
    stored.path = path;
    try {
        const auto live = read_live_status(stored.path);
        stored.live = live && is_writer_alive(*live);
        stored.info = read_recording_info(stored.path);
    } catch (const UserError& error) {
        stored.error = error.what();
    }
    return stored;
}

void sort_newest_first(std::vector<StoredRecording>& recordings) {
    std::sort(recordings.begin(), recordings.end(), [](const StoredRecording& a, const StoredRecording& b) {
        const TimestampNs ta = a.info ? a.info->recording_start_time_ns : 0;
        const TimestampNs tb = b.info ? b.info->recording_start_time_ns : 0;
        if (ta != tb) return ta > tb;
        return a.path < b.path;
    });
}

std::vector<StoredRecording> list_store(const std::string& store_directory) {
    std::vector<StoredRecording> recordings;
    if (!fs::exists(store_directory)) return recordings;
    if (!fs::is_directory(store_directory)) throw UserError(store_directory + ": the store is not a directory");
    for (const auto& entry : fs::directory_iterator(store_directory)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".h5") continue;
        const std::string name = entry.path().filename().string();
        if (!name.empty() && name.front() == '.') continue;  // a partial write in progress
        StoredRecording stored = describe_stored_recording(entry.path().string());
        recordings.push_back(std::move(stored));
    }
    sort_newest_first(recordings);
    return recordings;
}

std::string resolve_recording(const std::string& rec, const std::string& store_directory) {
    if (rec.empty()) throw UserError("expected a recording id or file, found an empty argument");
    // The non-throwing checks: a name too long or a path that cannot be searched is simply not
    // a file here, and the messages below say what was looked for.
    std::error_code error;
    if (fs::is_regular_file(rec, error)) return rec;
    if (fs::is_directory(rec, error)) throw UserError(rec + ": is a directory; expected a recording file or id");
    const fs::path direct = fs::path(store_directory) / (rec + ".h5");
    if (fs::is_regular_file(direct, error)) return direct.string();
    if (rec.find('/') != std::string::npos || (rec.size() > 3 && rec.substr(rec.size() - 3) == ".h5"))
        throw UserError(rec + ": no such file");
    if (rec.size() < 4) throw UserError("'" + rec + "': a recording id prefix needs at least 4 characters");
    std::vector<std::string> matches;
    if (fs::is_directory(store_directory, error)) {
        for (const auto& stored : list_store(store_directory))
            if (stored.info && stored.info->recording_id.rfind(rec, 0) == 0) matches.push_back(stored.path);
    }
    if (matches.empty())
        throw UserError("'" + rec + "': no such recording file, and no recording with that id in the store " +
                        store_directory + " (`tapegrid recordings list` shows them)");
    if (matches.size() > 1)
        throw UserError("'" + rec + "': " + std::to_string(matches.size()) +
                        " recordings in the store start with this id; give more of it");
    return matches.front();
}

std::string store_path_for(const std::string& store_directory, const std::string& recording_id) {
    // The id names the file: anything but a UUID could name a path outside the store.
    if (!is_uuid(recording_id))
        throw UserError("recording id '" + printable(recording_id) +
                        "' is not a UUID, so it cannot name a file in the "
                        "store; import it with --new-id");
    std::error_code error;
    fs::create_directories(store_directory, error);
    if (error) throw UserError(store_directory + ": cannot create the store directory: " + error.message());
    return (fs::path(store_directory) / (recording_id + ".h5")).string();
}

std::vector<ActiveRecording> active_recordings(const std::string& store_directory, std::int64_t instance_id) {
    std::vector<ActiveRecording> active;
    std::error_code error;
    if (!fs::is_directory(store_directory, error)) return active;
    for (const auto& entry : fs::directory_iterator(store_directory, error)) {
        const std::string name = entry.path().string();
        constexpr std::string_view kSidecar = ".h5.live";
        if (name.size() <= kSidecar.size() ||
            name.compare(name.size() - kSidecar.size(), kSidecar.size(), kSidecar) != 0)
            continue;
        const std::string recording_path = name.substr(0, name.size() - 5);  // drop ".live"
        auto live = read_live_status(recording_path);
        if (live && is_writer_alive(*live) && live->info.instance_id == instance_id)
            active.push_back({recording_path, std::move(*live)});
    }
    std::sort(active.begin(), active.end(),
              [](const ActiveRecording& a, const ActiveRecording& b) { return a.path < b.path; });
    return active;
}

void delete_recording(const std::string& path) {
    if (const auto live = read_live_status(path); live && is_writer_alive(*live))
        throw UserError(path + ": is being written by a live recorder (pid " + std::to_string(live->pid) +
                        "); stop it first");
    std::error_code error;
    fs::remove(path, error);
    if (error) throw UserError(path + ": cannot delete: " + error.message());
    remove_live_status(path);
}

}  // namespace tapegrid
