// Opening a recording to read it: the seal, a live writer, the format version, the metadata.
#include "io/hdf5/recording_open.h"

#include <fmt/format.h>

#include <filesystem>

#include "io/hdf5/hdf5_attribute.h"
#include "io/hdf5/recording_layout.h"

namespace tapegrid {

namespace {

// A completed recording is sealed when it is finished; one whose seal is gone ("seal: none", or
// a user block that is not tapegrid's) was changed afterwards, and nothing vouches for its rows.
void require_seal_of_completed(const std::string& path, SealState seal, const std::string& status) {
    if (seal == SealState::kIntact || status != to_string(RecordingStatus::kCompleted)) return;
    throw UserError(path + ": is a completed recording, but " +
                    (seal == SealState::kUnsealed ? std::string("its user block says it was never sealed")
                                                  : std::string("its user block holds no tapegrid seal")) +
                    ": the file was changed after it was finished, and its rows are unchecked; `tapegrid recover "
                    "--reseal " +
                    path + "` checks every row and seals it anew");
}

template <class T>
T required(std::optional<T> value, const std::string& path, const char* name) {
    if (!value) throw UserError(path + ": not a tapegrid recording: the root attribute '" + name + "' is missing");
    return std::move(*value);
}

}  // namespace

h5::Handle open_recording_file(const std::string& path, bool verify) {
    h5::silence_hdf5_errors();
    if (!std::filesystem::exists(path)) throw UserError(path + ": no such file");
    if (std::filesystem::is_directory(path)) throw UserError(path + ": is a directory, expected a recording file");
    if (const auto live = read_live_status(path); live && is_writer_alive(*live))
        throw UserError(path + ": is being written by a live recorder (pid " + std::to_string(live->pid) +
                        "); `tapegrid recordings active --instance " + std::to_string(live->info.instance_id) +
                        "` shows its progress");
    const SealState seal = verify ? verify_seal(path) : SealState::kIntact;
    const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
    if (is_hdf5 == 0)
        throw UserError(path + ": not an HDF5 file (no HDF5 signature found); expected a tapegrid recording");
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0) {
        const std::string reason = h5::hdf5_error_text();
        if (reason.find("unable to lock file") != std::string::npos)
            throw UserError(path + ": is open for writing by another process (" + reason + ")");
        throw UserError(path + ": cannot open the recording (truncated or corrupted file?): " + reason);
    }
    h5::Handle handle = h5::make_file(file);
    const auto version = h5::read_int_attribute(file, layout::attr::kFormatVersion, path);
    if (!version) throw UserError(path + ": not a tapegrid recording: the root attribute 'format_version' is missing");
    if (*version != layout::kFormatVersion)
        throw UserError(fmt::format("{}: format_version {} is not supported; this tapegrid reads format_version {}",
                                    path, *version, layout::kFormatVersion));
    if (verify)
        require_seal_of_completed(path, seal,
                                  h5::read_string_attribute(file, layout::attr::kStatus, path).value_or(""));
    return handle;
}

