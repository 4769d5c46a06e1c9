// Timestamp parsing for CSV import: the forms --timestamp-format names, zones and UTC offsets.
#include "io/csv/csv_timestamps.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>

#include "engine/core/errors.h"
#include "io/csv/csv_cells.h"

namespace tapegrid {

namespace {

// For text parse_iso8601 accepted: a zone is a trailing 'Z' or an offset, +HH:MM or the basic
// +HHMM. The date's own '-' signs end at index 7, so any sign from index 10 on starts an offset.
bool has_zone_suffix(const std::string& text) {
    if (text.empty()) return false;
    if (text.back() == 'Z') return true;
    return text.size() > 10 && text.find_first_of("+-", 10) != std::string::npos;
}

// The fields a pattern sets; those it does not name keep the epoch's.
struct DateFields {
    long long year = 1970;
    unsigned month = 1, day = 1, hour = 0, minute = 0, second = 0;
    TimestampNs fraction_ns = 0;
};

// Reads up to `max_digits` digits at `pos`; false when there is none.
bool read_int(const std::string& text, std::size_t& pos, std::size_t max_digits, long long& value) {
    std::size_t digits = 0;
    value = 0;
    while (pos < text.size() && digits < max_digits && std::isdigit(static_cast<unsigned char>(text[pos]))) {
        value = value * 10 + (text[pos++] - '0');
        ++digits;
    }
    return digits > 0;
}

// %f: the digits of a fraction of a second, any number of them; those past nanoseconds are dropped.
bool read_fraction(const std::string& text, std::size_t& pos, TimestampNs& fraction_ns) {
    std::size_t digits = 0;
    TimestampNs scale = kNsPerSecond / 10;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
        if (digits++ < 9) fraction_ns += (text[pos] - '0') * scale;
        scale /= 10;
        ++pos;
    }
    return digits > 0;
}

// %b: an English month's three-letter abbreviation, in any case.
bool read_month_name(const std::string& text, std::size_t& pos, unsigned& month) {
    static const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    if (pos + 3 > text.size()) return false;
    std::string name = text.substr(pos, 3);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto found = std::find_if(std::begin(kMonths), std::end(kMonths), [&](const char* m) { return name == m; });
    if (found == std::end(kMonths)) return false;
    month = static_cast<unsigned>(found - std::begin(kMonths)) + 1;
    pos += 3;
    return true;
}

// Reads the text that %`directive` matches at `pos` into `date`; false when it does not match.
bool read_directive(char directive, const std::string& text, std::size_t& pos, DateFields& date, bool& has_zone) {
    long long value = 0;
    switch (directive) {
        case 'Y':
            if (!read_int(text, pos, 4, value)) return false;
            date.year = value;
            return true;
        case 'y':
            if (!read_int(text, pos, 2, value)) return false;
            date.year = value < 69 ? 2000 + value : 1900 + value;
            return true;
        case 'm':
            if (!read_int(text, pos, 2, value)) return false;
            date.month = static_cast<unsigned>(value);
            return true;
        case 'd':
            if (!read_int(text, pos, 2, value)) return false;
            date.day = static_cast<unsigned>(value);
            return true;
        case 'H':
            if (!read_int(text, pos, 2, value)) return false;
            date.hour = static_cast<unsigned>(value);
            return true;
        case 'M':
            if (!read_int(text, pos, 2, value)) return false;
            date.minute = static_cast<unsigned>(value);
            return true;
        case 'S':
            if (!read_int(text, pos, 2, value)) return false;
            date.second = static_cast<unsigned>(value);
            return true;
        case 'f':
            return read_fraction(text, pos, date.fraction_ns);
        case 'b':
            return read_month_name(text, pos, date.month);
        case 'z':
            if (pos < text.size() && text[pos] == 'Z') {
                ++pos;
                has_zone = true;
                return true;
            }
            return false;
        case '%':
            return pos < text.size() && text[pos++] == '%';
        default:
            return false;
    }
}

}  // namespace

TimeReading parse_timestamp(const std::string& text, const std::string& format, TimestampNs utc_offset_ns) {
    TimeReading reading;
    bool has_zone = false;
    if (format.rfind("epoch_", 0) == 0) {
        const std::map<std::string, std::int64_t> units = {
            {"epoch_s", kNsPerSecond}, {"epoch_ms", 1'000'000}, {"epoch_us", 1'000}, {"epoch_ns", 1}};
        const auto unit = units.find(format);
        if (unit == units.end())
            throw UserError("--timestamp-format " + format + ": expected epoch_s, epoch_ms, epoch_us or epoch_ns");
        std::int64_t integer = 0;
        double value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), integer);
        if (error == std::errc() && end == text.data() + text.size()) {
            reading.time = checked_multiply(integer, unit->second);
            reading.out_of_range = !reading.time;
        } else if (error == std::errc::result_out_of_range) {
            reading.out_of_range = true;
        } else if (parse_number(text, value)) {
            const double ns = value * static_cast<double>(unit->second);
            // 2^63 is a double; every double below it converts exactly to an int64.
            if (ns >= -0x1p63 && ns < 0x1p63)
                reading.time = static_cast<TimestampNs>(std::llround(ns));
            else
                reading.out_of_range = true;
        }
        has_zone = true;  // an epoch count is UTC by definition: the offset does not apply
    } else if (!format.empty()) {
        reading = parse_with_format(text, format, has_zone);
    } else {
        reading.time = parse_iso8601(text);
        reading.out_of_range = !reading.time && iso8601_problem(text).rfind("is outside", 0) == 0;
        has_zone = has_zone_suffix(text);
    }
    if (reading.time && !has_zone) {
        reading.time = checked_add(*reading.time, -utc_offset_ns);
        reading.out_of_range = !reading.time;
    }
    return reading;
}

TimeReading parse_with_format(const std::string& text, const std::string& format, bool& has_zone) {
    DateFields date;
    has_zone = false;
    std::size_t pos = 0;
    for (std::size_t f = 0; f < format.size(); ++f) {
        if (format[f] != '%') {
            if (pos >= text.size() || text[pos] != format[f]) return {};
            ++pos;
            continue;
        }
        if (++f >= format.size()) return {};
        if (!read_directive(format[f], text, pos, date, has_zone)) return {};
    }
    if (pos != text.size()) return {};
    const std::string iso = fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}", date.year, date.month, date.day,
                                        date.hour, date.minute, date.second);
    TimeReading reading;
    const auto base = parse_iso8601(iso);  // validates the calendar fields
    if (base) reading.time = checked_add(*base, date.fraction_ns);
    reading.out_of_range = !reading.time && (base || iso8601_problem(iso).rfind("is outside", 0) == 0);
    return reading;
}

bool looks_like_time_of_day(const std::string& text) {
    const std::string t = trim(text);
    if (t.size() != 5 && t.size() < 8) return false;
    return std::isdigit(static_cast<unsigned char>(t[0])) && std::isdigit(static_cast<unsigned char>(t[1])) &&
           t[2] == ':' && std::isdigit(static_cast<unsigned char>(t[3])) &&
           std::isdigit(static_cast<unsigned char>(t[4]));
}

}  // namespace tapegrid
