// The life cycle of a recording: recording -> completed | interrupted | failed.
#pragma once

#include <optional>
#include <string_view>

namespace tapegrid {

enum class RecordingStatus { kRecording, kCompleted, kInterrupted, kFailed };

constexpr std::string_view to_string(RecordingStatus status) {
    switch (status) {
        case RecordingStatus::kRecording:
            return "recording";
        case RecordingStatus::kCompleted:
            return "completed";
        case RecordingStatus::kInterrupted:
            return "interrupted";
        case RecordingStatus::kFailed:
            return "failed";
    }
    return "unknown";
}

constexpr std::optional<RecordingStatus> parse_recording_status(std::string_view text) {
    for (auto status : {RecordingStatus::kRecording, RecordingStatus::kCompleted, RecordingStatus::kInterrupted,
                        RecordingStatus::kFailed})
        if (to_string(status) == text) return status;
    return std::nullopt;
}

}  // namespace tapegrid
