// Recovery of a recording whose writer died: status, end time, counts and column lengths.
#include "io/hdf5/recording_recovery.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <limits>

#include "io/hdf5/hdf5_attribute.h"
#include "io/hdf5/hdf5_column.h"
#include "io/hdf5/hdf5_handle.h"
#include "io/hdf5/live_status.h"
#include "io/hdf5/recording_layout.h"
#include "io/hdf5/recording_reader.h"

namespace tapegrid {

namespace {

// Shrinks every dataset of `datasets` to the shortest one's length; returns the rows dropped.
std::size_t trim_to_common_length(std::vector<h5::Handle>& datasets, std::size_t& common_rows,
                                  const std::string& where) {
    common_rows = std::numeric_limits<std::size_t>::max();
    for (const auto& dataset : datasets) common_rows = std::min(common_rows, h5::column_rows(dataset.get(), where));
    if (datasets.empty()) common_rows = 0;
    std::size_t dropped = 0;
    for (auto& dataset : datasets) {
        const std::size_t rows = h5::column_rows(dataset.get(), where);
        if (rows == common_rows) continue;
        const hsize_t dims[1] = {common_rows};
        h5::check_status(H5Dset_extent(dataset.get(), dims), where + ": trimming a column");
        dropped += rows - common_rows;
    }
    return dropped;
}

h5::Handle open_dataset(hid_t group, const std::string& name, const std::string& where) {
    return h5::open_column(group, name, where);
}

}  // namespace

RecoveryReport recover_recording(const std::string& path) {
    h5::silence_hdf5_errors();
    if (const auto live = read_live_status(path); live && is_writer_alive(*live))
        throw UserError(path + ": is still being written by process " + std::to_string(live->pid) +
                        "; nothing to recover");
    RecoveryReport report;
    {
        // Reading first checks it is a tapegrid recording of a known format version.
        const RecordingInfo before = read_recording_info(path);
        (void)before;
    }
    h5::Handle file = h5::open_file<UserError>(path, H5F_ACC_RDWR, H5P_DEFAULT, path + ": cannot open for recovery");
    const auto status_text = h5::read_string_attribute(file.get(), layout::attr::kStatus, path).value_or("");
    if (status_text != to_string(RecordingStatus::kRecording)) {
        file.close();
        remove_live_status(path);
        report.info = read_recording_info(path);
        return report;
    }

    TimestampNs last_time = 0;
    std::int64_t total_bars = 0;
    h5::Handle market_data = h5::make_group(h5::check_id<UserError>(
        H5Gopen2(file.get(), layout::kMarketDataGroup, H5P_DEFAULT), path + ": /market_data"));
    for (const auto& symbol : h5::link_names(market_data.get(), path + ": /market_data")) {
        const std::string where = path + ": /market_data/" + symbol;
        h5::Handle group = h5::make_group(h5::check_id<UserError>(H5Gopen2(market_data.get(), symbol.c_str(), H5P_DEFAULT), where));
        std::vector<h5::Handle> columns;
        for (const char* name : {layout::kTimestamp, layout::kOpen, layout::kHigh, layout::kLow, layout::kClose,
                                 layout::kVolume, layout::kSequence})
            columns.push_back(open_dataset(group.get(), name, where));
        h5::Handle indicators;
        if (h5::link_exists(group.get(), layout::kIndicatorsGroup)) {
            indicators = h5::make_group(h5::check_id<UserError>(
                H5Gopen2(group.get(), layout::kIndicatorsGroup, H5P_DEFAULT), where + "/indicators"));
            for (const auto& name : h5::link_names(indicators.get(), where + "/indicators"))
                columns.push_back(open_dataset(indicators.get(), name, where + "/indicators"));
        }
        std::size_t rows = 0;
        report.rows_trimmed += trim_to_common_length(columns, rows, where);
        total_bars += static_cast<std::int64_t>(rows);
        if (rows > 0) {
            TimestampNs last = 0;
            h5::read_column(columns[0].get(), rows - 1, 1, &last, where + "/timestamp");
            last_time = std::max(last_time, last);
        }
    }

    std::map<std::string, std::int64_t> event_counts;
    std::int64_t total_events = 0;
    {
        const std::string where = path + ": /events";
        h5::Handle events = h5::make_group(h5::check_id<UserError>(
            H5Gopen2(file.get(), layout::kEventsGroup, H5P_DEFAULT), where));
        std::vector<h5::Handle> columns;
        for (const char* name : {layout::kEventSequence, layout::kEventTimestamp, layout::kEventType,
                                 layout::kEventSymbol, layout::kEventData, layout::kDecisionMetadata,
                                 layout::kMarketState})
            columns.push_back(open_dataset(events.get(), name, where));
        std::size_t rows = 0;
        report.rows_trimmed += trim_to_common_length(columns, rows, where);
        total_events = static_cast<std::int64_t>(rows);
        std::vector<std::string> types;
        h5::read_column(columns[2].get(), 0, rows, types, where + "/type");
        for (const auto& type : types) ++event_counts[type];
        if (rows > 0) {
            TimestampNs last = 0;
            h5::read_column(columns[1].get(), rows - 1, 1, &last, where + "/timestamp");
            last_time = std::max(last_time, last);
        }
    }

    using namespace layout::attr;
    h5::write_attribute(file.get(), kStatus, std::string(to_string(RecordingStatus::kInterrupted)));
    h5::write_attribute(file.get(), kEndTime, last_time);
    h5::write_attribute(file.get(), kTotalBars, total_bars);
    h5::write_attribute(file.get(), kTotalEvents, total_events);
    std::vector<std::string> types;
    std::vector<std::int64_t> counts;
    for (const auto& [type, count] : event_counts) {
        types.push_back(type);
        counts.push_back(count);
    }
    h5::write_attribute(file.get(), kEventCountTypes, types);
    h5::write_attribute(file.get(), kEventCountValues, counts);
    market_data.reset();
    if (file.close() < 0) throw InternalError(path + ": closing after recovery failed: " + h5::hdf5_error_text());
    remove_live_status(path);
    report.changed = true;
    report.info = read_recording_info(path);
    return report;
}

}  // namespace tapegrid
