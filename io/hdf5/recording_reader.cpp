// Recording reader: open checks, metadata, full validated loads and paged queries.
#include "io/hdf5/recording_reader.h"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <filesystem>
#include <numeric>

#include "io/hdf5/hdf5_attribute.h"
#include "io/hdf5/hdf5_column.h"
#include "io/hdf5/hdf5_handle.h"
#include "io/hdf5/hdf5_string_column.h"
#include "io/hdf5/live_status.h"
#include "io/hdf5/recording_layout.h"
#include "io/hdf5/recording_seal.h"
#include "io/validation/bars_validation.h"

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

// Opens for reading. A full read first verifies the seal, so that HDF5 never parses a
// corrupted finished recording, and refuses a completed one without its seal; metadata reads
// skip both (listings stay fast) and rely on the checksums HDF5 keeps on the superblock and
// object headers, where the attributes live.
h5::Handle open_recording_file(const std::string& path, bool verify = true) {
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

template <class T>
T required(std::optional<T> value, const std::string& path, const char* name) {
    if (!value) throw UserError(path + ": not a tapegrid recording: the root attribute '" + name + "' is missing");
    return std::move(*value);
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
    const std::string status_text = required(h5::read_string_attribute(file, kStatus, path), path, kStatus);
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
    if (types.size() != counts.size())
        throw UserError(fmt::format("{}: attributes '{}' ({} entries) and '{}' ({} entries) must have the same length",
                                    path, kEventCountTypes, types.size(), kEventCountValues, counts.size()));
    for (std::size_t i = 0; i < types.size(); ++i) info.event_counts[types[i]] = counts[i];
    info.original_trades = h5::read_int_attribute(file, kOriginalTrades, path).value_or(0);
    info.original_pnl = h5::read_double_attribute(file, kOriginalPnl, path).value_or(0.0);
    info.original_win_rate = h5::read_double_attribute(file, kOriginalWinRate, path).value_or(0.0);
    info.error_message = h5::read_string_attribute(file, kErrorMessage, path).value_or("");
    info.created_by = h5::read_string_attribute(file, kCreatedBy, path).value_or("");
    // The writer died without marking the end: the file holds what it flushed.
    if (info.status == RecordingStatus::kRecording) info.status = RecordingStatus::kInterrupted;
    return info;
}

// `row_limit`: rows past it belong to a flush a crash cut short (live_status.h) and are not read.
SymbolBars load_symbol(hid_t market_data, const std::string& symbol, const std::string& path, std::size_t row_limit) {
    const std::string where = path + ": /market_data/" + symbol;
    h5::Handle group = h5::open_group(market_data, symbol, path + ": /market_data");
    SymbolBars bars;
    bars.symbol = symbol;
    const auto read_double = [&](const char* name, std::vector<double>& out) {
        h5::Handle column = h5::open_column(group.get(), name, where);
        out = h5::read_whole_column<double>(column.get(), where + "/" + name, row_limit);
    };
    {
        h5::Handle column = h5::open_column(group.get(), layout::kTimestamp, where);
        bars.timestamp_ns = h5::read_whole_column<std::int64_t>(column.get(), where + "/timestamp", row_limit);
    }
    read_double(layout::kOpen, bars.open);
    read_double(layout::kHigh, bars.high);
    read_double(layout::kLow, bars.low);
    read_double(layout::kClose, bars.close);
    read_double(layout::kVolume, bars.volume);
    {
        h5::Handle column = h5::open_column(group.get(), layout::kSequence, where);
        bars.sequence = h5::read_whole_column<std::int64_t>(column.get(), where + "/sequence", row_limit);
    }
    if (h5::link_exists(group.get(), layout::kIndicatorsGroup)) {
        h5::Handle indicators = h5::open_group(group.get(), layout::kIndicatorsGroup, where);
        for (const auto& name : h5::link_names(indicators.get(), where + "/indicators")) {
            h5::Handle column = h5::open_column(indicators.get(), name, where + "/indicators");
            bars.indicators.push_back(
                {name, h5::read_whole_column<double>(column.get(), where + "/indicators/" + name, row_limit)});
        }
    }
    return bars;
}

// Validates every symbol's bars in parallel; the error reported is the first symbol's, as a
// serial pass would find it.
void validate_all(const std::vector<SymbolBars>& symbols, const std::string& path) {
    std::vector<std::string> errors(symbols.size());
    tbb::parallel_for(std::size_t{0}, symbols.size(), [&](std::size_t s) {
        try {
            validate_bars(symbols[s], path + ": /market_data/" + symbols[s].symbol);
        } catch (const UserError& error) {
            errors[s] = error.what();
        }
    });
    for (const auto& error : errors)
        if (!error.empty()) throw UserError(error);
}

struct EventColumns {
    h5::Handle group, sequence, timestamp;
    h5::StringColumn type, symbol, event_data, decision_metadata, market_state;
    std::size_t rows = 0;
};

EventColumns open_events(hid_t file, const std::string& path) {
    const std::string where = path + ": /events";
    EventColumns columns;
    columns.group = h5::open_group(file, layout::kEventsGroup, path);
    const auto open_text = [&](const char* name) { return h5::open_string_column(columns.group.get(), name, where); };
    columns.sequence = h5::open_column(columns.group.get(), layout::kEventSequence, where);
    columns.timestamp = h5::open_column(columns.group.get(), layout::kEventTimestamp, where);
    columns.type = open_text(layout::kEventType);
    columns.symbol = open_text(layout::kEventSymbol);
    columns.event_data = open_text(layout::kEventData);
    columns.decision_metadata = open_text(layout::kDecisionMetadata);
    columns.market_state = open_text(layout::kMarketState);
    columns.rows = h5::column_rows(columns.sequence.get(), where + "/sequence");
    const auto check_rows = [&](std::size_t rows, const std::string& name) {
        if (rows != columns.rows)
            throw UserError(fmt::format("{}/{}: expected {} rows like the sequence column, found {}", where, name,
                                        columns.rows, rows));
    };
    check_rows(h5::column_rows(columns.timestamp.get(), where), "timestamp");
    for (const auto* column :
         {&columns.type, &columns.symbol, &columns.event_data, &columns.decision_metadata, &columns.market_state})
        check_rows(h5::string_column_rows(*column), column->where.substr(where.size() + 1) + "_ends");
    return columns;
}

// Reads the rows [first, first + count) of every event column into events.
std::vector<Event> read_event_rows(const EventColumns& columns, std::size_t first, std::size_t count,
                                   const std::string& path) {
    const std::string where = path + ": /events";
    std::vector<std::int64_t> sequence(count), timestamp(count);
    h5::read_column(columns.sequence.get(), first, count, sequence.data(), where + "/sequence");
    h5::read_column(columns.timestamp.get(), first, count, timestamp.data(), where + "/timestamp");
    auto type = h5::read_strings(columns.type, first, count);
    auto symbol = h5::read_strings(columns.symbol, first, count);
    auto data = h5::read_strings(columns.event_data, first, count);
    auto decision = h5::read_strings(columns.decision_metadata, first, count);
    auto market = h5::read_strings(columns.market_state, first, count);
    std::vector<Event> events(count);
    for (std::size_t i = 0; i < count; ++i) {
        events[i] = Event{sequence[i],        timestamp[i],           std::move(type[i]),  std::move(symbol[i]),
                          std::move(data[i]), std::move(decision[i]), std::move(market[i])};
    }
    return events;
}

}  // namespace

