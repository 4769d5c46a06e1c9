// Recovery of a recording whose writer died: status, end time, counts and column lengths.
#include "io/hdf5/recording_recovery.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <optional>

#include "io/hdf5/hdf5_attribute.h"
#include "io/hdf5/hdf5_column.h"
#include "io/hdf5/hdf5_handle.h"
#include "io/hdf5/hdf5_string_column.h"
#include "io/hdf5/live_status.h"
#include "io/hdf5/recording_layout.h"
#include "io/hdf5/recording_reader.h"
#include "io/hdf5/recording_seal.h"
#include "io/json/recording_info_json.h"
#include "io/validation/bars_validation.h"

namespace tapegrid {

namespace {

constexpr std::size_t kNoLimit = std::numeric_limits<std::size_t>::max();

h5::Handle open_group(hid_t parent, const std::string& name, const std::string& where) {
    return h5::make_group(
        h5::check_id<UserError>(H5Gopen2(parent, name.c_str(), H5P_DEFAULT), where + ": cannot open " + name));
}

// The rows all `columns` hold, capped at `limit`: shorter columns (a crash between two column
// appends) and a committed count (live_status.h) both bound it.
std::size_t common_rows(const std::vector<h5::Handle>& columns, std::size_t limit, const std::string& where) {
    std::size_t rows = limit;
    for (const auto& column : columns) rows = std::min(rows, h5::column_rows(column.get(), where));
    return columns.empty() ? 0 : rows;
}

// Rows a crash left unwritten read back as zeros (the fill value): the first row that fails
// the bar checks marks where an unfinished flush begins.
std::size_t leading_valid_bars(const std::vector<h5::Handle>& columns, std::size_t rows, const std::string& where) {
    SymbolBars bars;
    bars.timestamp_ns.resize(rows), bars.sequence.resize(rows);
    for (auto* column : {&bars.open, &bars.high, &bars.low, &bars.close, &bars.volume}) column->resize(rows);
    if (rows == 0) return 0;
    h5::read_column(columns[0].get(), 0, rows, bars.timestamp_ns.data(), where);
    h5::read_column(columns[1].get(), 0, rows, bars.open.data(), where);
    h5::read_column(columns[2].get(), 0, rows, bars.high.data(), where);
    h5::read_column(columns[3].get(), 0, rows, bars.low.data(), where);
    h5::read_column(columns[4].get(), 0, rows, bars.close.data(), where);
    h5::read_column(columns[5].get(), 0, rows, bars.volume.data(), where);
    h5::read_column(columns[6].get(), 0, rows, bars.sequence.data(), where);
    for (std::size_t i = 0; i < rows; ++i) {
        const bool sequence_ok = i == 0 || bars.sequence[i] > bars.sequence[i - 1];
        if (!sequence_ok || !describe_bad_bar(bars, i).empty()) return i;
    }
    return rows;
}

struct SymbolRecovery {
    std::size_t rows = 0;
    std::size_t rows_dropped = 0;
    std::size_t columns_dropped = 0;
    TimestampNs last_time = 0;
};

SymbolRecovery recover_symbol(hid_t market_data, const std::string& symbol, std::size_t committed,
                              const std::string& path) {
    const std::string where = path + ": /market_data/" + symbol;
    h5::Handle group = open_group(market_data, symbol, path + ": /market_data");
    SymbolRecovery result;
    std::vector<h5::Handle> columns;
    for (const char* name : {layout::kTimestamp, layout::kOpen, layout::kHigh, layout::kLow, layout::kClose,
                             layout::kVolume, layout::kSequence})
        columns.push_back(h5::open_column(group.get(), name, where));
    if (h5::link_exists(group.get(), layout::kIndicatorsGroup)) {
        h5::Handle indicators = open_group(group.get(), layout::kIndicatorsGroup, where);
        for (const auto& name : h5::link_names(indicators.get(), where + "/indicators")) {
            // A column created by the flush the crash cut short may not open: it holds nothing
            // that was flushed, so its link goes.
            const hid_t dataset = H5Dopen2(indicators.get(), name.c_str(), H5P_DEFAULT);
            if (dataset < 0) {
                h5::hdf5_error_text();
                H5Ldelete(indicators.get(), name.c_str(), H5P_DEFAULT);
                ++result.columns_dropped;
                continue;
            }
            columns.push_back(h5::make_dataset(dataset));
        }
    }
    const std::size_t rows = leading_valid_bars(columns, common_rows(columns, committed, where), where);
    for (auto& column : columns) {
        result.rows_dropped += h5::column_rows(column.get(), where) - rows;
        h5::resize_column(column.get(), rows, where);
    }
    result.rows = rows;
    if (rows > 0) h5::read_column(columns[0].get(), rows - 1, 1, &result.last_time, where + "/timestamp");
    return result;
}

struct EventRecovery {
    std::size_t rows = 0;
    std::size_t rows_dropped = 0;
    std::map<std::string, std::int64_t> counts;
    TimestampNs last_time = 0;
};

// Events are kept while their sequence numbers increase, their texts read back, their type
// is not empty and their JSON fields parse.
EventRecovery recover_events(hid_t file, std::size_t committed, const std::string& path) {
    const std::string where = path + ": /events";
    h5::Handle group = open_group(file, layout::kEventsGroup, path);
    std::vector<h5::Handle> numbers;
    numbers.push_back(h5::open_column(group.get(), layout::kEventSequence, where));
    numbers.push_back(h5::open_column(group.get(), layout::kEventTimestamp, where));
    std::vector<h5::StringColumn> texts;
    for (const char* name : {layout::kEventType, layout::kEventSymbol, layout::kEventData, layout::kDecisionMetadata,
                             layout::kMarketState})
        texts.push_back(h5::open_string_column(group.get(), name, where));
    std::size_t rows = common_rows(numbers, committed, where);
    for (const auto& text : texts) rows = std::min(rows, h5::string_column_rows(text));

    std::vector<std::int64_t> sequence(rows);
    h5::read_column(numbers[0].get(), 0, rows, sequence.data(), where + "/sequence");
    std::vector<std::vector<std::string>> values(texts.size());
    for (std::size_t c = 0; c < texts.size(); ++c) {
        // A damaged end offset stops the column there.
        std::size_t readable = rows;
        while (readable > 0) {
            try {
                values[c] = h5::read_strings(texts[c], 0, readable);
                break;
            } catch (const UserError&) {
                readable /= 2;
            }
        }
        rows = std::min(rows, readable);
    }
    std::size_t good = 0;
    for (; good < rows; ++good) {
        if (good > 0 && sequence[good] <= sequence[good - 1]) break;
        if (values[0][good].empty()) break;
        bool json_ok = true;
        for (std::size_t c = 2; c < texts.size() && json_ok; ++c) {
            try {
                parse_json_object(values[c][good], where);
            } catch (const UserError&) {
                json_ok = false;
            }
        }
        if (!json_ok) break;
    }
    EventRecovery result;
    result.rows = good;
    for (auto& column : numbers) {
        result.rows_dropped = std::max(result.rows_dropped, h5::column_rows(column.get(), where) - good);
        h5::resize_column(column.get(), good, where);
    }
    for (auto& text : texts) h5::truncate_string_column(text, good);
    for (std::size_t i = 0; i < good; ++i) ++result.counts[values[0][i]];
    if (good > 0) h5::read_column(numbers[1].get(), good - 1, 1, &result.last_time, where + "/timestamp");
    return result;
}

}  // namespace

RecoveryReport recover_recording(const std::string& path, const RecoverOptions& options) {
    h5::silence_hdf5_errors();
    if (const auto live = read_live_status(path); live && is_writer_alive(*live))
        throw UserError(path + ": is still being written by process " + std::to_string(live->pid) +
                        "; nothing to recover");
    RecoveryReport report;
    if (options.reseal) {
        report.info = load_recording(path, LoadOptions{.events = true, .verify_seal = false}).info;
        seal_recording(path);
        report.changed = true;
        return report;
    }
    read_recording_info(path);  // checks it is a tapegrid recording of a known format version
    h5::Handle file = h5::open_file<UserError>(path, H5F_ACC_RDWR, H5P_DEFAULT, path + ": cannot open for recovery");
    const auto status_text = h5::read_string_attribute(file.get(), layout::attr::kStatus, path).value_or("");
    if (status_text != to_string(RecordingStatus::kRecording)) {
        file.close();
        remove_live_status(path);
        report.info = read_recording_info(path);
        return report;
    }

    // The dead writer's sidecar says how many rows its last completed flush wrote; rows past
    // them are dropped even when they look valid (an indicator may be a zero never written).
    const std::optional<LiveStatus> live = read_live_status(path);
    const auto committed_bars = [&](const std::string& symbol) {
        if (!live) return kNoLimit;
        const auto found = live->committed.bars.find(symbol);
        return found == live->committed.bars.end() ? std::size_t{0} : found->second;
    };
    TimestampNs last_time = 0;
    std::int64_t total_bars = 0;
    {
        h5::Handle market_data = open_group(file.get(), layout::kMarketDataGroup, path);
        for (const auto& symbol : h5::link_names(market_data.get(), path + ": /market_data")) {
            const SymbolRecovery symbol_result = recover_symbol(market_data.get(), symbol, committed_bars(symbol), path);
            report.rows_trimmed += symbol_result.rows_dropped;
            report.columns_dropped += symbol_result.columns_dropped;
            total_bars += static_cast<std::int64_t>(symbol_result.rows);
            last_time = std::max(last_time, symbol_result.last_time);
        }
    }
    const EventRecovery events = recover_events(file.get(), live ? live->committed.events : kNoLimit, path);
    report.rows_trimmed += events.rows_dropped;
    last_time = std::max(last_time, events.last_time);

    using namespace layout::attr;
    h5::write_attribute(file.get(), kStatus, std::string(to_string(RecordingStatus::kInterrupted)));
    h5::write_attribute(file.get(), kEndTime, last_time);
    h5::write_attribute(file.get(), kTotalBars, total_bars);
    h5::write_attribute(file.get(), kTotalEvents, static_cast<std::int64_t>(events.rows));
    std::vector<std::string> types;
    std::vector<std::int64_t> counts;
    for (const auto& [type, count] : events.counts) {
        types.push_back(type);
        counts.push_back(count);
    }
    h5::write_attribute(file.get(), kEventCountTypes, types);
    h5::write_attribute(file.get(), kEventCountValues, counts);
    if (file.close() < 0) throw InternalError(path + ": closing after recovery failed: " + h5::hdf5_error_text());
    seal_recording(path);
    remove_live_status(path);
    report.changed = true;
    report.info = read_recording_info(path);
    return report;
}

}  // namespace tapegrid
