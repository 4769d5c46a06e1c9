// Recording reader: open checks, metadata, full validated loads and paged queries.
#include "io/hdf5/recording_reader.h"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <filesystem>

#include "io/hdf5/event_columns.h"
#include "io/hdf5/hdf5_column.h"
#include "io/hdf5/hdf5_handle.h"
#include "io/hdf5/hdf5_string_column.h"
#include "io/hdf5/live_status.h"
#include "io/hdf5/recording_layout.h"
#include "io/hdf5/recording_open.h"
#include "io/validation/bars_validation.h"

namespace tapegrid {

namespace {

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

}  // namespace

RecordingInfo read_recording_info(const std::string& path) {
    if (const auto live = read_live_status(path); live && is_writer_alive(*live)) return live->info;
    h5::Handle file = open_recording_file(path, /*verify=*/false);
    return read_info_attributes(file.get(), path);
}

Recording load_recording(const std::string& path, const LoadOptions& options) {
    RecordingForRows opened = open_recording_for_rows(path, options.verify_seal);
    Recording recording;
    recording.info = opened.info;
    try {
        h5::Handle market_data = h5::open_group(opened.file.get(), layout::kMarketDataGroup, path);
        recording.bars.reserve(recording.info.symbols.size());
        // HDF5 reads one column at a time (the library is not thread-safe); the checks then
        // run over all symbols in parallel.
        for (const auto& symbol : recording.info.symbols)
            recording.bars.push_back(load_symbol(market_data.get(), symbol, path, opened.bar_row_limit(symbol)));
        validate_all(recording.bars, path);
        if (options.events) {
            EventColumns columns = open_event_columns(opened.file.get(), path);
            recording.events = read_event_rows(columns, 0, opened.event_rows(columns.rows), path);
        }
    } catch (const UserError& error) {
        throw opened.explain(error);
    }
    return recording;
}

EventPage read_events(const std::string& path, const EventQuery& query) {
    h5::Handle file = open_recording_file(path);
    EventColumns columns = open_event_columns(file.get(), path);
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
