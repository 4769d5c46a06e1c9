// The OHLCV CSV reader: the header and first row read to find the columns, then rows on demand.
#include "io/csv/ohlcv_csv_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include "engine/core/errors.h"
#include "engine/core/printable.h"
#include "io/csv/csv_cells.h"
#include "io/csv/csv_timestamps.h"
#include "io/csv/ohlcv_csv_import.h"
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

// The delimiter given, or the one sniffed from the file's first line (at most its first MiB, so
// that a file without line breaks is not read whole). A file of blanks only is refused as empty.
char file_delimiter(const std::string& path, const CsvImportOptions& options) {
    std::ifstream in = open_text_file(path);
    constexpr std::size_t kMaxFirstLine = std::size_t{1} << 20;
    std::string first_line;
    bool first_line_done = false;
    bool blank = true;
    for (char c = 0; (!first_line_done || blank) && in.get(c);) {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n') blank = false;
        if (first_line_done) continue;
        if (c == '\n' || first_line.size() == kMaxFirstLine)
            first_line_done = true;
        else
            first_line += c;
    }
    if (in.bad()) throw UserError(path + ": cannot read: " + std::strerror(errno));
    if (blank)
        throw UserError(path + ": the file is empty; expected a header line such as Date,Open,High,Low,Close,Volume");
    return options.delimiter.value_or(CsvReader::sniff_delimiter(first_line));
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

}  // namespace

OhlcvCsvReader::OhlcvCsvReader(const std::string& path, const CsvImportOptions& options)
    : reader_(path, file_delimiter(path, options)), options_(options) {
    std::vector<std::string> header;
    reader_.next(header);
    double probe = 0;
    if (std::all_of(header.begin(), header.end(), [&](const std::string& f) { return parse_number(f, probe); }))
        throw UserError(path +
                        ":1: expected a header line naming the columns (Date,Open,High,Low,Close,Volume), "
                        "found numbers only");
    has_row_ = reader_.next(fields_);
    if (!has_row_) throw UserError(path + ": no data rows after the header");
    layout_ = layout_columns(header, fields_, options_, path, notes_);
    symbol_ = options_.symbol.value_or(symbol_from_file_name(path));
    if (!is_valid_name(symbol_))
        throw UserError(path + ": symbol '" + printable(symbol_) + "' is not usable: " + kNameRule +
                        "; set one with --symbol");
    // Extra columns that do not hold numbers in the first row are text (a ticker, a note): skipped.
    for (const auto& [index, name] : layout_.extra) {
        double value = 0;
        const std::string cell = index < fields_.size() ? trim(fields_[index]) : "";
        if (!name.empty() && (cell.empty() || parse_number(cell, value))) {
            extra_.emplace_back(index, name);
        } else {
            notes_.push_back(fmt::format("{}: column '{}' holds text ('{}'), not numbers: not imported", path,
                                         layout_.header[index], cell));
        }
    }
}

double OhlcvCsvReader::number(const char* field) const {
    const std::size_t index = layout_.field_index.at(field);
    double value = 0;
    if (!parse_number(fields_[index], value))
        throw UserError(fmt::format("{}:{}: column '{}': expected a number, found '{}'", path(), reader_.line(),
                                    layout_.header[index], trim(fields_[index])));
    return value;
}

void OhlcvCsvReader::parse_row(SymbolBars& batch) {
    const std::vector<std::string>& header = layout_.header;
    if (fields_.size() != header.size())
        throw UserError(fmt::format("{}:{}: expected {} fields like the header ({}), found {}", path(), reader_.line(),
                                    header.size(), fmt::join(header, ","), fields_.size()));
    batch.timestamp_ns.push_back(parse_row_time(fields_, layout_, options_, path(), reader_.line()));
    batch.open.push_back(number("open"));
    batch.high.push_back(number("high"));
    batch.low.push_back(number("low"));
    batch.close.push_back(number("close"));
    batch.volume.push_back(options_.no_volume ? 0.0 : number("volume"));
    for (std::size_t k = 0; k < extra_.size(); ++k) {
        double value = std::numeric_limits<double>::quiet_NaN();
        const std::string cell = trim(fields_[extra_[k].first]);
        if (!cell.empty() && !parse_number(cell, value))
            throw UserError(fmt::format("{}:{}: column '{}': expected a number or nothing, found '{}'", path(),
                                        reader_.line(), header[extra_[k].first], cell));
        batch.indicators[k].values.push_back(value);
    }
    batch.sequence.push_back(static_cast<std::int64_t>(rows_++));
}

bool OhlcvCsvReader::next(std::size_t max_rows, SymbolBars& batch, std::vector<std::size_t>& lines) {
    // The batch's columns are emptied, not freed: the next batch reuses them.
    batch.symbol = symbol_;
    for (auto* column : {&batch.open, &batch.high, &batch.low, &batch.close, &batch.volume}) column->clear();
    batch.timestamp_ns.clear();
    batch.sequence.clear();
    batch.indicators.resize(extra_.size());
    for (std::size_t k = 0; k < extra_.size(); ++k) {
        batch.indicators[k].name = extra_[k].second;
        batch.indicators[k].values.clear();
    }
    lines.clear();
    while (has_row_ && batch.size() < max_rows) {
        parse_row(batch);
        lines.push_back(reader_.line());
        has_row_ = reader_.next(fields_);
    }
    return batch.size() > 0;
}

// Newest-first files are common; a file in strictly decreasing time is turned around.
void order_and_check_rows(SymbolBars& bars, std::vector<std::size_t>& lines, const std::string& path,
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
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const auto problem = check_bar(i > 0 ? time[i - 1] : 0, i > 0, time[i], bars.open[i], bars.high[i], bars.low[i],
                                       bars.close[i], bars.volume[i]);
        if (problem) throw UserError(fmt::format("{}:{}: {}", path, lines[i], *problem));
    }
}

}  // namespace tapegrid
