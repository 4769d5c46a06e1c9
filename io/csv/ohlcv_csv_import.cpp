// The OHLCV CSV importer.
#include "io/csv/ohlcv_csv_import.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <limits>
#include <queue>

#include "engine/core/errors.h"
#include "engine/core/uuid.h"
#include "engine/core/version.h"
#include "io/csv/csv_reader.h"
#include "io/validation/bars_validation.h"
#include "io/validation/name_validation.h"

namespace tapegrid {

namespace {

const std::vector<std::string> kFields = {"timestamp", "date", "time", "open", "high", "low", "close", "volume"};

// Header names each field is recognised by, compared after normalize().
const std::map<std::string, std::vector<std::string>> kAliases = {
    {"timestamp", {"timestamp", "datetime", "time_stamp", "date_time"}},
    {"date", {"date", "day"}},
    {"time", {"time"}},
    {"open", {"open", "o"}},
    {"high", {"high", "h"}},
    {"low", {"low", "l"}},
    {"close", {"close", "c", "last"}},
    {"volume", {"volume", "vol", "v"}},
};

std::string trim(std::string_view text) {
    std::size_t begin = 0, end = text.size();
    while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
    while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
    return std::string(text.substr(begin, end - begin));
}

std::string normalize(const std::string& name) {
    return snake_case(trim(name));
}

bool parse_number(std::string_view text, double& value) {
    const std::string trimmed = trim(text);
    if (trimmed.empty()) return false;
    const char* begin = trimmed.data();
    if (*begin == '+') ++begin;
    const auto [end, error] = std::from_chars(begin, trimmed.data() + trimmed.size(), value);
    return error == std::errc() && end == trimmed.data() + trimmed.size();
}

bool looks_like_time_of_day(const std::string& text) {
    const std::string t = trim(text);
    if (t.size() != 5 && t.size() < 8) return false;
    return std::isdigit(static_cast<unsigned char>(t[0])) && std::isdigit(static_cast<unsigned char>(t[1])) &&
           t[2] == ':' && std::isdigit(static_cast<unsigned char>(t[3])) &&
           std::isdigit(static_cast<unsigned char>(t[4]));
}

// For text parse_iso8601 accepted: a zone is a trailing 'Z' or an offset, +HH:MM or the basic
// +HHMM. The date's own '-' signs end at index 7, so any sign from index 10 on starts an offset.
bool has_zone_suffix(const std::string& text) {
    if (text.empty()) return false;
    if (text.back() == 'Z') return true;
    return text.size() > 10 && text.find_first_of("+-", 10) != std::string::npos;
}

struct ColumnLayout {
    std::vector<std::string> header;  // as read (after the one-field-short fix)
    std::map<std::string, std::size_t> field_index;
    std::vector<std::pair<std::size_t, std::string>> extra;  // index, indicator name
};

ColumnLayout map_columns(std::vector<std::string> header, const CsvImportOptions& options, const std::string& path) {
    ColumnLayout layout;
    layout.header = std::move(header);
    std::map<std::string, std::size_t> by_name;
    for (std::size_t i = 0; i < layout.header.size(); ++i) by_name.emplace(normalize(layout.header[i]), i);
    for (const auto& [field, column] : options.column_map) {
        if (std::find(kFields.begin(), kFields.end(), field) == kFields.end())
            throw UserError(fmt::format("--map {}={}: unknown field '{}'; expected one of {}", field, column, field,
                                        fmt::join(kFields, ", ")));
        const auto found = by_name.find(normalize(column));
        if (found == by_name.end())
            throw UserError(fmt::format("{}:1: --map {}={}: no column '{}' in the header (found: {})", path, field,
                                        column, column, fmt::join(layout.header, ", ")));
        layout.field_index[field] = found->second;
    }
    for (const auto& [field, aliases] : kAliases) {
        if (layout.field_index.count(field)) continue;
        for (const auto& alias : aliases) {
            const auto found = by_name.find(alias);
            if (found != by_name.end()) {
                layout.field_index[field] = found->second;
                break;
            }
        }
    }
    // A lone "time" column holding whole timestamps is the timestamp.
    if (!layout.field_index.count("timestamp") && !layout.field_index.count("date") &&
        layout.field_index.count("time")) {
        layout.field_index["timestamp"] = layout.field_index["time"];
        layout.field_index.erase("time");
    }
    std::vector<std::string> required = {"open", "high", "low", "close"};
    if (!options.no_volume) required.push_back("volume");
    if (!layout.field_index.count("timestamp") && !layout.field_index.count("date"))
        throw UserError(
            fmt::format("{}:1: missing a date or timestamp column (found: {}); name it with "
                        "--map date=NAME or --map timestamp=NAME",
                        path, fmt::join(layout.header, ", ")));
    for (const auto& field : required)
        if (!layout.field_index.count(field))
            throw UserError(fmt::format("{}:1: missing column '{}' (found: {}); name it with --map {}=NAME{}", path,
                                        field, fmt::join(layout.header, ", "), field,
                                        field == "volume" ? " or pass --no-volume" : ""));
    std::vector<bool> used(layout.header.size(), false);
    for (const auto& [field, index] : layout.field_index) used[index] = true;
    for (std::size_t i = 0; i < layout.header.size(); ++i)
        if (!used[i]) layout.extra.emplace_back(i, normalize(layout.header[i]));
    return layout;
}

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
            text += " " + trim(fields[layout.field_index.at("time")]);
            column_name += "+" + layout.header[layout.field_index.at("time")];
        }
    }
    const std::string& format = options.timestamp_format;
    std::optional<TimestampNs> parsed;
    bool has_zone = false;
    if (format.rfind("epoch_", 0) == 0) {
        double value = 0;
        const std::map<std::string, double> units = {
            {"epoch_s", 1e9}, {"epoch_ms", 1e6}, {"epoch_us", 1e3}, {"epoch_ns", 1.0}};
        const auto unit = units.find(format);
        if (unit == units.end())
            throw UserError("--timestamp-format " + format + ": expected epoch_s, epoch_ms, epoch_us or epoch_ns");
        std::int64_t integer = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), integer);
        if (error == std::errc() && end == text.data() + text.size()) {
            parsed = integer * static_cast<std::int64_t>(unit->second);
        } else if (parse_number(text, value)) {
            parsed = static_cast<TimestampNs>(std::llround(value * unit->second));
        }
        has_zone = true;
    } else if (!format.empty()) {
        parsed = parse_with_format(text, format, has_zone);
    } else {
        parsed = parse_iso8601(text);
        has_zone = has_zone_suffix(text);
    }
    if (!parsed)
        throw UserError(fmt::format("{}:{}: column '{}': expected {}, found '{}'", path, line, column_name,
                                    format.empty() ? "an ISO 8601 date or time like 2024-01-31 or 2024-01-31 "
                                                     "09:30:00 (set --timestamp-format for other forms)"
                                                   : "a timestamp in the form " + format,
                                    text));
    return has_zone ? *parsed : *parsed - options.utc_offset_ns;
}

}  // namespace