RecordingInfo read_recording_info(const std::string& path) {
    if (const auto live = read_live_status(path); live && is_writer_alive(*live)) return live->info;
    h5::Handle file = open_recording_file(path, /*verify=*/false);
    return read_info_attributes(file.get(), path);
}

Recording load_recording(const std::string& path, const LoadOptions& options) {
    const SealState seal =
        options.verify_seal && std::filesystem::is_regular_file(path) ? verify_seal(path) : SealState::kNone;
    h5::Handle file = open_recording_file(path, /*verify=*/false);
    Recording recording;
    recording.info = read_info_attributes(file.get(), path);
    if (options.verify_seal) require_seal_of_completed(path, seal, std::string(to_string(recording.info.status)));
    // A recording whose writer died is read up to its last completed flush.
    std::optional<CommittedRows> committed;
    if (seal == SealState::kUnsealed && recording.info.status == RecordingStatus::kInterrupted)
        if (const auto live = read_live_status(path)) committed = live->committed;
    const auto limit_of = [&](const std::string& symbol) {
        if (!committed) return static_cast<std::size_t>(-1);
        const auto found = committed->bars.find(symbol);
        return found == committed->bars.end() ? std::size_t{0} : found->second;
    };
    try {
        h5::Handle market_data = h5::open_group(file.get(), layout::kMarketDataGroup, path);
        recording.bars.reserve(recording.info.symbols.size());
        // HDF5 reads one column at a time (the library is not thread-safe); the checks then
        // run over all symbols in parallel.
        for (const auto& symbol : recording.info.symbols)
            recording.bars.push_back(load_symbol(market_data.get(), symbol, path, limit_of(symbol)));
        validate_all(recording.bars, path);
        if (options.events) {
            EventColumns columns = open_events(file.get(), path);
            const std::size_t rows = committed ? std::min(columns.rows, committed->events) : columns.rows;
            recording.events = read_event_rows(columns, 0, rows, path);
        }
    } catch (const UserError& error) {
        // A recorder killed in the middle of a flush leaves its last rows half-written.
        if (seal == SealState::kUnsealed && recording.info.status == RecordingStatus::kInterrupted)
            throw UserError(std::string(error.what()) +
                            "; the recording was interrupted in the middle of a flush: "
                            "`tapegrid recover " +
                            path + "` keeps every complete record and makes it readable");
        throw;
    }
    return recording;
}

