// ISO 8601 formatting and parsing for int64 nanosecond UTC timestamps.
#include "engine/core/timestamp.h"

#include <charconv>
#include <chrono>
#include <cstdio>

#include "engine/core/errors.h"
#include "engine/core/printable.h"

namespace tapegrid {

std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
    year -= month <= 2;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto year_of_era = static_cast<unsigned>(year - era * 400);
    const unsigned day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

namespace {

struct CivilDate {
    std::int64_t year;
    unsigned month;
    unsigned day;
};

CivilDate civil_from_days(std::int64_t days) {
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const auto day_of_era = static_cast<unsigned>(days - era * 146097);
    const unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const unsigned mp = (5 * day_of_year + 2) / 153;
    const unsigned day = day_of_year - (153 * mp + 2) / 5 + 1;
    const unsigned month = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t year = static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2);
    return {year, month, day};
}

// Reads exactly `width` digits at text[pos]; advances pos.
bool read_digits(std::string_view text, std::size_t& pos, std::size_t width, unsigned& value) {
    if (pos + width > text.size()) return false;
    value = 0;
    for (std::size_t i = 0; i < width; ++i) {
        const char c = text[pos + i];
        if (c < '0' || c > '9') return false;
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    pos += width;
    return true;
}

unsigned days_in_month(std::int64_t year, unsigned month) {
    static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}

}  // namespace

std::string format_iso8601(TimestampNs timestamp_ns) {
    std::int64_t days = timestamp_ns / kNsPerDay;
    std::int64_t ns_of_day = timestamp_ns % kNsPerDay;
    if (ns_of_day < 0) {
        ns_of_day += kNsPerDay;
        --days;
    }
    const CivilDate date = civil_from_days(days);
    const auto seconds = static_cast<unsigned>(ns_of_day / kNsPerSecond);
    const auto fraction = static_cast<unsigned>(ns_of_day % kNsPerSecond);
    char buffer[48];
    int length =
        std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02u:%02u:%02u", static_cast<long long>(date.year),
                      date.month, date.day, seconds / 3600, seconds / 60 % 60, seconds % 60);
    if (fraction != 0) {
        char digits[16];
        std::snprintf(digits, sizeof digits, "%09u", fraction);
        int kept = 9;
        while (kept > 0 && digits[kept - 1] == '0') --kept;
        length +=
            std::snprintf(buffer + length, sizeof buffer - static_cast<std::size_t>(length), ".%.*s", kept, digits);
    }
    buffer[length++] = 'Z';
    return std::string(buffer, static_cast<std::size_t>(length));
}

namespace {

// The fields of an ISO 8601 text, before they are combined into nanoseconds.
struct Iso8601Fields {
    std::int64_t days = 0;       // since 1970-01-01
    std::int64_t ns_of_day = 0;  // 0 .. 86,400 s (a leap second included)
    std::int64_t offset_ns = 0;  // the zone's offset from UTC
};

std::optional<Iso8601Fields> parse_fields(std::string_view text) {
    std::size_t pos = 0;
    unsigned year = 0, month = 0, day = 0;
    if (!read_digits(text, pos, 4, year) || pos >= text.size() || text[pos++] != '-' ||
        !read_digits(text, pos, 2, month) || pos >= text.size() || text[pos++] != '-' ||
        !read_digits(text, pos, 2, day))
        return std::nullopt;
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return std::nullopt;
    Iso8601Fields fields;
    fields.days = days_from_civil(year, month, day);
    if (pos < text.size() && (text[pos] == 'T' || text[pos] == ' ')) {
        ++pos;
        unsigned hour = 0, minute = 0, second = 0;
        if (!read_digits(text, pos, 2, hour) || pos >= text.size() || text[pos++] != ':' ||
            !read_digits(text, pos, 2, minute))
            return std::nullopt;
        if (pos < text.size() && text[pos] == ':') {
            ++pos;
            if (!read_digits(text, pos, 2, second)) return std::nullopt;
        }
        if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
        fields.ns_of_day = (hour * 3600LL + minute * 60LL + second) * kNsPerSecond;
        if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
            ++pos;
            std::int64_t scale = kNsPerSecond / 10;
            std::size_t digits = 0;
            while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
                if (digits < 9) fields.ns_of_day += (text[pos] - '0') * scale;
                scale /= 10;
                ++pos;
                ++digits;
            }
            if (digits == 0) return std::nullopt;
        }
    }
    if (pos < text.size() && text[pos] == 'Z') {
        ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        const int sign = text[pos++] == '-' ? -1 : 1;
        unsigned offset_hours = 0, offset_minutes = 0;
        if (!read_digits(text, pos, 2, offset_hours)) return std::nullopt;
        if (pos < text.size() && text[pos] == ':') ++pos;
        if (!read_digits(text, pos, 2, offset_minutes)) return std::nullopt;
        if (offset_hours > 23 || offset_minutes > 59) return std::nullopt;
        fields.offset_ns = sign * (offset_hours * 3600LL + offset_minutes * 60LL) * kNsPerSecond;
    }
    if (pos != text.size()) return std::nullopt;
    return fields;
}

std::optional<TimestampNs> combine(const Iso8601Fields& fields) {
    const auto midnight = checked_multiply(fields.days, kNsPerDay);
    if (!midnight) return std::nullopt;
    const auto local = checked_add(*midnight, fields.ns_of_day);
    if (!local) return std::nullopt;
    return checked_add(*local, -fields.offset_ns);
}

}  // namespace

std::optional<TimestampNs> checked_add(TimestampNs a, TimestampNs b) {
    TimestampNs sum = 0;
    if (__builtin_add_overflow(a, b, &sum)) return std::nullopt;
    return sum;
}

std::optional<TimestampNs> checked_multiply(std::int64_t count, TimestampNs unit) {
    TimestampNs product = 0;
    if (__builtin_mul_overflow(count, unit, &product)) return std::nullopt;
    return product;
}

std::optional<TimestampNs> parse_iso8601(std::string_view text) {
    const auto fields = parse_fields(text);
    if (!fields) return std::nullopt;
    return combine(*fields);
}

TimestampNs require_iso8601(std::string_view text, const std::string& where) {
    if (const auto parsed = parse_iso8601(text)) return *parsed;
    const std::string problem = iso8601_problem(text);
    throw UserError(where + ": '" + printable(text) + "' " + problem +
                    (problem.rfind("is not", 0) == 0 ? " (like 2024-01-02 or 2024-01-02T14:30:00Z)" : ""));
}

std::string iso8601_problem(std::string_view text) {
    if (parse_fields(text))
        return std::string("is outside the range of timestamps tapegrid stores (") + kTimestampRange + ")";
    return "is not an ISO 8601 date or time";
}

TimestampNs now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::optional<TimestampNs> parse_duration(std::string_view text) {
    if (text.empty()) return std::nullopt;
    TimestampNs unit = kNsPerDay;
    std::string_view number = text;
    switch (text.back()) {
        case 'd':
            unit = kNsPerDay;
            number.remove_suffix(1);
            break;
        case 'h':
            unit = kNsPerHour;
            number.remove_suffix(1);
            break;
        case 'm':
            unit = kNsPerMinute;
            number.remove_suffix(1);
            break;
        case 's':
            unit = kNsPerSecond;
            number.remove_suffix(1);
            break;
        case 'w':
            unit = 7 * kNsPerDay;
            number.remove_suffix(1);
            break;
        default:
            break;
    }
    std::int64_t count = 0;
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), count);
    if (error != std::errc() || end != number.data() + number.size() || count < 0) return std::nullopt;
    return checked_multiply(count, unit);
}

}  // namespace tapegrid
