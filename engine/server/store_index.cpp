// The server's cached view of the store.
#include "engine/server/store_index.h"

#include <filesystem>

#include "engine/server/http_error.h"
#include "io/hdf5/live_status.h"

namespace tapegrid {

namespace fs = std::filesystem;

bool plausible_id(const std::string& text) {
    if (text.empty() || text.size() > 64) return false;
    for (const char c : text)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    return true;
}

StoreIndex::StoreIndex(std::string store_directory) : directory_(std::move(store_directory)) {}

std::vector<StoredRecording> StoreIndex::refresh() {
    std::error_code error;
    std::vector<StoredRecording> listed;
    if (!fs::is_directory(directory_, error)) {
        entries_.clear();
        return listed;
    }
    std::map<std::string, Entry> kept;
    for (const auto& file : fs::directory_iterator(directory_, error)) {
        const fs::path& path = file.path();
        const std::string name = path.filename().string();
        if (path.extension() != ".h5" || name.front() == '.') continue;  // not a recording, or a partial write
        const std::string where = path.string();
        const std::optional<FileIdentity> key = file_identity(where);
        if (!key) continue;
        auto cached = entries_.find(where);
        // A file being written is described by its live sidecar, which changes at every flush.
        const bool live = fs::exists(live_status_path(where), error);
        Entry entry;
        if (cached != entries_.end() && cached->second.key == *key && !live && !cached->second.stored.live)
            entry = std::move(cached->second);
        else
            entry = Entry{*key, describe_stored_recording(where), std::nullopt};
        listed.push_back(entry.stored);
        kept.emplace(where, std::move(entry));
    }
    entries_ = std::move(kept);
    sort_newest_first(listed);
    return listed;
}

std::vector<StoredRecording> StoreIndex::recordings() {
    const std::lock_guard lock(mutex_);
    return refresh();
}

std::optional<StoredRecording> StoreIndex::find(const std::string& recording_id) {
    if (!plausible_id(recording_id)) return std::nullopt;
    const std::lock_guard lock(mutex_);
    std::optional<StoredRecording> found;
    std::size_t prefixed = 0;
    for (auto& stored : refresh()) {
        if (!stored.info) continue;
        if (stored.info->recording_id == recording_id) return stored;
        if (recording_id.size() >= 8 && stored.info->recording_id.rfind(recording_id, 0) == 0) {
            ++prefixed;
            found = std::move(stored);
        }
    }
    if (prefixed > 1)
        throw HttpError(400, "'" + recording_id + "': " + std::to_string(prefixed) +
                                 " recordings start with this id; give more of it");
    return found;
}

std::vector<ReplaySummary> StoreIndex::replays(const std::string& path) {
    {
        const std::lock_guard lock(mutex_);
        const auto entry = entries_.find(path);
        if (entry != entries_.end() && entry->second.replays) return *entry->second.replays;
    }
    std::vector<ReplaySummary> read = list_replays(path);
    const std::lock_guard lock(mutex_);
    // Keep it only if the file is still the one the entry describes (a replay saved meanwhile
    // replaces the file, and the next refresh drops the entry).
    const auto entry = entries_.find(path);
    if (entry != entries_.end() && file_identity(path) == entry->second.key) entry->second.replays = read;
    return read;
}

std::optional<StoredRecording> StoreIndex::find_replay(const std::string& replay_id) {
    if (!plausible_id(replay_id)) return std::nullopt;
    for (const auto& stored : recordings()) {
        if (!stored.info || stored.live) continue;
        try {
            for (const auto& replay : replays(stored.path))
                if (replay.replay_id == replay_id) return stored;
        } catch (const std::exception&) {
            // A file that cannot be read holds no replay anyone can be shown.
        }
    }
    return std::nullopt;
}

}  // namespace tapegrid
