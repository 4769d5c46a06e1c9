// An export's text: the CSV fields and JSON elements, written the same way for any batch size.
#include "io/export/export_text.h"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "engine/core/timestamp.h"
#include "io/json/recording_info_json.h"

namespace tapegrid::export_text {

namespace {

std::string csv_quote(const std::string& text) {
    if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
    std::string quoted = "\"";
    for (const char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

// format_iso8601's text for a run of times, the date formatted once per day: bars come in time
// order, many to a day, and the date is most of the cost.
class Iso8601Appender {
  public:
    void append(TimestampNs timestamp_ns, std::string& out) {
        TimestampNs days = timestamp_ns / kNsPerDay;
        TimestampNs ns_of_day = timestamp_ns % kNsPerDay;
        if (ns_of_day < 0) {
            ns_of_day += kNsPerDay;
            --days;
        }
        if (!has_day_ || days != day_) {
            // The day's first time, formatted whole; its text up to the 'T' is the date.
            const std::string text = format_iso8601(timestamp_ns);
            date_.assign(text, 0, text.find('T') + 1);
            day_ = days;
            has_day_ = true;
            out += text;
            return;
        }
        out += date_;
        const auto seconds = static_cast<unsigned>(ns_of_day / kNsPerSecond);
        char text[32];
        std::size_t length = 0;
        const auto two_digits = [&](unsigned value) {
            text[length++] = static_cast<char>('0' + value / 10);
            text[length++] = static_cast<char>('0' + value % 10);
        };
        two_digits(seconds / 3600), text[length++] = ':', two_digits(seconds / 60 % 60), text[length++] = ':';
        two_digits(seconds % 60);
        if (auto fraction = static_cast<unsigned>(ns_of_day % kNsPerSecond); fraction != 0) {
            char digits[9];
            for (int i = 8; i >= 0; --i, fraction /= 10) digits[i] = static_cast<char>('0' + fraction % 10);
            std::size_t kept = 9;
            while (digits[kept - 1] == '0') --kept;
            text[length++] = '.';
            for (std::size_t i = 0; i < kept; ++i) text[length++] = digits[i];
        }
        text[length++] = 'Z';
        out.append(text, length);
    }

  private:
    TimestampNs day_ = 0;
    bool has_day_ = false;
    std::string date_;  // "2024-01-02T"
};

nlohmann::json json_number(double value) {
    if (std::isnan(value)) return nullptr;
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    return value;
}

// The array's elements without its brackets: the text dump() gives them in any array.
void append_elements(const nlohmann::json& array, bool continued, std::string& out) {
    if (array.empty()) return;
    const std::string text = array.dump();
    if (continued) out += ',';
    out.append(text, 1, text.size() - 2);
}

}  // namespace

std::string bars_csv_header(const std::vector<std::string>& indicator_names) {
    std::string text = fmt::format("{}", fmt::join(kBarColumns, ","));
    for (const auto& name : indicator_names) text += fmt::format(",{}", csv_quote(name));
    return text + '\n';
}

void append_bars_csv(const SymbolBars& batch, std::string& out) {
    auto inserter = std::back_inserter(out);
    Iso8601Appender times;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        times.append(batch.timestamp_ns[i], out);
        fmt::format_to(inserter, FMT_COMPILE(",{},{},{},{},{},{}"), batch.open[i], batch.high[i], batch.low[i],
                       batch.close[i], batch.volume[i], batch.sequence[i]);
        for (const auto& indicator : batch.indicators) {
            out += ',';
            if (!std::isnan(indicator.values[i])) fmt::format_to(inserter, FMT_COMPILE("{}"), indicator.values[i]);
        }
        out += '\n';
    }
}

std::string events_csv_header() {
    return fmt::format("{}\n", fmt::join(kEventColumns, ","));
}

void append_events_csv(std::span<const Event> events, std::string& out) {
    for (const auto& e : events)
        fmt::format_to(std::back_inserter(out), "{},{},{},{},{},{},{}\n", e.sequence, format_iso8601(e.timestamp_ns),
                       csv_quote(e.type), csv_quote(e.symbol), csv_quote(e.event_data), csv_quote(e.decision_metadata),
                       csv_quote(e.market_state));
}

void append_json_numbers(std::span<const double> values, bool continued, std::string& out) {
    nlohmann::json array = nlohmann::json::array();
    for (const double v : values) array.push_back(json_number(v));
    append_elements(array, continued, out);
}

void append_json_integers(std::span<const std::int64_t> values, bool continued, std::string& out) {
    nlohmann::json array = nlohmann::json::array();
    for (const std::int64_t v : values) array.push_back(v);
    append_elements(array, continued, out);
}

void append_json_times(std::span<const std::int64_t> timestamps_ns, bool continued, std::string& out) {
    // What dump() writes for the times' strings: they hold nothing JSON escapes.
    Iso8601Appender times;
    for (std::size_t i = 0; i < timestamps_ns.size(); ++i) {
        if (continued || i > 0) out += ',';
        out += '"';
        times.append(timestamps_ns[i], out);
        out += '"';
    }
}

void append_json_events(std::span<const Event> events, bool continued, std::string& out) {
    nlohmann::json array = nlohmann::json::array();
    for (const auto& e : events) {
        array.push_back({{"sequence", e.sequence},
                         {"timestamp", format_iso8601(e.timestamp_ns)},
                         {"type", e.type},
                         {"symbol", e.symbol},
                         {"event_data", parse_json_object(e.event_data, "event_data")},
                         {"decision_metadata", parse_json_object(e.decision_metadata, "decision_metadata")},
                         {"market_state", parse_json_object(e.market_state, "market_state")}});
    }
    append_elements(array, continued, out);
}

std::string json_string(const std::string& text) {
    return nlohmann::json(text).dump();
}

}  // namespace tapegrid::export_text