EventPage read_events(const std::string& path, const EventQuery& query) {
    h5::Handle file = open_recording_file(path);
    EventColumns columns = open_events(file.get(), path);
    const std::string where = path + ": /events";
    std::vector<std::string> types, symbols;
    if (query.type) types = h5::read_strings(columns.type, 0, columns.rows);
    if (query.symbol) symbols = h5::read_strings(columns.symbol, 0, columns.rows);
    EventPage page;
    // Matching rows form runs; each run in the page is read with one call per column.
    std::vector<std::size_t> matches;
    for (std::size_t row = 0; row < columns.rows; ++row) {
        if (query.type && types[row] != *query.type) continue;
        if (query.symbol && symbols[row] != *query.symbol) continue;
        matches.push_back(row);
    }
    page.total = matches.size();
    const std::size_t begin = std::min(query.offset, matches.size());
    const std::size_t end = std::min(matches.size(), begin + query.limit);
    for (std::size_t i = begin; i < end;) {
        std::size_t run = 1;
        while (i + run < end && matches[i + run] == matches[i] + run) ++run;
        auto rows = read_event_rows(columns, matches[i], run, path);
        std::move(rows.begin(), rows.end(), std::back_inserter(page.events));
        i += run;
    }
    return page;
}

BarPage read_bars(const std::string& path, const BarQuery& query) {
    h5::Handle file = open_recording_file(path);
    const RecordingInfo info = read_info_attributes(file.get(), path);
    if (query.symbol && std::find(info.symbols.begin(), info.symbols.end(), *query.symbol) == info.symbols.end())
        throw UserError(fmt::format("{}: no symbol '{}' in this recording (it has: {})", path, *query.symbol,
                                    fmt::join(info.symbols, ", ")));
    h5::Handle market_data = h5::open_group(file.get(), layout::kMarketDataGroup, path);

    struct Candidate {
        std::int64_t sequence;
        std::size_t symbol_index;
        std::size_t row;
    };
    std::vector<std::string> symbols = query.symbol ? std::vector<std::string>{*query.symbol} : info.symbols;
    std::vector<h5::Handle> groups;
    std::vector<Candidate> candidates;
    for (std::size_t s = 0; s < symbols.size(); ++s) {
        const std::string where = path + ": /market_data/" + symbols[s];
        groups.push_back(h5::open_group(market_data.get(), symbols[s], path + ": /market_data"));
        h5::Handle time_column = h5::open_column(groups.back().get(), layout::kTimestamp, where);
        h5::Handle sequence_column = h5::open_column(groups.back().get(), layout::kSequence, where);
        const auto times = h5::read_whole_column<std::int64_t>(time_column.get(), where + "/timestamp");
        const auto sequences = h5::read_whole_column<std::int64_t>(sequence_column.get(), where + "/sequence");
        if (sequences.size() != times.size())
            throw UserError(fmt::format("{}/sequence: expected {} rows like the timestamp column, found {}", where,
                                        times.size(), sequences.size()));
        for (std::size_t row = 1; row < times.size(); ++row)
            if (times[row] <= times[row - 1])
                throw UserError(
                    fmt::format("{}/timestamp: row {}: {} does not come after {} (timestamps must strictly "
                                "increase)",
                                where, row, format_iso8601(times[row]), format_iso8601(times[row - 1])));
        for (std::size_t row = 0; row < times.size(); ++row) {
            if (query.from_ns && times[row] < *query.from_ns) continue;
            if (query.to_ns && times[row] > *query.to_ns) continue;
            candidates.push_back({sequences[row], s, row});
        }
    }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& b) { return a.sequence < b.sequence; });
    BarPage page;
    page.total = candidates.size();
    const std::size_t begin = std::min(query.offset, candidates.size());
    const std::size_t end = std::min(candidates.size(), begin + query.limit);
    for (std::size_t i = begin; i < end; ++i) {
        const Candidate& candidate = candidates[i];
        const hid_t group = groups[candidate.symbol_index].get();
        const std::string where = path + ": /market_data/" + symbols[candidate.symbol_index];
        BarRow row;
        row.symbol = symbols[candidate.symbol_index];
        row.sequence = candidate.sequence;
        const auto read_one = [&](hid_t parent, const std::string& name, auto* out) {
            h5::Handle column = h5::open_column(parent, name, where);
            h5::read_column(column.get(), candidate.row, 1, out, where + "/" + name);
        };
        read_one(group, layout::kTimestamp, &row.timestamp_ns);
        read_one(group, layout::kOpen, &row.open);
        read_one(group, layout::kHigh, &row.high);
        read_one(group, layout::kLow, &row.low);
        read_one(group, layout::kClose, &row.close);
        read_one(group, layout::kVolume, &row.volume);
        // What is shown is checked like what is loaded (an unsealed file has no seal to vouch
        // for it); the order of timestamps was checked with the whole column above.
        if (const auto problem =
                check_bar(0, false, row.timestamp_ns, row.open, row.high, row.low, row.close, row.volume))
            throw UserError(fmt::format("{}: row {}: {}", where, candidate.row, *problem));
        if (h5::link_exists(group, layout::kIndicatorsGroup)) {
            h5::Handle indicators = h5::open_group(group, layout::kIndicatorsGroup, where);
            for (const auto& name : h5::link_names(indicators.get(), where + "/indicators")) {
                double value = 0;
                read_one(indicators.get(), name, &value);
                row.indicators.emplace_back(name, value);
            }
        }
        page.bars.push_back(std::move(row));
    }
    return page;
}

}  // namespace tapegrid
