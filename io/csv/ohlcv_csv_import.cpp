// The OHLCV CSV importer: a file's rows to checked bar columns, and imported files to a recording.
#include "io/csv/ohlcv_csv_import.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <limits>
#include <numeric>
#include <queue>

#include "engine/core/errors.h"
#include "engine/core/printable.h"
#include "engine/core/uuid.h"
#include "engine/core/version.h"
#include "io/csv/csv_cells.h"
#include "io/csv/csv_reader.h"
#include "io/validation/bars_validation.h"
#include "io/validation/name_validation.h"

namespace tapegrid {

namespace {

// The row's time, from its timestamp column or its date (and time) columns.
TimestampNs parse_row_time(const std::vector<std::string>& fields, const ColumnLayout& layout,
                           const CsvImportOptions& options, const std::string& path, std::size_t line) {
    std::string text;
    std::string column_name;
    if (layout.field_index.count("timestamp")) {
        text = trim(fields[layout.field_index.at("timestamp")]);
        column_name = layout.header[layout.field_index.at("timestamp")];
    } else {
        text = trim(fields[layout.field_index.at("date")]);
        column_name = layout.header[layout.field_index.at("date")];
        if (layout.field_index.count("time")) {
            text += ' ';
            text += trim(fields[layout.field_index.at("time")]);
            column_name += "+" + layout.header[layout.field_index.at("time")];
        }
    }
    const std::string& format = options.timestamp_format;
    const TimeReading reading = parse_timestamp(text, format, options.utc_offset_ns);
    if (reading.out_of_range)
        throw UserError(fmt::format("{}:{}: column '{}': '{}' is outside the range of timestamps tapegrid stores ({})",
                                    path, line, column_name, printable(text), kTimestampRange));
    if (!reading.time)
        throw UserError(fmt::format("{}:{}: column '{}': expected {}, found '{}'", path, line, column_name,
                                    format.empty() ? "an ISO 8601 date or time like 2024-01-31 or 2024-01-31 "
                                                     "09:30:00 (set --timestamp-format for other forms)"
                                                   : "a timestamp in the form " + format,
                                    printable(text)));
    return *reading.time;
}

// Reads the file into a reader, with the delimiter given or sniffed from the header line.
CsvReader open_csv(const std::string& path, const CsvImportOptions& options) {
    std::string text = read_text_file(path);
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
        throw UserError(path + ": the file is empty; expected a header line such as Date,Open,High,Low,Close,Volume");
    const std::size_t first_line_end = text.find('\n');
    const char delimiter =
        options.delimiter.value_or(CsvReader::sniff_delimiter(std::string_view(text).substr(0, first_line_end)));
    return CsvReader(std::move(text), path, delimiter);
}

// The columns of a file whose first data row is `fields`; its header is layout.header.
ColumnLayout layout_columns(const std::vector<std::string>& header, const std::vector<std::string>& fields,
                            const CsvImportOptions& options, const std::string& path, std::vector<std::string>& notes) {
    // A known real-world quirk: the header names Date but every row has a date AND a time field.
    std::vector<std::string> effective_header = header;
    const ColumnLayout probe_layout = [&] {
        try {
            return map_columns(header, options.column_map, options.no_volume, path);
        } catch (const UserError&) {
            return ColumnLayout{};
        }
    }();
    if (fields.size() == header.size() + 1 && probe_layout.field_index.count("date") &&
        !probe_layout.field_index.count("time")) {
        const std::size_t date_index = probe_layout.field_index.at("date");
        if (date_index + 1 < fields.size() && looks_like_time_of_day(fields[date_index + 1])) {
            effective_header.insert(effective_header.begin() + static_cast<std::ptrdiff_t>(date_index) + 1, "Time");
            notes.push_back(fmt::format(
                "{}: the header names {} columns but the rows have {}; reading the field after {} as the time "
                "of day (columns taken as {})",
                path, header.size(), fields.size(), header[date_index], fmt::join(effective_header, ",")));
        }
    }
    return map_columns(effective_header, options.column_map, options.no_volume, path);
}

using IndicatorColumns = std::vector<std::pair<std::size_t, std::string>>;  // column index, indicator name

// The extra columns imported as indicators, each added to `bars` with no values yet.
IndicatorColumns indicator_columns(const ColumnLayout& layout, const std::vector<std::string>& fields,
                                   const std::string& path, SymbolBars& bars, std::vector<std::string>& notes) {
    IndicatorColumns extra;
    // Extra columns that do not hold numbers in the first row are text (a ticker, a note): skipped.
    for (const auto& [index, name] : layout.extra) {
        double value = 0;
        const std::string cell = index < fields.size() ? trim(fields[index]) : "";
        if (!name.empty() && (cell.empty() || parse_number(cell, value))) {
            extra.emplace_back(index, name);
            bars.indicators.push_back({name, {}});
        } else {
            notes.push_back(fmt::format("{}: column '{}' holds text ('{}'), not numbers: not imported", path,
                                        layout.header[index], cell));
        }
    }
    return extra;
}

// Newest-first files are common; a file in strictly decreasing time is turned around.
void put_in_time_order(SymbolBars& bars, std::vector<std::size_t>& lines, const std::string& path,
                       std::vector<std::string>& notes) {
    const auto& time = bars.timestamp_ns;
    const bool descending =
        time.size() >= 2 && std::adjacent_find(time.begin(), time.end(), std::less_equal<>()) == time.end();
    if (descending) {
        const auto reverse_all = [](auto& column) { std::reverse(column.begin(), column.end()); };
        reverse_all(bars.timestamp_ns), reverse_all(bars.open), reverse_all(bars.high), reverse_all(bars.low);
        reverse_all(bars.close), reverse_all(bars.volume), reverse_all(lines);
        for (auto& indicator : bars.indicators) reverse_all(indicator.values);
        notes.push_back(path + ": rows are newest first; imported in time order");
    }
}

}  // namespace

std::string symbol_from_file_name(const std::string& path) {
    const std::string file = std::filesystem::path(path).filename().string();
    const std::size_t end = file.find_first_of("-_. ");
    std::string symbol = file.substr(0, end);
    for (auto& c : symbol) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return symbol;
}

CsvImportResult import_ohlcv_csv(const std::string& path, const CsvImportOptions& options) {
    CsvReader reader = open_csv(path, options);
    CsvImportResult result;
    std::vector<std::string> header, fields;
    reader.next(header);
    double probe = 0;
    if (std::all_of(header.begin(), header.end(), [&](const std::string& f) { return parse_number(f, probe); }))
        throw UserError(path +
                        ":1: expected a header line naming the columns (Date,Open,High,Low,Close,Volume), "
                        "found numbers only");
    if (!reader.next(fields)) throw UserError(path + ": no data rows after the header");
    const ColumnLayout layout = layout_columns(header, fields, options, path, result.notes);
    const std::vector<std::string>& effective_header = layout.header;

    SymbolBars& bars = result.bars;
    bars.symbol = options.symbol.value_or(symbol_from_file_name(path));
    if (!is_valid_name(bars.symbol))
        throw UserError(path + ": symbol '" + printable(bars.symbol) + "' is not usable: " + kNameRule +
                        "; set one with --symbol");
    std::vector<std::size_t> lines;
    const auto extra = indicator_columns(layout, fields, path, bars, result.notes);
    const auto number = [&](const std::string& field) {
        const std::size_t index = layout.field_index.at(field);
        double value = 0;
        if (!parse_number(fields[index], value))
            throw UserError(fmt::format("{}:{}: column '{}': expected a number, found '{}'", path, reader.line(),
                                        effective_header[index], trim(fields[index])));
        return value;
    };
    do {
        if (fields.size() != effective_header.size())
            throw UserError(fmt::format("{}:{}: expected {} fields like the header ({}), found {}", path, reader.line(),
                                        effective_header.size(), fmt::join(effective_header, ","), fields.size()));
        bars.timestamp_ns.push_back(parse_row_time(fields, layout, options, path, reader.line()));
        bars.open.push_back(number("open"));
        bars.high.push_back(number("high"));
        bars.low.push_back(number("low"));
        bars.close.push_back(number("close"));
        bars.volume.push_back(options.no_volume ? 0.0 : number("volume"));
        for (std::size_t k = 0; k < extra.size(); ++k) {
            double value = std::numeric_limits<double>::quiet_NaN();
            const std::string cell = trim(fields[extra[k].first]);
            if (!cell.empty() && !parse_number(cell, value))
                throw UserError(fmt::format("{}:{}: column '{}': expected a number or nothing, found '{}'", path,
                                            reader.line(), effective_header[extra[k].first], cell));
            bars.indicators[k].values.push_back(value);
        }
        lines.push_back(reader.line());
    } while (reader.next(fields));

    put_in_time_order(bars, lines, path, result.notes);
    const auto& time = bars.timestamp_ns;
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const auto problem = check_bar(i > 0 ? time[i - 1] : 0, i > 0, time[i], bars.open[i], bars.high[i], bars.low[i],
                                       bars.close[i], bars.volume[i]);
        if (problem) throw UserError(fmt::format("{}:{}: {}", path, lines[i], *problem));
    }
    // The file's own order; make_imported_recording renumbers across the files it merges.
    bars.sequence.resize(bars.size());
    std::iota(bars.sequence.begin(), bars.sequence.end(), std::int64_t{0});
    return result;
}