std::string snake_case(const std::string& name) {
    std::string out;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const auto c = static_cast<unsigned char>(name[i]);
        if (std::isalnum(c)) {
            const bool upper = std::isupper(c);
            const bool after_lower = i > 0 && std::islower(static_cast<unsigned char>(name[i - 1]));
            if (upper && after_lower && !out.empty() && out.back() != '_') out += '_';
            out += static_cast<char>(std::tolower(c));
        } else if (!out.empty() && out.back() != '_') {
            out += '_';
        }
    }
    while (!out.empty() && out.back() == '_') out.pop_back();
    return out;
}

std::string symbol_from_file_name(const std::string& path) {
    const std::string file = std::filesystem::path(path).filename().string();
    const std::size_t end = file.find_first_of("-_. ");
    std::string symbol = file.substr(0, end);
    for (auto& c : symbol) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return symbol;
}

std::optional<TimestampNs> parse_with_format(const std::string& text, const std::string& format, bool& has_zone) {
    static const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    long long year = 1970;
    unsigned month = 1, day = 1, hour = 0, minute = 0, second = 0;
    TimestampNs fraction_ns = 0;
    has_zone = false;
    std::size_t pos = 0;
    const auto read_int = [&](std::size_t max_digits, long long& value) {
        std::size_t digits = 0;
        value = 0;
        while (pos < text.size() && digits < max_digits && std::isdigit(static_cast<unsigned char>(text[pos]))) {
            value = value * 10 + (text[pos++] - '0');
            ++digits;
        }
        return digits > 0;
    };
    for (std::size_t f = 0; f < format.size(); ++f) {
        if (format[f] != '%') {
            if (pos >= text.size() || text[pos] != format[f]) return std::nullopt;
            ++pos;
            continue;
        }
        if (++f >= format.size()) return std::nullopt;
        long long value = 0;
        switch (format[f]) {
            case 'Y':
                if (!read_int(4, value)) return std::nullopt;
                year = value;
                break;
            case 'y':
                if (!read_int(2, value)) return std::nullopt;
                year = value < 69 ? 2000 + value : 1900 + value;
                break;
            case 'm':
                if (!read_int(2, value)) return std::nullopt;
                month = static_cast<unsigned>(value);
                break;
            case 'd':
                if (!read_int(2, value)) return std::nullopt;
                day = static_cast<unsigned>(value);
                break;
            case 'H':
                if (!read_int(2, value)) return std::nullopt;
                hour = static_cast<unsigned>(value);
                break;
            case 'M':
                if (!read_int(2, value)) return std::nullopt;
                minute = static_cast<unsigned>(value);
                break;
            case 'S':
                if (!read_int(2, value)) return std::nullopt;
                second = static_cast<unsigned>(value);
                break;
            case 'f': {
                std::size_t digits = 0;
                TimestampNs scale = kNsPerSecond / 10;
                while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
                    if (digits++ < 9) fraction_ns += (text[pos] - '0') * scale;
                    scale /= 10;
                    ++pos;
                }
                if (digits == 0) return std::nullopt;
                break;
            }
            case 'b': {
                if (pos + 3 > text.size()) return std::nullopt;
                std::string name = text.substr(pos, 3);
                for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                const auto found =
                    std::find_if(std::begin(kMonths), std::end(kMonths), [&](const char* m) { return name == m; });
                if (found == std::end(kMonths)) return std::nullopt;
                month = static_cast<unsigned>(found - std::begin(kMonths)) + 1;
                pos += 3;
                break;
            }
            case 'z': {
                if (pos < text.size() && text[pos] == 'Z') {
                    ++pos;
                    has_zone = true;
                    break;
                }
                return std::nullopt;
            }
            case '%':
                if (pos >= text.size() || text[pos++] != '%') return std::nullopt;
                break;
            default:
                return std::nullopt;
        }
    }
    if (pos != text.size()) return std::nullopt;
    const std::string iso =
        fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}", year, month, day, hour, minute, second);
    const auto base = parse_iso8601(iso);  // validates the calendar fields
    if (!base) return std::nullopt;
    return *base + fraction_ns;
}

