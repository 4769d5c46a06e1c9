// Recovery of a recording whose writer died: what its completed flushes hold, written anew and sealed.
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
#include "io/hdf5/partial_files.h"
#include "io/hdf5/recording_file_writer.h"
#include "io/hdf5/recording_layout.h"
#include "io/hdf5/recording_reader.h"
#include "io/hdf5/recording_seal.h"
#include "io/json/recording_info_json.h"
#include "io/validation/bars_validation.h"

namespace tapegrid {

namespace {

constexpr std::size_t kNoLimit = std::numeric_limits<std::size_t>::max();

// Reads up to `rows` rows; where a crash tore the chunk index of the last rows, the longest
// prefix that still reads (halving) is returned instead.
template <class T>
std::vector<T> read_readable_prefix(hid_t dataset, std::size_t rows, const std::string& where) {
    rows = std::min(rows, h5::column_rows(dataset, where));
    std::vector<T> values;
    while (rows > 0) {
        try {
            values.resize(rows);
            h5::read_column(dataset, 0, rows, values.data(), where);
            return values;
        } catch (const UserError&) {
            rows /= 2;
        }
    }
    values.clear();
    return values;
}

std::vector<std::string> readable_strings(const h5::StringColumn& column, std::size_t rows) {
    rows = std::min(rows, h5::string_column_rows(column));
    while (rows > 0) {
        try {
            return h5::read_strings(column, 0, rows);
        } catch (const UserError&) {
            rows /= 2;
        }
    }
    return {};
}

struct Salvage {
    std::size_t rows_dropped = 0;
    std::size_t columns_dropped = 0;
    TimestampNs last_time = 0;
};

// A symbol's rows up to its last completed flush (`committed`), cut further at the first row
// that fails the bar checks: rows a crash left unwritten read back as zeros.
SymbolBars salvage_symbol(hid_t market_data, const std::string& symbol, std::size_t committed, const std::string& path,
                          Salvage& salvage) {
    const std::string where = path + ": /market_data/" + symbol;
    SymbolBars bars;
    bars.symbol = symbol;
    if (!h5::link_exists(market_data, symbol)) return bars;
    h5::Handle group = h5::open_group(market_data, symbol, path + ": /market_data");
    std::size_t stored = 0;
    const auto read_core = [&](const char* name, auto& out) {
        h5::Handle column = h5::open_column(group.get(), name, where);
        stored = std::max(stored, h5::column_rows(column.get(), where));
        out = read_readable_prefix<typename std::decay_t<decltype(out)>::value_type>(column.get(), committed,
                                                                                     where + "/" + name);
    };
    read_core(layout::kTimestamp, bars.timestamp_ns);
    read_core(layout::kOpen, bars.open);
    read_core(layout::kHigh, bars.high);
    read_core(layout::kLow, bars.low);
    read_core(layout::kClose, bars.close);
    read_core(layout::kVolume, bars.volume);
    read_core(layout::kSequence, bars.sequence);
    if (h5::link_exists(group.get(), layout::kIndicatorsGroup)) {
        h5::Handle indicators = h5::open_group(group.get(), layout::kIndicatorsGroup, where);
        for (const auto& name : h5::link_names(indicators.get(), where + "/indicators")) {
            // A column created by the flush the crash cut short may not open: it holds nothing
            // that was flushed.
            const hid_t dataset = H5Dopen2(indicators.get(), name.c_str(), H5P_DEFAULT);
            if (dataset < 0) {
                h5::hdf5_error_text();
                ++salvage.columns_dropped;
                continue;
            }
            h5::Handle column = h5::make_dataset(dataset);
            bars.indicators.push_back(
                {name, read_readable_prefix<double>(column.get(), committed, where + "/indicators/" + name)});
        }
    }
    std::size_t rows = bars.timestamp_ns.size();
    for (const auto* column : {&bars.open, &bars.high, &bars.low, &bars.close, &bars.volume})
        rows = std::min(rows, column->size());
    rows = std::min(rows, bars.sequence.size());
    for (const auto& indicator : bars.indicators) rows = std::min(rows, indicator.values.size());
    std::size_t good = 0;
    for (; good < rows; ++good) {
        const bool sequence_ok = good == 0 || bars.sequence[good] > bars.sequence[good - 1];
        if (!sequence_ok || !describe_bad_bar(bars, good).empty()) break;
    }
    const auto keep = [good](auto& column) { column.resize(good); };
    keep(bars.timestamp_ns), keep(bars.open), keep(bars.high), keep(bars.low), keep(bars.close);
    keep(bars.volume), keep(bars.sequence);
    for (auto& indicator : bars.indicators) keep(indicator.values);
    salvage.rows_dropped += stored - good;
    if (good > 0) salvage.last_time = std::max(salvage.last_time, bars.timestamp_ns.back());
    return bars;
}

// Events up to the last completed flush, while their sequence numbers increase, their texts
// read back, their type is not empty and their JSON fields parse.
std::vector<Event> salvage_events(hid_t file, std::size_t committed, const std::string& path, Salvage& salvage) {
    const std::string where = path + ": /events";
    h5::Handle group = h5::open_group(file, layout::kEventsGroup, path);
    h5::Handle sequence_column = h5::open_column(group.get(), layout::kEventSequence, where);
    h5::Handle time_column = h5::open_column(group.get(), layout::kEventTimestamp, where);
    const std::size_t stored = h5::column_rows(sequence_column.get(), where);
    const auto sequence = read_readable_prefix<std::int64_t>(sequence_column.get(), committed, where + "/sequence");
    const auto time = read_readable_prefix<std::int64_t>(time_column.get(), committed, where + "/timestamp");
    std::vector<std::vector<std::string>> texts;
    std::size_t rows = std::min(sequence.size(), time.size());
    for (const char* name : {layout::kEventType, layout::kEventSymbol, layout::kEventData, layout::kDecisionMetadata,
                             layout::kMarketState}) {
        texts.push_back(readable_strings(h5::open_string_column(group.get(), name, where), rows));
        rows = std::min(rows, texts.back().size());
    }
    std::vector<Event> events;
    for (std::size_t i = 0; i < rows; ++i) {
        if (i > 0 && sequence[i] <= sequence[i - 1]) break;
        if (texts[0][i].empty()) break;
        try {
            for (std::size_t c = 2; c < texts.size(); ++c) parse_json_object(texts[c][i], where);
        } catch (const UserError&) {
            break;
        }
        events.push_back({sequence[i], time[i], texts[0][i], texts[1][i], texts[2][i], texts[3][i], texts[4][i]});
    }
    salvage.rows_dropped += stored - events.size();
    if (!events.empty()) salvage.last_time = std::max(salvage.last_time, events.back().timestamp_ns);
    return events;
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
    Recording recovered;
    recovered.info = read_recording_info(path);  // a tapegrid recording of a known format version
    const std::optional<LiveStatus> live = read_live_status(path);
    {
        h5::Handle file = h5::open_file<UserError>(path, H5F_ACC_RDONLY, H5P_DEFAULT, path + ": cannot open");
        // A status deleted by a kill mid-flush (the sidecar still there) is a writer that died too.
        const std::optional<std::string> status = h5::read_string_attribute(file.get(), layout::attr::kStatus, path);
        const bool writer_died = status ? *status == to_string(RecordingStatus::kRecording) : live.has_value();
        if (!writer_died) {
            // Nothing to salvage from a recording that ended; say so only once every row is checked
            // (a damaged one is an error, not "nothing to recover").
            file.reset();
            load_recording(path, LoadOptions{.events = true});
            remove_live_status(path);
            report.info = recovered.info;
            return report;
        }
        // The dead writer's sidecar says how many rows its last completed flush wrote; rows past
        // them are dropped even when they look valid (an indicator may be a zero never written).
        const auto committed_bars = [&](const std::string& symbol) {
            if (!live) return kNoLimit;
            const auto found = live->committed.bars.find(symbol);
            return found == live->committed.bars.end() ? std::size_t{0} : found->second;
        };
        Salvage salvage;
        h5::Handle market_data = h5::open_group(file.get(), layout::kMarketDataGroup, path);
        for (const auto& symbol : recovered.info.symbols)
            recovered.bars.push_back(salvage_symbol(market_data.get(), symbol, committed_bars(symbol), path, salvage));
        recovered.events = salvage_events(file.get(), live ? live->committed.events : kNoLimit, path, salvage);
        report.rows_trimmed = salvage.rows_dropped;
        report.columns_dropped = salvage.columns_dropped;
        RecordingInfo& info = recovered.info;
        info.status = RecordingStatus::kInterrupted;
        info.recording_end_time_ns = salvage.last_time;
        info.total_bars_recorded = 0;
        for (const auto& bars : recovered.bars) info.total_bars_recorded += static_cast<std::int64_t>(bars.size());
        info.total_events_recorded = static_cast<std::int64_t>(recovered.events.size());
        info.event_counts.clear();
        for (const auto& event : recovered.events) ++info.event_counts[event.type];
    }
    // The salvaged records are written to a fresh, sealed file that then takes the damaged
    // one's place: a torn chunk index past the last flush stays behind with the old file.
    const std::string fresh = temporary_path_for(path) + ".recovered";
    const PartialFileGuard guard(fresh);
    std::filesystem::remove(fresh);
    write_recording_file(fresh, recovered);
    std::filesystem::rename(fresh, path);
    remove_live_status(path);
    report.changed = true;
    report.info = read_recording_info(path);
    return report;
}

}  // namespace tapegrid