Recording make_imported_recording(std::vector<SymbolBars> symbols, const std::string& description) {
    Recording recording;
    RecordingInfo& info = recording.info;
    info.recording_id = make_uuid_v4();
    info.session_id = "import";
    info.status = RecordingStatus::kCompleted;
    info.recording_start_time_ns = now_ns();
    info.recording_end_time_ns = info.recording_start_time_ns;
    info.description = description;
    info.created_by = std::string("tapegrid ") + kVersion;
    for (const auto& bars : symbols) {
        if (std::find(info.symbols.begin(), info.symbols.end(), bars.symbol) != info.symbols.end())
            throw UserError("symbol '" + bars.symbol + "' comes from two files; give each file its own --symbol");
        info.symbols.push_back(bars.symbol);
        info.total_bars_recorded += static_cast<std::int64_t>(bars.size());
    }
    // Sequence numbers: a k-way merge of the symbols by time, ties in the order given.
    using Head = std::pair<TimestampNs, std::size_t>;
    std::priority_queue<Head, std::vector<Head>, std::greater<>> heads;
    std::vector<std::size_t> next(symbols.size(), 0);
    for (std::size_t s = 0; s < symbols.size(); ++s)
        if (symbols[s].size() > 0) heads.emplace(symbols[s].timestamp_ns[0], s);
    std::int64_t sequence = 0;
    while (!heads.empty()) {
        const std::size_t s = heads.top().second;
        heads.pop();
        SymbolBars& bars = symbols[s];
        bars.sequence.resize(bars.size());
        bars.sequence[next[s]++] = sequence++;
        if (next[s] < bars.size()) heads.emplace(bars.timestamp_ns[next[s]], s);
    }
    recording.bars = std::move(symbols);
    return recording;
}