CsvImportResult import_ohlcv_csv(const std::string& path, const CsvImportOptions& options) {
    std::string text = read_text_file(path);
    if (text.find_first_not_of(" \t\r\n") == std::string::npos)
        throw UserError(path + ": the file is empty; expected a header line such as Date,Open,High,Low,Close,Volume");
    const std::size_t first_line_end = text.find('\n');
    const char delimiter =
        options.delimiter.value_or(CsvReader::sniff_delimiter(std::string_view(text).substr(0, first_line_end)));
    CsvReader reader(std::move(text), path, delimiter);
    CsvImportResult result;
    std::vector<std::string> header, fields;
    reader.next(header);
    double probe = 0;
    if (std::all_of(header.begin(), header.end(), [&](const std::string& f) { return parse_number(f, probe); }))
        throw UserError(path +
                        ":1: expected a header line naming the columns (Date,Open,High,Low,Close,Volume), "
                        "found numbers only");
    if (!reader.next(fields)) throw UserError(path + ": no data rows after the header");

    // A known real-world quirk: the header names Date but every row has a date AND a time field.
    std::vector<std::string> effective_header = header;
    const ColumnLayout probe_layout = [&] {
        try {
            return map_columns(header, options, path);
        } catch (const UserError&) {
            return ColumnLayout{};
        }
    }();
    if (fields.size() == header.size() + 1 && probe_layout.field_index.count("date") &&
        !probe_layout.field_index.count("time")) {
        const std::size_t date_index = probe_layout.field_index.at("date");
        if (date_index + 1 < fields.size() && looks_like_time_of_day(fields[date_index + 1])) {
            effective_header.insert(effective_header.begin() + static_cast<std::ptrdiff_t>(date_index) + 1, "Time");
            result.notes.push_back(fmt::format(
                "{}: the header names {} columns but the rows have {}; reading the field after {} as the time "
                "of day (columns taken as {})",
                path, header.size(), fields.size(), header[date_index], fmt::join(effective_header, ",")));
        }
    }
    const ColumnLayout layout = map_columns(effective_header, options, path);

    SymbolBars& bars = result.bars;
    bars.symbol = options.symbol.value_or(symbol_from_file_name(path));
    if (!is_valid_name(bars.symbol))
        throw UserError(path + ": symbol '" + bars.symbol + "' is not usable; set one with --symbol");
    std::vector<std::size_t> lines;
    std::vector<std::pair<std::size_t, std::string>> extra;
    // Extra columns that do not hold numbers in the first row are text (a ticker, a note): skipped.
    for (const auto& [index, name] : layout.extra) {
        double value = 0;
        const std::string cell = index < fields.size() ? trim(fields[index]) : "";
        if (!name.empty() && (cell.empty() || parse_number(cell, value))) {
            extra.emplace_back(index, name);
            bars.indicators.push_back({name, {}});
        } else {
            result.notes.push_back(fmt::format("{}: column '{}' holds text ('{}'), not numbers: not imported", path,
                                               effective_header[index], cell));
        }
    }
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

    // Newest-first files are common; a file in strictly decreasing time is turned around.
    const auto& time = bars.timestamp_ns;
    const bool descending =
        time.size() >= 2 && std::adjacent_find(time.begin(), time.end(), std::less_equal<>()) == time.end();
    if (descending) {
        const auto reverse_all = [](auto& column) { std::reverse(column.begin(), column.end()); };
        reverse_all(bars.timestamp_ns), reverse_all(bars.open), reverse_all(bars.high), reverse_all(bars.low);
        reverse_all(bars.close), reverse_all(bars.volume), reverse_all(lines);
        for (auto& indicator : bars.indicators) reverse_all(indicator.values);
        result.notes.push_back(path + ": rows are newest first; imported in time order");
    }
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const auto problem = check_bar(i > 0 ? time[i - 1] : 0, i > 0, time[i], bars.open[i], bars.high[i], bars.low[i],
                                       bars.close[i], bars.volume[i]);
        if (problem) throw UserError(fmt::format("{}:{}: {}", path, lines[i], *problem));
    }
    bars.sequence.assign(bars.size(), 0);
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

}  // namespace tapegrid
