// The server's cache of loaded recordings.
#include "engine/server/recording_cache.h"

#include "engine/core/errors.h"
#include "io/hdf5/recording_reader.h"

namespace tapegrid {

std::size_t recording_bytes(const Recording& recording) {
    std::size_t bytes = sizeof(Recording);
    for (const SymbolBars& bars : recording.bars) {
        bytes += bars.size() * (sizeof(TimestampNs) + 5 * sizeof(double) + sizeof(std::int64_t));
        for (const auto& indicator : bars.indicators) bytes += indicator.values.size() * sizeof(double);
    }
    for (const Event& event : recording.events)
        bytes += sizeof(Event) + event.type.size() + event.symbol.size() + event.event_data.size() +
                 event.decision_metadata.size() + event.market_state.size();
    return bytes;
}

std::shared_ptr<const Recording> RecordingCache::get(const std::string& path) {
    const std::optional<FileIdentity> identity = file_identity(path);
    if (!identity) throw UserError(path + ": no such file");
    {
        const std::lock_guard lock(mutex_);
        for (auto entry = entries_.begin(); entry != entries_.end(); ++entry) {
            if (entry->path != path) continue;
            if (entry->identity == *identity) {
                entries_.splice(entries_.begin(), entries_, entry);
                return entries_.front().recording;
            }
            bytes_ -= entry->bytes;  // the file changed: a replay was saved into it
            entries_.erase(entry);
            break;
        }
    }
    // Loaded without the cache's lock, so other files are served meanwhile; two requests that
    // miss the same file at once both load it, and the second keeps the first's copy.
    auto recording = std::make_shared<const Recording>(load_recording(path));
    const std::size_t bytes = recording_bytes(*recording);
    const std::lock_guard lock(mutex_);
    for (const Entry& entry : entries_)
        if (entry.path == path && entry.identity == *identity) return entry.recording;
    if (bytes > max_bytes_) return recording;  // served, but too large to keep
    entries_.push_front({path, *identity, bytes, recording});
    bytes_ += bytes;
    while (bytes_ > max_bytes_ && entries_.size() > 1) {
        bytes_ -= entries_.back().bytes;
        entries_.pop_back();
    }
    return recording;
}

std::size_t RecordingCache::bytes() const {
    const std::lock_guard lock(mutex_);
    return bytes_;
}

}  // namespace tapegrid
