// The per-recording locks of `tapegrid serve`.
#include "engine/server/recording_locks.h"

#include <filesystem>

#include "engine/server/http_error.h"

namespace tapegrid {

namespace {

void require_present(const StoredRecording& stored) {
    std::error_code error;
    if (!std::filesystem::exists(stored.path, error))
        throw HttpError(404, "recording " + (stored.info ? stored.info->recording_id : stored.path) + " was deleted");
}

}  // namespace

RecordingLocks& RecordingLockTable::of(const std::string& path) {
    const std::lock_guard lock(mutex_);
    return locks_[path];
}

RecordingRead::RecordingRead(RecordingLockTable& table, const StoredRecording& stored) {
    RecordingLocks& locks = table.of(stored.path);
    { const std::lock_guard passing(locks.turnstile); }
    reading_ = std::shared_lock(locks.readers);
    require_present(stored);
}

RecordingSave::RecordingSave(RecordingLockTable& table, const StoredRecording& stored)
    : writing_(table.of(stored.path).writers) {
    require_present(stored);
}

RecordingDelete::RecordingDelete(RecordingLockTable& table, const StoredRecording& stored)
    : writing_(table.of(stored.path).writers) {
    RecordingLocks& locks = table.of(stored.path);
    const std::lock_guard closing(locks.turnstile);  // no new reader enters meanwhile
    reading_ = std::unique_lock(locks.readers);
    require_present(stored);
}

}  // namespace tapegrid