RecordingInfo read_info_attributes(hid_t file, const std::string& path) {
    using namespace layout::attr;
    RecordingInfo info;
    info.format_version = static_cast<int>(layout::kFormatVersion);
    info.recording_id = required(h5::read_string_attribute(file, kRecordingId, path), path, kRecordingId);
    info.session_id = h5::read_string_attribute(file, kSessionId, path).value_or("");
    info.instance_id = h5::read_int_attribute(file, kInstanceId, path).value_or(0);
    info.strategy_name = h5::read_string_attribute(file, kStrategyName, path).value_or("");
    info.original_parameters = h5::read_string_attribute(file, kOriginalParameters, path).value_or("{}");
    info.symbols = required(h5::read_string_array_attribute(file, kSymbols, path), path, kSymbols);
    // The recorder rewrites the metadata at every flush, and an attribute whose size changes is
    // deleted and created anew. A writer killed in between leaves the sidecar it writes after each
    // completed flush (removed only once the file is finished): its copy stands in.
    const std::optional<LiveStatus> live = read_live_status(path);
    std::optional<std::string> status_attribute = h5::read_string_attribute(file, kStatus, path);
    if (!status_attribute && live) status_attribute = std::string(to_string(RecordingStatus::kRecording));
    const std::string status_text = required(std::move(status_attribute), path, kStatus);
    const auto status = parse_recording_status(status_text);
    if (!status)
        throw UserError(path + ": attribute 'status': expected recording, completed, interrupted or failed, found '" +
                        status_text + "'");
    info.status = *status;
    info.recording_start_time_ns = h5::read_int_attribute(file, kStartTime, path).value_or(0);
    info.recording_end_time_ns = h5::read_int_attribute(file, kEndTime, path).value_or(0);
    info.description = h5::read_string_attribute(file, kDescription, path).value_or("");
    info.tags = h5::read_string_array_attribute(file, kTags, path).value_or(std::vector<std::string>{});
    info.total_bars_recorded = h5::read_int_attribute(file, kTotalBars, path).value_or(0);
    info.total_events_recorded = h5::read_int_attribute(file, kTotalEvents, path).value_or(0);
    const auto types =
        h5::read_string_array_attribute(file, kEventCountTypes, path).value_or(std::vector<std::string>{});
    const auto counts =
        h5::read_int_array_attribute(file, kEventCountValues, path).value_or(std::vector<std::int64_t>{});
    if (types.size() != counts.size() && info.status == RecordingStatus::kRecording) {
        // Torn by a dead writer: the counts as of its last completed flush (none without a sidecar).
        if (live) info.event_counts = live->info.event_counts;
    } else if (types.size() != counts.size()) {
        throw UserError(fmt::format("{}: attributes '{}' ({} entries) and '{}' ({} entries) must have the same length",
                                    path, kEventCountTypes, types.size(), kEventCountValues, counts.size()));
    } else {
        for (std::size_t i = 0; i < types.size(); ++i) info.event_counts[types[i]] = counts[i];
    }
    info.original_trades = h5::read_int_attribute(file, kOriginalTrades, path).value_or(0);
    info.original_pnl = h5::read_double_attribute(file, kOriginalPnl, path).value_or(0.0);
    info.original_win_rate = h5::read_double_attribute(file, kOriginalWinRate, path).value_or(0.0);
    info.error_message = h5::read_string_attribute(file, kErrorMessage, path).value_or("");
    info.created_by = h5::read_string_attribute(file, kCreatedBy, path).value_or("");
    // The writer died without marking the end: the file holds what it flushed.
    if (info.status == RecordingStatus::kRecording) info.status = RecordingStatus::kInterrupted;
    return info;
}

std::size_t RecordingForRows::bar_row_limit(const std::string& symbol) const {
    if (!committed) return static_cast<std::size_t>(-1);
    const auto found = committed->bars.find(symbol);
    return found == committed->bars.end() ? std::size_t{0} : found->second;
}

std::size_t RecordingForRows::event_rows(std::size_t rows_in_file) const {
    return committed ? std::min(rows_in_file, committed->events) : rows_in_file;
}

bool RecordingForRows::interrupted_unsealed() const {
    return seal == SealState::kUnsealed && info.status == RecordingStatus::kInterrupted;
}

std::string RecordingForRows::recovery_hint() const {
    // A recorder killed in the middle of a flush leaves its last rows half-written.
    if (!interrupted_unsealed()) return "";
    return "; the recording was interrupted in the middle of a flush: `tapegrid recover " + path +
           "` keeps every complete record and makes it readable";
}

UserError RecordingForRows::explain(const UserError& error) const {
    return UserError(std::string(error.what()) + recovery_hint());
}

RecordingForRows open_recording_for_rows(const std::string& path, bool verify_seal) {
    RecordingForRows recording;
    recording.path = path;
    recording.seal =
        verify_seal && std::filesystem::is_regular_file(path) ? tapegrid::verify_seal(path) : SealState::kNone;
    recording.file = open_recording_file(path, /*verify=*/false);
    recording.info = read_info_attributes(recording.file.get(), path);
    if (verify_seal) require_seal_of_completed(path, recording.seal, std::string(to_string(recording.info.status)));
    // A recording whose writer died is read up to its last completed flush.
    if (recording.interrupted_unsealed())
        if (const auto live = read_live_status(path)) recording.committed = live->committed;
    return recording;
}

}  // namespace tapegrid