CsvFilesImport import_ohlcv_csv_files(const std::vector<std::string>& paths, const std::vector<std::string>& symbols,
                                      CsvImportOptions options) {
    if (!symbols.empty() && symbols.size() != paths.size())
        throw UserError("--symbol: given " + std::to_string(symbols.size()) + " times for " +
                        std::to_string(paths.size()) + " files; give one per file, in order");
    CsvFilesImport imported;
    std::vector<SymbolBars> all_bars;
    std::string description = "imported from";
    for (std::size_t i = 0; i < paths.size(); ++i) {
        if (std::filesystem::is_directory(paths[i]))
            throw UserError(paths[i] + ": is a directory but not a tapegrid export (no recording.json)");
        options.symbol = symbols.empty() ? std::nullopt : std::optional(symbols[i]);
        CsvImportResult result = import_ohlcv_csv(paths[i], options);
        imported.notes.insert(imported.notes.end(), result.notes.begin(), result.notes.end());
        all_bars.push_back(std::move(result.bars));
        description += ' ';  // appended piecewise: `" " + string` trips a false -Wrestrict in GCC 12
        description += std::filesystem::path(paths[i]).filename().string();
    }
    imported.recording = make_imported_recording(std::move(all_bars), description);
    return imported;
}

}  // namespace tapegrid
